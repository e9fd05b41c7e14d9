"""Retrieval latency at 1k, 10k and 100k chunks: dense (Chroma HNSW), lexical (BM25), fused.

Embedding 100k chunks for real takes hours on 2 cores, so each size gets synthetic chunk texts
(3-6 sentences recombined at random from bench/synthetic_corpus.py announcements) with RANDOM unit
vectors (dim 384), added straight through the chromadb client to a persistent client in a temp
dir (collection configuration {"hnsw": {"space": "cosine"}}, metadata as bot/chunking.py writes
it). The HybridRetriever is then built over a langchain_chroma.Chroma on that client with the real
embedding model, so questions are embedded for real. Dense latency over random vectors measures
the HNSW search cost, not retrieval quality.

Each size runs in its own process (clean RSS). Per size: insert time, HybridRetriever start-up
(reads every chunk, tokenises it, builds BM25), RSS, and p50/p95 over 50 questions (every other one) of
bench/questions.py (multilingual) for: query embedding alone; dense (vector given); lexical;
fused search with the query vector cached (excluding embedding); fused search including it.

Run: cd /work/main && .venv/bin/python bench/retrieval_speed.py [--sizes 1000,10000,100000] [--no-results]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import append_results, md_table  # noqa: E402

N_QUESTIONS = 50


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def rss_mb() -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def pct(values, p) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def sentence_pool() -> list[str]:
    from bench.synthetic_corpus import generate
    from bot.chunking import sentence_spans

    pool = []
    for block in range(5):
        docs, _ = generate(100, seed=7 + block)
        for d in docs:
            pool += [d["text"][s.start:s.end] for s in sentence_spans(d["text"])]
    return [s for s in pool if len(s) > 20]


def one(size: int) -> dict:
    import chromadb
    import numpy as np
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    from bench.questions import ANSWERABLE
    from bot.models.embeddings import load_embeddings
    from bot.retrieval import HybridRetriever
    from bot.settings import Settings

    settings = Settings()
    out = {"size": size}
    t = time.perf_counter()
    emb = load_embeddings(settings)
    out["model_load_s"] = time.perf_counter() - t
    out["rss_model_mb"] = rss_mb()[0]

    rnd = random.Random(size)
    pool = sentence_pool()
    rng = np.random.default_rng(size)
    with tempfile.TemporaryDirectory(prefix="brismis-retrieval-speed-") as tmp:
        client = chromadb.PersistentClient(path=tmp, settings=ChromaSettings(anonymized_telemetry=False))
        col = client.create_collection(settings.collection, configuration={"hnsw": {"space": "cosine"}})
        batch = min(5000, client.get_max_batch_size())
        t = time.perf_counter()
        per_doc = 4
        for lo in range(0, size, batch):
            ids, docs, metas = [], [], []
            for i in range(lo, min(size, lo + batch)):
                doc_id, position = f"synthetic-{i // per_doc:06d}", i % per_doc
                text = " ".join(rnd.sample(pool, rnd.randint(3, 6)))
                chunk_id = f"{doc_id}#{position}"
                ids.append(chunk_id)
                docs.append(text)
                metas.append({"doc_id": doc_id, "title": f"Synthetic announcement {i // per_doc}",
                              "url": f"http://www.brismis.org/synthetic/{doc_id}", "date": "2020-01-01",
                              "lang": "en", "position": position, "start": 0, "end": len(text),
                              "chunk_id": chunk_id, "source": doc_id})
            vec = rng.standard_normal((len(ids), 384)).astype(np.float32)
            vec /= np.linalg.norm(vec, axis=1, keepdims=True)
            col.add(ids=ids, embeddings=vec, documents=docs, metadatas=metas)
        out["insert_s"] = time.perf_counter() - t

        store = Chroma(collection_name=settings.collection, embedding_function=emb, client=client,
                       collection_configuration={"hnsw": {"space": "cosine"}})
        t = time.perf_counter()
        retriever = HybridRetriever(store=store, embeddings=emb, k=settings.top_k,
                                    candidates=settings.candidates, rrf_k=settings.rrf_k,
                                    dense_weight=settings.dense_weight, lexical_weight=settings.lexical_weight)
        out["startup_s"] = time.perf_counter() - t
        assert retriever.size == size, retriever.size
        out["rss_mb"], out["peak_rss_mb"] = rss_mb()

        questions = [q for q, _, _ in ANSWERABLE[::2]][:N_QUESTIONS]  # every other: all languages
        out["n_questions"] = len(questions)
        n = max(retriever.candidates, retriever.k)
        retriever.search("warm-up question")
        retriever.search("warm-up question")
        timings = {"embed": [], "dense": [], "lexical": [], "fused_excl": [], "fused_incl": []}
        for q in questions:
            retriever.forget_queries()
            t = time.perf_counter()
            retriever.search(q)
            timings["fused_incl"].append(time.perf_counter() - t)
            retriever.forget_queries()
            t = time.perf_counter()
            retriever.query_vector(q)
            timings["embed"].append(time.perf_counter() - t)
            t = time.perf_counter()
            retriever.dense(q, n)
            timings["dense"].append(time.perf_counter() - t)
            t = time.perf_counter()
            retriever.lexical(q, n)
            timings["lexical"].append(time.perf_counter() - t)
            t = time.perf_counter()
            retriever.search(q)
            timings["fused_excl"].append(time.perf_counter() - t)
        for k, v in timings.items():
            out[f"{k}_p50"], out[f"{k}_p95"] = pct(v, 50), pct(v, 95)
        out["rss_end_mb"] = rss_mb()[0]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--no-results", action="store_true")
    args = ap.parse_args(argv)
    if args.one:
        print("RESULT " + json.dumps(one(args.one)), flush=True)
        return 0

    load_start = loadavg()
    started = time.perf_counter()
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        proc = subprocess.run([sys.executable, __file__, "--one", str(size)], capture_output=True, text=True)
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
        if line is None:  # report the failure (e.g. the retriever cannot start at this size) and go on
            errors = [ln for ln in proc.stderr.splitlines() if ln.strip() and not ln.startswith(" ")]
            results.append({"size": size, "error": errors[-1] if errors else f"exit {proc.returncode}"})
        else:
            results.append(json.loads(line[7:]))
        print(results[-1], flush=True)
    text = report(results, load_start, time.perf_counter() - started)
    print(text)
    if not args.no_results:
        append_results("Retrieval latency by index size (bench/retrieval_speed.py)", text)
    return 0


def report(results: list[dict], load_start: str, total_s: float) -> str:
    failed = [r for r in results if "error" in r]
    results = [r for r in results if "error" not in r]

    def f(v):
        return f"{v:.1f}"

    lat = [[r["size"], f"{f(r['embed_p50'])} / {f(r['embed_p95'])}", f"{f(r['dense_p50'])} / {f(r['dense_p95'])}",
            f"{f(r['lexical_p50'])} / {f(r['lexical_p95'])}",
            f"**{f(r['fused_excl_p50'])}** / {f(r['fused_excl_p95'])}",
            f"{f(r['fused_incl_p50'])} / {f(r['fused_incl_p95'])}"] for r in results]
    setup = [[r["size"], f"{r['insert_s']:.1f}", f"{r['startup_s']:.2f}", f"{r['rss_model_mb']:.0f}",
              f"{r['rss_mb']:.0f}", f"{r['peak_rss_mb']:.0f}", f"{r['rss_end_mb']:.0f}"] for r in results]
    text = "\n".join([
        f"Load average at start {load_start}, at end {loadavg()} (another job may share the 2 cores); total "
        f"{total_s:.0f} s. Synthetic chunk texts with random unit vectors (dim 384) "
        f"inserted straight into Chroma; questions embedded for real; {results[0]['n_questions']} "
        "multilingual questions from bench/questions.py per size. Latencies in ms, p50 / p95. "
        "'fused excl.' is HybridRetriever.search with the query vector already cached (retrieval proper; "
        "targets p50 ≤ 30 ms at 10k, ≤ 100 ms at 100k); 'fused incl.' embeds the question too.", "",
        md_table(["chunks", "query embedding", "dense (HNSW)", "lexical (BM25)", "fused excl. embedding",
                  "fused incl. embedding"], lat), "",
        md_table(["chunks", "Chroma insert s", "HybridRetriever start-up s", "RSS after model load MB",
                  "RSS after start-up MB", "peak RSS MB", "RSS after queries MB"], setup),
    ])
    for r in failed:
        text += f"\n\nAt {r['size']} chunks the run FAILED, nothing measured: {r['error']}"
    return text


if __name__ == "__main__":
    sys.exit(main())
