"""How similar (e5 cosine) a visitor's question is to a staff-verified question of the same fact,
and to those of other facts: the threshold Settings.verified_match_min (bot/verified.py).

    .venv/bin/python bench/verified_threshold.py [--golden eval/golden.jsonl] [--results eval/RESULTS.md]

The golden set asks each fact of the announcements many ways: in up to 16 languages, paraphrased,
misspelt, mixed-language. Its answerable questions are grouped by their evidence (evidence strings
where one contains the other are one fact: "June 24" and "In the morning of June 24"). A verified
answer is written by staff, usually in English: each fact's English questions are its verified
questions ("anchors"; held out one at a time for the English positives). For every question:

* positive: its similarity to the closest anchor of its own fact;
* hardest negative: its similarity to the closest anchor of any other fact (a match there would
  give a wrong answer).

Follow-ups are measured on their standalone form, as the chain matches them (without a chat model:
the question, or the previous question with it, whichever retrieves better). Unanswerable questions
("When will BRISMIS 2025 be held?") and prompt injections count as negatives only: no verified
answer may take them. The same is printed for all pairs of questions (any language as the verified
question). The threshold is the smallest that keeps every negative out, rounded up to 0.005 with a
0.005 margin; the recall of positives at it is printed per language.
"""

from __future__ import annotations

import argparse
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import os  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot.evaluation import load_golden  # noqa: E402
from bot.settings import Settings  # noqa: E402

CANDIDATES = [0.80, 0.84, 0.86, 0.88, 0.90, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.985, 0.99]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def fact_groups(items) -> dict[str, str]:
    """evidence -> the fact's key: evidence strings where one holds the other are one fact."""
    evidences = sorted({i.evidence for i in items if i.evidence}, key=len)
    key: dict[str, str] = {}
    for e in evidences:
        shorter = [k for k in evidences if len(k) < len(e) and _norm(k) in _norm(e) and len(_norm(k)) >= 4]
        key[e] = key[shorter[-1]] if shorter else e
    return key


def standalone_forms(items, settings: Settings, embeddings) -> dict[str, str]:
    """The standalone question the extractive chain searches (and matches) for each follow-up."""
    from bot.answer import build_assistant
    from bot.corpus import load_corpus
    from bot.index import build_index
    from bot.models import Models
    from bot.retrieval import open_retriever
    from bot.schema import Turn

    out = {}
    with tempfile.TemporaryDirectory(prefix="brismis-verified-bench-") as tmp:
        local = settings.model_copy(update={"index_dir": Path(tmp)})
        build_index(local, load_corpus(local.corpus_dir), lambda: embeddings, rebuild=True)
        assistant = build_assistant(local, Models(embedder=embeddings), open_retriever(local, embeddings))
        for item in items:
            if item.history:
                history = [Turn.model_validate(t) for t in item.history]
                out[item.id] = assistant._standalone(item.question, history, None)
    return out


