"""Text as the guard compares it: folded (case and accents), digits of any script, words.

An answer spells the passages' words its own way ("Shanghái", "ШАНХАЙ", "１４０"), so every
comparison goes through the folded form; ``fold_with_map`` keeps the way back to the original
characters, because a claim is reported as written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..scripts import HAN_BMP, UNSPACED, char_class
from .tables import shared

# Letters that casefold and NFD leave alone; Arabic/Persian letter forms, ZWNJ, tatweel; apostrophes.
_SPECIAL_FOLD: dict[str, str] = shared("fold")["letters"]


def _is_dropped_mark(c: str) -> bool:
    """Latin/Greek/Cyrillic accents and Arabic harakat/hamza; Thai, Khmer, Myanmar marks stay."""
    o = ord(c)
    return 0x0300 <= o <= 0x036F or 0x064B <= o <= 0x065F or o == 0x0670


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    s = _SPECIAL_FOLD.get(ch)
    if s is not None:
        return s
    s = unicodedata.normalize("NFD", ch.casefold())
    s = "".join(_SPECIAL_FOLD.get(c, c) for c in s if not _is_dropped_mark(c))
    return s


def fold(text: str) -> str:
    """Case- and accent-insensitive form used for every comparison ("Shanghái" == "shanghai")."""
    return "".join(_fold_char(c) for c in text)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character."""
    chars: list[str] = []
    index: list[int] = []
    for i, c in enumerate(text):
        f = _fold_char(c)
        chars.append(f)
        index.extend([i] * len(f))
    return "".join(chars), index


def to_int(digits: str) -> int:
    """The value of decimal digits of any script ("٢٠١٧", "２０１７")."""
    return int("".join(str(unicodedata.digit(c)) for c in digits))


class _AsciiDigits(dict):
    def __missing__(self, code: int) -> int:
        c = chr(code)
        return ord(str(unicodedata.digit(c))) if c.isdigit() else code


ASCII_DIGITS = _AsciiDigits()  # str.translate table: any decimal digit -> its ASCII digit


def mask(buf: list[str], start: int, end: int) -> None:
    """Blank a claim out of the text being read, so that later passes do not read it again."""
    for i in range(start, end):
        buf[i] = " "


WORD = re.compile(r"[^\W\d_]+")

_UNSPACED = re.compile(char_class(*UNSPACED))  # Thai, Khmer, Myanmar letters
_HAN = re.compile(char_class(*HAN_BMP))
_NOT_SPACED = re.compile(char_class(*HAN_BMP, *UNSPACED))


def word_count(text: str) -> float:
    """Rough: spaced words, Han characters at 1.5 a word, Thai/Khmer/Myanmar letters at 4."""
    spaced = _NOT_SPACED.sub(" ", text)
    return len(WORD.findall(spaced)) + len(_HAN.findall(text)) / 1.5 + len(_UNSPACED.findall(text)) / 4
