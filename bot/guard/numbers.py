"""Numbers: the head counts and years a small model changes ("45 curators" for 44).

Digits of any script and any thousands separator are read as one value ("1 000", "١٤٠",
"１４０"); Chinese numerals (十六, 二〇一七) in every answer, English number words ("forty-five")
in English answers and in the passages, so that "nine" in a passage supports a 9. A year is a
4-digit number from 1900 to 2099 (or a Thai Buddhist-era year, see dates). What cannot be seen:
a number spelled as a word in another language, or one derived from the passages (44 + 140).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .claim import Claim
from .tables import language, shared
from .text import ASCII_DIGITS, mask, to_int

# 1000, 1,000, 1 000, 1.000, 1'000 (one separator throughout), then an optional decimal part.
NUMBER = re.compile(
    r"(?<!\d)(?P<int>\d{1,3}(?P<sep>[,.\u066c\u00a0\u202f\u2009' ])\d{3}(?:(?P=sep)\d{3})*(?!\d)|\d+)"
    r"(?:[.,\u066b](?P<dec>\d+)(?!\d))?"
)


def number_value(m: re.Match) -> tuple[str, list[str]]:
    """("1000", ["1", "0"]) for "1 000": the value, and each digit group read as its own number
    (so "44 140" or "9,44" can still be two numbers of a list)."""
    groups = re.findall(r"\d+", m.group(0))
    value = str(to_int("".join(re.findall(r"\d+", m.group("int")))))
    if m.group("dec") and to_int(m.group("dec")):
        value += "." + m.group("dec").translate(ASCII_DIGITS).rstrip("0")
    return value, [str(to_int(g)) for g in groups]


_DATA = shared("numbers")

_EN_UNITS: dict[str, int] = _DATA["english"]["units"]
_EN_TENS: dict[str, int] = _DATA["english"]["tens"]
_EN_ORDINALS: dict[str, int] = _DATA["english"]["ordinals"]
EN_NUMBER_NAMES = set(_EN_UNITS) | set(_EN_TENS) | set(_EN_ORDINALS)
_UNIT_OR_ORD = "|".join(list(_EN_UNITS) + list(_EN_ORDINALS))
EN_NUMBER_WORDS = re.compile(
    r"\b(?:(" + "|".join(_EN_TENS) + r")(?:[- ](" + _UNIT_OR_ORD + r"))?|(" + _UNIT_OR_ORD + r"))\b",
    re.IGNORECASE,
)


def en_word_value(m: re.Match) -> int:
    if m.group(1):
        tail = (m.group(2) or "").lower()
        return _EN_TENS[m.group(1).lower()] + _EN_UNITS.get(tail, _EN_ORDINALS.get(tail, 0))
    w = m.group(3).lower()
    return _EN_UNITS.get(w, _EN_ORDINALS.get(w, 0))


_ZH_DIGITS: dict[str, int] = _DATA["chinese"]["digits"]
_ZH_UNITS: dict[str, int] = _DATA["chinese"]["units"]
_ZH_BIG: dict[str, int] = _DATA["chinese"]["big"]
_ZH_NUMERAL = re.compile("[" + "".join(_ZH_DIGITS) + "".join(_ZH_UNITS) + "".join(_ZH_BIG) + "]+")
# Words that contain numeral characters without being numbers ("very", "must", "in case", ...).
_ZH_NOT_NUMBERS: tuple[str, ...] = tuple(_DATA["chinese"]["not_numbers"])


def zh_value(s: str) -> int:
    """十六 -> 16, 四十四 -> 44, 一百四十 -> 140, 二〇一七 -> 2017 (digit by digit)."""
    if len(s) > 1 and all(c in _ZH_DIGITS for c in s):
        return int("".join(str(_ZH_DIGITS[c]) for c in s))
    total = section = num = 0
    for c in s:
        if c in _ZH_DIGITS:
            num = _ZH_DIGITS[c]
        elif c in _ZH_UNITS:
            section += (num or 1) * _ZH_UNITS[c]
            num = 0
        else:
            total += (section + num) * _ZH_BIG[c]
            section = num = 0
    return total + section + num


def day_or_month_value(s: str) -> int | None:
    """A day or month written in digits or in Chinese numerals (6月, 六月)."""
    if not s:
        return None
    if s[0].isdigit():
        return to_int(s)
    return zh_value(s)


def number_claims(buf: list[str], lang: str) -> list[Claim]:
    """Numbers in any digit script, blanked out of the text being read."""
    claims: list[Claim] = []
    for m in NUMBER.finditer("".join(buf)):
        value, _ = number_value(m)
        is_year = re.fullmatch(r"\d{4}", m.group(0)) and (
            1900 <= int(value) <= 2099 or (lang == "th" and 2443 <= int(value) <= 2642)
        )
        claims.append(Claim("year" if is_year else "number", m.group(0), value, start=m.start()))
        mask(buf, m.start(), m.end())
    return claims


def chinese_numeral_claims(text: str) -> list[Claim]:
    """Chinese numerals: 十六, 四十四, 二〇一七年 (in an answer in any language)."""
    zh_text = text
    for idiom in _ZH_NOT_NUMBERS:
        zh_text = zh_text.replace(idiom, " " * len(idiom))
    claims: list[Claim] = []
    for m in _ZH_NUMERAL.finditer(zh_text):
        s = m.group(0)
        if s == "一" or set(s) <= {"百", "千", "万", "亿"}:
            continue  # 一 is in 一些, 一起, 统一, 一带一路...; a bare 百/千/万 is rarely a number
        value = zh_value(s)
        followed_by_year = zh_text[m.end() : m.end() + 1] == "年"
        is_year = 1900 <= value <= 2099 and (followed_by_year or len(s) == 4)
        claims.append(Claim("year" if is_year else "number", s, str(value), start=m.start()))
    return claims


def english_word_claims(text: str, lang: str) -> list[Claim]:
    """English number words in an English answer ("forty-five curators"); "one" is a pronoun too."""
    if lang != "en":
        return []
    claims: list[Claim] = []
    for m in EN_NUMBER_WORDS.finditer(text):
        word = m.group(0).lower()
        if word == "one" or word in _EN_ORDINALS or (m.group(2) or "").lower() in _EN_ORDINALS:
            continue
        claims.append(Claim("number", m.group(0), str(en_word_value(m)), start=m.start()))
    return claims


_BEFORE, _AFTER = r"(?<![^\W\d_])", r"(?![^\W\d_])"  # whole words


@lru_cache(maxsize=None)
def _word_numbers(lang: str) -> tuple[re.Pattern, dict, bool] | None:
    """The language's number words as one regex: a word (longest first), then maybe a joiner and a
    second word ("dua puluh" + "dua"); each alternative is a named group carrying its value."""
    table = language(lang).get("number_words")
    if not table:
        return None
    values = {}

    def word(prefix: str) -> str:
        alternatives = []
        for i, (value, pattern) in enumerate(sorted(table["words"].items(), key=lambda kv: -len(kv[1]))):
            values[f"{prefix}{i}"] = int(value)
            alternatives.append(f"(?P<{prefix}{i}>{pattern})")
        return _BEFORE + "(?:" + "|".join(alternatives) + ")" + _AFTER

    joiners = "|".join(re.escape(j) for j in table.get("joiners", [" "]))
    second = word("b")
    if any(j[-1:].isalpha() for j in table.get("joiners", [])):  # Arabic "و" is written onto the next word
        second = second.replace(_BEFORE, "", 1)
    pattern = word("a") + "(?:(?:" + joiners + ")" + second + ")?"
    glue = [re.escape(j) for j in table.get("joiners", []) if j.strip() == j and j.isalpha()]
    if glue:  # German "vierundvierzig": the joiner inside one word
        left, right = word("c").replace(_AFTER, ""), word("d").replace(_BEFORE, "")
        pattern = "(?:" + left + "(?:" + "|".join(glue) + ")" + right + ")|" + pattern
    return re.compile(pattern, re.IGNORECASE), values, bool(table.get("units_first"))


def word_number_claims(text: str, lang: str) -> list[Claim]:
    """Number words in the answer's language ("tiga muzium", "двадцать два музея", "quarante-quatre"):
    a small model writes them where the passage has digits, so they are checked like digits. Words
    for "one" are left out: they are also articles and pronouns."""
    found = _word_numbers(lang)
    if found is None:
        return []
    regex, values, units_first = found
    claims = []
    for m in regex.finditer(text):
        parts = [values[name] for name, got in m.groupdict().items() if got is not None]
        tens_and_unit = len(parts) == 2 and max(parts) % 10 == 0 and max(parts) >= 20 and min(parts) < 10
        if len(parts) == 1 or tens_and_unit:
            claims.append(Claim("number", m.group(0), str(sum(parts)), start=m.start()))
        else:  # two number words side by side that do not make one number
            claims += [Claim("number", m.group(0), str(p), start=m.start()) for p in parts]
    return claims


def passage_numbers(text: str) -> set[str]:
    """Every number the passages give: values, each digit group alone, English number words."""
    numbers: set[str] = set()
    for m in NUMBER.finditer(text):
        value, groups = number_value(m)
        numbers.add(value)
        numbers.update(groups)
    for m in EN_NUMBER_WORDS.finditer(text):
        numbers.add(str(en_word_value(m)))
    return numbers
