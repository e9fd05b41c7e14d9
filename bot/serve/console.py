"""The staff console (Gradio, mounted at /staff by ``bot.serve.app``).

* Chat: the same assistant as the API, with switches (chat backend, passages, language hint); beside
  it the cited passages with the quoted sentences highlighted, and below how the answer was made:
  detected language, standalone question, path, rejected drafts, timings and every retrieval
  candidate with its dense, lexical and fused scores and ranks.
* Feedback: the latest rated answers, filtered by rating and language; CSV export.
* Index: what the index holds, the files skipped and why; "Rebuild now".
* Announcements: upload a file (or fetch a web address), see what the index did, ask it a test
  question, remove an announcement (``uploads.py``).

Everything from documents, questions and answers is HTML-escaped before it is rendered:
announcements and visitors' text are data, never markup. Only http(s) links are clickable.
"""

from __future__ import annotations

import html
import tempfile
import time
from pathlib import Path

from ..answer import AskOptions
from ..events import Final, Reset, Sources, Token
from ..language import SUPPORTED, language_name

EXTRACTIVE = "extractive (no LLM)"
ALL = "all"


def _esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _link(url: str) -> str:
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        return ""
    return f' — <a href="{_esc(url)}" target="_blank" rel="noopener noreferrer">{_esc(url)}</a>'


def sources_html(answer) -> str:
    if not answer.citations:
        return "<p><em>No sources: the assistant declined.</em></p>" if not answer.grounded else ""
    parts = []
    for c in answer.citations:
        body, cursor = [], 0
        for start, end in sorted(c.highlights):
            start, end = max(start, cursor), max(end, cursor)
            body.append(_esc(c.text[cursor:start]))
            body.append(f"<mark>{_esc(c.text[start:end])}</mark>")
            cursor = end
        body.append(_esc(c.text[cursor:]))
        parts.append(
            f"<div class='source'><b>[{c.n}] {_esc(c.title)}</b> ({_esc(c.date)}){_link(c.url)}"
            f"<p>{''.join(body)}</p></div>"
        )
    return "".join(parts)


def details_html(answer) -> str:
    """How the answer was made: language, standalone question, path, rejected drafts, timings."""
    try:
        name = language_name(answer.language)
    except KeyError:
        name = answer.language
    rows = [
        ("detected language", f"{answer.language} ({name})"),
        ("standalone question", answer.retrieval_query or "(none: the question was not searched)"),
        ("path", answer.path),
        ("grounded", "yes" if answer.grounded else "no"),
    ]
    out = ["<table class='details'>"]
    out += [f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in rows]
    timings = " · ".join(f"{_esc(k)} {_esc(v)} ms" for k, v in answer.timings_ms.items())
    out.append(f"<tr><th>timings</th><td>{timings}</td></tr>")
    drafts = "".join(f"<li>{_esc(r)}</li>" for r in answer.rejected) or "none"
    out.append(f"<tr><th>rejected drafts</th><td>{'<ul>' + drafts + '</ul>' if answer.rejected else drafts}</td></tr>")
    out.append("</table>")
    return "".join(out)


CANDIDATE_COLUMNS = ["rank", "cited", "fused_score", "dense_score", "dense_calibrated", "dense_rank", "lexical_score",
                     "lexical_rank", "edition", "title", "date", "chunk_id", "text"]


def candidates_rows(answer) -> list[list]:
    """Every retrieval candidate, best first, with its scores and ranks; ``cited`` is its [n]."""
    cited = {c.chunk_id: f"[{c.n}]" for c in answer.citations}
    rows = []
    for c in answer.candidates:
        extra = c.get("extra") or {}
        values = {**c, "cited": cited.get(c.get("chunk_id"), ""), "text": (c.get("text") or "")[:160],
                  "dense_calibrated": extra.get("dense_calibrated"), "edition": extra.get("edition")}
        row = [values.get(k) for k in CANDIDATE_COLUMNS]
        rows.append(["" if v is None else round(v, 4) if isinstance(v, float) else v for v in row])
    return rows


