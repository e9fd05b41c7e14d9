"""Retrieval quality on a question set: is the evidence in the top k, per language and kind?

    .venv/bin/python bench/retrieval_quality.py --corpus-dir eval/dev/tune/corpus \
        --golden eval/dev/tune/questions.jsonl [--index-dir DIR] [--variants all]

Builds (or reuses) the index of the corpus, then ranks each answerable question's passages with
several retrieval variants (the default and ablations), printing hit@1/3/5 and MRR. Used to choose
the retrieval settings on the development set; report the held-out set with --variants default.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import retrieval  # noqa: E402
from bot.evaluation import load_golden  # noqa: E402
from bot.index import update_index  # noqa: E402
from bot.models.embeddings import load_embeddings  # noqa: E402
from bot.retrieval import open_retriever  # noqa: E402
from bot.settings import Settings  # noqa: E402


def ranks(retriever, items, k=20) -> list[tuple[object, int | None]]:
    out = []
    for item in items:
        query = item.question if not item.history else f"{item.history[-2]['content']} {item.question}"
        passages = retriever.search(query, k)
        rank = next((i for i, p in enumerate(passages[:k], 1) if item.evidence in p.text), None)
        out.append((item, rank))
    return out


def summary(rows) -> str:
    n = len(rows)
    hit = lambda k: sum(1 for _, r in rows if r and r <= k) / n  # noqa: E731
    mrr = sum(1 / r for _, r in rows if r) / n
    return f"n={n:3d} hit@1 {hit(1):.3f} hit@3 {hit(3):.3f} hit@5 {hit(5):.3f} MRR {mrr:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus-dir", type=Path, required=True)
    parser.add_argument("--golden", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path)
    parser.add_argument("--variants", default="all")
    parser.add_argument("--by", default="language,kind")
    parser.add_argument("--chunk-tokens", type=int, help="chunk size (default: the setting's)")
    args = parser.parse_args()
    index_dir = args.index_dir or Path(tempfile.mkdtemp(prefix="retq-"))
    settings = Settings(corpus_dir=args.corpus_dir, index_dir=index_dir,
                        **({"chunk_tokens": args.chunk_tokens} if args.chunk_tokens else {}))
    update_index(settings)
    embeddings = load_embeddings(settings)
    retriever = open_retriever(settings, embeddings)
    items = [i for i in load_golden(args.golden) if i.answerable]
    variants = {"default": {}}
    if args.variants == "all":
        variants |= {"no language calibration": {"MIN_CALIBRATION_ROWS": 10**9},
                     "no edition weighting": {"edition_weight": 0.0}, "edition weight 1.0": {"edition_weight": 1.0},
                     "edition weight 2.0": {"edition_weight": 2.0},
                     "dense only": {"lexical_weight": 0.0}, "lexical weight 0.5": {"lexical_weight": 0.5}}
    for name, change in variants.items():
        saved = {}
        for key, value in change.items():
            if hasattr(retrieval, key):
                saved[key] = getattr(retrieval, key)
                setattr(retrieval, key, value)
            else:
                saved[key] = getattr(retriever, key)
                setattr(retriever, key, value)
        rows = ranks(retriever, items)
        print(f"\n## {name}: {summary(rows)}")
        for by in args.by.split(","):
            groups = defaultdict(list)
            for item, rank in rows:
                groups[getattr(item, by)].append((item, rank))
            for key in sorted(groups):
                print(f"  {by} {key:12s} {summary(groups[key])}")
        for key, value in saved.items():
            setattr(retrieval if hasattr(retrieval, key) else retriever, key, value)
    return 0


if __name__ == "__main__":
    sys.exit(main())
