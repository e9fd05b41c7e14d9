"""When should the bot decline? Scores that separate answerable from unanswerable questions.

For every question of bench/questions.py (answerable and unanswerable) at the default settings:
  top      the top dense score: max Passage.dense_score over retriever.search(q)
  margin   (the rule in use: Settings.decline_margin, bot/relevance.py)
           top minus the question's max cosine to ~40 short off-topic "anchor" passages
           (weather, cooking, sport, finance, travel, health, celebrities, tech support,
           visas/tickets/hotels/parking, in 12 languages) embedded with encode_passages
  margin-  the same with the visa/ticket/hotel/parking/fee anchors left out: those anchors share
           topics with the on-topic unanswerable questions, so this shows how much margin leans
           on them (all anchors and questions were written by the same person: expect optimism)
  norm     top minus the question's mean cosine to all chunks of the index
  z        (top - mean) / std over all chunks
"Decline" means score < threshold. Decline precision = unanswerable among declined; decline
recall = declined among unanswerable; false-decline rate = declined among answerable.
"best" picks the threshold with the best balanced accuracy ((recall + 1 - false-decline) / 2)
on all questions: optimistic. "LOLO" is honest(er): for each language the threshold is chosen on
the other 11 languages and applied to it; the pooled balanced accuracy is reported.

Run: cd /work/main && .venv/bin/python bench/decline_threshold.py
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from bench._common import append_results, load_everything, md_table, temp_retriever  # noqa: E402
from bench.questions import ANSWERABLE, LANGUAGES, UNANSWERABLE  # noqa: E402
from bot.settings import Settings  # noqa: E402

# (text, topic). Statements, not questions, and worded unlike the test questions.
from bot.relevance import ANCHORS  # noqa: E402  (the same anchors the assistant uses)


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """P(score of an answerable > score of an unanswerable), ties counting half."""
    diff = pos[:, None] - neg[None, :]
    return float(((diff > 0).sum() + 0.5 * (diff == 0).sum()) / diff.size)


def rates(score: np.ndarray, answerable: np.ndarray, t: float) -> dict:
    decline = score < t
    unans = ~answerable
    tp = int((decline & unans).sum())
    recall = tp / max(1, int(unans.sum()))
    false_decline = int((decline & answerable).sum()) / max(1, int(answerable.sum()))
    return {
        "precision": tp / int(decline.sum()) if decline.any() else float("nan"),
        "recall": recall,
        "false_decline": false_decline,
        "bacc": (recall + 1 - false_decline) / 2,
    }


def best_threshold(score: np.ndarray, answerable: np.ndarray) -> float:
    """The threshold with the best balanced accuracy (midpoints of sorted scores; ties go to
    the middle of the best run, which is less brittle than its first point)."""
    values = np.unique(score)
    cands = np.concatenate([[values[0] - 1e-6], (values[1:] + values[:-1]) / 2, [values[-1] + 1e-6]])
    baccs = np.array([rates(score, answerable, t)["bacc"] for t in cands])
    best = np.flatnonzero(baccs >= baccs.max() - 1e-12)
    return float(cands[best[len(best) // 2]])


def cautious_threshold(score: np.ndarray, answerable: np.ndarray, max_false_decline: float = 0.05) -> float:
    """The highest threshold that declines at most ``max_false_decline`` of the answerable."""
    a = np.sort(score[answerable])
    return float(a[int(np.floor(max_false_decline * len(a)))])


def lolo(score: np.ndarray, answerable: np.ndarray, langs: np.ndarray, choose=best_threshold) -> dict:
    """Leave one language out: each language's threshold is chosen on the other languages."""
    decline = np.zeros_like(answerable)
    for lang in LANGUAGES:
        held = langs == lang
        decline[held] = score[held] < choose(score[~held], answerable[~held])
    unans = ~answerable
    recall = float((decline & unans).sum() / unans.sum())
    fdr = float((decline & answerable).sum() / answerable.sum())
    return {"recall": recall, "false_decline": fdr, "bacc": (recall + 1 - fdr) / 2}