def index_html(status: dict | None, problem: str | None = None, chat: str | None = None,
               warnings: list[str] = (), model: dict | None = None, degraded: str | None = None) -> str:
    out = []
    if problem:
        out.append(f"<p><b>Not answering:</b> {_esc(problem)}</p>")
    if degraded:
        out.append(f"<p class='degraded'><b>Degraded:</b> {_esc(degraded)}</p>")
    if status is not None:
        rows = [("documents", status.get("documents")), ("chunks", status.get("chunks")),
                ("last build", status.get("built_at") or "never"), ("location", status.get("location") or "none"),
                ("chat backend", chat or "none")]
        if model is not None:
            rows += [("chat model process", f"{model.get('state')} (pid {model.get('pid') or '-'}, "
                                            f"restarts {model.get('restarts', 0)}, CPU variant "
                                            f"{model.get('cpu_variant') or '-'})"),
                     ("last problem", model.get("reason") or "none")]
        out.append("<table class='index'>" + "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>"
                                                       for k, v in rows) + "</table>")
        skipped = status.get("skipped") or []
        out.append(f"<p><b>Skipped files ({len(skipped)})</b></p>")
        if skipped:
            out.append("<ul>" + "".join(f"<li>{_esc(s)}</li>" for s in skipped) + "</ul>")
    if warnings:
        out.append("<p><b>Warnings</b></p><ul>" + "".join(f"<li>{_esc(w)}</li>" for w in warnings) + "</ul>")
    return "".join(out)


FEEDBACK_COLUMNS = ["rated_at", "rating", "language", "question", "answer", "sources", "comment", "path", "answer_id"]


def feedback_rows(store, rating: str = ALL, language: str = ALL) -> list[list]:
    rows = store.rated(None if rating == ALL else rating, None if language == ALL else language)
    return [[_plain(r[c]) for c in FEEDBACK_COLUMNS] for r in rows]


