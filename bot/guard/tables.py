"""The guard's language data, read once at import from bot/guard/data (UTF-8 JSON).

Word lists and tables live there so that a language is added by writing data, not code; the
modules read them into the structures they used to spell out. What the keys mean:

languages/<code>.json, one file per answer language, every key optional:
  scripts       the cased scripts the language is written in ("LATIN", "CYRILLIC", "GREEK"): a
                capitalised word in any other script is always checked as a name
  months        its month table. "patterns": {regular expression over FOLDED text (lower case, no
                accents, й -> и): month}, a trailing "~" meaning "and any ending"; "ambiguous": the
                patterns that are also ordinary words (a month only with a day or year attached);
                "match": "word" (not inside a longer word) or "anywhere" (scripts without spaces,
                phrases); "prefixes": one-letter words that may be glued on in front (Arabic script);
                "numbered": the word before a month written as a number (Vietnamese "tháng 11");
                "note": for the reader. English alone has "words" instead: literal, case-sensitive
                ("may" is a verb), and read in every answer and every passage
  month_tables  the month tables an answer in this language is read with (language codes, its
                own included)
  stopwords     lines of words that start sentences or precede a name, never claims (folded here)
  dont_know     phrases that say "I don't know" or "the passages do not say" (all are always tried)
  stem_suffixes (en) endings stripped to compare a sentence's first word with the passages
  nouns         (de) what marks a capitalised German word as a noun rather than a name

Shared files, for every language at once: fold.json (letters that folding does not reach),
numbers.json (English number words, Chinese numerals), dates.json (the words that link a day or
a year to its month), names.json (titles, abbreviations, the passages' vocabulary in
translation), gazetteer.json (cities in scripts without capitals), transliteration.json
(Cyrillic, Palladius, Greek, Latin spellings).
"""

from __future__ import annotations

import json
import os

_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def _read(*path: str) -> dict:
    with open(os.path.join(_DATA, *path), encoding="utf-8") as f:
        return json.load(f)


def shared(name: str) -> dict:
    """One of the cross-language files: shared("gazetteer") reads data/gazetteer.json."""
    return _read(name + ".json")


def words(lines: list[str]) -> list[str]:
    """The words of a list of lines of space-separated words."""
    return " ".join(lines).split()


LANGUAGES: dict[str, dict] = {
    name.removesuffix(".json"): _read("languages", name)
    for name in sorted(os.listdir(os.path.join(_DATA, "languages")))
    if name.endswith(".json")
}


def language(code: str) -> dict:
    """The data of one language; {} for a code without a file."""
    return LANGUAGES.get(code, {})
