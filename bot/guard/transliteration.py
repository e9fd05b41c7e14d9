"""Latin readings of a name, to compare it with the English passages.

A Russian answer writes Cheng Donghong as "Чэн Дунхун" (Palladius, the Russian system for Chinese
names), Flavia Schlegel as "Флавия Шлегель"; a Greek one "Τσενγκ Ντονγκχόνγκ"; a Serbian, Turkish
or Uzbek one "Šangaj", "Şanghay", "Shanxay". Each gives several readings, since there are several
systems, and the guard compares them with the passages' words (support.py). The tables are in
data/transliteration.json.
"""

from __future__ import annotations

import re

from ..scripts import unicode_script
from .tables import shared
from .text import fold

_DATA = shared("transliteration")
_CYRILLIC: dict[str, str] = _DATA["cyrillic"]
# Chinese names in Russian use the Palladius system (Дунхун = Donghong), applied before the table.
_PALLADIUS: list[tuple[str, str]] = [(pattern, latin) for pattern, latin in _DATA["palladius"]]
_GREEK_DIGRAPHS: list[dict[str, str]] = _DATA["greek_digraphs"]  # two systems, applied in order
_GREEK: dict[str, str] = _DATA["greek"]
_LATIN_PHONETIC: list[dict[str, str]] = _DATA["latin_phonetic"]


def translit(word: str) -> list[str]:
    """Latin readings of a folded Cyrillic or Greek word (several, since there are several systems)."""
    if unicode_script(word[0]) == "GREEK":
        out = []
        for digraphs in _GREEK_DIGRAPHS:
            w = word
            for k, v in digraphs.items():
                w = w.replace(k, v)
            out.append("".join(_GREEK.get(c, c) for c in w))
        return out
    plain = "".join(_CYRILLIC.get(c, c) for c in word)
    western = plain.replace("ya", "ia").replace("yu", "iu").replace("kh", "h").replace("j", "y")
    pall = word
    for pattern, latin in _PALLADIUS:
        pall = re.sub(pattern, latin, pall)
    pall = "".join(_CYRILLIC.get(c, c) for c in pall)
    return list(dict.fromkeys([plain, western, pall]))


def latin_variants(token: str) -> list[str]:
    """A folded Latin name and its readings as Serbian/Turkish/Portuguese/Uzbek spell them."""
    low = token.casefold()
    out = [fold(token)]
    for table in _LATIN_PHONETIC:
        out.append(fold("".join(table.get(c, c) for c in low)))
    return [v.replace("'", "") for v in dict.fromkeys(out)]
