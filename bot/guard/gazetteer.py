"""Cities in the scripts without capital letters (Chinese, Arabic, Persian, Thai, Khmer, Myanmar).

There a name cannot be told from other words, so only the cities a model is likely to invent
are looked for (data/gazetteer.json: the English name, then its spellings). A city found is a
name claim carrying its English name, which the cited passages must contain: "贝鲁特" and
"بيروت" both claim Beirut. Any other place or person in those scripts goes unseen.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..scripts import unicode_script
from .claim import Claim
from .tables import shared
from .text import fold, fold_with_map

_DATA = shared("gazetteer")
# Scripts with spaces between words: there a city is a whole word, maybe with one of these
# one-letter words glued on (Arabic ب, و...); elsewhere it may sit anywhere.
_WHOLE_WORDS: dict[str, str] = _DATA["whole_words"]
_CITIES: dict[str, list[str]] = _DATA["cities"]


def _regex(native: str) -> re.Pattern:
    body = re.escape(fold(native))
    prefixes = _WHOLE_WORDS.get(unicode_script(native[0]))
    if prefixes is not None:
        return re.compile(r"(?<![^\W\d_])[" + prefixes + r"]?" + body + r"(?![^\W\d_])")
    return re.compile(body)  # no spaces between words in the other scripts


@lru_cache(maxsize=1)
def _regexes() -> list[tuple[str, re.Pattern]]:
    return [(english, _regex(native)) for english, natives in _CITIES.items() for native in natives]


def gazetteer_claims(text: str) -> list[Claim]:
    folded, index = fold_with_map(text)
    claims: dict[int, Claim] = {}  # by position: بيروت and بیروت fold to the same word
    for english, regex in _regexes():
        for m in regex.finditer(folded):
            s, e = index[m.start()], index[m.end() - 1] + 1
            claims.setdefault(s, Claim("name", text[s:e], fold(english), start=s))
    return list(claims.values())
