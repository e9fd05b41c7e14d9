"""Staff-verified answers: the frequent questions answered from an answer staff wrote and approved.

A 1.5B model on two CPU cores will get some answers wrong however good the chain is. When staff
fix one (from a 👎 in the console), every visitor who asks the same thing, in any language, gets
the fixed answer at once: the question is matched by meaning (the e5 embeddings are cross-lingual)
against the verified questions, no model runs, and the answer is marked "verified by staff".

This module is the answering side: ``VerifiedAnswer`` (one answer in several languages) and
``VerifiedIndex`` (the approved ones, embedded once, matched per question). Where they are kept
(the database), edited (the console) and exported is serving's business (bot/serve/verified_store.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .editions import edition_of
from .question_type import asked_for

FALLBACKS = Path(__file__).resolve().parent / "data" / "reading_fallbacks.json"


@lru_cache(maxsize=1)
def _fallbacks() -> dict[str, list[str]]:
    return json.loads(FALLBACKS.read_text(encoding="utf-8"))["fallbacks"]


def reading_order(lang: str) -> list[str]:
    """The languages a visitor writing ``lang`` is likely to read, best first (``lang`` itself first)."""
    return [lang] + [code for code in _fallbacks().get(lang, []) if code != lang] + (["en"] if lang != "en" else [])


@dataclass(frozen=True)
class VerifiedAnswer:
    id: str
    question: str  # the question as staff wrote it (any language)
    answers: dict[str, str]  # language -> text
    approved: frozenset[str]  # the languages whose text staff approved
    sources: tuple[str, ...] = ()  # doc_ids the answer rests on (none: a policy answer)
    alternatives: tuple[str, ...] = ()  # other wordings of the question, matched too
    serving: bool = True  # false: disabled, or under review without "keep serving"
    source_passages: tuple[dict, ...] = field(default=(), compare=False)  # citations shown with it

    def text_for(self, lang: str) -> tuple[str, str] | None:
        """(language, approved text) for a visitor writing ``lang``: theirs, else the nearest
        language they are likely to read. Never an unapproved text."""
        for code in reading_order(lang):
            if code in self.approved and self.answers.get(code, "").strip():
                return code, self.answers[code]
        return None


@dataclass(frozen=True)
class VerifiedMatch:
    answer: VerifiedAnswer
    similarity: float
    language: str  # the language of the text given
    text: str


def signature(question: str) -> tuple:
    """What two questions must share before one's verified answer may answer the other: the kind
    of fact asked for (when, where, who, how many...) and the edition (year, ordinal, "latest").
    e5 puts "Where was the ceremony held?" at 0.98 of "When was the ceremony held?"
    (bench/verified_threshold.py): similarity alone would give one's verified answer to the other."""
    return asked_for(question), edition_of(question)


def compatible(question: str, verified_question: str) -> bool:
    return signature(question) == signature(verified_question)


class VerifiedIndex:
    """The serving verified answers, their questions embedded once."""

    def __init__(self, answers: list[VerifiedAnswer], embedder, threshold: float):
        """``threshold``: Settings.verified_match_min, chosen by measurement (bench/verified_threshold.py)."""
        self.answers = [a for a in answers if a.serving and a.approved]
        self.threshold = threshold
        self._owner: list[int] = []
        texts: list[str] = []
        for i, a in enumerate(self.answers):
            for q in (a.question, *a.alternatives):
                texts.append(q)
                self._owner.append(i)
        self._texts = texts
        self._vectors = np.asarray(embedder.encode_queries(texts)) if texts else np.zeros((0, 1))

    def __len__(self) -> int:
        return len(self.answers)

    def best(self, query_vector, query: str) -> tuple[VerifiedAnswer | None, float]:
        """The closest compatible verified answer and its similarity, whatever the threshold."""
        if not len(self._owner):
            return None, 0.0
        scores = self._vectors @ np.asarray(query_vector)
        for i in np.argsort(-scores):
            if compatible(query, self._texts[i]):
                return self.answers[self._owner[i]], float(scores[i])
        return None, 0.0

    def match(self, query_vector, lang: str, query: str) -> VerifiedMatch | None:
        answer, similarity = self.best(query_vector, query)
        if answer is None or similarity < self.threshold:
            return None
        found = answer.text_for(lang)
        if found is None:
            return None
        return VerifiedMatch(answer, similarity, *found)
