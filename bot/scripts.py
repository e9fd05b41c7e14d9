"""Writing systems, in one place: which script a character is in, and what a script says about a
language.

Two readings of "script", because their callers need different things and neither may change:

* ``script_of`` (language detection) sorts LETTERS into the scripts that decide a language, by
  Unicode block ranges, in lower case ("latin", "han"...); None for what is not a letter;
* ``unicode_script`` (the answer guard) names the script of ANY character by the first word of its
  Unicode name ("LATIN", "CYRILLIC", "ARABIC", "CJK", "DIGIT"...): what the guard compares to
  split "Nur博士" in two or to choose a transliteration.

The first range of each script is its main block, the one a text in that script is measured in.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

# script: its ranges, the main block first. CJK weighs more in detection: one character is about a word.
SCRIPT_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "latin": ((0x0041, 0x024F), (0x1E00, 0x1EFF)),  # then Vietnamese precomposed letters
    "greek": ((0x0370, 0x03FF), (0x1F00, 0x1FFF)),
    "cyrillic": ((0x0400, 0x04FF), (0x0500, 0x052F)),
    "arabic": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    "thai": ((0x0E00, 0x0E7F),),
    "khmer": ((0x1780, 0x17FF), (0x19E0, 0x19FF)),
    "myanmar": ((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)),
    "kana": ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)),
    "hangul": ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)),
    "han": ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF)),
}
_RANGES = tuple((first, last, script) for script, ranges in SCRIPT_RANGES.items() for first, last in ranges)

WEIGHT = {"han": 3, "kana": 2, "hangul": 2}  # letters per word, roughly, against alphabets
# A script that settles the language by itself (Persian is Arabic script with PERSIAN_LETTERS).
SCRIPT_LANGUAGE = {
    "han": "zh", "thai": "th", "khmer": "km", "myanmar": "my", "greek": "el", "arabic": "ar",
}  # fmt: skip
PERSIAN_LETTERS = set("پچژگکی")
# Languages whose script alone tells a text in them from one in English, and that script.
LANGUAGE_SCRIPT = {
    "zh": "han", "ru": "cyrillic", "sr": "cyrillic", "kk": "cyrillic", "ar": "arabic", "fa": "arabic",
    "th": "thai", "el": "greek", "km": "khmer", "my": "myanmar",
}  # fmt: skip

# Scripts written without spaces between words (a word count reads their letters instead).
UNSPACED = tuple(SCRIPT_RANGES[s][0] for s in ("thai", "khmer", "myanmar"))
# Han as the guard counts it: extension A to the unified block in one span, and the compatibility
# ideographs (the span also takes in the Yijing hexagram symbols, 4DC0-4DFF).
HAN_BMP = ((0x3400, 0x9FFF), (0xF900, 0xFAFF))


def script_of(char: str) -> str | None:
    """The script of a letter, as language detection groups them; "other" for a letter of
    another script, None for what is not a letter (or a modifier letter: Uzbek oʻ, eʼlon)."""
    point = ord(char)
    if not char.isalpha() or 0x02B0 <= point <= 0x02FF:
        return None
    for first, last, script in _RANGES:
        if first <= point <= last:
            return script
    return "other"


def letters_by_script(text: str) -> Counter:
    """How many letters of ``text`` each script has (``script_of``): which alphabet a Serbian or
    Uzbek text is mostly written in."""
    return Counter(script for script in map(script_of, text) if script)


def unicode_script(ch: str) -> str:
    """The first word of the character's Unicode name: "LATIN", "CYRILLIC", "GREEK", "ARABIC"...;
    "" for a character without a name."""
    try:
        return unicodedata.name(ch).split()[0]
    except ValueError:
        return ""


def char_class(*ranges: tuple[int, int]) -> str:
    """A regular-expression character class for code point ranges: "[\\u0e00-\\u0e7f...]"."""

    def escape(point: int) -> str:
        return f"\\u{point:04x}" if point <= 0xFFFF else f"\\U{point:08x}"

    return "[" + "".join(f"{escape(first)}-{escape(last)}" for first, last in ranges) + "]"


def main_block(script: str) -> str:
    """The character class of a script's main block: main_block("han") == "[\\u4e00-\\u9fff]"."""
    return char_class(SCRIPT_RANGES[script][0])
