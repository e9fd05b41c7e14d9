"""The Gradio chat: the answer, its cited passages (highlighted) and what retrieval found.

Everything from documents or questions is HTML-escaped before it is rendered: announcements and
questions are data, never markup.
"""

from __future__ import annotations

import html
import sys

from .settings import Settings


def sources_html(answer) -> str:
    if not answer.citations:
        return "<p><em>No sources: the assistant declined.</em></p>" if not answer.grounded else ""
    parts = []
    for c in answer.citations:
        body, cursor = [], 0
        for start, end in sorted(c.highlights):
            body.append(html.escape(c.text[cursor:start]))
            body.append(f"<mark>{html.escape(c.text[start:end])}</mark>")
            cursor = end
        body.append(html.escape(c.text[cursor:]))
        link = (
            f' — <a href="{html.escape(c.url, quote=True)}" target="_blank" rel="noopener noreferrer">'
            f"{html.escape(c.url)}</a>"
            if c.url.startswith(("http://", "https://"))
            else ""
        )
        parts.append(
            f"<div class='source'><b>[{c.n}] {html.escape(c.title)}</b> ({html.escape(c.date)}){link}"
            f"<p>{''.join(body)}</p></div>"
        )
    return "".join(parts)


CANDIDATE_COLUMNS = ["rank", "chunk_id", "fused_score", "dense_score", "dense_rank", "lexical_score", "lexical_rank"]


def candidates_rows(answer) -> list[list]:
    rows = []
    for c in answer.candidates:
        row = [c.get(k) for k in CANDIDATE_COLUMNS]
        rows.append([round(v, 4) if isinstance(v, float) else v for v in row])
    return rows


def build_console(assistant):
    import gradio as gr

    def respond(message: str, history: list[dict]):
        from .answer import Turn

        turns = [Turn(role=m["role"], content=_text(m["content"])) for m in history if m["role"] in ("user", "assistant")]
        answer = assistant.ask(message, history=turns)
        history = history + [
            {"role": "user", "content": message},
            {"role": "assistant", "content": answer.answer},
        ]
        info = (
            f"language: {answer.language} · path: {answer.path} · grounded: {answer.grounded} · "
            f"retrieval query: {answer.retrieval_query!r} · timings (ms): {answer.timings_ms}"
        )
        return history, "", sources_html(answer), candidates_rows(answer), info

    with gr.Blocks(title="BRISMIS Assistant") as demo:
        gr.Markdown("## BRISMIS Assistant\nAsk about BRISMIS and CANSM in your language.")
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(label="Chat", height=460, sanitize_html=True, render_markdown=False)
                box = gr.Textbox(placeholder="Ask a question…", show_label=False, elem_id="question")
                ask = gr.Button("Ask", variant="primary", elem_id="ask")
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                sources = gr.HTML(elem_id="sources")
        info = gr.Markdown(elem_id="info")
        table = gr.Dataframe(headers=CANDIDATE_COLUMNS, label="Retrieval candidates", interactive=False)
        outputs = [chat, box, sources, table, info]
        box.submit(respond, [box, chat], outputs, api_name="ask")
        ask.click(respond, [box, chat], outputs, api_name=False)
        gr.Button("New conversation").click(lambda: ([], "", [], ""), None, [chat, sources, table, info])
    return demo


def _text(content) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def serve(settings: Settings, build_if_missing: bool = False) -> int:
    from .answer import Assistant
    from .embeddings import EmbeddingModelError
    from .index import IndexMissing, IndexProblem, update_index

    try:
        try:
            assistant = Assistant.load(settings)
        except IndexMissing:
            if not build_if_missing:
                raise
            print("no index yet: building it from", settings.corpus_dir, file=sys.stderr)
            summary = update_index(settings)
            print("\n".join(summary.lines()), file=sys.stderr)
            assistant = Assistant.load(settings)
    except (IndexProblem, EmbeddingModelError) as exc:
        print(f"brismis: error: {exc}", file=sys.stderr)
        return 1
    for warning in assistant.warnings:
        print(f"brismis: warning: {warning}", file=sys.stderr)
    demo = build_console(assistant)
    print(f"BRISMIS Assistant on http://{settings.host}:{settings.port}/", file=sys.stderr)
    demo.launch(server_name=settings.host, server_port=settings.port, show_error=False)
    return 0
