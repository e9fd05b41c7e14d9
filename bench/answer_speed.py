"""Answer speed with the embedded model: our chain vs bare llama.cpp on identical prompts, and a
sweep of ``prompt_sentences`` (how many question-closest sentences the generator reads).

Three measurements on 12 answerable questions (2 each in en, zh, ru, ar, fr, es):

1. The chain. ``Assistant`` over the active index (or, when index/ is missing or stale, a
   fresh one in a temp dir, loaded exactly as ``Assistant.load`` does), embedded
   Qwen2.5-Coder-1.5B. For each question ``assistant.stream(q)`` is run to the end:
     TTFT      time to the first *shown* text (first "token" event; streaming releases text
               sentence by sentence, only once a sentence passes verification)
     total     time to the final answer
     path      model / model_retry / extractive_fallback / declined / refused
     fact      the question's key fact (a number, year, name or address that any correct
               answer in any language must contain; digits normalised) is in the answer
     cited     the question's evidence substring (bench/questions.py) is in a cited passage
     in prompt the evidence substring was in the prompt's excerpts (compression kept it)
   Peak RSS (ru_maxrss) after loading both models and after the runs.

2. Bare llama.cpp on identical prompts. ``assistant.chat.stream`` is wrapped to record the
   exact messages of every generation call (converted by the chat model's own ``_payload``),
   and each is replayed right after its question (interleaved, so both see the same machine
   load) with ``llm.create_chat_completion(..., stream=True)``. Before each replay the KV cache
   is truncated to the prefix it shared with the state our call started from, so the replay
   re-uses exactly as much cached prompt as our call could (without this the replay would find
   its whole prompt cached and skip prompt evaluation). overhead = (our total - sum of bare
   times of the same calls) / sum of bare times. Sampling (temperature 0.1) can make the bare
   replay generate a different number of tokens, so a token-adjusted overhead is also given:
   bare time re-estimated as bare prompt time + our generated tokens x bare decode time/token.

3. Sweep of prompt_sentences (2, 3, 4, 6): TTFT/total p50 and p95, prompt tokens, and the share
   of answers that are generated (path model/model_retry) AND contain the fact, per second of
   median total time. The default (4) is the run of 1; the other values run right after it, question
   by question in rotating order (so all see the same load), each from the KV cache the previous
   question left (not the same question's prompt at another setting, which would be cached).

Where the time goes comes from a thin wrapper on ``llm.generate`` (llama.cpp's token loop):
prompt tokens, tokens found in the KV cache, prompt-eval time (call to first sampled token) and
decode rate; and from ``answer.timings_ms`` (language / rewrite / retrieval / first_token).

Run: cd /work/main && HF_HUB_OFFLINE=1 OMP_WAIT_POLICY=PASSIVE .venv/bin/python bench/answer_speed.py
     [--sweep 2,3,4,6] [--no-sweep] [--no-append] [--limit N]
"""

from __future__ import annotations

import json
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import ANSWERABLE, append_results, md_table  # noqa: E402
from bot.answer import Assistant  # noqa: E402
from bot.settings import Settings  # noqa: E402

import numpy as np  # noqa: E402

# (question, key fact): the key fact is the part of the evidence any correct answer must state,
# whatever its language (a name stays in Latin script because verification demands it).
QUESTIONS = [
    ("Who signed the agreement on behalf of UNESCO?", "Schlegel"),
    ("How many foreign curators attended the first symposium?", "44"),
    ("中国自然科学博物馆协会和联合国教科文组织的合作协议是哪天签署的？", "24"),
    ("研讨会之后一共签署了多少项双边合作协议？", "16"),
    ("Когда состоялся первый симпозиум BRISMIS?", "2017"),
    ("Какой адрес электронной почты у секретариата BRISMIS?", "secretariat@brismis.org"),
    ("متى تم توقيع خطاب الاتفاق بين الجمعية الصينية لمتاحف العلوم الطبيعية واليونسكو؟", "24"),
    ("كم عدد أمناء المتاحف الأجانب الذين شاركوا في الندوة الأولى؟", "44"),
    ("Quand le premier symposium BRISMIS a-t-il eu lieu ?", "2017"),
    ("Qui a signé l'accord au nom de l'UNESCO ?", "Schlegel"),
    ("¿Quién firmó el acuerdo en nombre de la CANSM?", "Cheng Donghong"),
    ("¿Cuántos conservadores chinos asistieron al primer simposio?", "140"),
]
TARGETS = {"ttft_p50": 2.5, "total_p50": 8.0, "total_p95": 15.0, "overhead": 0.10, "rss_gb": 3.0}
SWEEP = (2, 3, 4, 6)
GENERATED = ("model", "model_retry")

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９", "0123456789" * 3)


