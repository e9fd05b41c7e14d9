"""The embedded model's server: several answers decoded together, and n-gram speculative decoding.

    .venv/bin/python bench/model_serving.py [--prompts 12] [--slots 1,2,4] [--visitors 1,2,4,8]
                                            [--spec none,ngram-simple,ngram-mod] [--no-write]

The prompts are the chain's own: each golden question (six languages) is asked through the real
assistant with a recording chat model, which keeps the answer prompt the chain builds (passages,
question, language) and declines. They are then replayed against llama-server (bot/models/
embedded.py's command line) with the packaged Qwen2.5-Coder-1.5B:

* slots: ``--parallel N`` (continuous batching); for each N, V concurrent visitors (closed loop,
  each sends the next prompt when its answer is complete) until every prompt was answered twice;
  answers/s, p50/p95 seconds per answer, prompt and decode tokens/s from the server's timings.
  The baseline is N=1 (one answer at a time, as the in-process model was), in the same run.
* speculative: with 1 slot and 1 visitor, decode tokens/s and seconds per answer for each
  ``--spec-type`` (prompt-lookup / n-gram drafts: answers copy names and dates from the passages).

The system prompt is the same for every question, so the server's prompt cache keeps it: the
prompt tokens processed per answer (``prompt_n``) show what is reused. Results go to
bench/RESULTS.md with the machine, the date and the ratios to the same-run baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import append_results, md_table  # noqa: E402

import httpx  # noqa: E402
from langchain_core.language_models.fake_chat_models import FakeListChatModel  # noqa: E402

from bot.answer import build_assistant  # noqa: E402
from bot.evaluation import load_golden  # noqa: E402
from bot.models import Models  # noqa: E402
from bot.models.chat import gguf_location  # noqa: E402
from bot.models.embedded import start_model_process  # noqa: E402
from bot.models.embeddings import load_embeddings  # noqa: E402
from bot.prompts import NOT_IN_SOURCES  # noqa: E402
from bot.settings import Settings  # noqa: E402

LANGS = ("en", "zh", "ru", "ar", "fr", "es")


class Recorder(FakeListChatModel):
    """Keeps the messages of each generation call and declines (the chain then stops)."""

    seen: list = []

    def _call(self, messages, *a, **k):
        self.seen.append(messages)
        return NOT_IN_SOURCES

    def _stream(self, messages, *a, **k):
        from langchain_core.messages import AIMessageChunk
        from langchain_core.outputs import ChatGenerationChunk

        self.seen.append(messages)
        yield ChatGenerationChunk(message=AIMessageChunk(content=NOT_IN_SOURCES))


def chain_prompts(settings: Settings, n: int) -> list[list[dict]]:
    items = [i for i in load_golden(settings.golden_path) if i.kind == "fact" and i.language in LANGS]
    picked, per = [], max(1, n // len(LANGS))
    for lang in LANGS:
        picked += [i for i in items if i.language == lang][:per]
    recorder = Recorder(responses=["x"])
    recorder.seen = []
    assistant = build_assistant(settings, Models(embedder=load_embeddings(settings), chat=recorder))
    for item in picked[:n]:
        assistant.ask(item.question)
    roles = {"system": "system", "human": "user", "ai": "assistant"}
    return [[{"role": roles[m.type], "content": str(m.content)} for m in msgs] for msgs in recorder.seen]


def ask(process, messages, max_tokens: int) -> dict:
    t = time.perf_counter()
    r = httpx.post(f"{process.base_url}/chat/completions", timeout=600,
                   headers={"Authorization": f"Bearer {process.api_key}"},
                   json={"messages": messages, "max_tokens": max_tokens, "temperature": 0.1})
    r.raise_for_status()
    body = r.json()
    return {"seconds": time.perf_counter() - t, **{k: body.get("timings", {}).get(k, 0) for k in (
        "prompt_n", "prompt_per_second", "predicted_n", "predicted_per_second", "draft_n", "draft_n_accepted")}}


def load(process, prompts, visitors: int, rounds: int, max_tokens: int) -> dict:
    queue = [p for _ in range(rounds) for p in prompts]
    lock, results = threading.Lock(), []

    def visitor():
        while True:
            with lock:
                if not queue:
                    return
                messages = queue.pop(0)
            results.append(ask(process, messages, max_tokens))

    started = time.perf_counter()
    threads = [threading.Thread(target=visitor) for _ in range(visitors)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    secs = sorted(r["seconds"] for r in results)
    return {"answers_per_s": len(results) / wall, "p50": statistics.median(secs),
            "p95": secs[max(0, int(round(0.95 * len(secs))) - 1)],
            "prompt_tps": statistics.mean(r["prompt_per_second"] for r in results),
            "decode_tps": statistics.mean(r["predicted_per_second"] for r in results),
            "prompt_n": statistics.mean(r["prompt_n"] for r in results),
            "decoded": statistics.mean(r["predicted_n"] for r in results),
            "accepted": sum(r["draft_n_accepted"] for r in results) / max(1, sum(r["draft_n"] for r in results))}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prompts", type=int, default=12)
    parser.add_argument("--slots", default="1,2,4")
    parser.add_argument("--visitors", default="1,2,4,8")
    parser.add_argument("--spec", default="none,ngram-simple,ngram-mod")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=120)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    settings = Settings(chat_backend="extractive")
    prompts = chain_prompts(settings, args.prompts)
    gguf = gguf_location(Settings())
    print(f"{len(prompts)} chain prompts recorded", flush=True)
    rows, baseline = [], {}
    for slots in [int(s) for s in args.slots.split(",")]:
        process = start_model_process(Settings(llm_parallel=slots), gguf, parallel=slots, name=f"bench-{slots}")
        assert process.wait_ready(180), process.status()
        ask(process, prompts[0], 4)  # warm-up: caches the system prompt
        for visitors in [int(v) for v in args.visitors.split(",")]:
            m = load(process, prompts, visitors, args.rounds, args.max_tokens)
            if slots == 1:
                baseline[visitors] = m
            base = baseline.get(visitors)
            rows.append([slots, visitors, m["answers_per_s"], (m["answers_per_s"] / base["answers_per_s"]) if base else "—",
                         m["p50"], m["p95"], m["prompt_tps"], m["decode_tps"], m["prompt_n"], m["decoded"]])
            print(rows[-1], flush=True)
        process.stop()
    concurrency = md_table(["slots", "visitors", "answers/s", "× 1 slot", "p50 s", "p95 s", "prompt tok/s",
                            "decode tok/s", "prompt tokens computed", "tokens decoded"], rows)
    spec_rows = []
    for spec in args.spec.split(","):
        process = start_model_process(Settings(llm_parallel=1, llm_speculative=spec), gguf, parallel=1,
                                      name=f"bench-spec-{spec}")
        assert process.wait_ready(180), process.status()
        ask(process, prompts[0], 4)
        m = load(process, prompts, 1, args.rounds, args.max_tokens)
        spec_rows.append([spec, m["decode_tps"], m["p50"], m["p95"], m["accepted"] if spec != "none" else "—"])
        print(spec_rows[-1], flush=True)
        process.stop()
    speculative = md_table(["spec-type", "decode tok/s", "p50 s", "p95 s", "drafts accepted"], spec_rows)
    body = (f"{len(prompts)} answer prompts of the chain (golden fact questions in {', '.join(LANGS)}), each answered "
            f"{args.rounds} times, max {args.max_tokens} tokens, temperature 0.1; Qwen2.5-Coder-1.5B Q4_K_M, 2 threads.\n\n"
            f"Several answers at once (continuous batching; baseline: 1 slot, same run):\n\n{concurrency}\n\n"
            f"Speculative decoding (1 slot, 1 visitor):\n\n{speculative}\n")
    print(body)
    if not args.no_write:
        append_results("Model server: concurrent answers and speculative decoding (bench/model_serving.py)", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
