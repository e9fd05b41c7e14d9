"""Whose count is it: a number said of the foreign participants must not be the passage's count of
the Chinese ones ("44位中国馆长" where the passage has 44 curators from abroad and "more than 140
Chinese curators"). The claim checks see that 44 is in the passage; this sees what it counts.

A number is qualified by the nearest word of one side (foreign / Chinese, in the served
languages) in the few words after it (or, failing that, just before it). An answer's qualified
number is wrong when the passage gives that number the other side, or gives its side only to other
numbers and never to this one. A number the passage leaves unqualified is not judged.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .extract import extract_claims

# stems (case-folded), matched at a word's start; Chinese and Thai ones anywhere
_SIDES = {
    "foreign": ("foreign", "overseas", "abroad", "外国", "国外", "境外", "海外", "外方", "外籍", "иностран",
                "зарубеж", "أجنب", "étranger", "étrangèr", "extranjer", "estrangeir", "ausländ", "ต่างประเทศ",
                "ต่างชาติ", "asing", "luar negara", "ξέν", "ξεν", "αλλοδαπ", "stran", "inostran", "стран",
                "иностран", "xorijiy", "chet el", "yabancı", "nước ngoài"),
    "chinese": ("chinese", "china's", "domestic", "中国", "国内", "中方", "китайск", "صيني", "الصين", "chinois",
                "chino", "china", "chinês", "chines", "chinesisch", "จีน", "cina", "tiongkok", "κινέζ", "κινεζ",
                "kinesk", "кинеск", "xitoy", "çinli", "trung quốc"),
}
_UNSPACED = re.compile(r"[\u3400-\u9fff\u0e00-\u0e7f]")
_WORDS_AFTER, _WORDS_BEFORE, _CHARS = 3, 2, 8


def _named(text: str) -> list[tuple[int, str]]:
    """(position, side) of each side's first word in ``text``."""
    folded = text.casefold()
    found = []
    for side, stems in _SIDES.items():
        for stem in stems:
            pattern = re.escape(stem) if _UNSPACED.search(stem) else r"(?<!\w)" + re.escape(stem)
            m = re.search(pattern, folded)
            if m:
                found.append((m.start(), side))
    return found


def _side(text: str) -> str | None:
    found = _named(text)
    return min(found)[1] if found else None


def _qualifier(text: str, start: int, end: int) -> str | None:
    """The side named next to the number at text[start:end]: after it first, then before it."""
    after, before = text[end:], text[:start]
    if _UNSPACED.search(after[:2] + before[-2:]):
        after, before = after[:_CHARS], before[-_CHARS:]
    else:
        after, before = " ".join(after.split()[:_WORDS_AFTER]), " ".join(before.split()[-_WORDS_BEFORE:])
    after = re.split(r"\d", after, maxsplit=1)[0]  # the next number's qualifier is its own
    return _side(after) or _side(before)


@lru_cache(maxsize=1024)
def _numbers(text: str, lang: str) -> tuple[tuple[str, str | None], ...]:
    """Each number of ``text`` with its side. Cached: a streamed answer is checked sentence by
    sentence against the same few passages."""
    return tuple((c.normalized, _qualifier(text, c.start, c.start + len(c.text)))
                 for c in extract_claims(text, lang) if c.kind == "number" and c.start >= 0)


def side_named(text: str) -> str | None:
    """The side a question asks about ("how many foreign museums"), if it names one."""
    return _side(text)


def side_asked(question: str) -> str | None:
    """The one side a question asks about; None when it names none or both ("foreign and Chinese")."""
    sides = {side for _, side in _named(question)}
    return sides.pop() if len(sides) == 1 else None


def number_sides(text: str, lang: str) -> dict[str, str | None]:
    """Each number of ``text`` and the side it counts (None when unqualified)."""
    out: dict[str, str | None] = {}
    for value, side in _numbers(text, lang):
        out[value] = out.get(value) or side
    return out


# where the words a number counts end: the next list item, or what they came from ("96 curators and
# directors of 65 museums from 42 countries"). English and CJK punctuation: the passages' languages.
_COUNTED_END = re.compile(r"[,;:(，、；：（。]|\b(?:from|including|with|in|at)\b|\bof\b(?=\s+\d)|"
                          r"\band\b(?=\s+(?:more|over|nearly|about|\d))")


def counted_phrases(text: str, lang: str) -> list[tuple[str, str]]:
    """Each number of ``text`` (not years or dates) with the words it counts: "96 curators and
    directors of 65 science museums, science centres… from 42 countries" gives ("96", "curators and
    directors of"), ("65", "science museums"), ("42", "countries"). Which one a question asks for is
    told by meaning (evidence.SentenceEvidence.counts)."""
    numbers = [c for c in extract_claims(text, lang) if c.kind == "number" and c.start >= 0]
    out = []
    for i, claim in enumerate(numbers):
        end = numbers[i + 1].start if i + 1 < len(numbers) else len(text)
        rest = text[claim.start + len(claim.text) : end]
        words = (_COUNTED_END.split(rest)[0].strip() or rest.strip()).split()[:8]
        if words:
            out.append((claim.normalized, " ".join(words)[:60]))
    return out


def qualifier_conflict(answer: str, lang: str, passage: str, passage_lang: str,
                       asked: str | None = None) -> str | None:
    """Why a number of ``answer`` counts another side than ``passage`` gives it, or None. A number
    the answer leaves unqualified counts the side the question ``asked`` about ("How many Chinese
    participants?" "96 [1]", where the passage's 96 came from 42 countries and 300 were Chinese)."""
    theirs = _numbers(passage, passage_lang or "en")
    for value, side in _numbers(answer, lang):
        side = side or asked
        if side is None:
            continue
        sides = {s for v, s in theirs if v == value and s}
        other = "chinese" if side == "foreign" else "foreign"
        if other in sides and side not in sides:
            return f"said {value} of the {side} participants, which the passage says of the {other} ones"
        if not sides and any(s == side for v, s in theirs if v != value):
            return f"said {value} of the {side} participants, a count the passage gives to others"
    return None