def has_fact(text: str, fact: str) -> bool:
    text = text.translate(_DIGITS)
    if fact.isdigit():
        return re.search(rf"(?<!\d){fact}(?!\d)", text) is not None
    return fact.lower() in text.lower()


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu_seconds() -> float:
    """CPU time of this process (user + system); ÷ wall time = cores it actually got (≤ 2 here)."""
    t = os.times()
    return t.user + t.system


def maxrss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB on Linux


def pct(xs, q) -> float:
    return float(np.percentile(xs, q)) if len(xs) else float("nan")


def lcp(a, b) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


# ---------------------------------------------------------------- instrumentation


class GenLog:
    """Wraps ``llm.generate`` (llama.cpp's prompt-eval + sampling loop) to time it."""

    def __init__(self, llm):
        self.llm, self.records = llm, []
        original = llm.generate

        def generate(tokens, *args, **kwargs):
            tokens = list(tokens)
            cached = lcp(llm._input_ids.tolist(), tokens)
            rec = {"prompt": len(tokens), "cached": min(cached, len(tokens) - 1), "n": 0,
                   "t0": time.perf_counter(), "t_first": None, "t_last": None}
            self.records.append(rec)
            for tok in original(tokens, *args, **kwargs):
                now = time.perf_counter()
                rec["t_first"] = rec["t_first"] or now
                rec["t_last"] = now
                rec["n"] += 1
                yield tok

        llm.generate = generate  # instance attribute: only this Llama, only this process

    def take(self) -> list[dict]:
        out, self.records = self.records, []
        for r in out:
            r["eval"] = r["prompt"] - r["cached"]
            r["prompt_s"] = (r["t_first"] or r["t0"]) - r["t0"]
            r["decode_s"] = (r["t_last"] - r["t_first"]) if r["t_first"] else 0.0
        return out


class CallLog:
    """Wraps ``assistant.chat.stream`` to record each generation call's exact messages."""

    def __init__(self, chat):
        self.chat, self.calls = chat, []
        original = chat.stream

        def stream(messages, *args, **kwargs):
            call = {"messages": chat._payload(messages, kwargs.get("stop"))["messages"],
                    "state": chat.llm._input_ids.tolist(), "t0": time.perf_counter(), "t_first": None}
            self.calls.append(call)
            call["text"] = ""
            for chunk in original(messages, *args, **kwargs):
                call["t_first"] = call["t_first"] or time.perf_counter()
                call["text"] += str(chunk.content)
                yield chunk
            call["t_end"] = time.perf_counter()

        object.__setattr__(chat, "stream", stream)

    def take(self) -> list[dict]:
        out, self.calls = self.calls, []
        return out


# ---------------------------------------------------------------- runs


def run_chain(assistant, question: str, fact: str, evidence: str, calls: CallLog, gens: GenLog) -> dict:
    t0, cpu0 = time.perf_counter(), cpu_seconds()
    ttft, answer = None, None
    for event in assistant.stream(question):
        if event["type"] == "token" and ttft is None:
            ttft = time.perf_counter() - t0
        if event["type"] == "final":
            answer = event["answer"]
    total, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    recorded, gen = calls.take(), gens.take()
    first_user = next((m["content"] for m in recorded[0]["messages"] if m["role"] == "user"), "") if recorded else ""
    return {
        "q": question, "lang": answer.language, "fact": fact, "ttft": ttft, "total": total, "cpu": cpu,
        "path": answer.path, "has_fact": has_fact(answer.answer, fact),
        "cited": any(evidence in c.text for c in answer.citations),
        "in_prompt": evidence in first_user if recorded else None,
        "answer": answer.answer, "rejected": answer.rejected, "timings": answer.timings_ms,
        "calls": recorded, "gen": gen, "t0": t0,
        "pre_llm": (recorded[0]["t0"] - t0) if recorded else None,
        "model_first": (recorded[0]["t_first"] - t0) if recorded and recorded[0]["t_first"] else None,
    }


