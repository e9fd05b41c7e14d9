"""Hybrid retrieval: dense (Chroma, cross-lingual) fused with lexical (BM25) by reciprocal rank.

Dense search carries cross-lingual questions (a Chinese question finds an English passage);
BM25 rescues exact names, numbers and e-mail addresses that embeddings blur. BM25 tokenises with
the embedding model's sub-word pieces, which split Chinese, Thai and Latin text alike, so no
per-language word segmenter is needed. Every candidate keeps its dense and lexical scores and
ranks so the staff console can show why a passage was chosen.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from .embeddings import SentenceTransformerEmbeddings


@dataclass
class Passage:
    chunk_id: str
    doc_id: str
    title: str
    url: str
    date: str
    position: int
    start: int
    end: int
    text: str
    dense_score: float | None = None  # cosine similarity to the question
    dense_rank: int | None = None
    lexical_score: float | None = None  # BM25
    lexical_rank: int | None = None
    fused_score: float = 0.0
    rank: int = 0
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_chunk(cls, text: str, meta: dict) -> "Passage":
        return cls(
            chunk_id=meta.get("chunk_id", ""),
            doc_id=meta.get("doc_id", ""),
            title=meta.get("title", ""),
            url=meta.get("url", ""),
            date=meta.get("date", ""),
            position=int(meta.get("position", 0)),
            start=int(meta.get("start", 0)),
            end=int(meta.get("end", 0)),
            text=text,
        )


PAGE = 5000


def _is_word_piece(piece: str) -> bool:
    core = piece.lstrip("▁")
    return bool(core) and any(unicodedata.category(ch)[0] in "LN" for ch in core)


class HybridRetriever(BaseRetriever):
    """A langchain retriever over the index; ``search`` gives the scored passages."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Any
    embeddings: SentenceTransformerEmbeddings
    k: int = 5
    candidates: int = 20
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 0.5

    _chunks: list[Passage] = PrivateAttr(default_factory=list)
    _by_id: dict[str, int] = PrivateAttr(default_factory=dict)
    _bm25: Any = PrivateAttr(default=None)
    _vectors: dict = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        self.reload()

    def reload(self) -> None:
        """Read every chunk from the store and rebuild the lexical index (after a re-index)."""
        import bm25s

        chunks: list[Passage] = []
        while True:  # in pages: one get() of ~100k chunks exceeds SQLite's variable limit
            got = self.store.get(include=["documents", "metadatas"], limit=PAGE, offset=len(chunks))
            chunks += [Passage.from_chunk(t, m or {}) for t, m in zip(got["documents"], got["metadatas"])]
            if len(got["documents"]) < PAGE:
                break
        chunks.sort(key=lambda p: (p.doc_id, p.position))
        self._chunks = chunks
        self._by_id = {p.chunk_id: i for i, p in enumerate(self._chunks)}
        self._bm25 = None
        if self._chunks:
            tokens = []
            for start in range(0, len(chunks), PAGE):  # the tokenizer is fast on batches, slow one by one
                tokens += self._lexical_tokens([p.text for p in chunks[start : start + PAGE]])
            self._bm25 = bm25s.BM25()
            self._bm25.index([t or ["∅"] for t in tokens], show_progress=False)

    @property
    def size(self) -> int:
        return len(self._chunks)

    @property
    def chunks(self) -> list[Passage]:
        return self._chunks

    def _lexical_tokens(self, texts: list[str]) -> list[list[str]]:
        return [[p for p in pieces if _is_word_piece(p)] for pieces in self.embeddings.tokenize(texts)]

    def query_vector(self, question: str) -> list[float]:
        """Embedded once per question, however many stages ask for it."""
        if question not in self._vectors:
            self._vectors[question] = self.embeddings.embed_query(question)
            while len(self._vectors) > 256:
                self._vectors.pop(next(iter(self._vectors)))
        return self._vectors[question]

    def dense(self, question: str, n: int) -> list[tuple[int, float]]:
        vector = self.query_vector(question)
        hits = self.store.similarity_search_by_vector_with_relevance_scores(vector, k=min(n, self.size))
        out = []
        for doc, distance in hits:
            i = self._by_id.get(doc.metadata.get("chunk_id", ""))
            if i is not None:
                out.append((i, 1.0 - float(distance)))
        return out

    def lexical(self, question: str, n: int) -> list[tuple[int, float]]:
        if self._bm25 is None:
            return []
        ids = self._bm25.get_tokens_ids(self._lexical_tokens([question])[0])
        if not ids:
            return []
        scores = self._bm25.get_scores_from_ids(ids)
        order = np.argsort(-scores)[:n]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]

    def search(self, question: str, k: int | None = None) -> list[Passage]:
        """Fused candidates, best first; the first ``k`` are the ones to answer from."""
        k = k or self.k
        if not self._chunks:
            return []
        n = max(self.candidates, k)
        fused: dict[int, Passage] = {}

        def entry(i: int) -> Passage:
            if i not in fused:
                src = self._chunks[i]
                fused[i] = Passage(**{**src.__dict__, "extra": {}})
            return fused[i]

        for rank, (i, score) in enumerate(self.dense(question, n), 1):
            p = entry(i)
            p.dense_score, p.dense_rank = score, rank
            p.fused_score += self.dense_weight / (self.rrf_k + rank)
        for rank, (i, score) in enumerate(self.lexical(question, n), 1):
            p = entry(i)
            p.lexical_score, p.lexical_rank = score, rank
            p.fused_score += self.lexical_weight / (self.rrf_k + rank)

        ranked = sorted(fused.values(), key=lambda p: -p.fused_score)
        for rank, p in enumerate(ranked, 1):
            p.rank = rank
        return ranked

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [
            Document(page_content=p.text, metadata={**p.__dict__, "text": None})
            for p in self.search(query)[: self.k]
        ]


def open_retriever(settings, embeddings: SentenceTransformerEmbeddings) -> HybridRetriever:
    """The retriever over the active index, configured from settings."""
    from .index import open_vector_store

    return HybridRetriever(
        store=open_vector_store(settings, embeddings),
        embeddings=embeddings,
        k=settings.top_k,
        candidates=settings.candidates,
        rrf_k=settings.rrf_k,
        dense_weight=settings.dense_weight,
        lexical_weight=settings.lexical_weight,
    )
