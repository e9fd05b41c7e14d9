"""Whose count is it: a number said of the foreign participants must not be the passage's count of
the Chinese ones ("44位中国馆长" where the passage has 44 curators from abroad and "more than 140
Chinese curators"). The claim checks see that 44 is in the passage; this sees what it counts.

A number is qualified by the nearest word of one side (foreign / Chinese, in the served
languages) in the few words after it (or, failing that, just before it). An answer's qualified
number is wrong when the passage gives that number the other side, or gives its side only to other
numbers and never to this one. A number the passage leaves unqualified is not judged.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from .extract import extract_claims

KINDS = Path(__file__).resolve().parent / "data" / "counted_kinds.json"

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
_ARABIC = re.compile(r"[\u0600-\u06ff]")
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
# a Chinese count that ends in its measure word ("意向书23项", "展品30余件") counts the words before it
_MEASURE_WORD_ONLY = re.compile(r"^[余多]?[\u3400-\u9fff][。.!！]?$")
_CJK_BEFORE = 16


def counted_phrases(text: str, lang: str) -> list[tuple[str, str]]:
    """Each number of ``text`` (not years or dates) with the words it counts: "96 curators and
    directors of 65 science museums, science centres… from 42 countries" gives ("96", "curators and
    directors of"), ("65", "science museums"), ("42", "countries"). Which one a question asks for is
    told by meaning (evidence.SentenceEvidence.counts)."""
    return [(value, words) for value, words, _ in _counted(text, lang)]


def _counted(text: str, lang: str) -> list[tuple[str, str, bool]]:
    """(number, the words it counts, whether those words came before it)."""
    numbers = [c for c in extract_claims(text, lang) if c.kind == "number" and c.start >= 0]
    out = []
    for i, claim in enumerate(numbers):
        end = numbers[i + 1].start if i + 1 < len(numbers) else len(text)
        rest = text[claim.start + len(claim.text) : end]
        words = (_COUNTED_END.split(rest)[0].strip() or rest.strip()).split()[:8]
        before = _MEASURE_WORD_ONLY.match(" ".join(words))
        if before:  # "合作协议和意向书23项": the noun came first
            preceding = text[numbers[i - 1].start + len(numbers[i - 1].text) if i else 0 : claim.start]
            words = [_COUNTED_END.split(preceding)[-1].strip()[-_CJK_BEFORE:] + " ".join(words)]
        if words and words[0]:
            out.append((claim.normalized, " ".join(words)[:60], bool(before)))
    return out


@lru_cache(maxsize=1)
def _kinds() -> list[tuple[str, re.Pattern]]:
    data = json.loads(KINDS.read_text(encoding="utf-8"))
    def start(p: str) -> str:  # Arabic words take their article and conjunctions in front: "والدول"
        return p if _UNSPACED.search(p) else r"(?<!\w)(?:[وبلف]?ال|[وبلف])?" + p if _ARABIC.match(p) else r"(?<!\w)" + p

    return [(kind, re.compile("|".join(map(start, patterns)), re.IGNORECASE))
            for kind, patterns in data.items() if not kind.startswith("_")]


@lru_cache(maxsize=4096)
def _counted_kinds(text: str, lang: str) -> tuple[tuple[str, str], ...]:
    return tuple(_kinds_of_counts(text, lang).items())


def counted_kinds(text: str, lang: str) -> dict[str, str]:
    """Each number of ``text`` and the kind of thing it counts (countries, museums, curators,
    agreements…; bot/guard/data/counted_kinds.json): the kind named nearest to the number in the
    words it counts. Numbers of no known kind (days, words) are left out. Cached: every count
    question ranks the same passages' sentences."""
    return dict(_counted_kinds(text, lang))


def _kinds_of_counts(text: str, lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    head_last = lang in _HEAD_LAST
    for value, words, before in _counted(text, lang):
        if head_last:  # "young museum professionals", "curators and directors of natural history museums"
            words = _NOUN_PHRASE_END.split(words)[0]
        found = [(m.start(), kind) for kind, regex in _kinds() for m in regex.finditer(words)]
        if found:
            out.setdefault(value, (max(found) if before or head_last else min(found))[1])
    return out


def kinds_named(text: str) -> frozenset[str]:
    """The kinds of things a question names ("how many foreign museums" -> museums; "директоров
    музеев" -> curators and museums): a count of one of them is likelier its answer."""
    return frozenset(kind for kind, regex in _kinds() if regex.search(text))


_PEOPLE = frozenset({"curators", "participants", "professionals"})


def kinds_of_people(kinds) -> frozenset[str]:
    """``kinds`` with curators, participants and professionals as one: a visitor asking how many
    participants came is answered by "58 curators and directors" (two reports of one figure are
    still told apart by the finer kinds)."""
    return frozenset("people" if k in _PEOPLE else k for k in kinds)


# English noun phrases end in their head ("young museum professionals"); the others' counted words
# here start with it ("руководителя и директора научных музеев", "participants de 24 pays"), and
# a Chinese count with its measure word last (before) ends with it
_HEAD_LAST = frozenset({"en", "de"})
_NOUN_PHRASE_END = re.compile(r"\b(?:of|who|which|that|were|was|is|are|have|has|had|will)\b")


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


def count_conflict(answer: str, lang: str, passage: str, passage_lang: str) -> str | None:
    """Why a number of ``answer`` counts another kind of thing than ``passage`` says it counts, or
    None: "42 institutions étrangères" where the passage's 42 are countries ("65 science museums …
    from 42 countries"), "44 музеја" where its 44 are curators. Only kinds both name are compared,
    with curators, participants and professionals as one (kinds_of_people)."""
    theirs: dict[str, set[str]] = {}
    for value, kind in counted_kinds(passage, passage_lang or "en").items():
        theirs.setdefault(value, set()).add(kind)
    for value, kind in _named_right_after(answer, lang).items():
        given = theirs.get(value)
        if given and not kinds_of_people({kind}) & kinds_of_people(given):
            return f"said {value} {kind}, which counts something else than the passage's {value} ({' and '.join(sorted(given))})"
    return None


def _named_right_after(text: str, lang: str) -> dict[str, str]:
    """The kind each number of an answer counts, read only from the word or two right after it
    ("32 شخصاً شارك في ورشة": persons, not the workshop further on): an answer is short, and a
    kind named later belongs to something else."""
    out: dict[str, str] = {}
    for value, words, before in _counted(text, lang):
        if before:
            continue
        head = words[:6] if _UNSPACED.match(words) else " ".join(words.split()[:2])
        found = [(m.start(), kind) for kind, regex in _kinds() for m in regex.finditer(head)]
        if found:
            out.setdefault(value, min(found)[1])
    return out