def main() -> None:
    corpus, emb = load_everything()
    default = Settings()
    questions = [(q, l, True, "answerable") for q, l, _ in ANSWERABLE] + [
        (q, l, False, kind) for q, l, kind in UNANSWERABLE
    ]
    texts = [q for q, *_ in questions]
    langs = np.array([l for _, l, _, _ in questions])
    answerable = np.array([a for _, _, a, _ in questions])
    kinds = np.array([k for *_, k in questions])

    with temp_retriever(corpus, emb) as (settings, r):
        top = []
        for q in texts:
            dense = [p.dense_score for p in r.search(q) if p.dense_score is not None]
            top.append(max(dense) if dense else 0.0)
        top = np.array(top)
        got = r.store.get(include=["embeddings", "metadatas"])
        chunk_vecs = np.array(got["embeddings"], dtype=np.float32)
        n_chunks = r.size

    qv = emb.encode_queries(texts)
    av = emb.encode_passages([a for a, _ in ANCHORS])
    sims = qv @ chunk_vecs.T
    # sanity: the store's cosine and ours agree (dense_score = 1 - Chroma cosine distance)
    assert np.allclose(sims.max(axis=1), top, atol=2e-3), np.abs(sims.max(axis=1) - top).max()
    anchor_sims = qv @ av.T
    logistics = np.array([topic == "logistics" for _, topic in ANCHORS])
    mean, std = sims.mean(axis=1), sims.std(axis=1)

    candidates = {
        "top (raw dense)": top,
        "margin (anchors)": top - anchor_sims.max(axis=1),
        "margin- (no logistics anchors)": top - anchor_sims[:, ~logistics].max(axis=1),
        "norm (top - mean over chunks)": top - mean,
        "z ((top - mean) / std)": (top - mean) / std,
    }

    # ---- distributions per language (top and the two alternatives the brief asked for)
    def dist(values):
        if len(values) == 0:
            return "-"
        return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}"

    dist_rows = []
    for lang in LANGUAGES:
        row = [lang]
        for name in ("top (raw dense)", "margin (anchors)", "norm (top - mean over chunks)"):
            s = candidates[name]
            a = s[(langs == lang) & answerable]
            u = s[(langs == lang) & ~answerable]
            row += [dist(list(a)), dist(list(u)), round(float(a.min() - u.max()), 3)]
        dist_rows.append(row)
    dist_table = md_table(
        ["lang",
         "top: ans min/med/max", "top: unans min/med/max", "top gap",
         "margin: ans", "margin: unans", "margin gap",
         "norm: ans", "norm: unans", "norm gap"],
        dist_rows,
    )

    # ---- summary per score
    summary_rows, cautious_rows, best = [], [], {}
    for name, s in candidates.items():
        t = best_threshold(s, answerable)
        m = rates(s, answerable, t)
        off = rates(s[kinds != "on-topic"], answerable[kinds != "on-topic"], t)["recall"]
        on = rates(s[kinds != "off-topic"], answerable[kinds != "off-topic"], t)["recall"]
        lo = lolo(s, answerable, langs)
        best[name] = (t, m)
        summary_rows.append([
            name, round(auc(s[answerable], s[~answerable]), 3), round(t, 4), m["bacc"],
            m["precision"], m["recall"], m["false_decline"], off, on, round(lo["bacc"], 3),
        ])
        tc = cautious_threshold(s, answerable)
        mc = rates(s, answerable, tc)
        lc = lolo(s, answerable, langs, cautious_threshold)
        cautious_rows.append([
            name, round(tc, 4), mc["precision"], mc["recall"], mc["false_decline"],
            rates(s[kinds != "on-topic"], answerable[kinds != "on-topic"], tc)["recall"],
            rates(s[kinds != "off-topic"], answerable[kinds != "off-topic"], tc)["recall"],
            round(lc["recall"], 3), round(lc["false_decline"], 3),
        ])
    summary = md_table(
        ["score", "AUC", "best threshold", "bal. acc", "decline prec", "decline recall",
         "false-decline", "recall off-topic", "recall on-topic", "LOLO bal. acc"],
        summary_rows,
    )
    cautious = md_table(
        ["score", "threshold", "decline prec", "decline recall", "false-decline",
         "recall off-topic", "recall on-topic", "LOLO recall", "LOLO false-decline"],
        cautious_rows,
    )

    # ---- sweeps
    def sweep(name, thresholds):
        s = candidates[name]
        rows = []
        for t in thresholds:
            m = rates(s, answerable, t)
            rows.append([f"{t:.3f}", m["precision"], m["recall"], m["false_decline"], m["bacc"]])
        return md_table([f"{name} < t", "decline prec", "decline recall", "false-decline", "bal. acc"], rows)

    raw_sweep = sweep("top (raw dense)", np.round(np.arange(0.76, 0.885, 0.01), 3))
    extra_sweeps = []
    for name in ("margin (anchors)", "norm (top - mean over chunks)"):
        t0 = best[name][0]
        extra_sweeps.append(sweep(name, np.round(t0 + np.arange(-0.04, 0.041, 0.01), 3)))

    # ---- the hardest cases at the current setting and at the best of each score
    def worst(name, k=6):
        s = candidates[name]
        order_u = np.argsort(-np.where(~answerable, s, -np.inf))[:k]
        order_a = np.argsort(np.where(answerable, s, np.inf))[:k]
        lines = [f"{name}: highest-scoring unanswerable:"]
        lines += [f"  - {s[i]:.3f} [{langs[i]}] {texts[i]}" for i in order_u]
        lines += [f"{name}: lowest-scoring answerable:"]
        lines += [f"  - {s[i]:.3f} [{langs[i]}] {texts[i]}" for i in order_a]
        return "\n".join(lines)

    cur = rates(candidates["margin (anchors)"], answerable, default.decline_margin)
    body = (
        f"chunk_tokens {default.chunk_tokens} ({n_chunks} chunks); {int(answerable.sum())} answerable and "
        f"{int((~answerable).sum())} unanswerable questions ({int((kinds == 'off-topic').sum())} off-topic, "
        f"{int((kinds == 'on-topic').sum())} on-topic but not in the announcement) in {len(LANGUAGES)} "
        f"languages; {len(ANCHORS)} anchors ({int(logistics.sum())} of them visa/ticket/hotel/parking/fee).\n\n"
        f"Rule in use (anchor margin < decline_margin {default.decline_margin}): decline precision "
        f"{cur['precision']:.3f}, recall {cur['recall']:.3f}, false-decline {cur['false_decline']:.3f}, "
        f"balanced accuracy {cur['bacc']:.3f}.\n\n"
        f"Which score separates the classes (decline when score < threshold; threshold = best "
        f"balanced accuracy on all questions, LOLO = chosen on the other languages):\n\n{summary}\n\n"
        f"A cautious operating point: the highest threshold that declines at most 5% of the "
        f"answerable questions (chosen on all questions; LOLO = chosen on the other languages):\n\n"
        f"{cautious}\n\n"
        f"Per language, min / median / max of each class, and gap = min(answerable) - "
        f"max(unanswerable) (> 0: one threshold separates that language perfectly):\n\n{dist_table}\n\n"
        f"Sweep of the raw top dense score:\n\n{raw_sweep}\n\n"
        + "\n\n".join(extra_sweeps)
        + "\n\n```\n" + worst("top (raw dense)") + "\n" + worst("margin (anchors)") + "\n"
        + worst("norm (top - mean over chunks)") + "\n```\n"
    )
    print(body)
    append_results("Decline threshold (bench/decline_threshold.py)", body)


if __name__ == "__main__":
    main()
