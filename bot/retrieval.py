"""Hybrid retrieval: dense (Chroma, cross-lingual) fused with lexical (BM25) by reciprocal rank.

Dense search carries cross-lingual questions (a Chinese question finds an English passage);
BM25 rescues exact names, numbers and e-mail addresses that embeddings blur. BM25 tokenises with
the embedding model's sub-word pieces, which split Chinese, Thai and Latin text alike, so no
per-language word segmenter is needed. Every candidate keeps its dense and lexical scores and
ranks so the staff console can show why a passage was chosen.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from .editions import Edition, edition_match, edition_of
from .places import places_in
from .protocols import Embedder


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
    lang: str = ""  # the announcement's language
    dense_score: float | None = None  # cosine similarity to the question
    dense_rank: int | None = None
    lexical_score: float | None = None  # BM25
    lexical_rank: int | None = None
    fused_score: float = 0.0
    rank: int = 0
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_chunk(cls, stored: str, meta: dict) -> "Passage":
        """From the stored text (the contextual header, then the passage) and its metadata."""
        text = stored[int(meta.get("header_len", 0)):]
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
            lang=meta.get("lang", ""),
        )


PAGE = 5000
CALIBRATION_PERCENTILE = 25  # the level of a language's unrelated passages (see ``dense``)
MIN_CALIBRATION_ROWS = 8  # fewer passages in a language say too little about its level


def _is_word_piece(piece: str) -> bool:
    core = piece.lstrip("▁")
    return bool(core) and any(unicodedata.category(ch)[0] in "LN" for ch in core)


class HybridRetriever(BaseRetriever):
    """A langchain retriever over the index; ``search`` gives the scored passages."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Any
    embeddings: Any  # an Embedder (protocols.py)
    k: int = 5
    candidates: int = 20
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 0.5
    edition_weight: float = 1.0  # in units of a first rank's fused score (bench/retrieval_quality.py)

    _chunks: list[Passage] = PrivateAttr(default_factory=list)
    _by_id: dict[str, int] = PrivateAttr(default_factory=dict)
    _bm25: Any = PrivateAttr(default=None)
    _vectors: dict = PrivateAttr(default_factory=dict)
    _matrix: Any = PrivateAttr(default=None)  # every chunk's vector, one row each, in _chunks order
    _groups: dict = PrivateAttr(default_factory=dict)  # announcement language -> row indices
    _editions: dict = PrivateAttr(default_factory=dict)  # the editions titles name, chunks speak of
    _places: frozenset = PrivateAttr(default=frozenset())  # the cities the announcements' titles name

    def model_post_init(self, __context: Any) -> None:
        self.reload()

    def reload(self) -> None:
        """Read every chunk from the store and rebuild the lexical index (after a re-index)."""
        import bm25s

        rows: list[tuple[Passage, str, str, Any]] = []  # (passage, stored text, language, vector)
        while True:  # in pages: one get() of ~100k chunks exceeds SQLite's variable limit
            got = self.store.get(include=["documents", "metadatas", "embeddings"], limit=PAGE, offset=len(rows))
            for text, meta, vector in zip(got["documents"], got["metadatas"], got["embeddings"]):
                meta = meta or {}
                rows.append((Passage.from_chunk(text, meta), text, meta.get("lang", ""), vector))
            if len(got["documents"]) < PAGE:
                break
        rows.sort(key=lambda r: (r[0].doc_id, r[0].position))
        self._chunks = [r[0] for r in rows]
        self._by_id = {p.chunk_id: i for i, p in enumerate(self._chunks)}
        self._matrix = np.asarray([r[3] for r in rows], dtype=np.float32).reshape(len(rows), -1)
        self._groups = {}
        for i, r in enumerate(rows):
            self._groups.setdefault(r[2], []).append(i)
        self._groups = {lang: np.asarray(ix) for lang, ix in self._groups.items()}
        self._editions = {}
        # read now, not at the first visitor's question (GeoNames loads in ~1.3 s)
        self._places = frozenset().union(*(places_in(t, confident=True) for t in {p.title for p in self._chunks}))
        self._bm25 = None
        if self._chunks:
            tokens = []
            for start in range(0, len(rows), PAGE):  # the tokenizer is fast on batches, slow one by one
                tokens += self._lexical_tokens([r[1] for r in rows[start : start + PAGE]])
            self._bm25 = bm25s.BM25()
            self._bm25.index([t or ["∅"] for t in tokens], show_progress=False)

    @property
    def size(self) -> int:
        return len(self._chunks)

    def passages(self) -> list[Passage]:
        """Every chunk of the index, in document order."""
        return self._chunks

    def _lexical_tokens(self, texts: list[str]) -> list[list[str]]:
        return [[p for p in pieces if _is_word_piece(p)] for pieces in self.embeddings.tokenize(texts)]

    def query_vector(self, question: str) -> np.ndarray:
        """Embedded once per question, however many stages ask for it."""
        if question not in self._vectors:
            self._vectors[question] = np.asarray(self.embeddings.encode_queries([question])[0])
            while len(self._vectors) > 256:
                self._vectors.pop(next(iter(self._vectors)))
        return self._vectors[question]

    def forget_queries(self) -> None:
        """Drop the cached question vectors (a benchmark measuring cold questions needs this)."""
        self._vectors.clear()

    def dense(self, question: str, n: int) -> list[tuple[int, float, float]]:
        """(chunk, calibrated score, cosine) of the ``n`` best chunks, best first."""
        if not self._chunks:
            return []
        calibrated, cosine = self._dense_scores(question)
        n = min(n, len(self._chunks))
        top = np.argpartition(-calibrated, n - 1)[:n]
        top = top[np.argsort(-calibrated[top], kind="stable")]
        return [(int(i), float(calibrated[i]), float(cosine[i])) for i in top]

    def _dense_scores(self, question: str) -> tuple[np.ndarray, np.ndarray]:
        """(calibrated score, cosine) of every chunk.

        e5 scores a passage higher when it shares the question's language, whatever it says: a
        Chinese question ranks a Chinese look-alike above the English announcement that answers it.
        Each language's scores are shifted so that its unrelated passages (its lower quartile)
        score as the whole index's do, so a passage wins by what it says, not by its language.
        The search is exact over the vectors held in memory (fast up to ~200k chunks)."""
        q = self.query_vector(question).astype(np.float32)
        cosine = self._matrix @ q
        calibrated = cosine.copy()
        if len(self._groups) > 1:
            reference = float(np.percentile(cosine, CALIBRATION_PERCENTILE))
            for rows in self._groups.values():
                if len(rows) >= MIN_CALIBRATION_ROWS:
                    calibrated[rows] -= float(np.percentile(cosine[rows], CALIBRATION_PERCENTILE)) - reference
        return calibrated, cosine

    def lexical(self, question: str, n: int) -> list[tuple[int, float]]:
        scores = self._lexical_scores(question)
        if scores is None:
            return []
        order = np.argsort(-scores, kind="stable")[:n]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]

    def _lexical_scores(self, question: str) -> np.ndarray | None:
        """BM25 of every chunk, or None when no word of the question is in the index."""
        if self._bm25 is None:
            return None
        ids = self._bm25.get_tokens_ids(self._lexical_tokens([question])[0])
        return self._bm25.get_scores_from_ids(ids) if ids else None

    def search(self, question: str, k: int | None = None) -> list[Passage]:
        """Fused candidates, best first; the first ``k`` are the ones to answer from."""
        k = k or self.k
        if not self._chunks:
            return []
        edition = self._named(question)
        n = max(self.candidates, k) * (2 if edition else 1)  # a wider net when the edition will reorder it
        fused: dict[int, Passage] = {}
        calibrated, cosine = self._dense_scores(question)
        lexical = self._lexical_scores(question)
        dense_order = np.argsort(-calibrated, kind="stable")
        chosen = [int(i) for i in dense_order[:n]]
        if lexical is not None:
            lexical_order = np.argsort(-lexical, kind="stable")
            chosen += [int(i) for i in lexical_order[:n] if lexical[i] > 0]
        # every candidate is scored by its rank in both lists, however far down: a list cut at n gave
        # the passage just past the cut nothing from it (eval/RESULTS.md, session six)
        dense_rank = _ranks(dense_order)
        lexical_rank = _ranks(lexical_order) if lexical is not None else None
        for i in dict.fromkeys(chosen):  # in both lists' tops: once
            p = fused[i] = Passage(**{**self._chunks[i].__dict__, "extra": {}})
            p.dense_score, p.dense_rank = float(cosine[i]), int(dense_rank[i])
            p.extra["dense_calibrated"] = float(calibrated[i])
            p.fused_score += self.dense_weight / (self.rrf_k + p.dense_rank)
            if lexical is not None and lexical[i] > 0:
                p.lexical_score, p.lexical_rank = float(lexical[i]), int(lexical_rank[i])
                p.fused_score += self.lexical_weight / (self.rrf_k + p.lexical_rank)
        if edition:
            self._weigh_edition(edition, fused)

        ranked = sorted(fused.values(), key=lambda p: -p.fused_score)
        for rank, p in enumerate(ranked, 1):
            p.rank = rank
        return ranked

    def _weigh_edition(self, edition: Edition, fused: dict[int, Passage]) -> None:
        """Lift passages of the announcement naming the asked edition, lower those naming another
        (editions.py); for "the latest", lift the most recent announcement among the candidates."""
        bonus = self.edition_weight / (self.rrf_k + 1)
        latest = max((p.date for p in fused.values()), default="") if edition.latest else None
        for i, p in fused.items():
            match = 0
            if edition.years or edition.ordinals or edition.places:
                year = int(p.date[:4]) if p.date[:4].isdigit() else None
                match = edition_match(edition, self._edition(("title", p.doc_id), p.title),
                                      self._told(i), year)
            elif latest:
                match = 1 if p.date == latest else 0
            p.extra["edition"] = match
            p.fused_score += bonus * match

    def _edition(self, key, text: str) -> Edition:
        """The edition ``text`` names, with the cities among those of the announcements' titles: a
        city no title names tells no edition apart (and GeoNames lists odd names: "China" is
        one of Qinzhou's)."""
        if key not in self._editions:
            self._editions[key] = self._named(text)
        return self._editions[key]

    def _told(self, i: int) -> Edition:
        """The edition chunk ``i`` is about: what it names and, for what it leaves unnamed, what the
        nearest earlier chunk of its announcement named. "The symposium brought together 44
        curators" speaks of the first BRISMIS its lead paragraph named; a look-alike mentioning
        "since the first BRISMIS" in passing must not outrank it for "the first symposium"."""
        start = i
        while start and ("chunk", start) not in self._editions and \
                self._chunks[start - 1].doc_id == self._chunks[i].doc_id:
            start -= 1
        for j in range(start, i + 1):
            if ("chunk", j) in self._editions:
                continue
            own = self._named(self._chunks[j].text)
            before = (self._editions[("chunk", j - 1)]
                      if j and self._chunks[j - 1].doc_id == self._chunks[j].doc_id else Edition())
            self._editions[("chunk", j)] = replace(own, years=own.years or before.years,
                                                   ordinals=own.ordinals or before.ordinals,
                                                   places=own.places or before.places)
        return self._editions[("chunk", i)]

    def _named(self, text: str) -> Edition:
        return replace(edition_of(text), places=places_in(text) & self._places)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [
            Document(page_content=p.text, metadata={**p.__dict__, "text": None})
            for p in self.search(query)[: self.k]
        ]


def _ranks(order: np.ndarray) -> np.ndarray:
    """Each row's 1-based rank, from the rows in ranked order."""
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(1, len(order) + 1)
    return ranks


def open_retriever(settings, embeddings: Embedder) -> HybridRetriever:
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
