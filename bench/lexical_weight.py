"""Lexical (BM25) weight sweep at the default chunk size: English vs cross-lingual questions.

The hybrid retriever fuses dense and BM25 ranks by weighted reciprocal rank
(weight / (rrf_k + rank)). This measures, with dense_weight 1.0, lexical_weight in
(0, 0.25, 0.5, 1.0), plus the two pure rankers:
  dense-only    the Chroma ranking alone (retriever.dense)
  lexical-only  the BM25 ranking alone (retriever.lexical); passages BM25 gives no score to are
                not retrieved at all (so a question with no shared sub-word piece gets nothing)
lexical_weight 0 fuses to the dense ranking, so it must equal dense-only (a sanity check).
The claim to check: the lexical weight must not hurt cross-lingual questions.

Run: cd /work/main && .venv/bin/python bench/lexical_weight.py [--misses]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402
    ANSWERABLE,
    Outcome,
    append_results,
    load_everything,
    md_table,
    scores,
    temp_retriever,
)
from bot.settings import Settings  # noqa: E402

WEIGHTS = (0.0, 0.25, 0.5, 1.0)


def ranked_outcomes(r, rank_texts) -> list[Outcome]:
    out = []
    for q, lang, evidence in ANSWERABLE:
        texts = rank_texts(q)
        rank = next((i for i, t in enumerate(texts, 1) if evidence in t), None)
        out.append(Outcome(q, lang, evidence, rank, 0.0, []))
    return out


def main() -> None:
    show_misses = "--misses" in sys.argv[1:]
    corpus, emb = load_everything()
    default = Settings()
    langs = sorted({l for _, l, _ in ANSWERABLE}, key=lambda l: (l != "en", l))
    configs: list[tuple[str, list[Outcome]]] = []
    with temp_retriever(corpus, emb) as (settings, r):
        n = max(r.candidates, r.k)
        configs.append(("dense-only", ranked_outcomes(r, lambda q: [r.passages()[i].text for i, _ in r.dense(q, n)])))
        for w in WEIGHTS:
            r.dense_weight, r.lexical_weight = 1.0, w
            label = f"dense 1.0 + lexical {w:g}" + (" (default)" if w == default.lexical_weight else "")
            configs.append((label, ranked_outcomes(r, lambda q: [p.text for p in r.search(q)])))
        configs.append(("lexical-only", ranked_outcomes(r, lambda q: [r.passages()[i].text for i, _ in r.lexical(q, n)])))
        n_chunks = r.size

    rows, lang_rows = [], []
    for label, outs in configs:
        en = scores([o for o in outs if o.lang == "en"])
        xl = scores([o for o in outs if o.lang != "en"])
        allq = scores(outs)
        rows.append([label, en["hit1"], en["hit3"], en["mrr"], xl["hit1"], xl["hit3"], xl["mrr"],
                     allq["hit1"], allq["hit3"], allq["mrr"]])
        per = {l: scores([o for o in outs if o.lang == l]) for l in langs}
        lang_rows.append([label] + [f"{per[l]['hit1']:.2f}/{per[l]['mrr']:.2f}" for l in langs])
        print(f"{label}: en MRR {en['mrr']:.3f}, xl MRR {xl['mrr']:.3f}", flush=True)

    # question-level effect of the default weight against dense-only
    base = dict((o.question, o) for o in configs[0][1])
    chosen = next(outs for label, outs in configs if "(default)" in label)
    better = [o for o in chosen if (o.rank or 99) < (base[o.question].rank or 99)]
    worse = [o for o in chosen if (o.rank or 99) > (base[o.question].rank or 99)]

    def describe(o):
        b = base[o.question].rank
        return f"  - [{o.lang}] {o.question} (evidence {o.evidence!r}): rank {b} -> {o.rank}"

    n_en = sum(1 for _, l, _ in ANSWERABLE if l == "en")
    table = md_table(["ranking", "en hit1", "en hit3", "en MRR", "xl hit1", "xl hit3", "xl MRR",
                      "all hit1", "all hit3", "all MRR"], rows)
    lang_table = md_table(["ranking"] + langs, lang_rows)
    body = (
        f"chunk_tokens {default.chunk_tokens} ({n_chunks} chunks), candidates {default.candidates}, "
        f"rrf_k {default.rrf_k}; {n_en} English and {len(ANSWERABLE) - n_en} cross-lingual (xl) "
        f"answerable questions. One xl question is {100 / (len(ANSWERABLE) - n_en):.1f} points, "
        f"one en question {100 / n_en:.1f} points.\n\n{table}\n\n"
        f"hit@1/MRR per language:\n\n{lang_table}\n\n"
        f"Default lexical weight ({default.lexical_weight:g}) against dense-only, question by question: "
        f"{len(better)} ranked better, {len(worse)} ranked worse.\n"
        + "".join(describe(o) + "\n" for o in better + worse)
    )
    if show_misses:
        body += "\nMisses at hit@3 with the default weights:\n" + "".join(
            f"  - [{o.lang}] {o.question} (evidence {o.evidence!r}): rank {o.rank}\n"
            for o in chosen if not o.hit(3)
        )
    print()
    print(body)
    append_results("Lexical weight sweep (bench/lexical_weight.py)", body)


if __name__ == "__main__":
    main()
