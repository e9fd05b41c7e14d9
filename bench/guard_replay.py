"""Record what the embedded model wrote during an eval run, then replay it: the guard and the
fallbacks can be changed and re-measured on the same drafts in a minute instead of a 20-minute
model run (and without llama-server's run-to-run noise).

    # once, with the model (writes the eval report too):
    .venv/bin/python bench/guard_replay.py record --golden eval/dev/tune/questions.jsonl \
        --corpus-dir eval/dev/tune/corpus --index-dir /tmp/idx-tune --calls /tmp/tune-calls.jsonl \
        --json-out /tmp/tune-embedded.json
    # after changing the guard (same index, same retrieval and prompts):
    .venv/bin/python bench/guard_replay.py replay --golden ... --corpus-dir ... --index-dir ... \
        --calls /tmp/tune-calls.jsonl --json-out /tmp/tune-replayed.json

Calls are keyed by their messages and options. A replayed call whose prompt was never recorded (the
change reached retrieval, the evidence or a prompt) fails like a backend that is down, and is counted:
the report is exact only when ``misses`` is 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common  # noqa: E402,F401  (environment for offline runs)
from bot.answer import build_assistant  # noqa: E402
from bot.evaluation import load_golden, run_eval  # noqa: E402
from bot.models import load_models  # noqa: E402
from bot.settings import Settings  # noqa: E402


def call_key(messages, kwargs: dict) -> str:
    shown = [(getattr(m, "type", ""), str(getattr(m, "content", m))) for m in messages]
    return hashlib.sha256(json.dumps([shown, sorted(kwargs.items())], ensure_ascii=False).encode()).hexdigest()


@dataclasses.dataclass
class _Message:
    content: str


class Recorder:
    """The chat model as the assistant uses it (``stream`` and ``invoke``), every output kept."""

    def __init__(self, inner, calls: dict[str, str]):
        self.inner, self.calls = inner, calls

    def stream(self, messages, **kwargs):
        out = ""
        try:
            for chunk in self.inner.stream(messages, **kwargs):
                out += str(chunk.content)
                yield chunk
        finally:  # also what was written before the assistant stopped reading (a loop, a timeout)
            self.calls[call_key(messages, kwargs)] = out

    def invoke(self, messages, **kwargs):
        result = self.inner.invoke(messages, **kwargs)
        self.calls[call_key(messages, kwargs)] = str(result.content)
        return result


class Replayer:
    """Gives back what was recorded for the same call; an unknown call fails as a dead backend would.
    The drafts (streamed calls: the answers) are kept by the item they were written for."""

    def __init__(self, calls: dict[str, str]):
        self.calls, self.misses, self.item, self.drafts = calls, 0, None, {}

    def _recorded(self, messages, kwargs) -> str:
        key = call_key(messages, kwargs)
        if key not in self.calls:
            self.misses += 1
            raise ConnectionError("this call was not recorded")
        return self.calls[key]

    def stream(self, messages, **kwargs):
        text = self._recorded(messages, kwargs)
        self.drafts[self.item] = text
        for i in range(0, len(text), 4):  # a few characters at a time, as a server streams
            yield _Message(text[i : i + 4])

    def invoke(self, messages, **kwargs):
        return _Message(self._recorded(messages, kwargs))


class _PerItem:
    """The assistant, telling the replayer which item each question is."""

    def __init__(self, assistant, chat: Replayer):
        self._assistant, self._chat = assistant, chat

    def ask(self, question, history=None, options=None, id=None):
        self._chat.item = id
        return self._assistant.ask(question, history=history, options=options, id=id)

    def __getattr__(self, name):
        return getattr(self._assistant, name)


def guard_table(items, report, drafts: dict) -> str:
    """How the guard treated the model's drafts: accepted or not, against whether the draft holds
    the fact (scored as a written answer is)."""
    from bot.evaluation import answer_correct
    from bot.schema import Answer

    by_id = {r.id: r for r in report.results}
    counts: dict[tuple[bool, bool], int] = {}
    for item in items:
        if item.id not in drafts or not item.answerable:
            continue
        right = answer_correct(item, Answer(question=item.question, language="", answer=drafts[item.id],
                                            grounded=True, path="model"))
        accepted = by_id[item.id].path == "model"
        counts[(right, accepted)] = counts.get((right, accepted), 0) + 1
    rows = ["| draft | accepted | rejected |", "|---|---|---|"]
    for right in (True, False):
        rows.append(f"| {'holds the fact' if right else 'does not'} | {counts.get((right, True), 0)} | "
                    f"{counts.get((right, False), 0)} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["record", "replay"])
    parser.add_argument("--golden", type=Path, required=True)
    parser.add_argument("--corpus-dir", type=Path)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--calls", type=Path, required=True, help="JSONL of recorded calls (written by record)")
    parser.add_argument("--json-out", type=Path, required=True)
    args = parser.parse_args()

    overrides = {"index_dir": args.index_dir, "chat_backend": "embedded" if args.mode == "record" else "extractive"}
    if args.corpus_dir:
        overrides["corpus_dir"] = args.corpus_dir
    settings = Settings(**overrides)
    models = load_models(settings)
    try:
        assistant = build_assistant(settings, models)
        if args.mode == "record":
            if assistant.chat is None:
                raise SystemExit(f"no model to record: {'; '.join(assistant.warnings)}")
            calls: dict[str, str] = {}
            chat = Recorder(assistant.chat, calls)
        else:
            calls = {}
            for line in args.calls.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                calls[row["key"]] = row["output"]
            chat = Replayer(calls)
        description = f"{assistant.chat_description} ({args.mode}ed: {args.calls})"
        assistant = dataclasses.replace(assistant, chat=chat, chat_description=description)
        items = load_golden(args.golden)
        report = run_eval(assistant if args.mode == "record" else _PerItem(assistant, chat), items)
    finally:
        models.close()
    out = json.loads(report.to_json())
    if args.mode == "record":
        with args.calls.open("w", encoding="utf-8") as f:
            for key, output in calls.items():
                f.write(json.dumps({"key": key, "output": output}, ensure_ascii=False) + "\n")
    else:
        out["meta"]["replay_misses"] = chat.misses
        out["drafts"] = chat.drafts
    args.json_out.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    overall = report.overall
    print(json.dumps({k: overall.get(k) for k in ("answer_accuracy", "wrong_answer_rate", "text_language_match",
                                                   "decline_recall", "false_decline_rate", "paths")}, ensure_ascii=False))
    if args.mode == "replay":
        print(f"replay misses: {chat.misses}")
        print(guard_table(items, report, chat.drafts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
