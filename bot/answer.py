"""From a question to an answer object: detect language -> retrieve -> answer or decline.

The answer here is extractive: the sentences of the retrieved passages closest in meaning to the
question, quoted with [n] markers and a lead-in in the asker's language. It is the no-LLM backend
and the fallback of every generator, so it must never say anything the announcements do not.
When the best passage is not similar enough to the question, the assistant declines instead.
The ``Answer`` object is the one shape shared by the CLI, the API, the console and the eval.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field

from .chunking import sentence_spans
from .language import detect_language, phrase
from .retrieval import HybridRetriever, Passage
from .settings import Settings

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    url: str
    date: str
    text: str = Field(description="the whole cited passage")
    chunk_id: str = ""
    start: int = Field(0, description="offset of the passage in the document text")
    end: int = 0
    highlights: list[tuple[int, int]] = Field(
        default_factory=list, description="offsets, within `text`, of the sentences the answer rests on"
    )


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str


class Answer(BaseModel):
    id: Any = None
    question: str
    language: str
    answer: str
    grounded: bool
    citations: list[Citation] = Field(default_factory=list)
    path: Literal["extractive", "declined"] = "extractive"
    timings_ms: dict[str, float] = Field(default_factory=dict)
    retrieval_query: str = ""
    candidates: list[dict] = Field(default_factory=list, exclude=True)  # for the staff console

    def public(self) -> dict:
        """The stable JSON shape of `brismis ask --json/--jsonl` and the API."""
        return self.model_dump(
            include={"id", "question", "language", "answer", "grounded", "citations", "path", "timings_ms"},
            mode="json",
        )


class Assistant:
    """Holds the loaded retriever; ``ask`` is safe to call many times (models load once)."""

    def __init__(self, retriever: HybridRetriever, settings: Settings):
        self.retriever = retriever
        self.settings = settings
        self._sentence_cache: OrderedDict[str, tuple[list, np.ndarray]] = OrderedDict()
        self._contact = None

    @classmethod
    def load(cls, settings: Settings, progress=None) -> "Assistant":
        """Load the embedding model and open the active index (raises with a clear fix if absent)."""
        from .embeddings import load_embeddings
        from .retrieval import open_retriever

        return cls(open_retriever(settings, load_embeddings(settings, progress)), settings)

    # ------------------------------------------------------------------ public

    def ask(
        self,
        question: str,
        history: list[Turn] | None = None,
        language_hint: str | None = None,
        id: Any = None,
    ) -> Answer:
        t0 = time.perf_counter()
        history = history or []
        question = question.strip()
        prior_user = [t.content for t in history if t.role == "user"]
        history_lang = detect_language(prior_user[-1]).code if prior_user else None
        lang = detect_language(question, history_language=history_lang, hint=language_hint).code
        t1 = time.perf_counter()

        query, passages = self._retrieve(question, prior_user[-1] if prior_user else None)
        t2 = time.perf_counter()

        best = max((p.dense_score for p in passages if p.dense_score is not None), default=0.0)
        if best < self.settings.min_relevance:
            answer = self._decline(question, lang)
        else:
            answer = self._extract(question, lang, passages[: self.settings.top_k])
        t3 = time.perf_counter()

        answer.id = id
        answer.retrieval_query = query
        answer.candidates = [p.__dict__ | {"text": p.text} for p in passages]
        answer.timings_ms = {
            "language": round((t1 - t0) * 1000, 1),
            "retrieval": round((t2 - t1) * 1000, 1),
            "answer": round((t3 - t2) * 1000, 1),
            "total": round((t3 - t0) * 1000, 1),
        }
        return answer

    def contact(self) -> str | None:
        """The secretariat's address as the announcements give it (not hard-coded)."""
        if self._contact is None:
            found = [m for p in self.retriever.chunks for m in EMAIL.findall(p.text)]
            found = sorted(enumerate(found), key=lambda ie: ("secretariat" not in ie[1].lower(), ie[0]))
            self._contact = found[0][1] if found else ""
        return self._contact or None

    # ------------------------------------------------------------------ steps

    def _retrieve(self, question: str, previous: str | None) -> tuple[str, list[Passage]]:
        """A follow-up ("and where was it signed?") often only makes sense with the previous
        question, so both readings are searched and the more confident one is kept."""
        readings = [question] + ([f"{previous} {question}"] if previous else [])
        best_query, best_passages, best_score = question, [], -1.0
        for query in readings:
            passages = self.retriever.search(query, self.settings.candidates)
            score = max((p.dense_score or 0.0 for p in passages), default=0.0)
            if score > best_score + 1e-6:
                best_query, best_passages, best_score = query, passages, score
        return best_query, best_passages

    def _decline(self, question: str, lang: str) -> Answer:
        contact = self.contact()
        text = phrase("decline", lang, contact=contact) if contact else phrase("decline_no_contact", lang)
        return Answer(question=question, language=lang, answer=text, grounded=False, path="declined")

    def _sentences(self, passage: Passage) -> tuple[list, np.ndarray]:
        cached = self._sentence_cache.get(passage.chunk_id)
        if cached is None:
            spans = sentence_spans(passage.text)
            vectors = self.retriever.embeddings.encode_passages([passage.text[s.start : s.end] for s in spans])
            cached = (spans, vectors)
            self._sentence_cache[passage.chunk_id] = cached
            while len(self._sentence_cache) > 2048:
                self._sentence_cache.popitem(last=False)
        return cached

    def _extract(self, question: str, lang: str, passages: list[Passage]) -> Answer:
        q = np.asarray(self.retriever.embeddings.encode_queries([question])[0])
        scored = []  # (score, passage index, span)
        for pi, passage in enumerate(passages[:3]):
            spans, vectors = self._sentences(passage)
            for span, v in zip(spans, vectors):
                scored.append((float(v @ q), pi, span))
        scored.sort(key=lambda x: -x[0])
        # e5 similarities are compressed: only sentences almost as close as the best one are kept
        picked = [s for s in scored[: self.settings.extractive_sentences] if s[0] >= scored[0][0] - 0.03]

        numbers: dict[int, int] = {}
        citations: list[Citation] = []
        quotes = []
        for _, pi, span in picked:
            passage = passages[pi]
            if pi not in numbers:
                numbers[pi] = len(numbers) + 1
                citations.append(
                    Citation(
                        n=numbers[pi],
                        doc_id=passage.doc_id,
                        title=passage.title,
                        url=passage.url,
                        date=passage.date,
                        text=passage.text,
                        chunk_id=passage.chunk_id,
                        start=passage.start,
                        end=passage.end,
                    )
                )
            citations[numbers[pi] - 1].highlights.append((span.start, span.end))
            quotes.append(f"“{passage.text[span.start:span.end]}” [{numbers[pi]}]")
        text = phrase("lead_in", lang) + "\n" + "\n".join(quotes)
        return Answer(question=question, language=lang, answer=text, grounded=True, citations=citations)
