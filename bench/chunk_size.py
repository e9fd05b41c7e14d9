"""Chunk size sweep: retrieval quality, index size, latency and context size per chunk_tokens.

For each chunk_tokens a fresh index of corpus/ is built in a temp dir (same embedding model,
default retrieval settings otherwise), and the answerable questions of bench/questions.py are
asked. A hit@k means one of the first k fused passages contains the question's evidence string.

Columns:
  cover    share of questions whose evidence occurs whole in at least one chunk (the ceiling:
           small chunks can cut a long sentence, and with it the evidence, in two)
  ctx@3    mean tokens of the first 3 passages (the prompt a generator would get from top-3)
  hit3/kt  hit@3 per 1000 context tokens (accuracy per prompt token)
  ms       mean wall time of retriever.search (embedding the question + Chroma + BM25)

Run: cd /work/main && .venv/bin/python bench/chunk_size.py
"""

from __future__ import annotations

import sys
from math import comb
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402
    ANSWERABLE,
    append_results,
    load_everything,
    md_table,
    run_questions,
    scores,
    temp_retriever,
)
from bot.settings import Settings  # noqa: E402

SIZES = (96, 128, 160, 224, 320, 448)


def chance_hit(n: int, m: int, k: int) -> float:
    """hit@k of a random ranking of n chunks, m of which hold the evidence."""
    return 1.0 - comb(n - m, k) / comb(n, k) if n >= k else float(m > 0)


def main() -> None:
    corpus, emb = load_everything()
    default = Settings()
    rows, per_lang = [], {}
    langs = sorted({lang for _, lang, _ in ANSWERABLE}, key=lambda l: (l != "en", l))
    for size in SIZES:
        with temp_retriever(corpus, emb, chunk_tokens=size) as (settings, r):
            outcomes = run_questions(r)
            chunks = r.passages()
            covered = sum(any(e in c.text for c in chunks) for _, _, e in ANSWERABLE) / len(ANSWERABLE)
            chance3 = sum(chance_hit(len(chunks), sum(e in c.text for c in chunks), 3)
                          for _, _, e in ANSWERABLE) / len(ANSWERABLE)
            chunk_tokens = [emb.count_tokens(c.text) for c in chunks]
            ctx3 = [sum(emb.count_tokens(p.text) for p in o.passages[:3]) for o in outcomes]
        allq = scores(outcomes)
        en = scores([o for o in outcomes if o.lang == "en"])
        xl = scores([o for o in outcomes if o.lang != "en"])
        mean_ctx3 = sum(ctx3) / len(ctx3)
        rows.append([
            size, len(chunks), round(sum(chunk_tokens) / len(chunk_tokens), 1), round(covered, 3),
            allq["hit1"], allq["hit3"], chance3, allq["mrr"],
            en["hit1"], en["hit3"], en["mrr"],
            xl["hit1"], xl["hit3"], xl["mrr"],
            round(mean_ctx3, 1), 1000 * allq["hit3"] / mean_ctx3,
            round(1000 * sum(o.seconds for o in outcomes) / len(outcomes), 1),
        ])
        per_lang[size] = {l: scores([o for o in outcomes if o.lang == l]) for l in langs}
        print(f"chunk_tokens={size}: {len(chunks)} chunks, hit@3 {allq['hit3']:.3f}", flush=True)

    n_en = sum(1 for _, l, _ in ANSWERABLE if l == "en")
    headers = ["chunk_tokens", "chunks", "tok/chunk", "cover", "hit1", "hit3", "chance3", "MRR",
               "en hit1", "en hit3", "en MRR", "xl hit1", "xl hit3", "xl MRR",
               "ctx@3 tok", "hit3/ktok", "ms"]
    table = md_table(headers, rows)
    lang_table = md_table(
        ["chunk_tokens"] + [f"{l} (n={per_lang[SIZES[0]][l]['n']})" for l in langs],
        [[s] + [f"{per_lang[s][l]['hit1']:.2f}/{per_lang[s][l]['hit3']:.2f}" for l in langs] for s in SIZES],
    )
    body = (
        f"Corpus: {len(corpus.documents)} document(s); {len(ANSWERABLE)} answerable questions "
        f"({n_en} en, {len(ANSWERABLE) - n_en} cross-lingual 'xl' in 11 languages). "
        f"Retrieval at defaults (dense_weight {default.dense_weight}, lexical_weight "
        f"{default.lexical_weight}, candidates {default.candidates}, rrf_k {default.rrf_k}); "
        f"current default chunk_tokens = {default.chunk_tokens}.\n"
        "cover = share of evidence strings found whole in some chunk; chance3 = hit@3 of a random "
        "ranking (fewer, bigger chunks make hit@3 easy); ctx@3 tok = mean tokens of the top-3 "
        "passages; hit3/ktok = hit@3 per 1000 of those tokens; ms = mean search latency (wall time, "
        "noisy when another process shares the CPU). "
        f"One question is {100 / len(ANSWERABLE):.1f} points of hit@k overall, "
        f"{100 / (len(ANSWERABLE) - n_en):.1f} of xl, {100 / n_en:.1f} of en.\n\n"
        f"{table}\n\nhit@1/hit@3 per language:\n\n{lang_table}\n"
    )
    print()
    print(body)
    append_results("Chunk size sweep (bench/chunk_size.py)", body)


if __name__ == "__main__":
    main()