def forget(llm, state: list[int]) -> None:
    """Truncate the KV cache to the prefix it shares with ``state`` (an earlier ``_input_ids``), so
    the next generation re-uses exactly as much cached prompt as it could have from ``state``."""
    keep = lcp(llm._input_ids.tolist(), state)
    if keep < llm.n_tokens:
        llm.n_tokens = keep
        llm._requires_eval = True


def replay_bare(llm, settings: Settings, calls: list[dict], gens: GenLog) -> list[dict]:
    out = []
    for call in calls:
        forget(llm, call["state"])  # give the replay the cache our call had
        t0 = time.perf_counter()
        ttft, text = None, ""
        for part in llm.create_chat_completion(messages=call["messages"], max_tokens=settings.llm_max_tokens,
                                               temperature=settings.llm_temperature, stream=True):
            delta = part["choices"][0].get("delta", {}).get("content")
            if delta:
                ttft = ttft or time.perf_counter() - t0
                text += delta
        total = time.perf_counter() - t0
        (gen,) = gens.take()
        out.append({"ttft": ttft, "total": total, "gen": gen, "text": text})
    return out


def open_assistant(settings: Settings):
    """``Assistant.load(settings)`` over index/ when it is current; otherwise the same steps over
    a fresh index in a temp dir (one embedding model either way, so RSS is what serving uses)."""
    from bot.corpus import load_corpus
    from bot.index import fingerprint

    corpus = load_corpus(settings.corpus_dir)
    current = settings.index_dir / "CURRENT"
    if current.exists():
        manifest = settings.index_dir / current.read_text().strip() / "manifest.json"
        if manifest.exists():
            m = json.loads(manifest.read_text())
            if m.get("fingerprint") == fingerprint(settings) and m.get("documents") == {
                    d.doc_id: d.content_hash for d in corpus.documents}:
                return Assistant.load(settings), f"index/ ({m.get('chunks')} chunks, current)", None
    from bot.models.chat import load_chat_model
    from bot.models.embeddings import load_embeddings
    from bot.index import build_index
    from bot.retrieval import open_retriever

    tmp = tempfile.TemporaryDirectory(prefix="brismis-bench-")
    settings = settings.model_copy(update={"index_dir": Path(tmp.name)})
    emb = load_embeddings(settings)
    summary = build_index(settings, corpus, lambda: emb, rebuild=True)
    loaded = load_chat_model(settings)
    assistant = Assistant(open_retriever(settings, emb), settings, loaded.model, loaded.description)
    assistant.warm_up()
    return assistant, f"fresh temp index ({summary.chunks_total} chunks; index/ missing or stale)", tmp


def select_questions():
    evidence = {q: (lang, ev) for q, lang, ev in ANSWERABLE}
    missing = [q for q, _ in QUESTIONS if q not in evidence]
    if missing:
        raise SystemExit(f"not in bench/questions.py ANSWERABLE: {missing}")
    return [(q, evidence[q][0], fact, evidence[q][1]) for q, fact in QUESTIONS]


# ---------------------------------------------------------------- report


def f1(x, unit=""):
    return "–" if x is None else f"{x:.1f}{unit}" if isinstance(x, float) else str(x)


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def per_language(rows) -> str:
    langs = list(dict.fromkeys(r["lang"] for r in rows))
    return ", ".join(f"{lang} {sum(r['lang'] == lang for r in rows)}" for lang in langs)


def paths(rows) -> str:
    names = sorted({r["path"] for r in rows})
    return ", ".join(f"{p} {sum(r['path'] == p for r in rows)}" for p in names)


