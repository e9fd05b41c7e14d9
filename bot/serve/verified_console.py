"""The staff console's "Verified answers" tab: turn a rated answer into a verified one, write one from
scratch, review its translations, disable or delete it, and see which need review after an index
build. Every change is saved with the name staff type in "Your name" (the console has one shared
login, so the name is what records who did it), and swaps a new assistant in at once."""

from __future__ import annotations

from ..language import SUPPORTED, language_name
from .console import _esc, _plain, sources_html
from .verified_store import VerifiedProblem, manifest_documents

COLUMNS = ["id", "status", "approved", "question", "sources", "saved_by", "saved_at", "review"]


def verified_rows(store) -> list[list]:
    return [[v.id, v.status + (" (kept serving)" if v.status == "under_review" and v.keep_serving else ""),
             ", ".join(sorted(v.approved)), v.question, ", ".join(v.sources) or "(policy: none)",
             v.updated_by, _plain(v.updated_at), v.review_reason or ""] for v in store.list()]


def translations_html(v) -> str:
    """Every language's text, approved or proposed, and the proposals the guard rejected."""
    if v is None:
        return ""
    rows = []
    for lang in SUPPORTED:
        text = v.answers.get(lang)
        if text:
            state = "written" if lang == v.language else "approved" if lang in v.approved else "proposed, not approved"
            rows.append(f"<tr><td>{_esc(lang)}</td><td>{_esc(state)}</td><td>{_esc(text)}</td></tr>")
        elif lang in v.rejected:
            rows.append(f"<tr><td>{_esc(lang)}</td><td>rejected by the guard</td>"
                        f"<td><em>{_esc(v.rejected[lang].get('reasons', ''))}</em></td></tr>")
    return ("<table><tr><th>language</th><th>state</th><th>text</th></tr>" + "".join(rows) + "</table>"
            if rows else "")


