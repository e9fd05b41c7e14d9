"""The checkable claims of an answer, read in passes.

The order of the passes matters: each blanks out what it read, so that the digits of an e-mail
address are not a number, the 24 of "June 24" is part of the date and not a head count, and the
2017 of "2017-11-15" is read once.
"""

from __future__ import annotations

import re
import unicodedata

from .claim import Claim
from .contacts import contact_claims
from .dates import month_claims, numeric_date_claims
from .gazetteer import gazetteer_claims
from .markers import MARKER
from .names import name_claims
from .numbers import chinese_numeral_claims, english_word_claims, number_claims, word_number_claims

# "1. ", "2) ", "3、", "一、" at the start of a line number a list, they say nothing.
_LIST_ITEM = re.compile(r"(?m)^[ \t]*(?:\d{1,2}|[一二三四五六七八九十]{1,2})(?:[.)）]\s|[、．])")


def extract_claims(answer: str, lang: str) -> list[Claim]:
    """The checkable claims of an answer, in the order they appear (citation markers ignored)."""
    answer = unicodedata.normalize("NFC", answer)  # decomposed accents would split words
    text = MARKER.sub(lambda m: " " * len(m.group(0)), answer)
    text = _LIST_ITEM.sub(lambda m: " " * len(m.group(0)), text)
    buf = list(text)  # each pass blanks out what it read
    claims = contact_claims(buf)
    claims += numeric_date_claims(buf, lang)
    claims += month_claims(buf, lang)
    claims += number_claims(buf, lang)
    text_now = "".join(buf)
    claims += chinese_numeral_claims(text_now)
    claims += english_word_claims(text_now, lang)
    claims += word_number_claims(text_now, lang)
    claims += name_claims(text_now, lang)
    claims += gazetteer_claims(text_now)
    claims.sort(key=lambda c: c.start)
    return claims


def stated_dates(text: str, lang: str) -> list[list[str]]:
    """The dates ``text`` states, normalized, the two days of a range together: "On 27 November
    2017 … 27–30 November" -> [["2017-11-27"], ["2017-11-27", "2017-11-30"]]."""
    groups: dict[tuple, set[str]] = {}
    for c in extract_claims(text, lang):
        if c.kind == "date":
            groups.setdefault((c.start, c.text), set()).add(c.normalized)
    return [sorted(g) for g in groups.values()]