def _plain(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.replace(microsecond=0).isoformat(sep=" ")
    return str(value)


def export_csv(store, rating: str = ALL, language: str = ALL) -> str:
    folder = Path(tempfile.mkdtemp(prefix="brismis-feedback-"))
    path = folder / f"brismis-feedback-{time.strftime('%Y%m%d-%H%M%S')}.csv"
    store.export_csv(path, None if rating == ALL else rating, None if language == ALL else language)
    return str(path)


def ask_options(backend: str, passages: float | None, language: str | None) -> AskOptions:
    """The console's switches as per-call options (the shared assistant is never changed)."""
    return AskOptions(extractive=backend == EXTRACTIVE, passages=int(passages) if passages else None,
                      language_hint=None if language in (None, "", "auto") else language)


def backend_choices(assistant) -> list[str]:
    if assistant is not None and assistant.chat is not None:
        return [assistant.chat_description, EXTRACTIVE]
    return [EXTRACTIVE]


def _text(content) -> str:
    """A chat message's text as it was said (messages are stored escaped, see ``_shown``)."""
    if isinstance(content, list):
        content = " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    elif isinstance(content, dict):
        content = content.get("text", "")
    return html.unescape(str(content))


def _shown(text: str) -> str:
    """Gradio's Chatbot renders a message as HTML (sanitised, but an <img> or <a> from an
    announcement would still become one): escaped, everything shows as the text it is."""
    return _esc(text)


def build_console(service):
    """The Blocks for /staff; ``service`` is ``bot.serve.service.Service`` (assistant, store, settings)."""
    import gradio as gr

    from ..schema import Answer, Turn

    settings = service.settings
    choices = backend_choices(service.assistant)

    def respond(message: str, history: list[dict], backend: str, passages: float, language: str):
        history = list(history or [])
        message = (message or "").strip()
        if not message:
            yield history, "", gr.skip(), gr.skip(), gr.skip()
            return
        assistant = service.assistant  # read once: a rebuild may swap it meanwhile
        if assistant is None:
            note = f"Not answering: {service.problem or 'no index'}. Use the Index tab to build it."
            yield (history + [{"role": "user", "content": _shown(message)}, {"role": "assistant", "content": _shown(note)}],
                   "", "", f"<p>{_esc(note)}</p>", [])
            return
        turns = [Turn(role=m["role"], content=_text(m["content"])) for m in history
                 if m.get("role") in ("user", "assistant")]
        history = history + [{"role": "user", "content": _shown(message)}, {"role": "assistant", "content": "…"}]
        shown = ""
        for event in assistant.stream(message, turns, ask_options(backend, passages, language)):
            if isinstance(event, Sources):  # the passages found, while the answer is written
                found = Answer(question=message, language="", answer="", grounded=True, citations=event.citations)
                yield history, "", "<p><em>Writing the answer…</em></p>" + sources_html(found), gr.skip(), gr.skip()
                continue
            if isinstance(event, Token):
                shown += event.text
            elif isinstance(event, Reset):
                shown = ""
            elif isinstance(event, Final):
                answer = event.answer
                history[-1] = {"role": "assistant", "content": _shown(answer.answer)}
                yield history, "", sources_html(answer), details_html(answer), candidates_rows(answer)
                return
            history[-1] = {"role": "assistant", "content": _shown(shown) or "…"}
            yield history, "", gr.skip(), gr.skip(), gr.skip()

    def refresh_feedback(rating: str, language: str):
        languages = [ALL] + service.store.languages()
        return feedback_rows(service.store, rating, language), gr.update(choices=languages)

    def index_view():
        from ..index import IndexProblem, index_status

        try:
            status, problem = index_status(settings), service.problem
        except IndexProblem as exc:
            status, problem = None, str(exc)
        assistant = service.assistant
        chat = assistant.chat_description if assistant is not None else None
        warnings = list(service.warnings) + (list(assistant.warnings) if assistant else [])
        return index_html(status, problem, chat, warnings, service.model_status(), service.degraded())

    def rebuild(progress=gr.Progress()):
        from ..index import IndexProblem

        progress(0, desc="reading the corpus")

        def report(stage: str, done: int, total: int) -> None:
            progress((done, total), desc=stage)

        try:
            summary = service.rebuild(report)
        except IndexProblem as exc:
            return index_view(), f"Rebuild failed: {exc}"
        return index_view(), "\n".join(summary.lines())

    with gr.Blocks(title="BRISMIS Assistant — staff", analytics_enabled=False) as demo:
        gr.Markdown("## BRISMIS Assistant — staff console")
        with gr.Tab("Chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(label="Chat", height=420, sanitize_html=True, render_markdown=False,
                                      allow_tags=False, feedback_options=None)
                    box = gr.Textbox(placeholder="Ask a question…", show_label=False, elem_id="question")
                    with gr.Row():
                        ask = gr.Button("Ask", variant="primary", elem_id="ask")
                        new = gr.Button("New conversation")
                    with gr.Accordion("Switches", open=False):
                        backend = gr.Radio(choices, value=choices[0], label="Chat backend")
                        passages = gr.Slider(1, 10, value=settings.top_k, step=1,
                                             label="Passages (top_k and prompt_passages)")
                        language = gr.Dropdown(["auto"] + list(SUPPORTED), value="auto",
                                               label="Language hint (used when the question's language "
                                               "cannot be told from its text)")
                with gr.Column(scale=2):
                    gr.Markdown("### Sources")
                    sources = gr.HTML(elem_id="sources")
            details = gr.HTML(elem_id="details")
            table = gr.Dataframe(headers=CANDIDATE_COLUMNS, label="Retrieval candidates (last question)",
                                 interactive=False, wrap=True)
            inputs = [box, chat, backend, passages, language]
            outputs = [chat, box, sources, details, table]
            box.submit(respond, inputs, outputs, api_name="ask")
            ask.click(respond, inputs, outputs, api_name=False)
            new.click(lambda: ([], "", "", "", []), None, [chat, box, sources, details, table], api_name=False)

        with gr.Tab("Feedback"):
            with gr.Row():
                rating = gr.Radio([ALL, "up", "down"], value=ALL, label="Rating")
                lang_filter = gr.Dropdown([ALL], value=ALL, label="Language", allow_custom_value=True)
                refresh = gr.Button("Refresh")
            rated = gr.Dataframe(headers=FEEDBACK_COLUMNS, label="Latest rated answers", interactive=False, wrap=True)
            export = gr.Button("Export CSV")
            download = gr.File(label="CSV", interactive=False)
            for trigger in (rating.input, lang_filter.input):  # .input: not when the choices are refreshed
                trigger(refresh_feedback, [rating, lang_filter], [rated, lang_filter], api_name=False)
            refresh.click(refresh_feedback, [rating, lang_filter], [rated, lang_filter], api_name="feedback")
            export.click(lambda r, lang: export_csv(service.store, r, lang), [rating, lang_filter], download,
                         api_name="export")

        with gr.Tab("Index"):
            status = gr.HTML(elem_id="index-status")
            rebuild_button = gr.Button("Rebuild now", variant="primary")
            result = gr.Textbox(label="Last rebuild", lines=6, interactive=False)
            rebuild_button.click(rebuild, None, [status, result], api_name="rebuild")
            gr.Button("Refresh").click(index_view, None, status, api_name="index")

        with gr.Tab("Announcements"):
            from .uploads import build_announcements_tab

            refresh_announcements, announcements = build_announcements_tab(service)
        with gr.Tab("Verified answers"):
            from .verified_console import build_verified_tab

            refresh_verified, verified_table = build_verified_tab(service)
        demo.load(index_view, None, status, api_name=False)
        demo.load(refresh_verified, None, verified_table, api_name=False)
        demo.load(refresh_announcements, None, announcements, api_name=False)
        demo.load(refresh_feedback, [rating, lang_filter], [rated, lang_filter], api_name=False)
    return demo
