"""The fact asked for, said in the visitor's language without a model: a quote's short answer.

A quote is in its announcement's language, which many visitors do not read. When the question
asks when (or for the dates: then only a range of days will do), how many, or for an e-mail
address or a telephone number, and the sentence that answers holds exactly one fact of that kind
(one date or one range of days, one count of the side asked about, the addresses), that fact is
the answer, written for the visitor's language (dates by CLDR, through Babel) after the lead-in,
and the sentence stays highlighted in its citation, one click away. Nothing is written that the
sentence does not state: a count the sentence hedges ("more than 140", "130余位") is quoted
instead, and so is a sentence with two candidates, where only reading tells which one is asked,
unless the words each count counts make one clearly the answer (evidence.counts).
"""

from __future__ import annotations

import datetime as dt
import re

from babel.core import UnknownLocaleError
from babel.dates import format_date, format_skeleton

from .evidence import COUNT_MARGIN
from .guard import extract_claims, stated_dates
from .guard.qualifiers import number_sides, side_named
from .question_type import PHONE

ASKED = ("when", "how_many", "email", "phone")
# words that make a count approximate, in the announcements' languages ("more than 140", "130余位")
_HEDGES = re.compile(
    r"(?:more than|over|nearly|almost|about|around|approximately|some|up to|at least|close to|"
    r"более|свыше|около|почти|больше|plus de|près de|environ|más de|cerca de|unos|unas|lebih dari|hampir|"
    r"sekitar|περισσότερ\w*|σχεδόν|περίπου|више од|око|скоро|dan ortiq|qariyb|أكثر من|نحو|حوالي|قرابة|"
    r"มากกว่า|เกือบ|ประมาณ|超过|近|约|逾)\s*$", re.IGNORECASE)
_HEDGES_AFTER = re.compile(r"^\s*(?:\+|余|多|以上|plus|odd|\+?\s*(?:or more|ta dan ortiq))", re.IGNORECASE)
_DATE = re.compile(r"(\d{4}|-)-(\d{2})(?:-(\d{2}))?")


def stated_fact(kinds: frozenset[str], sentence: str, sentence_lang: str, question: str, lang: str,
                counts: dict[str, float] | None = None) -> str | None:
    """The one fact of the asked kind that ``sentence`` states, written for ``lang``; None when
    the question asks for another kind, or the sentence holds none or several. Of several counts,
    the one ``counts`` (evidence.counts) puts clearly first is the one asked for."""
    asked = [k for k in ASKED if k in kinds]
    if len(asked) != 1 or kinds - {*ASKED, "days"}:  # "where and when", "who and how many": read, not picked
        return None
    if asked[0] == "when":
        dates = stated_dates(sentence, sentence_lang or "en")
        if len(dates) != 1 or ("days" in kinds and len(dates[0]) != 2):  # "what dates?": not the opening day
            return None
        return written_date(dates[0], lang)
    if asked[0] == "how_many":
        return _count(sentence, sentence_lang or "en", question, lang, counts or {})
    if asked[0] == "email":
        found = list(dict.fromkeys(c.text for c in extract_claims(sentence, sentence_lang or "en") if c.kind == "email"))
        return ", ".join(found) or None
    found = list(dict.fromkeys(m.group(0).strip() for m in PHONE.finditer(sentence)))
    return found[0] if len(found) == 1 else None


def _count(sentence: str, sentence_lang: str, question: str, lang: str, counts: dict[str, float]) -> str | None:
    asked_numbers = {c.normalized for c in extract_claims(question, lang) if c.kind == "number"}
    numbers = {c.normalized: c for c in extract_claims(sentence, sentence_lang) if c.kind == "number"}
    for value in asked_numbers:
        numbers.pop(value, None)
    side = side_named(question)
    if side:
        sides = number_sides(sentence, sentence_lang)
        if any(sides.get(v) for v in numbers):  # the sentence says whose counts they are
            numbers = {v: c for v, c in numbers.items() if sides.get(v) == side}
    if len(numbers) > 1 and counts:
        # "96 curators … 42 countries, representatives of 8 international organizations": what each
        # counts was read against the question; only a clear first is taken (golden and tune count
        # questions: 9 of 71 were this clear, none of them wrong)
        best = max(counts, key=counts.get)
        if best in numbers and all(counts[best] - v >= COUNT_MARGIN for k, v in counts.items() if k != best):
            numbers = {best: numbers[best]}
    if len(numbers) != 1:
        return None
    (value, claim), = numbers.items()
    if claim.start < 0 or not re.search(r"\d|[\u3400-\u9fff]", claim.text):  # "the two parties": a word, rarely the count
        return None
    before, after = sentence[max(0, claim.start - 20):claim.start], sentence[claim.start + len(claim.text):][:12]
    if _HEDGES.search(before.casefold()) or _HEDGES_AFTER.match(after.casefold()):
        return None
    return value


def written_date(found: list[str], lang: str) -> str | None:
    """One date, or the two days of a range (normalized: "2017-11-27", "--06-24", "2017-11"), in
    ``lang``'s long form; None for anything else."""
    parts = sorted(m.groups() for m in map(_DATE.fullmatch, dict.fromkeys(found)) if m)
    if not parts or len(parts) > 2 or len({y for y, _, _ in parts}) != 1:
        return None
    if len(parts) == 2 and not all(d for _, _, d in parts):  # "November 2017" and "27 November": which one?
        return None
    year = parts[0][0]
    locale = _locale(lang)
    # a leap year stands in for an unknown year, so that 29 February can be written
    dates = [dt.date(int(year) if year != "-" else 2020, int(mo), int(d or 1)) for _, mo, d in parts]
    if not parts[0][2]:
        return format_skeleton("yMMMM" if year != "-" else "MMMM", dates[0], locale=locale)
    if year == "-":
        return " – ".join(format_skeleton("MMMMd", d, locale=locale) for d in dates)
    return " – ".join(format_date(d, "long", locale=locale) for d in dates)


def _locale(lang: str) -> str:
    try:
        format_date(dt.date(2000, 1, 1), "long", locale=lang)
        return lang
    except (UnknownLocaleError, ValueError):
        return "en"
