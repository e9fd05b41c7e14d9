"""Recognising "I don't know": the model says so, or that the passages do not say.

Such an answer is turned into the assistant's own polite decline instead of being verified. The
phrases are in each language's data file ("dont_know"), and every language's are tried whatever
the answer language, because a small model sometimes answers in English or in the wrong language.
"""

from __future__ import annotations

from .markers import MARKER
from .tables import LANGUAGES
from .text import fold, word_count

_DONT_KNOW_PATTERNS = sorted(
    {fold(p.strip()) for data in LANGUAGES.values() for p in data.get("dont_know", ()) if p.strip()}, key=len
)


def is_dont_know(answer: str, lang: str) -> bool:
    """The model says it does not know or that the passages do not say.

    A partial answer ("the day is not given, but it was in November 2017 [1]") is not a don't-know:
    when the answer cites something and goes on for more than one short sentence, it is an answer
    and ``verify`` judges it. Every language's phrases are tried, whatever ``lang`` says: a small
    model sometimes answers in English, or in the wrong language.
    """
    folded = fold(answer)
    if not any(p in folded for p in _DONT_KNOW_PATTERNS):
        return False
    if not MARKER.search(answer):
        return True
    return word_count(MARKER.sub(" ", answer)) <= 15
