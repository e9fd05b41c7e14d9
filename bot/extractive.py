"""Sentence-level evidence from the retrieved passages.

- The no-LLM answer: the sentences closest in meaning to the question, quoted with [n] markers
  after a lead-in in the asker's language. It is a backend of its own and the fallback when a
  generated answer fails verification, so it only ever quotes the announcements.
- Prompt compression: a CPU model reads ~100 prompt tokens a second, so the generator gets only
  the few sentences of each passage that are closest to the question (bench/answer_speed.py).
- Attribution: a small model often states a right fact without its [n]; the closest passage that
  contains every claim of the sentence is cited for it (and verification still follows).
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from .chunking import sentence_spans
from .language import phrase
from .schema import Citation

CLOSE_TO_BEST = 0.03  # e5 similarities are compressed: keep only sentences almost as close as the best


def _is_heading(text: str) -> bool:
    """A list bullet, or a title line: no sentence end, no number or address, mostly Capitalised."""
    text = text.strip()
    if text.startswith(("•", "·", "-", "*")):
        return True
    if re.search(r"[.!?。！？؟]$|\d|@", text):
        return False
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


@dataclass(frozen=True)
class Excerpt:
    """What the generator sees of a passage."""

    title: str
    date: str
    text: str


class SentenceEvidence:
    def __init__(self, embeddings, sentences: int = 2, cache_size: int = 2048):
        self.embeddings = embeddings
        self.sentences = sentences
        self.cache_size = cache_size
        self._cache: OrderedDict[str, tuple[list, np.ndarray]] = OrderedDict()

    def _sentences(self, passage) -> tuple[list, np.ndarray]:
        # keyed by the text itself: a chunk id ("doc#3") survives an edit of its document, its text does not
        key = hashlib.sha256(passage.text.encode("utf-8")).hexdigest()
        cached = self._cache.get(key)
        if cached is None:
            spans = sentence_spans(passage.text)
            vectors = self.embeddings.encode_passages([passage.text[s.start : s.end] for s in spans])
            cached = self._cache[key] = (spans, vectors)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return cached

    def answer(self, question: str, lang: str, passages: list) -> tuple[str, list[Citation]]:
        q = np.asarray(self.embeddings.encode_queries([question])[0])
        scored = []  # (similarity, passage index, sentence span)
        for pi, passage in enumerate(passages):
            spans, vectors = self._sentences(passage)
            scored += [(float(v @ q), pi, span) for span, v in zip(spans, vectors)]
        scored.sort(key=lambda x: -x[0])
        # overlapping chunks hold the same sentence twice, and headings ("• Current Events", the
        # site's name in the footer) say nothing: quote each sentence once, and only real sentences
        unique, seen = [], set()
        for s in scored:
            text = passages[s[1]].text[s[2].start : s[2].end]
            if text not in seen and not _is_heading(text):
                seen.add(text)
                unique.append(s)
        scored = unique or scored
        picked = [s for s in scored[: self.sentences] if s[0] >= scored[0][0] - CLOSE_TO_BEST]

        numbers: dict[int, int] = {}
        citations: list[Citation] = []
        quotes = []
        for _, pi, span in picked:
            if pi not in numbers:
                numbers[pi] = len(numbers) + 1
                citations.append(Citation.of(numbers[pi], passages[pi]))
            citations[numbers[pi] - 1].highlights.append((span.start, span.end))
            quotes.append(f"“{passages[pi].text[span.start:span.end]}” [{numbers[pi]}]")
        return phrase("lead_in", lang) + "\n" + "\n".join(quotes), citations

    def compress(self, question: str, passages: list, sentences: int = 4) -> dict[int, Excerpt]:
        """The ``sentences`` sentences closest to the question across all passages, grouped by
        passage (key: the passage's index) and kept in document order."""
        q = np.asarray(self.embeddings.encode_queries([question])[0])
        scored = []
        for pi, passage in enumerate(passages):
            spans, vectors = self._sentences(passage)
            scored += [(float(v @ q), pi, si) for si, v in enumerate(vectors)]
        chosen = sorted(scored, key=lambda x: -x[0])[:sentences]
        out = {}
        for pi in sorted({pi for _, pi, _ in chosen}):
            spans = self._sentences(passages[pi])[0]
            keep = sorted(si for _, p, si in chosen if p == pi)
            text = " ".join(passages[pi].text[spans[si].start : spans[si].end] for si in keep)
            out[pi] = Excerpt(passages[pi].title, passages[pi].date, text)
        return out

    def closest(self, sentence: str, passages: list, allowed: list[int], minimum: float = 0.8) -> int | None:
        """Index of the allowed passage holding the sentence closest in meaning to ``sentence``."""
        if not allowed:
            return None
        v = np.asarray(self.embeddings.encode_passages([sentence])[0])
        scores = {}
        for i in allowed:
            spans, vectors = self._sentences(passages[i])
            if spans:
                scores[i] = float(np.max(vectors @ v))
        best = max(scores, key=scores.get, default=None)
        return best if best is not None and scores[best] >= minimum else None
