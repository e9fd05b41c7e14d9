"""The staff console's "Announcements" tab: add an announcement (a file, or a web address), see what
the index did with it, ask a test question at once, remove one.

* Upload: any format the corpus reads (.md, .txt, .html, .pdf, .docx), at most
  ``settings.upload_max_bytes``, saved as ``corpus/uploads/<safe name>`` (the name reduced to
  letters, digits, '-', '_' and '.', no folders, never hidden); the optional fields (title, date,
  url, lang, tags) go into its sidecar ``<file>.yaml``. The file is read like ``brismis index``
  would before anything is indexed: a file that cannot be used is not kept (an earlier version of
  it comes back) and the reason is shown. Re-uploading a name replaces that announcement.
* A web address: fetched like ``brismis import`` (a page or PDF, or a whole sitemap or feed)
  into ``corpus/site/<host>/``.
* Then the index is brought in line through ``Service.rebuild`` (which swaps in the new assistant);
  the summary is the one ``brismis index`` prints. Two rebuilds at once: the second gets the lock's
  message, the file stays saved for the next rebuild.
* Remove: the announcement's file (and sidecar) is deleted from corpus/ and the index updated.

Everything shown is text (Textboxes) or escaped HTML.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import unicodedata
from pathlib import Path

from ..corpus import SIDECAR_SUFFIX, SUPPORTED_SUFFIXES, CorpusError, doc_id_for, read_document, sidecar_for

UPLOAD_FOLDER = "uploads"
FIELDS = ("title", "date", "url", "lang", "tags")


class UploadProblem(ValueError):
    """The upload is not kept; the message says why and what to do."""


def safe_upload_name(name: str) -> str:
    """The file name an upload is saved as: no folders, no hidden or private names, no characters a
    shell or URL would trip on; the extension must be one the corpus reads."""
    base = unicodedata.normalize("NFKC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    stem, ext = os.path.splitext(base)
    ext = ext.lower()
    if ext not in SUPPORTED_SUFFIXES:
        shown = f"'{ext}'" if ext else "without an extension"
        raise UploadProblem(f"unsupported file type {shown}: upload a {', '.join(SUPPORTED_SUFFIXES)} file")
    stem = re.sub(r"[^\w.-]+", "-", stem).strip("-._")[:80].strip("-._") or "upload"
    if stem.lower() == "readme":
        stem = "readme-upload"  # README.md files are never read as announcements
    return stem + ext


def _sidecar_fields(path: Path) -> dict:
    """The raw fields of an existing sidecar (to keep what a re-upload does not give again)."""
    import yaml

    from ..corpus import _Loader

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader
    except (OSError, ValueError, yaml.YAMLError):
        return {}
    return {k: v for k, v in data.items() if k in FIELDS} if isinstance(data, dict) else {}


def _yaml_line(key: str, value) -> str:
    if key == "tags":
        items = value if isinstance(value, list) else [t.strip() for t in str(value).split(",") if t.strip()]
        return f"tags: [{', '.join(json.dumps(str(t), ensure_ascii=False) for t in items)}]"
    return f"{key}: {json.dumps(str(value).strip(), ensure_ascii=False)}"


def save_upload(settings, source: str | Path, name: str | None = None, fields: dict | None = None):
    """Save an uploaded file under corpus/uploads/ (with a sidecar for ``fields``) and check it
    reads; returns (path, Loaded, replaced). UploadProblem when it is not kept."""
    source = Path(source)
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise UploadProblem(f"the uploaded file cannot be read ({exc.strerror or exc})") from None
    if size > settings.upload_max_bytes:
        raise UploadProblem(f"the file is too large ({size:,} bytes; the limit is {settings.upload_max_bytes:,}, "
                            "BRISMIS_UPLOAD_MAX_BYTES)")
    corpus = Path(settings.corpus_dir)
    folder = corpus / UPLOAD_FOLDER
    target = folder / safe_upload_name(name or source.name)
    sidecar = sidecar_for(target)
    given = {k: v for k, v in (fields or {}).items() if k in FIELDS and v not in (None, "", [])}

    backup = {p: p.read_bytes() for p in (target, sidecar) if p.is_file()}
    replaced = target in backup
    folder.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copyfile(source, target)
        if given:
            merged = {**_sidecar_fields(sidecar), **given}
            lines = ["# metadata given in the staff console"] + [_yaml_line(k, merged[k]) for k in FIELDS if k in merged]
            sidecar.write_text("\n".join(lines) + "\n", encoding="utf-8")
        loaded = read_document(target, corpus)
    except (CorpusError, OSError) as exc:
        for path in (target, sidecar):  # not kept: what was there before comes back
            if path in backup:
                path.write_bytes(backup[path])
            else:
                path.unlink(missing_ok=True)
        reason = str(exc.problem) if isinstance(exc, CorpusError) else f"could not be saved ({exc})"
        raise UploadProblem(reason) from None
    return target, loaded, replaced


def announcement_files(settings) -> list[tuple[str, str]]:
    """(label, path inside corpus/) of every announcement file, for the remove list."""
    from ..corpus import _candidate_files

    corpus = Path(settings.corpus_dir)
    if not corpus.is_dir():
        return []
    out = []
    for path in _candidate_files(corpus):
        rel = path.relative_to(corpus).as_posix()
        out.append((f"{doc_id_for(path, corpus)}  ({rel})", rel))
    return out


def remove_file(settings, rel: str) -> Path:
    """Delete one announcement file (and its sidecar) inside corpus/; UploadProblem otherwise."""
    corpus = Path(settings.corpus_dir).resolve()
    if not rel or rel not in {r for _, r in announcement_files(settings)}:
        raise UploadProblem("choose an announcement from the list (it may have been removed already)")
    path = (corpus / rel).resolve()
    if corpus not in path.parents or path.name.lower().endswith(SIDECAR_SUFFIX):
        raise UploadProblem("that file is not an announcement in the corpus folder")
    path.unlink(missing_ok=True)
    sidecar_for(path).unlink(missing_ok=True)
    return path


def _display(path: Path) -> str:
    from ..corpus import _display as display

    return display(path)


def build_announcements_tab(service):
    """The tab's components (call inside ``gr.Tab``); returns (refresh function, the remove list) for
    the page's load event."""
    import gradio as gr

    from ..index import IndexProblem

    settings = service.settings

    def choices():
        return gr.update(choices=announcement_files(settings), value=None)

    def rebuilt(lines: list[str], progress) -> str:
        def report(stage: str, done: int, total: int) -> None:
            progress((done, total), desc=stage)

        try:
            summary = service.rebuild(report)
        except IndexProblem as exc:
            lines.append(f"not indexed yet: {exc} (the file is saved; press \"Rebuild now\" in the Index tab later)")
            return "\n".join(lines)
        return "\n".join(lines + summary.lines())

    def add(file, title, date, url, lang, tags, progress=gr.Progress()):
        if not file:
            return "choose a file first", gr.skip(), ""
        path = file if isinstance(file, str) else getattr(file, "name", None) or file.get("path")
        fields = {"title": title, "date": date, "url": url, "lang": lang, "tags": tags}
        try:
            target, loaded, replaced = save_upload(settings, path, Path(path).name, fields)
        except UploadProblem as exc:
            return f"skipped: {exc}", gr.skip(), ""
        doc = loaded.document
        lines = [f"{'replaced' if replaced else 'saved'} {_display(target)} as {doc.doc_id}: {doc.title!r} "
                 f"({doc.date}, {doc.lang}, {doc.url})"]
        lines += [f"warning: {w}" for w in loaded.warnings]
        progress(0, desc="indexing")
        return rebuilt(lines, progress), choices(), doc.doc_id

    def fetch(address, progress=gr.Progress()):
        from ..ingest.site import ImportProblem, sync_site

        address = (address or "").strip()
        if not address:
            return "give a web address first", gr.skip(), ""
        progress(0, desc="fetching")
        try:
            report = sync_site(settings, address)
        except ImportProblem as exc:
            return f"skipped: {exc}", gr.skip(), ""
        corpus = Path(settings.corpus_dir)
        changed = report.added + report.updated
        doc_id = doc_id_for(Path(changed[0][1]), corpus) if len(changed) == 1 else ""
        return rebuilt(report.lines(), progress), choices(), doc_id

    def try_question(question, doc_id=""):
        from .console import sources_html

        question = (question or "").strip()
        assistant = service.assistant
        if not question:
            return "ask a question first", ""
        if assistant is None:
            return f"not answering: {service.problem or 'no index'}", ""
        answer = assistant.ask(question)
        cited = sorted({c.doc_id for c in answer.citations})
        note = ""
        if doc_id:
            note = (f"\n\n(cited the new announcement {doc_id})" if doc_id in cited else
                    f"\n\n(the new announcement {doc_id} was not cited; cited: {', '.join(cited) or 'nothing'})")
        return answer.answer + note, sources_html(answer)

    def remove(rel, sure, progress=gr.Progress()):
        if not sure:
            return "tick the box to confirm that the file is to be deleted", gr.skip()
        try:
            path = remove_file(settings, rel)
        except UploadProblem as exc:
            return f"not removed: {exc}", choices()
        progress(0, desc="indexing")
        return rebuilt([f"deleted {_display(path)}"], progress), choices()

    gr.Markdown("Add an announcement: a file as published (web page, PDF, Word) or as text with its front matter "
                "(see corpus/README.md), or the address of a page, PDF, sitemap or feed. It is checked, saved "
                "in corpus/ and indexed; then ask it a question.")
    with gr.Row():
        with gr.Column():
            upload = gr.File(label="File (.md, .txt, .html, .htm, .pdf, .docx)", type="filepath",
                             file_types=list(SUPPORTED_SUFFIXES), elem_id="upload-file")
            with gr.Accordion("Metadata (optional; overrides what the file says, e.g. the url of a PDF)",
                              open=False):
                title = gr.Textbox(label="Title", elem_id="upload-title")
                date = gr.Textbox(label="Date (YYYY-MM-DD)", elem_id="upload-date")
                url = gr.Textbox(label="Web address it was published on", elem_id="upload-url")
                lang = gr.Textbox(label="Language (two letters: en, zh, fr...)", elem_id="upload-lang")
                tags = gr.Textbox(label="Tags (separated by commas)", elem_id="upload-tags")
            add_button = gr.Button("Add and index", variant="primary", elem_id="upload-add")
            address = gr.Textbox(label="Or a web address (page, PDF, sitemap.xml or feed)", elem_id="fetch-url")
            fetch_button = gr.Button("Fetch and index", elem_id="fetch-add")
        with gr.Column():
            result = gr.Textbox(label="What happened", lines=12, interactive=False, elem_id="upload-result")
    # The announcement just added, for the test question's note. A hidden Textbox, not a gr.State: a
    # State makes every client hold a heartbeat connection open, which stalls the server's shutdown.
    new_doc = gr.Textbox(value="", visible=False, label="Announcement just added", elem_id="new-doc")
    gr.Markdown("### Ask a test question")
    with gr.Row():
        question = gr.Textbox(label="Question", scale=4, elem_id="try-question")
        ask = gr.Button("Ask", scale=1, elem_id="try-ask")
    answer = gr.Textbox(label="Answer", lines=4, interactive=False, elem_id="try-answer")
    sources = gr.HTML(elem_id="try-sources")
    gr.Markdown("### Remove an announcement")
    with gr.Row():
        listed = gr.Dropdown(choices=announcement_files(settings), value=None, label="Announcement",
                             allow_custom_value=True, elem_id="remove-choice")  # checked by remove_file
        sure = gr.Checkbox(label="Delete its file from corpus/", value=False, elem_id="remove-sure")
        remove_button = gr.Button("Remove and re-index", variant="stop", elem_id="remove-button")

    add_button.click(add, [upload, title, date, url, lang, tags], [result, listed, new_doc], api_name="upload")
    fetch_button.click(fetch, [address], [result, listed, new_doc], api_name="fetch")
    ask.click(try_question, [question, new_doc], [answer, sources], api_name="try_question")
    question.submit(try_question, [question, new_doc], [answer, sources], api_name=False)
    remove_button.click(remove, [listed, sure], [result, listed], api_name="remove")
    return choices, listed