def summarize(rows) -> dict:
    ttft = [r["ttft"] for r in rows]
    total = [r["total"] for r in rows]
    first = [r["gen"][0] for r in rows if r["gen"]]
    good = sum(r["path"] in GENERATED and r["has_fact"] for r in rows) / len(rows)
    return {
        "ttft_p50": pct(ttft, 50), "ttft_p95": pct(ttft, 95), "total_p50": pct(total, 50), "total_p95": pct(total, 95),
        "prompt_tok": float(np.mean([g["prompt"] for g in first])) if first else 0.0,
        "eval_tok": float(np.mean([g["eval"] for g in first])) if first else 0.0,
        "calls": sum(len(r["gen"]) for r in rows) / len(rows),
        "generated": sum(r["path"] in GENERATED for r in rows) / len(rows),
        "fact": sum(r["has_fact"] for r in rows) / len(rows),
        "in_prompt": sum(bool(r["in_prompt"]) for r in rows) / len(rows),
        "good": good, "good_per_s": good / pct(total, 50),
        "cpu_p50": pct([r["cpu"] for r in rows], 50), "cores": sum(r["cpu"] for r in rows) / sum(total),
    }


def main() -> None:
    args = sys.argv[1:]
    sweep = () if "--no-sweep" in args else SWEEP
    if "--sweep" in args:
        sweep = tuple(int(x) for x in args[args.index("--sweep") + 1].split(","))
    started, load_start = time.perf_counter(), loadavg()
    questions = select_questions()
    if "--limit" in args:  # a smoke test; the recorded runs use all 12
        questions = questions[: int(args[args.index("--limit") + 1])]
    base = Settings()
    print(f"load average at start: {load_start}", flush=True)

    t = time.perf_counter()
    assistant, index_note, _tmp = open_assistant(base)
    load_s = time.perf_counter() - t
    if assistant.chat is None or assistant.settings.chat_backend != "embedded":
        raise SystemExit(f"the embedded model did not load: {assistant.warnings}")
    rss_loaded = maxrss_gb()
    llm = assistant.chat.llm
    gens, calls = GenLog(llm), CallLog(assistant.chat)
    print(f"loaded in {load_s:.1f}s ({index_note}); peak RSS {rss_loaded:.2f} GB", flush=True)

    # ---- 1 + 2 + 3, question by question so every variant sees the same machine load:
    # the chain at the default setting, its bare replays, then the other prompt_sentences values
    default_n = base.prompt_sentences
    others = [n for n in sweep if n != default_n]
    variants = {n: Assistant(assistant.retriever, base.model_copy(update={"prompt_sentences": n}),
                             chat=assistant.chat, chat_description=assistant.chat_description) for n in others}
    main_load = [loadavg()]
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    rows, sweep_rows = [], {n: [] for n in others}
    for i, (q, lang, fact, ev) in enumerate(questions):
        before = llm._input_ids.tolist()  # the KV cache a new question meets: the previous question's
        r = run_chain(assistant, q, fact, ev, calls, gens)
        r["bare"] = replay_bare(llm, assistant.settings, r["calls"], gens)
        rows.append(r)
        bare = sum(b["total"] for b in r["bare"])
        print(f"[{lang}] ttft {f1(r['ttft'])}s total {r['total']:.1f}s bare {bare:.1f}s "
              f"calls {len(r['calls'])} {r['path']} fact={r['has_fact']} cited={r['cited']}  {q[:50]}", flush=True)
        for n in others[i % len(others):] + others[: i % len(others)] if others else []:  # rotate the order
            forget(llm, before)  # no help from the same question's prompt at another setting
            r = run_chain(variants[n], q, fact, ev, calls, gens)
            sweep_rows[n].append(r)
            print(f"  n={n} [{lang}] ttft {f1(r['ttft'])}s total {r['total']:.1f}s {r['path']} fact={r['has_fact']}",
                  flush=True)
    main_load.append(loadavg())
    main_load.append((cpu_seconds() - cpu0) / (time.perf_counter() - wall0))
    rss_run = maxrss_gb()
    if sweep:
        sweep_rows[default_n] = rows
    sweep_rows = {n: sweep_rows[n] for n in sweep}
    rss_end = maxrss_gb()
    wall = time.perf_counter() - started
    load_end = loadavg()
    print(f"load average at end: {load_end}; wall {wall:.0f}s", flush=True)

    report(questions, rows, sweep_rows, main_load, load_start, load_end, index_note, load_s,
           rss_loaded, rss_run, rss_end, wall, base, args)


