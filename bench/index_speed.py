"""Indexing throughput vs the bare embedding model, and the cost of re-indexing an unchanged corpus.

For synthetic corpora (bench/synthetic_corpus.py, written in blocks of 100 announcements with
different seeds, since one generator runs out of distinct combinations) of each size:

- chunks: the chunk texts ``build_index`` will embed (same chunker, same settings);
- raw: ``SentenceTransformer.encode`` of exactly those texts with the passage prompt and
  ``settings.embed_batch_size``, in one call (sentence-transformers sorts one call by length);
- raw/32: the same, in calls of 32 texts (the batch ``index()`` hands to ``embed_documents``);
- index: ``build_index(..., rebuild=True)`` into a fresh folder, with the embedding time, the token
  counting time (chunker) and the rest (record manager, Chroma add, manifest) timed inside it.

raw, raw/32 and index run alternately for each size so they share the machine's state. Then, at the
largest size, the unchanged re-index three ways (a model loader that must not be called each time):

- ``update_index``: what ``brismis index`` does; each file's size and mtime are checked against the
  manifest before anything is read (the first call after the build reads everything once, because
  files written within 2 s of the scan that recorded them are not trusted; it is not timed);
- the same as a command, ``brismis index --quiet`` in a new process (Python start and imports included);
- ``load_corpus`` + ``build_index`` (reads and hashes every file), also after touching every file
  (same content, new mtime: the slow path, still unchanged).

Run: cd /work/main && .venv/bin/python bench/index_speed.py [--sizes 1,100,1000] [--no-results]
     (10,000, build and re-index only: --sizes 100,10000 --skip-raw-above 100)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import append_results, md_table  # noqa: E402
from bench.synthetic_corpus import generate, write  # noqa: E402
from bot.corpus import load_corpus  # noqa: E402
from bot.models.embeddings import SentenceTransformerEmbeddings, load_embeddings  # noqa: E402
from bot.index import _chunks, build_index, update_index  # noqa: E402
from bot.settings import Settings  # noqa: E402


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def write_corpus(n: int, out: Path) -> None:
    docs = []
    for block in range((n + 99) // 100):
        part, _ = generate(min(100, n - 100 * block), seed=7 + block)
        for d in part:
            d["slug"] = d["slug"].replace("synthetic-", f"synthetic-b{block:03d}-", 1)
        docs += part
    write(out, docs, [])


class Timed(SentenceTransformerEmbeddings):
    """The same model, with the time spent embedding and counting tokens accumulated."""

    def __init__(self, inner: SentenceTransformerEmbeddings):
        super().__init__(inner.model, inner.name, inner.query_prompt, inner.passage_prompt, inner.batch_size)
        self.embed_s = self.count_s = 0.0

    def embed_documents(self, texts):
        t = time.perf_counter()
        try:
            return super().embed_documents(texts)
        finally:
            self.embed_s += time.perf_counter() - t

    def count_tokens(self, text):
        t = time.perf_counter()
        try:
            return super().count_tokens(text)
        finally:
            self.count_s += time.perf_counter() - t


def raw_encode(emb, texts, settings, call_size=None) -> float:
    call_size = call_size or len(texts)
    t = time.perf_counter()
    for i in range(0, len(texts), call_size):
        emb.model.encode(texts[i:i + call_size], prompt=settings.passage_prompt or None,
                         batch_size=settings.embed_batch_size, normalize_embeddings=True,
                         convert_to_numpy=True, show_progress_bar=False)
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,100,1000")
    ap.add_argument("--repeats-small", type=int, default=3, help="alternating repeats for sizes <= 100")
    ap.add_argument("--raw32-max", type=int, default=1000,
                    help="measure raw/32 only up to this many announcements (it adds a full encode)")
    ap.add_argument("--skip-raw-above", type=int, default=None,
                    help="above this many announcements, build the index without the raw encode to compare "
                         "(no throughput ratio; for measuring the build and the unchanged re-index at 10,000)")
    ap.add_argument("--no-results", action="store_true")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    load_start = loadavg()
    started = time.perf_counter()

    base = load_embeddings(Settings())
    base.model.encode(["passage: warm-up"] * 16, batch_size=16)
    rows = []
    reindex = None
    with tempfile.TemporaryDirectory(prefix="brismis-index-speed-") as tmp:
        for n in sizes:
            folder = Path(tmp) / f"corpus-{n}"
            write_corpus(n, folder)
            corpus = load_corpus(folder)
            assert not corpus.problems, corpus.problems
            settings = Settings(corpus_dir=folder, index_dir=Path(tmp) / f"index-{n}")
            t = time.perf_counter()
            texts = [c.page_content for c in _chunks(corpus.documents, settings, base)]
            chunk_s = time.perf_counter() - t
            repeats = args.repeats_small if n <= 100 else 1
            raw, raw32, idx, emb_in, count_in = [], [], [], [], []
            for r in range(repeats):
                if args.skip_raw_above is None or n <= args.skip_raw_above:
                    raw.append(raw_encode(base, texts, settings))
                if n <= args.raw32_max:
                    raw32.append(raw_encode(base, texts, settings, 32))
                timed = Timed(base)
                index_dir = Path(tmp) / f"index-{n}-{r}"
                s = Settings(corpus_dir=folder, index_dir=index_dir)
                t = time.perf_counter()
                summary = build_index(s, corpus, lambda: timed, rebuild=True)
                idx.append(time.perf_counter() - t)
                emb_in.append(timed.embed_s)
                count_in.append(timed.count_s)
                assert summary.chunks_total == len(texts), (summary.chunks_total, len(texts))
                settings = s
            m = statistics.median
            rows.append([n, len(texts), f"{chunk_s:.2f}", f"{m(raw):.2f}" if raw else "–",
                         f"{len(texts) / m(raw):.1f}" if raw else "–",
                         f"{m(raw32):.2f}" if raw32 else "–", f"{m(idx):.2f}", f"{len(texts) / m(idx):.1f}",
                         f"{m(emb_in):.2f}", f"{m(count_in):.2f}", f"{m(idx) - m(emb_in) - m(count_in):.2f}",
                         f"**{m(raw) / m(idx):.3f}**" if raw else "–",
                         f"{m(raw32) / m(idx):.3f}" if raw32 else "–", repeats])
            print(rows[-1], flush=True)
            if n == max(sizes):
                called = []

                def loader():
                    return called.append(1) or base

                times, load_times = [], []
                for _ in range(3):
                    t = time.perf_counter()
                    c2 = load_corpus(folder)
                    t1 = time.perf_counter()
                    summary = build_index(settings, c2, loader)
                    t2 = time.perf_counter()
                    load_times.append(t1 - t)
                    times.append(t2 - t)
                    assert not summary.changed
                import bot.models.embeddings as embeddings_module

                real_loader = embeddings_module.load_embeddings
                embeddings_module.load_embeddings = lambda *a, **k: called.append(1) or base
                try:
                    time.sleep(2.1)  # past the 2 s in which a file's mtime is not trusted
                    assert not update_index(settings).changed  # records the mtimes once (reads everything)
                    fast = []
                    for _ in range(3):
                        t = time.perf_counter()
                        assert not update_index(settings).changed
                        fast.append(time.perf_counter() - t)
                    env = dict(os.environ, BRISMIS_CORPUS_DIR=str(folder), BRISMIS_INDEX_DIR=str(settings.index_dir))
                    cli = []
                    for _ in range(3):
                        t = time.perf_counter()
                        done = subprocess.run([sys.executable, "-m", "bot.cli", "index", "--quiet"], env=env,
                                              capture_output=True, text=True)
                        cli.append(time.perf_counter() - t)
                        assert done.returncode == 0 and "added 0, updated 0," in done.stdout, done.stdout + done.stderr
                    now = time.time()
                    for path in folder.rglob("*.md"):
                        os.utime(path, (now, now))
                    t = time.perf_counter()
                    assert not update_index(settings).changed
                    touched = time.perf_counter() - t
                finally:
                    embeddings_module.load_embeddings = real_loader
                reindex = (n, len(texts), statistics.median(load_times), statistics.median(times),
                           max(times), statistics.median(fast), max(fast), statistics.median(cli), touched,
                           bool(called))
                print("reindex", reindex, flush=True)

    headers = ["announcements", "chunks", "chunk+count s", "raw s", "raw chunks/s", "raw/32 s", "index s",
               "index chunks/s", "in index: embed s", "in index: token count s", "in index: rest s",
               "index ÷ raw (throughput)", "index ÷ raw/32", "runs (median)"]
    body = [f"Load average at start {load_start}, at end {loadavg()} (another job may share the 2 cores); "
            f"total {time.perf_counter() - started:.0f} s. embed_batch_size {base.batch_size}; "
            "synthetic corpora from bench/synthetic_corpus.py in blocks of 100. 'index ÷ raw' is raw "
            "seconds ÷ index seconds (= index chunks/s ÷ raw chunks/s; target ≥ 0.9). raw encodes all "
            "texts in one call; raw/32 in calls of 32 texts like langchain's index().", "",
            md_table(headers, rows)]
    if reindex:
        n, chunks, load_s, total_s, worst, fast, fast_worst, cli, touched, called = reindex
        body += ["", f"Re-index of the unchanged corpus at {n} announcements ({chunks} chunks): "
                 f"update_index (size and mtime checked, nothing read) median {fast:.3f} s (worst of 3: "
                 f"{fast_worst:.3f} s; target ≤ 2 s); `brismis index --quiet` as a new process median {cli:.2f} s; "
                 f"load_corpus + build_index (every file read and hashed) median {total_s:.3f} s (worst of 3: "
                 f"{worst:.3f} s), of which load_corpus {load_s:.3f} s; after touching every file (same content, "
                 f"new mtime) {touched:.2f} s; embedding model loaded: {'YES' if called else 'no'}."]
    text = "\n".join(body)
    print(text)
    if not args.no_results:
        append_results("Indexing speed (bench/index_speed.py)", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
