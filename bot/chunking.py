"""Sentence-aware chunks with exact character offsets into their document.

A chunk never cuts a sentence unless the sentence alone is longer than the budget, so a citation
always shows whole sentences, and ``document.text[start:end] == chunk.text`` lets the UI highlight
the exact passage. Sentence ends are recognised for Latin scripts (with common abbreviations such
as "Dr." or "No. 5" left alone), CJK (。！？；), Arabic/Persian/Urdu (؟ ۔ ؛) and Thai (which marks
sentences with a space, not punctuation). The budget is in tokens of the embedding model, so the
caller passes the model's own token counter; this module knows no models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from .corpus import Document

TokenCounter = Callable[[str], int]

# Words after which a period does not end a sentence (lower-cased, without the period).
ABBREVIATIONS = frozenset(
    "dr mr mrs ms prof no nos st mt vs etc e.g i.e cf fig vol pp ed eds inc ltd co corp dept "
    "jan feb mar apr jun jul aug sep sept oct nov dec approx est p.r u.s u.k".split()
)

_TERMINAL = re.compile(
    r"""
      [.!?…]+["'”’»)\]]*(?=\s|$)          # Latin: needs whitespace after, checked for abbreviations
    | [。！？；]+["'”’」』）)]*              # CJK full-width: no space follows
    | [؟۔؛]+                              # Arabic, Urdu, Persian
    | (?<=[\u0E00-\u0E7F])[ \t]+(?=[\u0E00-\u0E7F])   # Thai: a space between Thai words
    | \n                                  # a line break always ends a sentence here
    """,
    re.VERBOSE,
)
_CLAUSE = re.compile(r"[,;:，、；：،](?=\s)|[，、；：]|\s+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    doc_id: str
    position: int
    start: int
    end: int
    text: str
    metadata: dict

    @property
    def chunk_id(self) -> str:
        return f"{self.doc_id}#{self.position}"


def ends_with_abbreviation(text: str, dot: int) -> bool:
    """The full stop at ``dot`` closes an abbreviation ("Mr.", "Prof.", "г."), not a sentence."""
    word = re.search(r"([\w.]+)$", text[:dot])
    if not word:
        return False
    w = word.group(1).lower().rstrip(".")
    return w in ABBREVIATIONS or (len(w) == 1 and w.isalpha())


def sentence_spans(text: str) -> list[Span]:
    """Split ``text`` into sentence spans, trimmed of surrounding whitespace."""
    spans, begin = [], 0
    for m in _TERMINAL.finditer(text):
        if text[m.start()] == "." and ends_with_abbreviation(text, m.start()):
            continue
        spans.extend(_trimmed(text, begin, m.end()))
        begin = m.end()
    spans.extend(_trimmed(text, begin, len(text)))
    return spans


def _trimmed(text: str, start: int, end: int) -> list[Span]:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return []
    lead = len(piece) - len(piece.lstrip())
    return [Span(start + lead, start + lead + len(stripped))]


def _split_long(text: str, span: Span, budget: int, count: TokenCounter) -> Iterator[Span]:
    """Cut an over-long sentence at clause marks or spaces, then by characters as a last resort."""
    start = span.start
    while start < span.end:
        if count(text[start : span.end]) <= budget:
            yield Span(start, span.end)
            return
        best = None
        for m in _CLAUSE.finditer(text, start, span.end):
            if count(text[start : m.end()]) > budget:
                break
            best = m.end()
        if best is None:  # no clause mark fits: cut by characters (binary search)
            lo, hi = start + 1, span.end
            while lo < hi:
                mid = (lo + hi + 1) // 2
                lo, hi = (mid, hi) if count(text[start:mid]) <= budget else (lo, mid - 1)
            best = lo
        piece = _trimmed(text, start, best)
        yield from piece
        start = best
        while start < span.end and text[start].isspace():
            start += 1


def chunk_document(
    doc: Document, max_tokens: int, count_tokens: TokenCounter, overlap_sentences: int = 1
) -> list[Chunk]:
    """Pack whole sentences into chunks of at most ``max_tokens``; repeat the last
    ``overlap_sentences`` of a chunk at the start of the next so a fact split across a
    boundary is still found whole in one chunk."""
    text = doc.text
    sentences: list[Span] = []
    for s in sentence_spans(text):
        sentences.extend(_split_long(text, s, max_tokens, count_tokens))

    groups: list[list[Span]] = []
    current: list[Span] = []
    for s in sentences:
        candidate = current + [s]
        if current and count_tokens(text[candidate[0].start : s.end]) > max_tokens:
            groups.append(current)
            keep = current[-overlap_sentences:] if overlap_sentences else []
            current = keep + [s]
            while len(current) > 1 and count_tokens(text[current[0].start : s.end]) > max_tokens:
                current = current[1:]
        else:
            current = candidate
    if current:
        groups.append(current)

    base = {
        "doc_id": doc.doc_id,
        "title": doc.title,
        "url": doc.url,
        "date": doc.date.isoformat(),
        "lang": doc.lang,
        "source": doc.doc_id,  # the record manager's source id: one document, many chunks
    }
    chunks = []
    for position, group in enumerate(groups):
        start, end = group[0].start, group[-1].end
        meta = dict(base, position=position, start=start, end=end, chunk_id=f"{doc.doc_id}#{position}")
        chunks.append(Chunk(doc.doc_id, position, start, end, text[start:end], meta))
    return chunks