def report(questions, rows, sweep_rows, main_load, load_start, load_end, index_note, load_s,
           rss_loaded, rss_run, rss_end, wall, base, args) -> None:
    out = []
    s = summarize(rows)
    our_total = sum(r["total"] for r in rows)
    bare_total = sum(b["total"] for r in rows for b in r["bare"])
    overhead = (our_total - bare_total) / bare_total

    def bare_adjusted(r):  # bare time if it had generated as many tokens as our call did
        t = 0.0
        for b, g in zip(r["bare"], r["gen"]):
            per_tok = b["gen"]["decode_s"] / max(b["gen"]["n"] - 1, 1)
            t += b["total"] - b["gen"]["decode_s"] + per_tok * max(g["n"] - 1, 0)
        return t

    bare_adj = sum(bare_adjusted(r) for r in rows)
    overhead_adj = (our_total - bare_adj) / bare_adj
    all_gen = [g for r in rows for g in r["gen"]]
    prompt_rate = sum(g["eval"] for g in all_gen) / sum(g["prompt_s"] for g in all_gen)
    decode_rate = sum(g["n"] - 1 for g in all_gen) / sum(g["decode_s"] for g in all_gen)
    bare_ttft = [r["bare"][0]["ttft"] for r in rows if r["bare"] and r["bare"][0]["ttft"]]
    bare_gen = [b["gen"] for r in rows for b in r["bare"]]
    bare_prompt_rate = sum(g["eval"] for g in bare_gen) / max(sum(g["prompt_s"] for g in bare_gen), 1e-9)
    bare_decode_rate = sum(g["n"] - 1 for g in bare_gen) / max(sum(g["decode_s"] for g in bare_gen), 1e-9)

    out.append(
        f"Embedded Qwen2.5-Coder-1.5B-Instruct Q4_K_M via llama-cpp-python "
        f"(n_threads {base.llm_threads}, n_ctx {base.llm_context}, n_batch 256, max_tokens {base.llm_max_tokens}, "
        f"temperature {base.llm_temperature}); prompt_passages {base.prompt_passages}, prompt_sentences "
        f"{base.prompt_sentences} (default); {len(rows)} answerable questions "
        f"({per_language(rows)}); "
        f"index: {index_note}. Load (embedding model + GGUF + warm-up) {load_s:.1f} s. Whole script {wall:.0f} s.\n\n"
        f"- load average (1/5/15 min): start {load_start}; chain+bare phase {main_load[0]} → {main_load[1]}; "
        f"end {load_end}. This process's CPU time ÷ wall time in the chain+bare phase: {main_load[2]:.2f} "
        f"(llama.cpp runs {base.llm_threads} threads; ~2 means it had the cores to itself)\n"
        f"- peak RSS (ru_maxrss): {rss_loaded:.2f} GB after loading both models, {rss_run:.2f} GB after the "
        f"chain+bare run, {rss_end:.2f} GB at the end\n"
    )
    out.append(
        "TTFT = first shown text (the first verified sentence); model 1st = first chunk from the model; "
        "fact = key fact in the answer (digits normalised); cited = evidence substring in a cited passage; "
        "in prompt = evidence substring in the compressed excerpts; prompt/eval tok = prompt tokens of the first "
        "call / of them not found in the KV cache; bare = the same calls replayed on bare llama.cpp.\n"
    )
    table = []
    for r in rows:
        bare = sum(b["total"] for b in r["bare"])
        g0 = r["gen"][0] if r["gen"] else None
        table.append([
            r["lang"], r["q"][:48], r["fact"], f1(r["ttft"]), f1(r["model_first"]), f1(r["total"]),
            f1(r["pre_llm"]), f"{g0['prompt']}/{g0['eval']}" if g0 else "–",
            "+".join(str(g["n"]) for g in r["gen"]) or "–", f1(bare),
            "+".join(str(b["gen"]["n"]) for b in r["bare"]) or "–",
            f"{(r['total'] - bare) / bare:+.0%}" if bare else "–",
            r["path"], "yes" if r["has_fact"] else "no", "yes" if r["cited"] else "no",
            "yes" if r["in_prompt"] else ("no" if r["in_prompt"] is not None else "–"),
        ])
    out.append(md_table(["lang", "question", "fact", "TTFT s", "model 1st s", "total s", "pre-LLM s",
                         "prompt/eval tok", "gen tok", "bare s", "bare tok", "overhead", "path", "fact",
                         "cited", "in prompt"], table))
    out.append("\nThe answers (default setting):\n\n" + "\n".join(
        f"- [{r['lang']}] {r['path']}: " + one_line(r["answer"])[:200] for r in rows) + "\n")

    ratio = lambda v, k: f"{v / TARGETS[k]:.2f}"  # noqa: E731
    ok = lambda v, k: "yes" if v <= TARGETS[k] else "**no**"  # noqa: E731
    reached = [r for r in rows if r["calls"]]
    sr = summarize(reached) if reached else s
    figs = [
        ("TTFT p50 (s)", s["ttft_p50"], sr["ttft_p50"], "ttft_p50"),
        ("total p50 (s)", s["total_p50"], sr["total_p50"], "total_p50"),
        ("total p95 (s)", s["total_p95"], sr["total_p95"], "total_p95"),
        ("overhead vs bare", overhead, None, "overhead"),
        ("overhead vs bare, token-adjusted", overhead_adj, None, "overhead"),
        ("peak RSS (GB)", rss_end, None, "rss_gb"),
    ]
    fmt = lambda n, v: "–" if v is None else f"{v:+.3f}" if "overhead" in n else f"{v:.2f}"  # noqa: E731
    out.append(f"\nAgainst the targets (ratio = figure / target; ≤ 1 meets it). 'all' = the {len(rows)} questions "
               f"as visitors get them; 'reached model' = the {len(reached)} not declined by the relevance gate "
               "(a decline answers in ~0 s and pulls the medians down):\n")
    out.append(md_table(
        ["figure", "all", "reached model", "target", "ratio (all)", "ratio (reached)", "met (reached)"],
        [[n, fmt(n, v), fmt(n, vr), f"{TARGETS[k]:g}", ratio(v, k), "–" if vr is None else ratio(vr, k),
          ok(v if vr is None else vr, k)] for n, v, vr, k in figs]))
    out.append(
        f"\nAlso: TTFT p95 {s['ttft_p95']:.1f} s; bare first-call TTFT p50 {pct(bare_ttft, 50):.1f} s; "
        f"sum of our totals {our_total:.1f} s vs bare {bare_total:.1f} s (token-adjusted {bare_adj:.1f} s); "
        f"paths: {paths(rows)}; "
        f"fact in answer {s['fact']:.2f}, generated+fact {s['good']:.2f}.\n"
    )

    # where the time goes
    n = len(rows)
    pre = sum(r["pre_llm"] or 0 for r in rows) / n
    p_eval = sum(g["prompt_s"] for r in rows for g in r["gen"]) / n
    dec = sum(g["decode_s"] for r in rows for g in r["gen"]) / n
    call_s = sum(c["t_end"] - c["t0"] for r in rows for c in r["calls"] if "t_end" in c) / n
    rest = sum(r["total"] for r in rows) / n - pre - call_s
    llm_in_call = p_eval + dec
    retry_s = sum(c["t_end"] - c["t0"] for r in rows for c in r["calls"][1:] if "t_end" in c) / n
    first_sentence = [r["ttft"] - r["model_first"] for r in rows if r["ttft"] and r["model_first"]]
    out.append(
        "\nWhere the time goes (mean per question, chain run):\n\n"
        + md_table(["stage", "s", "share"], [
            ["before the first model call (language, retrieval, relevance gate, sentence compression)", f"{pre:.2f}",
             f"{pre / (our_total / n):.0%}"],
            [f"prompt evaluation (llama.cpp; {sum(g['eval'] for g in all_gen) / n:.0f} tok/question at "
             f"{prompt_rate:.0f} tok/s)", f"{p_eval:.2f}", f"{p_eval / (our_total / n):.0%}"],
            [f"decoding ({sum(g['n'] for g in all_gen) / n:.0f} tok/question at {decode_rate:.1f} tok/s)",
             f"{dec:.2f}", f"{dec / (our_total / n):.0%}"],
            ["in the chat stream but outside llama.cpp's token loop (template, langchain, streaming checks)",
             f"{call_s - llm_in_call:.2f}", f"{(call_s - llm_in_call) / (our_total / n):.0%}"],
            ["after generation (verification, attribution, fallback quoting)", f"{rest:.2f}",
             f"{rest / (our_total / n):.0%}"],
            ["(of all model calls: the second, stricter try)", f"{retry_s:.2f}", f"{retry_s / (our_total / n):.0%}"],
        ])
        + f"\n\nllama.cpp rates, chain vs bare replays: prompt eval {prompt_rate:.0f} vs {bare_prompt_rate:.0f} tok/s, "
        f"decode {decode_rate:.1f} vs {bare_decode_rate:.1f} tok/s (the chain's decode time includes its streaming "
        "checks, which run between tokens)."
        + f"\n\nTTFT decomposition (medians): pre-LLM {pct([r['pre_llm'] for r in rows if r['pre_llm']], 50):.2f} s, "
        f"first model chunk at {pct([r['model_first'] for r in rows if r['model_first']], 50):.2f} s, first shown "
        f"sentence {pct(first_sentence, 50):.2f} s after that. answer.timings_ms medians: "
        + ", ".join(f"{k} {pct([r['timings'][k] for r in rows if k in r['timings']], 50):.0f}"
                    for k in ("language", "rewrite", "retrieval", "first_token", "answer", "total"))
        + " ms.\n"
    )

    if len(sweep_rows) > 1:
        out.append(f"\nprompt_sentences sweep (same {n} questions, the settings interleaved question by question in "
                   "rotating order, each run starting from the KV cache the previous question left; good = path "
                   "model/model_retry AND fact in the answer; good/s = good ÷ total p50; prompt/eval tok = mean of "
                   "the first call; CPU s = this process's CPU seconds per answer, a load-independent measure of "
                   "the work; cores used = CPU ÷ wall):\n")
        srows = []
        for k in sorted(sweep_rows):
            m = summarize(sweep_rows[k])
            srows.append([
                f"{k}" + (" (default)" if k == base.prompt_sentences else ""), f"{m['prompt_tok']:.0f}",
                f"{m['eval_tok']:.0f}", f"{m['ttft_p50']:.1f}", f"{m['ttft_p95']:.1f}", f"{m['total_p50']:.1f}",
                f"{m['total_p95']:.1f}", f"{m['calls']:.2f}", f"{m['in_prompt']:.2f}", f"{m['generated']:.2f}",
                f"{m['fact']:.2f}", f"{m['good']:.2f}", f"{m['good_per_s']:.3f}", f"{m['cpu_p50']:.1f}",
                f"{m['cores']:.2f}",
            ])
        out.append(md_table(["prompt_sentences", "prompt tok", "eval tok", "TTFT p50", "TTFT p95", "total p50",
                             "total p95", "calls/q", "in prompt", "generated", "fact", "good", "good/s",
                             "CPU s p50", "cores used"], srows))
        out.append("\nPaths per setting: " + "; ".join(
f"{k}: {paths(sweep_rows[k])}" for k in sorted(sweep_rows)) + ".\n")

    rejected = [(r["lang"], r["q"][:40], x, c.get("text", "")) for r in rows for x, c in zip(r["rejected"], r["calls"])]
    if rejected:
        out.append("\nRejected drafts (default setting): why, and the model's text:\n\n" + "\n".join(
            f"- [{lang}] {q}: {x[:160]} — “{one_line(text)[:160]}”" for lang, q, x, text in rejected) + "\n")

    body = "\n".join(out)
    print("\n" + body)
    if "--no-append" not in args:
        append_results("Answer speed: chain vs bare llama.cpp, prompt_sentences sweep (bench/answer_speed.py)", body)


if __name__ == "__main__":
    main()