def measure(golden: Path, settings: Settings, raw: bool = False):
    from bot.models.embeddings import load_embeddings
    from bot.screening import targets_assistant

    items = load_golden(golden)
    emb = load_embeddings(settings)
    standalone = standalone_forms(items, settings, emb)
    facts = fact_groups([i for i in items if i.answerable])
    rows = []  # (id, language, kind, text, fact or None)
    for i in items:
        if i.must_refuse and targets_assistant(i.question):
            continue  # refused before any matching
        text = standalone.get(i.id, i.question)
        rows.append((i.id, i.language, i.kind, text, facts[i.evidence] if i.answerable else None))
    t0 = time.perf_counter()
    vectors = np.asarray(emb.encode_queries([r[3] for r in rows]))
    seconds = time.perf_counter() - t0
    sims = vectors @ vectors.T
    if not raw:  # as VerifiedIndex matches: only questions of the same kind and edition (bot.verified.signature)
        from bot.verified import signature

        sigs = [signature(r[3]) for r in rows]
        same = np.array([[a == b for b in sigs] for a in sigs])
        sims = np.where(same, sims, -1.0)
    anchors: dict[str, list[int]] = defaultdict(list)
    for n, r in enumerate(rows):
        if r[4] is not None and r[1] == "en" and r[2] == "fact":
            anchors[r[4]].append(n)
    per = []  # (language, kind, positive or None, hardest negative, id, text, best other fact)
    for n, r in enumerate(rows):
        own = [a for a in anchors.get(r[4], []) if a != n] if r[4] else []
        positive = max((sims[n, a] for a in own), default=None)
        negative, other = -1.0, None
        for fact, members in anchors.items():
            if fact == r[4]:
                continue
            s = max(sims[n, a] for a in members)
            if s > negative:
                negative, other = float(s), fact
        per.append((r[1], r[2], None if positive is None else float(positive), negative, r[0], r[3], other))
    # all pairs: any question as the verified one
    pos_pairs, neg_pairs = [], []
    for a in range(len(rows)):
        for b in range(a + 1, len(rows)):
            if rows[a][4] is not None and rows[a][4] == rows[b][4]:
                pos_pairs.append(float(sims[a, b]))
            elif rows[a][4] is not None or rows[b][4] is not None:
                neg_pairs.append(float(sims[a, b]))
    return {"rows": rows, "vectors": vectors, "per": per, "anchors": anchors, "pos_pairs": np.array(pos_pairs),
            "neg_pairs": np.array(neg_pairs), "seconds": seconds, "facts": facts}


def choose(per) -> float:
    """The smallest threshold above every hardest negative, with a 0.005 margin, rounded up to 0.005.
    Follow-ups are left out: without a chat model their "standalone" form is the previous question
    followed by this one, so it is as close to the previous question's verified answer as a repeat
    (reported separately; the chain must not match that form, see eval/RESULTS.md)."""
    worst = max(p[3] for p in per if p[1] != "followup")
    return round(float(np.ceil((worst + 0.005) / 0.005 - 1e-9)) * 0.005, 3)