def build_verified_tab(service):
    """The tab's components (call inside ``gr.Tab``); returns (refresh function, the table)."""
    import gradio as gr

    from ..schema import Answer, Citation

    store = service.verified

    def refresh():
        return verified_rows(store) if store is not None else []

    def changed(message: str):
        service.refresh_verified()
        return refresh(), message

    def from_answer(answer_id: str):
        """A stored answer (rated or not) as the starting point of a verified one."""
        row = service.store.get_answer((answer_id or "").strip()) if service.store is not None else None
        if row is None:
            return (gr.skip(),) * 5 + ("No answer has that id (copy it from the Feedback tab).",)
        citations = [Citation(**c) for c in row["citations"] or []]
        shown = Answer(question=row["question"], language=row["language"], answer=row["answer"],
                       grounded=bool(row["grounded"]), citations=citations)
        rating = service.store.get_feedback(row["answer_id"])
        note = f"Answer {row['answer_id']} ({row['path']}, rated {rating['rating'] if rating else 'not rated'})"
        drafts = "".join(f"<li>{_esc(r)}</li>" for r in row.get("rejected") or [])
        drafts = f"<p>Rejected drafts:</p><ul>{drafts}</ul>" if drafts else "<p>No draft was rejected.</p>"
        return ("", row["question"], row["language"] if row["language"] in SUPPORTED else "en", row["answer"],
                ", ".join(dict.fromkeys(c.doc_id for c in citations)),
                f"<p>{_esc(note)}. Its sources:</p>" + sources_html(shown) + drafts)

    def load(verified_id: str):
        v = store.get((verified_id or "").strip())
        if v is None:
            return (gr.skip(),) * 6 + ("No verified answer has that id.",)
        return (v.id, v.question, v.language, v.answers[v.language], ", ".join(v.sources), v.keep_serving,
                translations_html(v))

    def save(verified_id, question, language, text, sources, keep, by):
        try:
            docs = [d.strip() for d in (sources or "").split(",") if d.strip()]
            known = manifest_documents(service.settings)
            unknown = [d for d in docs if known and d not in known]
            if unknown:
                raise VerifiedProblem(f"not in the index: {', '.join(unknown)} (use doc_ids from the sources)")
            v = store.save(by=by, question=question, answers={language: text}, language=language,
                           verified_id=(verified_id or "").strip() or None, sources=docs, manifest=known,
                           keep_serving=bool(keep))
        except VerifiedProblem as exc:
            return gr.skip(), gr.skip(), f"Not saved: {exc}", gr.skip()
        rows, message = changed(f"Saved {v.id}; approved: {', '.join(v.approved)}. It answers visitors now.")
        return v.id, rows, message, translations_html(v)

    def propose(verified_id, by, progress=gr.Progress()):
        try:
            v = service.propose_translations((verified_id or "").strip(), by,
                                             progress=lambda stage, done, total: progress((done, total), desc=stage))
        except (LookupError, VerifiedProblem) as exc:
            return gr.skip(), f"No translations: {exc}"
        return translations_html(v), ("Proposed translations are shown below; none is shown to visitors until "
                                      "approved.")

    def approve(verified_id, languages, by):
        codes = [c.strip() for c in (languages or "").split(",") if c.strip()]
        try:
            v = store.get((verified_id or "").strip())
            if v is None:
                raise VerifiedProblem("load or save the answer first")
            if codes == ["all"]:
                codes = [lang for lang in v.answers if lang not in v.approved]
            v = store.set_translations(v.id, by, approve=codes)
        except VerifiedProblem as exc:
            return gr.skip(), gr.skip(), f"Not approved: {exc}"
        rows, message = changed(f"Approved: {', '.join(v.approved)}")
        return translations_html(v), rows, message

    def edit_translation(verified_id, lang, text, by):
        try:
            v = store.set_translations((verified_id or "").strip(), by, answers={lang: text}, approve=[lang])
        except VerifiedProblem as exc:
            return gr.skip(), gr.skip(), f"Not saved: {exc}"
        rows, message = changed(f"{language_name(lang)} text saved and approved")
        return translations_html(v), rows, message

    def status(verified_id, new_status, by):
        vid = (verified_id or "").strip()
        try:
            if new_status == "delete":
                done = store.delete(vid, by)
                return changed("Deleted." if done else "No verified answer has that id.")
            if new_status == "still true":
                store.confirm_sources(vid, by, manifest_documents(service.settings))
            else:
                store.set_status(vid, new_status, by)
        except VerifiedProblem as exc:
            return gr.skip(), f"Not changed: {exc}"
        return changed(f"{vid}: {new_status}")

    if store is None:
        gr.Markdown("Verified answers need the answer database (BRISMIS_DATABASE_URL).")
        return refresh, gr.Dataframe(headers=COLUMNS, interactive=False)
    gr.Markdown("A verified answer is given, without the model, to every visitor whose question means the "
                "same, in any language. Only approved languages are shown; other visitors get the nearest "
                "approved language they read, with a note.")
    table = gr.Dataframe(headers=COLUMNS, label="Verified answers", interactive=False, wrap=True)
    with gr.Row():
        answer_id = gr.Textbox(label="From an answer (its answer_id, from the Feedback tab)", elem_id="from-answer")
        take = gr.Button("Take this answer")
        vid_load = gr.Textbox(label="Or a verified answer's id", elem_id="verified-id")
        open_button = gr.Button("Open")
    with gr.Row():
        vid = gr.Textbox(label="Editing (empty: a new one)", interactive=False, elem_id="editing")
        by = gr.Textbox(label="Your name (recorded with every change)", elem_id="staff-name")
    question = gr.Textbox(label="Question", elem_id="verified-question")
    with gr.Row():
        language = gr.Dropdown(list(SUPPORTED), value="en", label="Written in")
        sources = gr.Textbox(label="Sources (doc_ids, comma-separated; none for a policy answer)")
        keep = gr.Checkbox(label="Keep serving while under review", value=False)
    text = gr.Textbox(label="The correct answer", lines=4, elem_id="verified-text")
    save_button = gr.Button("Save as verified answer", variant="primary", elem_id="save-verified")
    message = gr.Markdown(elem_id="verified-message")
    found = gr.HTML()
    with gr.Accordion("Translations", open=False):
        propose_button = gr.Button("Propose translations with the model (checked by the guard)")
        translations = gr.HTML(elem_id="translations")
        with gr.Row():
            approve_langs = gr.Textbox(label="Approve languages (codes, comma-separated, or 'all')")
            approve_button = gr.Button("Approve")
        with gr.Row():
            edit_lang = gr.Dropdown(list(SUPPORTED), value="fr", label="Language")
            edit_text = gr.Textbox(label="Text (saved and approved)")
            edit_button = gr.Button("Save this translation")
    with gr.Row():
        new_status = gr.Radio(["active", "disabled", "under_review", "still true", "delete"], value="disabled",
                              label="Change status (still true: reviewed against the changed sources)")
        status_button = gr.Button("Apply")

    take.click(from_answer, [answer_id], [vid, question, language, text, sources, found], api_name="take_answer")
    open_button.click(load, [vid_load], [vid, question, language, text, sources, keep, translations],
                      api_name=False)
    save_button.click(save, [vid, question, language, text, sources, keep, by],
                      [vid, table, message, translations], api_name="save_verified")
    propose_button.click(propose, [vid, by], [translations, message], api_name=False)
    approve_button.click(approve, [vid, approve_langs, by], [translations, table, message], api_name=False)
    edit_button.click(edit_translation, [vid, edit_lang, edit_text, by], [translations, table, message],
                      api_name=False)
    status_button.click(status, [vid, new_status, by], [table, message], api_name=False)
    return refresh, table
