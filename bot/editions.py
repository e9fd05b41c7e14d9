"""Which edition a question is about: a year ("BRISMIS 2023"), an ordinal ("the second
symposium", "第二届", "второй"), the latest one, or its city ("成都那届", places.py), in every
supported language.

Every edition's announcements look alike (the same kind of opening, the same counts, other
figures), so the words that name the edition are what tells the right one, and embeddings blur
them. The retriever uses ``edition_match`` to lift passages whose announcement names the same
edition and to lower those naming another. The word lists are data (bot/data/editions.json): a
language is added there, not here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .places import places_in, without_places

DATA = Path(__file__).resolve().parent / "data" / "editions.json"
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@lru_cache(maxsize=1)
def _tables() -> tuple[list[tuple[re.Pattern, int]], re.Pattern]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    unspaced = set(data["unspaced"])

    def word(lang: str, pattern: str) -> str:
        return f"(?:{pattern})" if lang in unspaced else rf"(?<![^\W\d_])(?:{pattern})(?![^\W\d_])"

    ordinals = []
    for lang, table in data["ordinals"].items():
        for number, pattern in table.items():
            ordinals.append((re.compile(word(lang, pattern), re.IGNORECASE), int(number)))
    latest = re.compile("|".join(word(lang, p) for lang, p in data["latest"].items()), re.IGNORECASE)
    return ordinals, latest


@dataclass(frozen=True)
class Edition:
    years: frozenset[int] = frozenset()
    ordinals: frozenset[int] = frozenset()
    latest: bool = False
    places: frozenset[int] = frozenset()  # its city (places.py ids), set by the retriever: it knows the titles' cities

    def __bool__(self) -> bool:
        return bool(self.years or self.ordinals or self.latest or self.places)


def edition_of(text: str) -> Edition:
    """The years, ordinals and "latest" named in ``text`` (a question, a title)."""
    ordinals, latest = _tables()
    return Edition(frozenset(int(y) for y in YEAR.findall(text)),
                   frozenset(n for regex, n in ordinals if regex.search(text)), bool(latest.search(text)))


def without_edition(text: str, titles: Iterable[str] = ()) -> str:
    """``text`` without the words naming an edition ("What did [the second] symposium adopt?", "How
    many were signed in [Chengdu]?" when one of ``titles`` names Chengdu; "In which district of
    Beijing…" asks about Beijing itself): what is asked about it. The retriever already weighs the
    edition; a sentence restating it answers nothing."""
    ordinals, latest = _tables()
    for regex, _ in ordinals:
        text = regex.sub(" ", text)
    text = YEAR.sub(" ", latest.sub(" ", text))
    titled = frozenset().union(*(places_in(t, confident=True) for t in set(titles)))
    return " ".join((without_places(text, titled) if titled else text).split())


def edition_match(question: Edition, title: Edition, text: Edition, date_year: int | None) -> int:
    """+1 when the passage's announcement names the edition the question asks about, -1 when it
    names only others, 0 when it cannot be told (no edition in the question, or none anywhere)."""
    score = 0
    if question.years:
        own = title.years | text.years | ({date_year} if date_year else set())
        score += 1 if own & question.years else -1 if own else 0
    for asked, in_title, in_text in ((question.ordinals, title.ordinals, text.ordinals),
                                     (question.places, title.places, text.places)):
        if asked:
            if in_title:
                score += 1 if in_title & asked else -1
            elif in_text & asked:
                score += 1
    return max(-1, min(1, score))