def report(m, golden: Path) -> str:
    per, anchors = m["per"], m["anchors"]
    threshold = choose(per)
    lines = []
    facts_used = len(anchors)
    positives = [p for p in per if p[2] is not None]
    lines.append(f"{len(m['rows'])} questions of {golden.name} ({len(positives)} with an English verified question "
                 f"of their fact; {facts_used} facts with one); embedded in {m['seconds']:.1f} s.")
    lines.append("")
    lines.append("Per language: positives = similarity to the closest English verified question of the same fact; "
                 "negatives = to the closest of another fact (follow-ups on their standalone form; unanswerable "
                 "questions are negatives only). Recall / false matches at each threshold:")
    lines.append("")
    header = ["language", "pos n", "pos min", "pos median", "neg n", "neg max", "neg median"] + \
             [f"≥{t:g}" for t in (0.86, 0.90, 0.95, threshold)]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    by_lang = defaultdict(list)
    for p in per:
        by_lang[p[0]].append(p)
    order = sorted(by_lang, key=lambda lang: (lang != "en", -len(by_lang[lang]), lang)) + ["all"]
    for lang in order:
        group = per if lang == "all" else by_lang[lang]
        pos = np.array([p[2] for p in group if p[2] is not None])
        neg = np.array([p[3] for p in group])
        cells = [f"**{lang}**" if lang == "all" else lang, str(len(pos)),
                 f"{pos.min():.3f}" if len(pos) else "—", f"{np.median(pos):.3f}" if len(pos) else "—",
                 str(len(neg)), f"{neg.max():.3f}", f"{np.median(neg):.3f}"]
        for t in (0.86, 0.90, 0.95, threshold):
            recall = f"{(pos >= t).mean():.2f}" if len(pos) else "—"
            cells.append(f"{recall} / {int((neg >= t).sum())}")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Cells: share of positives matched / number of questions that would match another fact's answer.")
    lines.append("")
    lines.append("| threshold | " + " | ".join(f"{t:g}" for t in CANDIDATES) + " |")
    lines.append("|---|" + "---|" * len(CANDIDATES))
    pos = np.array([p[2] for p in positives])
    neg = np.array([p[3] for p in per])
    lines.append("| positives matched (English verified question) | " +
                 " | ".join(f"{(pos >= t).mean():.3f}" for t in CANDIDATES) + " |")
    lines.append("| false matches (questions) | " + " | ".join(str(int((neg >= t).sum())) for t in CANDIDATES) + " |")
    pp, nn = m["pos_pairs"], m["neg_pairs"]
    lines.append("| all pairs: same fact ≥ t | " + " | ".join(f"{(pp >= t).mean():.3f}" for t in CANDIDATES) + " |")
    lines.append("| all pairs: different facts ≥ t | " + " | ".join(str(int((nn >= t).sum())) for t in CANDIDATES) + " |")
    lines.append("")
    hardest = sorted((p for p in per if p[1] != "followup"), key=lambda p: -p[3])[:8]
    lines.append("Hardest negatives (question → the other fact whose verified question it is closest to):")
    for p in hardest:
        lines.append(f"- {p[3]:.3f} [{p[0]} {p[1]}] {p[5]!r} → {p[6]!r}")
    fact_of = {r[0]: r[4] for r in m["rows"]}
    follow = sorted((p for p in per if p[1] == "followup"), key=lambda p: -p[3])[:4]
    lines.append("")
    lines.append("Follow-ups on their extractive standalone form (previous question + this one), closest first:")
    for p in follow:
        lines.append(f"- {p[3]:.3f} [{p[0]}] {p[5]!r} → {p[6]!r}")
    lowest = sorted(positives, key=lambda p: p[2])[:8]
    lines.append("")
    lines.append("Weakest positives:")
    for p in lowest:
        lines.append(f"- {p[2]:.3f} [{p[0]} {p[1]}] {p[5]!r} (fact {fact_of[p[4]]!r})")
    lines.append("")
    lines.append(f"Threshold (every negative but the follow-ups' below it, +0.005 margin, rounded up to 0.005): "
                 f"**{threshold:.3f}**; it matches {(pos >= threshold).mean():.3f} of the positives "
                 f"(other wordings of the same fact), {int((neg >= threshold).sum())} question(s) of other facts.")
    return "\n".join(lines), threshold


def machine() -> str:
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    try:
        cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    except OSError:
        cores = "?"
    return f"{cores} cores, {cpu}, Python {platform.python_version()}; load average {load}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--golden", type=Path, default=ROOT / "eval" / "golden.jsonl")
    parser.add_argument("--results", type=Path, help="append the section to this Markdown file (eval/RESULTS.md)")
    parser.add_argument("--raw", action="store_true", help="similarity alone, without the kind-and-edition check")
    args = parser.parse_args()
    settings = Settings()
    m = measure(args.golden, settings, args.raw)
    text, threshold = report(m, args.golden)
    print(text)
    if args.results:
        section = (f"\n## Verified answers: the matching threshold (bench/verified_threshold.py) — "
                   f"{time.strftime('%a %b %d %H:%M:%S UTC %Y', time.gmtime())}\n\n"
                   f"- machine: {machine()}\n"
                   f"- command: `.venv/bin/python bench/verified_threshold.py --results eval/RESULTS.md`\n"
                   f"- embedding model: {settings.embedding_model} (query prompt {settings.query_prompt!r}); "
                   f"{'similarity alone' if args.raw else 'only questions of the same kind and edition compared'}\n\n"
                   + text + "\n")
        with open(args.results, "a", encoding="utf-8") as f:
            f.write(section)
        print(f"\nappended to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
