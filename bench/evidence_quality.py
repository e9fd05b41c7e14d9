"""Which sentences reach the generator: is the evidence among the best k sentences?

    .venv/bin/python bench/evidence_quality.py --corpus-dir eval/dev/tune/corpus \
        --golden eval/dev/tune/questions.jsonl --index-dir DIR

For each answerable question: retrieve, rank the sentences of the top passages (bot/evidence.py)
and report how often a sentence holding the evidence is ranked 1st, in the top 2, 3, 4, under the
default scoring and ablations (no question-kind bonus, no edition bonus, more passages). Used to
choose TYPE_BONUS, EDITION_BONUS and how many passages and sentences the generator reads.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import evidence  # noqa: E402
from bot.evaluation import load_golden  # noqa: E402
from bot.evidence import SentenceEvidence  # noqa: E402
from bot.index import update_index  # noqa: E402
from bot.models.embeddings import load_embeddings  # noqa: E402
from bot.question_type import asked_for  # noqa: E402
from bot.retrieval import open_retriever  # noqa: E402
from bot.settings import Settings  # noqa: E402


def run(retriever, ev, items, passages: int) -> list[int | None]:
    out = []
    for item in items:
        query = item.question if not item.history else f"{item.history[-2]['content']} {item.question}"
        top = retriever.search(query, 20)[:passages]
        ranked = ev.rank(query, top, asked_for(item.question))
        out.append(next((k for k, s in enumerate(ranked, 1) if item.evidence in top[s.passage].text
                         and (item.evidence in s.text or s.text in item.evidence)), None))
    return out


def line(ranks) -> str:
    n = len(ranks)
    return " ".join(f"top{k} {sum(1 for r in ranks if r and r <= k) / n:.3f}" for k in (1, 2, 3, 4, 6))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus-dir", type=Path, required=True)
    parser.add_argument("--golden", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--by", default="kind")
    args = parser.parse_args()
    settings = Settings(corpus_dir=args.corpus_dir, index_dir=args.index_dir)
    update_index(settings)
    embeddings = load_embeddings(settings)
    retriever = open_retriever(settings, embeddings)
    ev = SentenceEvidence(embeddings)
    items = [i for i in load_golden(args.golden) if i.answerable]
    variants = {"default (5 passages)": ({}, 5), "8 passages": ({}, 8), "3 passages": ({}, 3),
                "no kind bonus": ({"TYPE_BONUS": 0.0}, 5), "no edition bonus": ({"EDITION_BONUS": 0.0}, 5),
                "no passage weight": ({"PASSAGE_WEIGHT": 0.0}, 5), "passage weight 2": ({"PASSAGE_WEIGHT": 2.0}, 5)}
    for name, (change, passages) in variants.items():
        saved = {k: getattr(evidence, k) for k in change}
        for k, v in change.items():
            setattr(evidence, k, v)
        ranks = run(retriever, ev, items, passages)
        print(f"{name:24s} n={len(ranks)} {line(ranks)}")
        if name.startswith("default"):
            groups = defaultdict(list)
            for item, r in zip(items, ranks):
                groups[getattr(item, args.by)].append(r)
            for key in sorted(groups):
                print(f"    {key:12s} n={len(groups[key]):3d} {line(groups[key])}")
        for k, v in saved.items():
            setattr(evidence, k, v)
    return 0


if __name__ == "__main__":
    sys.exit(main())
