"""Shared helpers for the bench scripts: temp indexes, hit metrics, tables, RESULTS.md."""

from __future__ import annotations

import contextlib
import os
import platform
import re
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import warnings  # noqa: E402

warnings.filterwarnings("ignore")

from bot.corpus import load_corpus  # noqa: E402
from bot.models.embeddings import load_embeddings  # noqa: E402
from bot.index import build_index  # noqa: E402
from bot.retrieval import open_retriever  # noqa: E402
from bot.settings import Settings  # noqa: E402

from bench.questions import ANSWERABLE, check_evidence  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"


def load_everything():
    """(corpus, embeddings) with the question evidence checked against the corpus text."""
    corpus = load_corpus(Settings().corpus_dir)
    if corpus.problems:
        raise SystemExit("corpus problems: " + "; ".join(map(str, corpus.problems)))
    text = "\n".join(d.text for d in corpus.documents)
    missing = check_evidence(text)
    if missing:
        raise SystemExit("evidence not in the corpus:\n  " + "\n  ".join(missing))
    emb = load_embeddings(Settings())
    return corpus, emb


@contextlib.contextmanager
def temp_retriever(corpus, emb, **overrides):
    """A retriever over a fresh index built in a temp dir with Settings(**overrides)."""
    with tempfile.TemporaryDirectory(prefix="brismis-bench-") as tmp:
        settings = Settings(index_dir=Path(tmp), **overrides)
        build_index(settings, corpus, lambda: emb, rebuild=True)
        yield settings, open_retriever(settings, emb)


@dataclass
class Outcome:
    question: str
    lang: str
    evidence: str
    rank: int | None  # rank of the first passage holding the evidence (None: not retrieved)
    seconds: float
    passages: list  # the ranked passages

    def hit(self, k: int) -> bool:
        return self.rank is not None and self.rank <= k

    @property
    def rr(self) -> float:
        return 1.0 / self.rank if self.rank else 0.0


def run_questions(retriever, questions=ANSWERABLE, warmup: bool = True) -> list[Outcome]:
    if warmup:
        retriever.search("warm-up question")
    out = []
    for q, lang, evidence in questions:
        t = time.perf_counter()
        ranked = retriever.search(q)
        dt = time.perf_counter() - t
        rank = next((p.rank for p in ranked if evidence in p.text), None)
        out.append(Outcome(q, lang, evidence, rank, dt, ranked))
    return out


def scores(outcomes: list[Outcome]) -> dict:
    n = len(outcomes) or 1
    return {
        "n": len(outcomes),
        "hit1": sum(o.hit(1) for o in outcomes) / n,
        "hit3": sum(o.hit(3) for o in outcomes) / n,
        "mrr": sum(o.rr for o in outcomes) / n,
    }


def md_table(headers: list[str], rows: list[list]) -> str:
    def fmt(v):
        if isinstance(v, float):
            return f"{v:.3f}"
        return str(v)

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    def sh(cmd):
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "?"

    model = re.sub(r"^Model name:\s*", "", sh("lscpu | grep 'Model name'"))
    mem = sh("free -g | awk '/^Mem:/ {print $2}'")
    return f"{sh('nproc')} cores, {model}, {mem} GB RAM, Python {platform.python_version()}"


def append_results(title: str, body: str) -> None:
    date = subprocess.run(["date", "-u"], capture_output=True, text=True).stdout.strip()
    script = Path(sys.argv[0]).resolve()
    try:
        script = script.relative_to(ROOT)
    except ValueError:
        pass
    command = "cd /work/main && " + " ".join(
        [".venv/bin/python", shlex.quote(str(script))] + [shlex.quote(a) for a in sys.argv[1:]]
    )
    block = (
        f"\n## {title} — {date}\n\n"
        f"- machine: {machine()}\n"
        f"- command: `{command}`\n\n"
        f"{body.rstrip()}\n"
    )
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n\nAppended by the scripts in bench/; newest last.\n",
                           encoding="utf-8")
    with open(RESULTS, "a", encoding="utf-8") as f:
        f.write(block)
    print(f"\n(appended to {RESULTS.relative_to(ROOT)})")
