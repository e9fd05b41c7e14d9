"""The guard between the generator and the visitor: citations and the claims they must support.

A small LLM writes the answer in the visitor's language from ENGLISH passages, and it invents
details: a day of the month, a city, a head count, an e-mail address. Nothing it says may reach a
visitor unless the passages it cites say it too. Understanding the answer is out of reach without
a model, so this module checks what can be checked mechanically and is where inventions show:

* numbers and years: any digit script, thousands separators, Chinese numerals, English number
  words ("forty-five" in an English answer; "nine" in a passage supports 9); Thai Buddhist-era
  years (2560 = 2017);
* dates: month names in the 20 languages; a day or a year attached to the month must be attached
  to it in the passages too ("June 24", "November 2017");
* e-mail addresses and URLs: verbatim, case-insensitive (a URL's scheme and "www." aside);
* names. Latin script: a capitalised word not at the start of a sentence must be a passage word
  (exactly in English; in other languages also a close spelling, "Šangaj", "Xangai"), unless it is
  a stopword, a title, or a translation of the passages' own vocabulary (lexicon below). At the
  start of a sentence an English word passes if its stem is in the passages or the question;
  in other languages it is checked only as an acronym or inside a multi-word name. German checks
  acronyms, words after a title, and non-German-looking words in a multi-word name or after
  in/nach/aus. Vietnamese skips native syllables ("Thượng Hải"). Cyrillic and Greek words are
  transliterated (Russian-style, Palladius for Chinese names, two Greek systems) and compared with
  difflib (>= 0.7). Chinese, Arabic, Persian, Thai, Khmer, Myanmar have no capitals: only a small
  gazetteer of cities is checked there ("贝鲁特", "بيروت" -> Beirut).

Each claim must be found in the union of the CITED passages, not just anywhere in the corpus: an
answer citing the address footer for a date fails even if another passage has the date.

What it cannot see: a wrong relation between correct words ("44 museums" when 44 counts
curators), a personal name in Chinese, Arabic, Thai... script, a place outside the gazetteer in
those scripts, a number spelled as a word outside English and Chinese, a single capitalised German
word (German capitalises every noun). What it may wrongly reject: an English sentence opening with
an uncommon word the passages do not use, a translated institution name whose words are not in
the lexicon below, a translated acronym (German "PKKCV" for CPPCC), a number derived from the
passages (44 + 140), a year in another calendar than the Thai one.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["Claim", "Verdict", "parse_citations", "extract_claims", "verify", "is_dont_know"]


# --- citation markers ------------------------------------------------------------------------

# [1] [1, 2] [1-3] 【1】 ［１］ 〔1〕, also "[Passage 2]"/"[source 1]" which small models like to write.
_WORDS_IN_MARKER = r"(?:(?:passages?|sources?|refs?|docs?|documents?)\s*)?"
_MARKER = re.compile(
    r"[\[【［〔]\s*" + _WORDS_IN_MARKER
    + r"(\d+(?:\s*(?:[,，、;；]|[-–—~～]|\s)\s*" + _WORDS_IN_MARKER + r"\d+)*)"
    + r"\s*[\]】］〕]",
    re.IGNORECASE,
)
_MARKER_ITEM = re.compile(r"(\d+)(?:\s*[-–—~～]\s*(\d+))?")


def _marker_numbers(inner: str, n_passages: int) -> list[int]:
    """The valid passage numbers of one bracket, in written order; ranges expanded."""
    numbers: list[int] = []
    for m in _MARKER_ITEM.finditer(inner):
        a = int(m.group(1))  # int() reads any decimal digits: "１" and "١" too
        b = int(m.group(2)) if m.group(2) else a
        lo, hi = min(a, b), max(a, b)
        for x in range(max(lo, 1), min(hi, n_passages) + 1):
            if x not in numbers:
                numbers.append(x)
    return numbers


def parse_citations(answer: str, n_passages: int) -> tuple[str, list[int]]:
    """Rewrite the markers as ASCII [n] numbered by first use; return the text and, per new
    number, the ORIGINAL passage number (cited passage k is passages[order[k - 1] - 1]).

    Numbers outside 1..n_passages are hallucinated references: they are dropped, and a marker
    left with none is removed with the space before it.
    """
    order: list[int] = []
    new: dict[int, int] = {}
    out: list[str] = []
    pos = 0
    for m in _MARKER.finditer(answer):
        out.append(answer[pos : m.start()])
        pos = m.end()
        kept: list[int] = []
        for x in _marker_numbers(m.group(1), n_passages):
            if x not in new:
                new[x] = len(order) + 1
                order.append(x)
            if new[x] not in kept:
                kept.append(new[x])
        if kept:
            out.append("".join(f"[{k}]" for k in kept))
            continue
        # Dropped marker: do not leave "2017 ." behind, nor a space at the start of a line.
        before = "".join(out).rstrip(" \t\u3000")
        out = [before]
        if (not before or before.endswith("\n")) and answer[pos : pos + 1] in (" ", "\t", "\u3000"):
            pos += 1
    out.append(answer[pos:])
    text = re.sub(r"\[(\d+)\](?:[ \t]*\[\1\])+", r"[\1]", "".join(out))
    return text, order


# --- folding and small helpers -----------------------------------------------------------------

_SPECIAL_FOLD = {
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "ß": "ss", "ẞ": "ss",
    "ي": "ی", "ك": "ک", "\u200c": "", "\u200d": "", "\u0640": "",  # Arabic/Persian letter forms, ZWNJ, tatweel
    "ʻ": "'", "ʼ": "'", "’": "'", "‘": "'", "`": "'",
}  # fmt: skip


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


def _fold(text: str) -> str:
    """Case- and accent-insensitive form used for every comparison ("Shanghái" == "shanghai")."""
    return "".join(_fold_char(c) for c in text)


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character."""
    chars: list[str] = []
    index: list[int] = []
    for i, c in enumerate(text):
        f = _fold_char(c)
        chars.append(f)
        index.extend([i] * len(f))
    return "".join(chars), index


def _script(ch: str) -> str:
    try:
        return unicodedata.name(ch).split()[0]
    except ValueError:
        return ""


def _to_int(digits: str) -> int:
    return int("".join(str(unicodedata.digit(c)) for c in digits))


class _AsciiDigits(dict):
    def __missing__(self, code: int) -> int:
        c = chr(code)
        return ord(str(unicodedata.digit(c))) if c.isdigit() else code


_ASCII_DIGITS = _AsciiDigits()


def _mask(buf: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        buf[i] = " "


_WORD = re.compile(r"[^\W\d_]+")


# --- claims --------------------------------------------------------------------------------------


@dataclass
class Claim:
    kind: str  # "number", "year", "date", "email", "url" or "name"
    text: str  # as written in the answer
    normalized: str  # numbers "1000"/"1.5"; dates "2017-11-15", "2017-11", "--06-24", "--11"; names folded
    start: int = field(default=-1, repr=False, compare=False)
    sentence_initial: bool = field(default=False, repr=False, compare=False)


@dataclass
class Verdict:
    ok: bool
    unsupported: list[Claim]
    uncited: bool  # the answer states facts but cites nothing


# --- e-mail addresses and URLs ----------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]【】（）「」，。、]+", re.IGNORECASE)
_DOMAIN = re.compile(
    r"(?<![\w.@/-])(?:[a-z0-9-]+\.)+(?:org|com|net|int|edu|gov|cn|info)(?![\w.-]*\w)", re.IGNORECASE
)
_TRAILING = ".,;:!?)]}>»”’\"'。，；：！？）】"


def _url_core(url: str) -> str:
    """Scheme, "www." and a trailing slash are not part of what the passage must say."""
    u = url.lower()
    u = re.sub(r"^https?://", "", u)
    u = re.sub(r"^www\.", "", u)
    return u.rstrip("/")


# --- numbers -------------------------------------------------------------------------------------

# 1000, 1,000, 1 000, 1.000, 1'000 (one separator throughout), then an optional decimal part.
_NUMBER = re.compile(
    r"(?<!\d)(?P<int>\d{1,3}(?P<sep>[,.\u066c\u00a0\u202f\u2009' ])\d{3}(?:(?P=sep)\d{3})*(?!\d)|\d+)"
    r"(?:[.,\u066b](?P<dec>\d+)(?!\d))?"
)


def _number_value(m: re.Match) -> tuple[str, list[str]]:
    """("1000", ["1", "0"]) for "1 000": the value, and each digit group read as its own number
    (so "44 140" or "9,44" can still be two numbers of a list)."""
    groups = re.findall(r"\d+", m.group(0))
    value = str(_to_int("".join(re.findall(r"\d+", m.group("int")))))
    if m.group("dec") and _to_int(m.group("dec")):
        value += "." + m.group("dec").translate(_ASCII_DIGITS).rstrip("0")
    return value, [str(_to_int(g)) for g in groups]


_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_EN_NUMBER_NAMES = set(_EN_UNITS) | set(_EN_TENS) | set(_EN_ORDINALS)
_UNIT_OR_ORD = "|".join(list(_EN_UNITS) + list(_EN_ORDINALS))
_EN_NUMBER_WORDS = re.compile(
    r"\b(?:(" + "|".join(_EN_TENS) + r")(?:[- ](" + _UNIT_OR_ORD + r"))?|(" + _UNIT_OR_ORD + r"))\b",
    re.IGNORECASE,
)


def _en_word_value(m: re.Match) -> int:
    if m.group(1):
        tail = (m.group(2) or "").lower()
        return _EN_TENS[m.group(1).lower()] + _EN_UNITS.get(tail, _EN_ORDINALS.get(tail, 0))
    w = m.group(3).lower()
    return _EN_UNITS.get(w, _EN_ORDINALS.get(w, 0))


_ZH_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000}
_ZH_NUMERAL = re.compile("[" + "".join(_ZH_DIGITS) + "".join(_ZH_UNITS) + "".join(_ZH_BIG) + "]+")
# Words that contain numeral characters without being numbers ("very", "must", "in case", ...).
_ZH_NOT_NUMBERS = (
    "十分", "万一", "千万", "一一", "百分之", "百科", "百姓", "百货", "万物", "千方百计", "四面八方",
    "三角", "五金", "八卦", "九州", "十字", "万里", "一五一十", "七嘴八舌", "三心二意", "四处",
)  # fmt: skip


def _zh_value(s: str) -> int:
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


def _day_or_month_value(s: str) -> int | None:
    if not s:
        return None
    if s[0].isdigit():
        return _to_int(s)
    return _zh_value(s)


# --- dates ------------------------------------------------------------------------------------

_EN_MONTHS = {
    "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7,
    "August": 8, "September": 9, "October": 10, "November": 11, "December": 12,
    "Jan.": 1, "Feb.": 2, "Mar.": 3, "Apr.": 4, "Jun.": 6, "Jul.": 7, "Aug.": 8, "Sept.": 9,
    "Sep.": 9, "Oct.": 10, "Nov.": 11, "Dec.": 12,
}  # fmt: skip
# English months are matched case-sensitively: "may" and "march" are also a verb.
_EN_MONTH_RE = re.compile(
    r"(?<![^\W\d_])("
    + "|".join(re.escape(k) for k in sorted(_EN_MONTHS, key=len, reverse=True))
    + r")(?![^\W\d_])"
)

# Month names per language, as regular expressions over folded text (lower case, no accents;
# й -> и, Arabic alef forms -> ا). A trailing "~" means "and any inflectional ending".
_MONTHS: dict[str, dict[str, int]] = {
    "fr": {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
           "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12},
    "es": {"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
           "agosto": 8, "se(?:p)?tiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12},
    "pt": {"janeiro": 1, "fevereiro": 2, "marco": 3, "abril": 4, "maio": 5, "junho": 6, "julho": 7,
           "agosto": 8, "setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12},
    "de": {"januar": 1, "janner": 1, "februar": 2, "marz": 3, "april": 4, "mai": 5, "juni": 6,
           "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12},
    "ms": {"januari": 1, "februari": 2, "mac": 3, "april": 4, "mei": 5, "jun": 6, "julai": 7,
           "ogos": 8, "september": 9, "oktober": 10, "november": 11, "disember": 12},
    "id": {"januari": 1, "februari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
           "agustus": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12},
    "tr": {"ocak~": 1, "subat~": 2, "mart~": 3, "nisan~": 4, "mayis~": 5, "haziran~": 6,
           "temmuz~": 7, "agustos~": 8, "eylul~": 9, "ekim~": 10, "kasim~": 11, "aralik~": 12},
    "uz": {"yanvar~": 1, "fevral~": 2, "mart~": 3, "aprel~": 4, "may~": 5, "iyun~": 6, "iyul~": 7,
           "avgust~": 8, "sent(?:y)?abr~": 9, "okt(?:y)?abr~": 10, "noyabr~": 11, "dekabr~": 12},
    "sr": {"januar(?:a|u)?": 1, "februar(?:a|u)?": 2, "mart(?:a|u)?": 3, "april(?:a|u)?": 4,
           "maj(?:a|u)?": 5, "jun(?:a|u)?": 6, "jul(?:a|u)?": 7, "avgust(?:a|u)?": 8,
           "septemb(?:ar|ra|ru)": 9, "oktob(?:ar|ra|ru)": 10, "novemb(?:ar|ra|ru)": 11,
           "decemb(?:ar|ra|ru)": 12,
           "јануар(?:а|у)?": 1, "фебруар(?:а|у)?": 2, "март(?:а|у)?": 3, "април(?:а|у)?": 4,
           "мај(?:а|у)?": 5, "јун(?:а|у)?": 6, "јул(?:а|у)?": 7, "август(?:а|у)?": 8,
           "септемб(?:ар|ра|ру)": 9, "октоб(?:ар|ра|ру)": 10, "новемб(?:ар|ра|ру)": 11,
           "децемб(?:ар|ра|ру)": 12},
    "ru": {"январ~": 1, "феврал~": 2, "март~": 3, "апрел~": 4, "ма[йяе]": 5, "июн~": 6, "июл~": 7,
           "август~": 8, "сентябр~": 9, "октябр~": 10, "ноябр~": 11, "декабр~": 12},
    "kk": {"қаңтар~": 1, "ақпан~": 2, "наурыз~": 3, "сәуір~": 4, "мамыр~": 5, "маусым~": 6,
           "шілде~": 7, "тамыз~": 8, "қыркүйек~": 9, "қазан~": 10, "қараша~": 11, "желтоқсан~": 12},
    "el": {"ιανουαρ~": 1, "φεβρουαρ~": 2, "μαρτ(?:ιος|ιου|ιο|η)": 3, "απριλ~": 4,
           "μαι(?:ος|ου|ο)": 5, "ιουν~": 6, "ιουλ~": 7, "αυγουστ~": 8, "σεπτεμβρ~": 9,
           "οκτωβρ~": 10, "νοεμβρ~": 11, "δεκεμβρ~": 12},
    "ar": {"يناير": 1, "كانون الثاني": 1, "فبراير": 2, "شباط": 2, "مارس": 3, "آذار": 3,
           "أبريل": 4, "ابريل": 4, "نيسان": 4, "مايو": 5, "أيار": 5, "يونيو": 6, "يونيه": 6,
           "حزيران": 6, "يوليو": 7, "يوليه": 7, "تموز": 7, "أغسطس": 8, "آب": 8, "سبتمبر": 9,
           "أيلول": 9, "أكتوبر": 10, "تشرين الأول": 10, "نوفمبر": 11, "تشرين الثاني": 11,
           "ديسمبر": 12, "كانون الأول": 12},
    "fa": {"ژانویه": 1, "فوریه": 2, "مارس": 3, "آوریل": 4, "مه": 5, "ژوئن": 6, "ژوئیه": 7,
           "جولای": 7, "اوت": 8, "آگوست": 8, "سپتامبر": 9, "اکتبر": 10, "نوامبر": 11, "دسامبر": 12},
    "th": {"มกราคม": 1, "กุมภาพันธ์": 2, "มีนาคม": 3, "เมษายน": 4, "พฤษภาคม": 5, "มิถุนายน": 6,
           "กรกฎาคม": 7, "สิงหาคม": 8, "กันยายน": 9, "ตุลาคม": 10, "พฤศจิกายน": 11, "ธันวาคม": 12,
           r"ม\.ค\.": 1, r"ก\.พ\.": 2, r"มี\.ค\.": 3, r"เม\.ย\.": 4, r"พ\.ค\.": 5, r"มิ\.ย\.": 6,
           r"ก\.ค\.": 7, r"ส\.ค\.": 8, r"ก\.ย\.": 9, r"ต\.ค\.": 10, r"พ\.ย\.": 11, r"ธ\.ค\.": 12},
    # Khmer month names are also ordinary words (តុលា: scales), so only after ខែ "month".
    "km": {r"ខែ\s*មករា": 1, r"ខែ\s*កុម្ភៈ": 2, r"ខែ\s*មីនា": 3, r"ខែ\s*មេសា": 4, r"ខែ\s*ឧសភា": 5,
           r"ខែ\s*មិថុនា": 6, r"ខែ\s*កក្កដា": 7, r"ខែ\s*សីហា": 8, r"ខែ\s*កញ្ញា": 9, r"ខែ\s*តុលា": 10,
           r"ខែ\s*វិច្ឆិកា": 11, r"ខែ\s*ធ្នូ": 12},
    "my": {"ဇန်နဝါရီ": 1, "ဖေဖော်ဝါရီ": 2, "မတ်": 3, "ဧပြီ": 4, "မေ(?![\u102b-\u103e])": 5,
           "ဇွန်": 6, "ဇူလိုင်": 7, "ဩဂုတ်": 8, "သြဂုတ်": 8, "စက်တင်ဘာ": 9, "အောက်တိုဘာ": 10,
           "နိုဝင်ဘာ": 11, "ဒီဇင်ဘာ": 12},
    "vi": {r"thang\s*(?:gieng|mot)": 1, r"thang\s*hai": 2, r"thang\s*ba": 3, r"thang\s*tu": 4,
           r"thang\s*nam": 5, r"thang\s*sau": 6, r"thang\s*bay": 7, r"thang\s*tam": 8,
           r"thang\s*chin": 9, r"thang\s*muoi(?!\s*(?:mot|hai))": 10, r"thang\s*muoi\s*mot": 11,
           r"thang\s*(?:muoi\s*hai|chap)": 12},
}  # fmt: skip
# Month words that are also ordinary words: they count as a month only with a day or year attached.
_AMBIGUOUS_MONTHS = {
    "May", "mai", "mei", "mac", "mart~", "may~", "ocak~", "nisan~", "ekim~",
    "kasim~", "aralik~", "maj(?:a|u)?", "мај(?:а|у)?", "jun(?:a|u)?", "jul(?:a|u)?", "мае",
    "ма[йяе]", "қазан~", "مارس", "آب", "مه", "اوت", "မတ်", "မေ(?![\u102b-\u103e])", "mars",
    r"thang\s*nam", r"thang\s*ba", r"thang\s*tu", r"thang\s*sau", r"thang\s*bay", r"thang\s*tam",
    r"thang\s*hai", r"thang\s*mot", r"thang\s*chin",
}  # fmt: skip
# Which tables an answer in a language is read with (besides English, always, and Chinese 11月).
_MONTH_TABLES = {
    "ru": ("ru",), "kk": ("kk", "ru"), "uz": ("uz", "ru"), "ms": ("ms", "id"), "id": ("id", "ms"),
    "sr": ("sr",), "fr": ("fr",), "es": ("es",), "pt": ("pt",), "de": ("de",), "tr": ("tr",),
    "el": ("el",), "ar": ("ar",), "fa": ("fa", "ar"), "th": ("th",), "km": ("km",), "my": ("my",),
    "vi": ("vi",),
}  # fmt: skip
_NO_WORD_BOUNDARY = {"th", "km", "my", "vi"}  # scripts without spaces between words, or phrases


@lru_cache(maxsize=None)
def _month_regexes(lang: str) -> list[tuple[re.Pattern, int, bool]]:
    out = []
    for table in _MONTH_TABLES.get(lang, ()):
        for pattern, month in _MONTHS[table].items():
            ambiguous = pattern in _AMBIGUOUS_MONTHS
            body = _fold(pattern.removesuffix("~")) + (r"\w*" if pattern.endswith("~") else "")
            if table in _NO_WORD_BOUNDARY:
                regex = body
            elif table in ("ar", "fa"):  # one-letter prefixes (و ب ل ف) attach to the word
                regex = r"(?<![^\W\d_])[وبلفک]?" + body + r"(?![^\W\d_])"
            else:
                regex = r"(?<![^\W\d_])" + body + r"(?![^\W\d_])"
            out.append((re.compile(regex), month, ambiguous))
    return out


_ZH_NUM_CLASS = "〇一二三四五六七八九十"
_ZH_MONTH = re.compile(rf"(?<!\d)(\d{{1,2}}|[{_ZH_NUM_CLASS}]{{1,3}})\s*月")
_ZH_DAY_AFTER = re.compile(rf"^\s*(\d{{1,2}}|[{_ZH_NUM_CLASS}]{{1,3}})\s*[日号號]")
_VI_MONTH = re.compile(r"(?<![^\W\d_])thang\s*(\d{1,2})(?!\d)")
# "24 June", "24th of June", "24 de junio", "le 24 juin", "am 24. Juni", "24-го июня", "24-iyun",
# "ngày 24 tháng 6", "ថ្ងៃទី២៤ ខែមិថុនា", "٢٤ يونيو": a day written just before the month.
_DAY_BEFORE = re.compile(
    r"(?<!\d)(\d{1,2})(?:st|nd|rd|th|er|re|e|eme|ème|º|ª|-?го|-?е)?\s*[.\-]?\s*"
    r"(?:of\s+|de\s+|del\s+|من\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_DAY_AFTER = re.compile(r"^\s*(\d{1,2})(?!\d)(?:st|nd|rd|th)?(?![^\W\d_])")  # "June 24", English order
_YEAR_AFTER = re.compile(
    r"^[\s,.]*(?:de\s+|del\s+|of\s+|năm\s+|nam\s+|του\s+|عام\s+|سنة\s+|سال\s+|ឆ្នាំ\s*|"
    r"พ\.ศ\.\s*|ค\.ศ\.\s*|г\.\s*)?(\d{4})(?!\d)",
    re.IGNORECASE,
)
_YEAR_BEFORE = re.compile(
    r"(?<!\d)(\d{4})\s*(?:年|-?\s*yil\w*|жыл\w*|г\.|m\.|ခုနှစ်|года|god\w*|год\w*)?\s*[,.]?\s*$",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})([./])(\d{1,2})\2(\d{4})(?!\d)")


def _thai_year(year: int, lang: str) -> int:
    """Thai writes years in the Buddhist era: 2560 is 2017."""
    return year - 543 if lang == "th" and 2443 <= year <= 2642 else year


def _date_normalized(year: int | None, month: int, day: int | None) -> str:
    y = f"{year:04d}" if year else "-"
    return f"{y}-{month:02d}" + (f"-{day:02d}" if day else "")


def _find_months(text: str, lang: str) -> list[tuple[int, int, int, bool, str]]:
    """(start, end, month, ambiguous, kind) for every month mention; kind "zh"/"vi" carry the
    month as a number inside the span."""
    found = []
    for m in _EN_MONTH_RE.finditer(text):
        found.append((m.start(), m.end(), _EN_MONTHS[m.group(1)], m.group(1) == "May", "en"))
    for m in _ZH_MONTH.finditer(text):
        month = _day_or_month_value(m.group(1))
        if month and 1 <= month <= 12:
            found.append((m.start(), m.end(), month, False, "zh"))
    folded, index = _fold_with_map(text)

    def original(m: re.Match) -> tuple[int, int]:
        return index[m.start()], index[m.end() - 1] + 1

    if lang == "vi":
        for m in _VI_MONTH.finditer(folded):
            month = int(m.group(1))
            if 1 <= month <= 12:
                found.append((*original(m), month, False, "vi"))
    for regex, month, ambiguous in _month_regexes(lang):
        for m in regex.finditer(folded):
            found.append((*original(m), month, ambiguous, "word"))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, int, bool, str]] = []
    for f in found:
        if not kept or f[0] >= kept[-1][1]:
            kept.append(f)
    return kept


# --- names ---------------------------------------------------------------------------------------

# Titles are never claims. Folded.
_TITLES = {
    "dr", "dra", "dre", "mr", "mrs", "ms", "mme", "mlle", "prof", "sr", "sra", "srta", "herr", "frau",
    "dott", "doc", "ing", "tuan", "puan", "encik", "cik", "bapak", "pak", "ibu", "bay", "bayan",
    "janob", "xonim", "ong", "ba", "tien", "si", "pgs", "ts", "gs", "lic", "mag", "dipl",
    "sayin", "sig", "signor", "senor", "senora", "senhor", "senhora", "monsieur", "madame",
    "д", "др", "г", "гн", "гжа", "мистер", "господин", "госпожа", "господине", "госпођа", "мырза",
    "ханым", "δρ", "κ", "κα", "καθ", "κυριος", "κυρια",
}  # fmt: skip
_ABBREVIATIONS = _TITLES | {
    "no", "st", "nr", "n", "vs", "etc", "eg", "ie", "p", "r", "co", "ltd", "gg", "им", "т", "е",
}  # fmt: skip

# Common words that start sentences or precede a name ("El Museo", "In Shanghai"). Folded.
_STOPWORDS = {
    "en": """the a an this that these those it its they them their there here he she we you i his her
        our your my in on at of for to from by with as after before during since until about
        according yes no not also however but and or so then thus therefore both each all some
        many several more most other another such what which who whom whose when where why how
        answer note unfortunately sorry based per following firstly secondly finally overall
        currently today previously later if while although though because among between under
        over through besides meanwhile instead please see sources source passage passages
        contact write visit email send call check find ask go use read refer yes sure only just
        together later earlier two three several none nothing everything everyone someone its
        at this regarding concerning as for in addition additionally furthermore moreover
        specifically namely indeed notably originally initially subsequently afterwards eventually
        participants attendees representatives guests visitors great good thanks thank hello hi
        certainly absolutely of course okay here's there's it's""",
    "fr": """le la les l un une des du de d au aux en dans sur pour par avec selon apres avant
        pendant entre ce cet cette ces il elle ils elles on nous vous je oui non c lors depuis
        ainsi cependant mais et ou donc toutefois leur leurs son sa ses lors notamment""",
    "es": """el la los las un una unos unas de del en con por para segun este esta estos estas ese
        esa eso ello ellos ellas su sus se si no durante desde tras antes despues entre ademas sin
        embargo pero y o tambien asi lo al""",
    "pt": """o a os as um uma de do da dos das em no na nos nas com por para segundo este esta estes
        estas esse essa isso ele ela eles elas seu sua seus suas sim nao durante desde apos antes
        depois entre alem mas e ou tambem assim ao""",
    "de": """der die das den dem des ein eine einer eines einem einen im in am an auf aus bei mit
        nach von vom zu zum zur fur uber unter laut gemass es er sie wir ich ihr dies diese dieser
        dieses ja nein seit wahrend vor auch aber und oder so dabei damals dort hier als""",
    "ms": """pada di dalam dari ke untuk oleh dengan menurut ini itu mereka ia dia beliau kami kita
        saya ya tidak bukan selain namun tetapi dan atau juga sejak selepas setelah sebelum semasa
        selama yang sebanyak seramai""",
    "tr": """bu su o bir ve ile icin gore evet hayir ayrica ancak fakat ama da de ilk""",
    "uz": """bu u ushbu bir va bilan uchun boyicha ha yoq shuningdek ammo lekin""",
    "sr": """u na od do za sa po prema ovo ova taj ta to on ona oni da ne takodje ali i ili
        у на од до за са по према ово ова тај та то он она они да не такође али и или""",
    "vi": """theo vao tai o trong cua va la cac nhung mot nam""",
    "ru": """в во на по с со к ко из от до за для о об обо при у и а но да нет это этот эта эти он
        она они его ее их согласно также кроме после перед первыи""",
    "kk": """бұл ол осы және мен бен пен үшін бойынша иә жоқ сондай-ақ бірақ""",
    "el": """ο η το οι τα τον την τη του της των στο στη στην στον στις στα στους σε με απο για
        κατα συμφωνα αυτο αυτη αυτος ναι οχι επισης αλλα και""",
}  # fmt: skip
_STOP = {lang: set(_fold(words).split()) for lang, words in _STOPWORDS.items()}
_STOP["id"] = _STOP["ms"]

# Translations of the names the passages use (China, Beijing, Shanghai, museum, UNESCO, SDGs,
# the Belt and Road countries...), which a translated answer capitalises: folded prefixes, so
# "tecnolog" covers Tecnología/Tecnologia/Technologie. A word starting with one is not checked.
_COMMON_LATIN = """
    chin cina tiongkok trung quoc xitoy kina kine kinesk cin pekin peking pequim beijing bac kinh
    shangh xangai sanghay shanxay sangaj thuong hai franja ruta cinturon ceinture route cinturao rota
    gurtel strasse seidenstrasse kusak yol sabuk jalur laluan makon kamar belbog seda soie sutra
    sutera ipak inicia initiat inisiatif girisim tashabbus simpos sympos simpoz sempoz internac
    internat antarabangsa internasional uluslararas xalqaro muse muze muzi muzey cienc scien sains
    bilim ilm fan wissenschaft naturkunde tecnolog technolog teknolog teknoloj texnolog techni natur alam doga
    tabiat tabiiy asocia associa persatuan perhimpunan asosiasi dernek birlig assotsiats vereinigung
    verband gesellschaft histor sejarah tarix tarih nacion nation unies unidas vereint bangsa bersatu
    perserikatan birlesmis millet birlashgan millat pbb onu ods odd tpb ska bmt lhq uno un sdg objetiv
    objecti desarroll desenvolv develop durable sostenib sustent nachhaltig entwicklung ziel tujuan
    pembangunan berkelanjutan mampan kalkinma surdurul amac barqaror rivojlan maqsad declara deklara
    erklarung bildirge acuerdo accord acordo vereinbar abkommen perjanjian anlasma kelishuv carta
    lettre letra brief surat mektub maktub secret sekret presiden president director directeur
    direktor diretor direktur mudur genel general subdirector adjoint adjunt assistant asistente
    stellvertret beigeordnet wakil penolong yardimc yordamchi rais baskan ketua pengarah doctor docteur doutor
    doktor comit committee komite kongre congres partido parti partai kommunist comunist komunis
    consult politic conferen fundac fondation fundacao stiftung yayasan vakf jamgarma educa pendidik
    egitim talim bildung divulga popular populer municip belediye kotamadya comision commission
    komisi kommission departa departe abteilung jabatan cumbre sommet cupula gipfel kemuncak zirve
    perman standing tetap daimi asamblea assemblee assembleia nasional national kebangsaan ulusal
    milliy consulat konsul camboy cambod camboj kambod kamboc kamboj myanm tailan thail tajland egip
    egit egypt agypt misr mesir kenia kenya keni malas malais malay malez usbek ouzbek uzbek ozbek
    sirbistan srbij serbi serbie grec grie yunan gretsiya grck kanad canad austral avstral avustral
    academ akadem reciproc recipro compart partage teilen berbagi paylas almashish cooperat cooperac
    kooperat kerjasama isbirlig isbirli hamkor comun communic kommuni komunik iletisim mission missao
    primer primeir premi erst birinci birinchi pertama ilk segund second deuxi zweit ikinci kedua
    ikkinchi uno una une ein satu gelisim uzerine hakkinda pengembangan perkembangan ilmu pengetahuan
    semula jadi jalan plan programm rencana reja recurs ressource sumber kaynak resurs vulgaris
    pemasyarakat ommalash yayginlas cultur kultur budaya madaniyat salud sante saude gesundheit
    kesihatan kesehatan saglik sogliq deport sport olahraga spor geolog jeoloj planet ktt sammit
    partei kota bandar ciudad ville cidade stadt sehir shahar vice vize naib orinbosar standig derneg
    uyushma cinl cinli ipek seide constru konstru pembina colabor collabor kolabor kollabor partilha
    kongsi gegenseitig timbal karsilik ozaro represent vertret temsilc vakil perwakil consul miembro
    membre membro mitglied anggota ahli uye azo daire bolum bolim prasident directri sous curador
    conservat kurator misir tayland campuchia fanlar fanl meta queni asisten jenderal yunesk bosh ausschuss komitee jawatankuasa perbandaran majlis
    """
_COMMON_LATIN_STEMS = tuple(sorted(set(_fold(_COMMON_LATIN).split())))
_COMMON_CYRILLIC = """
    китаи китая кнр пекин шанха пояс путь пути путе шелков инициатив симпозиум музе наук научн
    естествен техни технолог ассоциац международн организац объедин оон юнеско цур цел устоичив
    развит декларац соглашен письм президент генеральн директор помощник заместител председател
    доктор секретариат комитет коммунист парти съезд всекитаи камбодж мьянм таиланд египет египт
    кени малаиз узбекистан серби греци канад австрали кин пекинг шангај појас пут свилен
    иницијатив симпозиј музеј наук природ удружењ међународн уједињен нациј унеско оун циљ одржив
    развој декларациј споразум писмо председни генерални помоћни секретаријат камбоџ мјанмар
    тајланд египат кениј малезиј србиј грчк аустралиј қытаи беижің белдеу жол жібек бастама
    мұражаи ғылым жаратылыстан техника қауымдастығ халықаралық біріккен ұлттар бұұ тұрақты даму
    мақсат келісім хат төраға бас хатшылық мысыр кения малаизия өзбекстан сербия грекия канада
    австралия хитои пекин шанхаи ипак иўл ташаббус халқаро музеи фан табиии уюшма бмт
    перв втор один одна прв прва друг бірінші екінші биринчи иккинчи комисс комиси постоян стал
    муницип городск градск
    """
_COMMON_CYRILLIC_STEMS = tuple(sorted(set(_fold(_COMMON_CYRILLIC).split())))
_COMMON_GREEK = """
    κιν πεκιν σαγκα ηνωμεν εθν οηε ζων δρομ μεταξ πρωτοβουλ συμποσ μουσει επιστημ τεχνολογ φυσικ
    ιστορ ενωσ συνδεσμ διεθν ουνεσκ στοχ βιωσιμ αναπτυξ διακηρυξ συμφων επιστολ προεδρ διευθυντ
    γενικ υποδιευθ βοηθ καθηγ γραμματει ελλαδ κενυ αιγυπτ ταυλαν ταιλαν καμποτζ μιανμαρ μαλαισ
    ουζμπεκ σερβ καναδ αυστραλ κομματ κομμουνιστ επιτροπ μια ενας ενα πρωτ δευτερ ανακοινωσ
    μονιμ δημοτ
    """
_COMMON_GREEK_STEMS = tuple(sorted(set(_fold(_COMMON_GREEK).split())))
_LATIN_COMMON_EXACT_MIN = 4  # stems shorter than this must match the whole word

# German capitalises every noun: these endings mark a German word, not a foreign name.
_GERMAN_ENDINGS = (
    "ung", "heit", "keit", "schaft", "tion", "tat", "ismus", "ium", "ment", "nis", "tum", "ling",
    "chen", "lein", "isch", "ische", "ischen", "ischer", "lich", "liche", "lichen", "licher", "ige",
    "igen", "iger", "ieren", "ik", "ie", "ei", "eit", "ur", "ungen", "heiten", "schaften",
)  # fmt: skip
_GERMAN_LETTERS = set("äöüß")
# "in Berlin", "nach Peking": a place name follows these directly, a German noun takes an article.
_GERMAN_PLACE_PREPOSITIONS = {"in", "nach", "aus"}
_GERMAN_IDIOMS = {"kraft", "bezug", "form", "frage", "ordnung", "zukunft", "betrieb", "anspruch", "kontakt"}

# A Vietnamese syllable; a capitalised one is a Vietnamese word or a Sino-Vietnamese name
# ("Thượng Hải" = Shanghai), which English passages cannot confirm.
_VI_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)

# Cities a model is likely to invent, in the scripts without capital letters: English name, then
# its spellings ("|"-separated) in Chinese, Arabic, Persian, Thai, Khmer, Myanmar.
_GAZETTEER = {
    "Beirut": "贝鲁特|بيروت|بیروت|เบรุต",
    "Cairo": "开罗|القاهرة|قاهره|ไคโร",
    "Dubai": "迪拜|دبي|دبی|ดูไบ",
    "Riyadh": "利雅得|الرياض|ریاض|ริยาด",
    "Doha": "多哈|الدوحة|دوحه|โดฮา",
    "Abu Dhabi": "阿布扎比|أبوظبي|ابوظبی|อาบูดาบี",
    "Paris": "巴黎|باريس|پاریس|ปารีส|ប៉ារីស|ပါရီ",
    "London": "伦敦|لندن|ลอนดอน|ឡុងដ៍|လန်ဒန်",
    "New York": "纽约|نيويورك|نیویورک|นิวยอร์ก|ញូវយ៉ក|နယူးယောက်",
    "Geneva": "日内瓦|جنيف|ژنو|เจนีวา|ហ្សឺណែវ|ဂျနီဗာ",
    "Tokyo": "东京|طوكيو|توکیو|โตเกียว|តូក្យូ|တိုကျို",
    "Moscow": "莫斯科|موسكو|مسکو|มอสโก|ម៉ូស្គូ|မော်စကို",
    "Berlin": "柏林|برلين|برلین|เบอร์ลิน",
    "Washington": "华盛顿|واشنطن|واشنگتن|วอชิงตัน",
    "Rome": "罗马|روما",
    "Madrid": "马德里|مدريد|مادرید|มาดริด",
    "Istanbul": "伊斯坦布尔|إسطنبول|استانبول|อิสตันบูล",
    "Tehran": "德黑兰|طهران|تهران|เตหะราน",
    "Bangkok": "曼谷|بانكوك|بانکوک|กรุงเทพ|បាងកក|ဘန်ကောက်",
    "Hanoi": "河内|هانوي|هانوی|ฮานอย|ហាណូយ|ဟနွိုင်း",
    "Jakarta": "雅加达|جاكرتا|جاکارتا|จาการ์ตา|ហ្សាការតា|ဂျကာတာ",
    "Kuala Lumpur": "吉隆坡|كوالالمبور|کوالالامپور|กัวลาลัมเปอร์|គូឡាឡាំពួ|ကွာလာလမ်ပူ",
    "Singapore": "新加坡|سنغافورة|سنگاپور|สิงคโปร์|សិង្ហបុរី|စင်္ကာပူ",
    "Delhi": "德里|دلهي|دهلی|เดลี",
    "Phnom Penh": "金边|بنوم بنه|پنوم پن|พนมเปญ|ភ្នំពេញ|ဖနွမ်ပင်",
    "Yangon": "仰光|يانغون|یانگون|ย่างกุ้ง|យ៉ាំងហ្គោន|ရန်ကုန်",
    "Tashkent": "塔什干|طشقند|تاشکند|ทาชเคนต์",
    "Athens": "雅典|أثينا|آتن|เอเธนส์",
    "Belgrade": "贝尔格莱德|بلغراد|بلگراد|เบลเกรด",
    "Nairobi": "内罗毕|نيروبي|نایروبی|ไนโรบี",
    "Astana": "阿斯塔纳|أستانا|آستانه|อัสตานา",
    "Ankara": "安卡拉|أنقرة|آنکارا|อังการา",
    "Hong Kong": "香港|هونغ كونغ|هنگ کنگ|ฮ่องกง|ហុងកុង|ဟောင်ကောင်",
    "Guangzhou": "广州|قوانغتشو|گوانگژو|กว่างโจว",
    "Shenzhen": "深圳|شنتشن|شنژن|เซินเจิ้น",
    "Beijing": "北京|بكين|پکن|ปักกิ่ง|ប៉េកាំង|ပေကျင်း",
    "Shanghai": "上海|شنغهاي|شانگهای|เซี่ยงไฮ้|សៀងហៃ|ရှန်ဟိုင်း",
}  # fmt: skip


def _gazetteer_regex(native: str) -> re.Pattern:
    body = re.escape(_fold(native))
    if _script(native[0]) == "ARABIC":  # a whole word, maybe with a one-letter prefix (ب, و...)
        return re.compile(r"(?<![^\W\d_])[وبلفک]?" + body + r"(?![^\W\d_])")
    return re.compile(body)  # no spaces between words in the other scripts


_GAZETTEER_RE = [
    (english, _gazetteer_regex(native))
    for english, natives in _GAZETTEER.items()
    for native in natives.split("|")
]

# Transliteration to Latin, to compare a Cyrillic or Greek name with the English passage.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya", "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c",
    "џ": "dz", "ә": "a", "ғ": "g", "қ": "k", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
    "і": "i", "ў": "o", "ҳ": "h", "є": "ye", "ї": "yi",
}  # fmt: skip
# Chinese names in Russian use the Palladius system (Дунхун = Donghong), applied before the table.
_PALLADIUS = [
    (r"^янь", "yan"), (r"^ян", "yang"), (r"^я", "ya"), (r"^е", "ye"), (r"^ю", "you"), (r"^и", "yi"),
    (r"чж", "zh"), (r"цз(?=[июяе])", "j"), (r"цз", "z"), (r"ц(?=[июяе])", "q"), (r"ц", "c"),
    (r"с(?=[июяе])", "x"), (r"ж", "r"), (r"х", "h"),
    (r"уань", "uan"), (r"уан", "uang"), (r"янь", "ian"), (r"ян", "iang"), (r"энь", "en"),
    (r"эн", "eng"), (r"инь", "in"), (r"ин", "ing"), (r"ань", "an"), (r"ан", "ang"), (r"юн", "iong"),
    (r"ун", "ong"), (r"(?<=[дтнлгкшчсzcrh])о(?!у)", "uo"), (r"ы", "i"), (r"я", "ia"), (r"ю", "iu"),
    (r"е", "ie"),
]  # fmt: skip
_GREEK_DIGRAPHS = [
    {"ου": "u", "μπ": "b", "ντ": "d", "γκ": "ng", "γγ": "ng", "τσ": "ts", "τζ": "dz", "αι": "ai",
     "ει": "ei", "οι": "oi", "χ": "h", "η": "i"},
    {"ου": "ou", "μπ": "mb", "ντ": "nt", "γκ": "g", "γγ": "ng", "τσ": "ch", "τζ": "j", "αι": "e",
     "ει": "i", "οι": "i", "χ": "ch", "η": "e"},
]  # fmt: skip
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}  # fmt: skip


def _translit(word: str) -> list[str]:
    """Latin readings of a folded Cyrillic or Greek word (several, since there are several systems)."""
    if _script(word[0]) == "GREEK":
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


_LATIN_PHONETIC = [
    {"š": "sh", "ş": "sh", "ž": "zh", "č": "ch", "ć": "ch", "ç": "ch", "x": "sh", "ğ": "g"},
    {"x": "h", "j": "y", "ş": "s", "ç": "c"},
]  # fmt: skip


def _latin_variants(token: str) -> list[str]:
    """A folded Latin name and its readings as Serbian/Turkish/Portuguese/Uzbek spell them."""
    low = token.casefold()
    out = [_fold(token)]
    for table in _LATIN_PHONETIC:
        out.append(_fold("".join(table.get(c, c) for c in low)))
    return [v.replace("'", "") for v in dict.fromkeys(out)]


def _is_acronym(token: str) -> bool:
    return sum(c.isupper() for c in token) >= 2


def _is_common(folded: str, script: str) -> bool:
    stems = {
        "LATIN": _COMMON_LATIN_STEMS, "CYRILLIC": _COMMON_CYRILLIC_STEMS, "GREEK": _COMMON_GREEK_STEMS,
    }.get(script, ())  # fmt: skip
    for stem in stems:
        if len(stem) < _LATIN_COMMON_EXACT_MIN and script == "LATIN":
            if folded == stem:
                return True
        elif folded.startswith(stem):
            return True
    return False


def _looks_german(token: str) -> bool:
    f = _fold(token)
    return any(c in _GERMAN_LETTERS for c in token.lower()) or f.endswith(_GERMAN_ENDINGS)


_SENTENCE_END = set(".!?。！？:;\n…")
_OPENERS = "«“\"'‘„([「『*•-–—¿¡ \t\u3000"
_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_LATIN_LANGS = {"en", "fr", "es", "pt", "de", "ms", "id", "tr", "uz", "vi", "sr"}
_NATIVE_SCRIPTS = {
    "ru": {"CYRILLIC"}, "kk": {"CYRILLIC"}, "sr": {"CYRILLIC", "LATIN"}, "uz": {"LATIN", "CYRILLIC"},
    "el": {"GREEK"},
}  # fmt: skip


def _is_sentence_initial(text: str, start: int) -> bool:
    i = start
    while i > 0 and text[i - 1] in _OPENERS:
        i -= 1
    if i == 0 or "\n" in text[i:start]:
        return True
    if text[i - 1] not in _SENTENCE_END:
        return False
    if text[i - 1] == ".":
        prev = re.search(r"([^\W\d_]+)\.$", text[:i])
        if prev and _fold(prev.group(1)) in _ABBREVIATIONS:
            return False
    return True


def _name_parts(text: str) -> list[tuple[int, int, str]]:
    """Word tokens with their offsets. Elision and possessives are split off ("l'UNESCO",
    "UNESCO's"), and so is another script glued on ("Nur博士")."""
    parts = []
    for m in _NAME_TOKEN.finditer(text):
        pos = m.start()
        for piece in re.split(r"(['’ʼ])", m.group(0)):
            if piece and piece not in "'’ʼ":
                for sub in re.finditer(r"[^\W\d_](?:[^\W\d_]|\u200c)*", piece):
                    for run in _same_script_runs(sub.group(0)):
                        start = pos + sub.start() + run[0]
                        parts.append((start, start + len(run[1]), run[1]))
            pos += len(piece)
    return parts


def _same_script_runs(word: str) -> list[tuple[int, str]]:
    """Split where the script changes; marks and modifier letters (Uzbek ʻ) belong to their word."""
    runs: list[tuple[int, str]] = []
    begin, script = 0, ""
    for i, c in enumerate(word):
        if unicodedata.category(c) in ("Lm", "Mn", "Mc", "Me"):
            continue
        s = _script(c)
        if script and s != script:
            runs.append((begin, word[begin:i]))
            begin = i
        script = s
    runs.append((begin, word[begin:]))
    return runs


def _name_claims(text: str, lang: str) -> list[Claim]:
    """Capitalised Latin/Cyrillic/Greek words that the passages must contain, grouped into names."""
    parts = [p for p in _name_parts(text) if _script(p[2][0]) in ("LATIN", "CYRILLIC", "GREEK")]
    # Runs: capitalised words separated only by spaces, hyphens or an abbreviation's period.
    runs: list[list[tuple[int, int, str]]] = []
    for p in parts:
        if not p[2][0].isupper():
            runs.append([])
            continue
        if runs and runs[-1]:
            prev = runs[-1][-1]
            gap = text[prev[1] : p[0]]
            if re.fullmatch(r"[\s\-‐–]*", gap) or (
                re.fullmatch(r"\.\s+", gap) and _fold(prev[2]) in _ABBREVIATIONS
            ):
                runs[-1].append(p)
                continue
        runs.append([p])
    native = _NATIVE_SCRIPTS.get(lang, {"LATIN"} if lang in _LATIN_LANGS else set())
    stop = _STOP["en"] | _STOP.get(lang, set())
    skip_words = stop | _TITLES

    claims: list[Claim] = []
    for run in runs:
        if not run:
            continue
        content = [p for p in run if len(p[2]) > 1 and (_is_acronym(p[2]) or _fold(p[2]) not in skip_words)]
        after_title = any(_fold(p[2]) in _TITLES for p in run)
        group: list[tuple[int, int, str]] = []
        initial_group = False
        for i, (s, e, tok) in enumerate(run):
            script = _script(tok[0])
            f = _fold(tok).replace("'", "")
            initial = i == 0 and _is_sentence_initial(text, s)
            check = True
            if len(tok) < 2 or (not _is_acronym(tok) and (f in _TITLES or f in stop or f in _EN_NUMBER_NAMES)):
                check = False  # "The", "Dr", "Nine" (a number word is checked as a number); not "WHO"
            elif initial and text[e : e + 1] == ":":
                check = False  # a label: "Date: November 2017", "Organizer: CANSM"
            elif script not in native:
                check = True  # a Latin name in a Chinese answer, etc.: always a name
            elif lang != "en" and _is_common(f, script):
                check = False
            elif initial and lang != "en":
                # Any word may start a sentence; take it as a name only in a multi-word name.
                check = _is_acronym(tok) or len(content) >= 2
            elif lang == "de" and not _is_acronym(tok):
                prev_word = re.search(r"([^\W\d_]+)\s+$", text[:s])
                after_preposition = bool(prev_word) and prev_word.group(1) in _GERMAN_PLACE_PREPOSITIONS
                check = after_title or (
                    (len(content) >= 2 or after_preposition) and not _looks_german(tok) and f not in _GERMAN_IDIOMS
                )
            elif lang == "vi" and not _is_acronym(tok):
                check = not _VI_SYLLABLE.fullmatch(f)
            if check:
                if not group:
                    initial_group = initial and lang == "en" and not _is_acronym(tok)
                group.append((s, e, tok))
            elif group:
                claims.append(_group_claim(text, group, initial_group))
                group = []
        if group:
            claims.append(_group_claim(text, group, initial_group))
    return claims


def _group_claim(text: str, group: list[tuple[int, int, str]], initial: bool) -> Claim:
    start, end = group[0][0], group[-1][1]
    return Claim(
        "name", text[start:end], " ".join(_fold(t) for _, _, t in group), start=start, sentence_initial=initial
    )


def _gazetteer_claims(text: str) -> list[Claim]:
    folded, index = _fold_with_map(text)
    claims: dict[int, Claim] = {}  # by position: بيروت and بیروت fold to the same word
    for english, regex in _GAZETTEER_RE:
        for m in regex.finditer(folded):
            s, e = index[m.start()], index[m.end() - 1] + 1
            claims.setdefault(s, Claim("name", text[s:e], _fold(english), start=s))
    return list(claims.values())


# --- extraction ----------------------------------------------------------------------------------


# "1. ", "2) ", "3、", "一、" at the start of a line number a list, they say nothing.
_LIST_ITEM = re.compile(r"(?m)^[ \t]*(?:\d{1,2}|[一二三四五六七八九十]{1,2})(?:[.)）]\s|[、．])")


def extract_claims(answer: str, lang: str) -> list[Claim]:
    """The checkable claims of an answer, in the order they appear (citation markers ignored)."""
    answer = unicodedata.normalize("NFC", answer)  # decomposed accents would split words
    text = _MARKER.sub(lambda m: " " * len(m.group(0)), answer)
    text = _LIST_ITEM.sub(lambda m: " " * len(m.group(0)), text)
    buf = list(text)
    claims: list[Claim] = []

    def masked() -> str:
        return "".join(buf)

    # e-mail addresses and URLs first: their digits and words are not separate claims.
    for regex, kind in ((_EMAIL, "email"), (_URL, "url"), (_DOMAIN, "url")):
        for m in regex.finditer(masked()):
            raw = m.group(0).rstrip(_TRAILING)
            if not raw:
                continue
            norm = raw.lower() if kind == "email" else _url_core(raw)
            claims.append(Claim(kind, raw, norm, start=m.start()))
            _mask(buf, m.start(), m.start() + len(raw))

    # Numeric dates: 2017-11-15, 15.11.2017, 15/11/2017 (11/15/2017 when the day cannot be a month).
    for m in _ISO_DATE.finditer(masked()):
        y, mo, d = (_to_int(g) for g in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            claims.append(Claim("date", m.group(0), _date_normalized(y, mo, d), start=m.start()))
            claims.append(Claim("year", m.group(1), str(y), start=m.start()))
            _mask(buf, m.start(), m.end())
    for m in _NUMERIC_DATE.finditer(masked()):
        d, mo, y = _to_int(m.group(1)), _to_int(m.group(3)), _to_int(m.group(4))
        if mo > 12 and d <= 12 or (lang == "en" and m.group(2) == "/" and d <= 12):
            d, mo = mo, d
        if 1 <= mo <= 12 and 1 <= d <= 31:
            claims.append(Claim("date", m.group(0), _date_normalized(y, mo, d), start=m.start()))
            claims.append(Claim("year", m.group(4), str(y), start=m.start(4)))
            _mask(buf, m.start(), m.end())

    # Month names, with a day and a year attached when there are.
    text_now = masked()
    for start, end, month, ambiguous, kind in _find_months(text_now, lang):
        day = year = None
        first, last = start, end
        day_span = None
        if kind == "zh":
            after = _ZH_DAY_AFTER.match(text_now[end:])
            if after:
                day, day_span = _day_or_month_value(after.group(1)), (end + after.start(1), end + after.end(1))
                last = end + after.end()
        else:
            before = _DAY_BEFORE.search(text_now[max(0, start - 16) : start])
            if before:
                offset = max(0, start - 16)
                day, day_span = _to_int(before.group(1)), (offset + before.start(1), offset + before.end(1))
                first = day_span[0]
            elif kind == "en":
                after = _DAY_AFTER.match(text_now[end:])
                if after:
                    day, day_span = _to_int(after.group(1)), (end + after.start(1), end + after.end(1))
                    last = day_span[1]
        if day is not None and not 1 <= day <= 31:
            day, day_span, first, last = None, None, start, end
        after_year = _YEAR_AFTER.match(text_now[last:])
        if after_year:
            year = _to_int(after_year.group(1))
            last = last + after_year.end(1)
        else:
            before_year = _YEAR_BEFORE.search(text_now[max(0, first - 14) : first])
            if before_year:
                year = _to_int(before_year.group(1))
                first = max(0, first - 14) + before_year.start(1)
        if ambiguous and day is None and year is None:
            continue
        year_ce = _thai_year(year, lang) if year else None
        if year_ce is not None and not 1000 <= year_ce <= 2999:
            year_ce = None
        normalized = _date_normalized(year_ce, month, day)
        claims.append(Claim("date", text_now[first:last].strip(), normalized, start=first))
        _mask(buf, start, end)  # the month word, and the number inside "11月"/"tháng 11"
        if day_span:
            _mask(buf, *day_span)

    # Numbers in any digit script.
    text_now = masked()
    for m in _NUMBER.finditer(text_now):
        value, _ = _number_value(m)
        is_year = re.fullmatch(r"\d{4}", m.group(0)) and (
            1900 <= int(value) <= 2099 or (lang == "th" and 2443 <= int(value) <= 2642)
        )
        claims.append(Claim("year" if is_year else "number", m.group(0), value, start=m.start()))
        _mask(buf, m.start(), m.end())

    # Chinese numerals: 十六, 四十四, 二〇一七年.
    text_now = masked()
    zh_text = text_now
    for idiom in _ZH_NOT_NUMBERS:
        zh_text = zh_text.replace(idiom, " " * len(idiom))
    for m in _ZH_NUMERAL.finditer(zh_text):
        s = m.group(0)
        if s == "一" or set(s) <= {"百", "千", "万", "亿"}:
            continue  # 一 is in 一些, 一起, 统一, 一带一路...; a bare 百/千/万 is rarely a number
        value = _zh_value(s)
        followed_by_year = zh_text[m.end() : m.end() + 1] == "年"
        is_year = 1900 <= value <= 2099 and (followed_by_year or len(s) == 4)
        claims.append(Claim("year" if is_year else "number", s, str(value), start=m.start()))

    # English number words in an English answer ("forty-five curators"); "one" is a pronoun too.
    if lang == "en":
        for m in _EN_NUMBER_WORDS.finditer(text_now):
            word = m.group(0).lower()
            if word == "one" or word in _EN_ORDINALS or (m.group(2) or "").lower() in _EN_ORDINALS:
                continue
            claims.append(Claim("number", m.group(0), str(_en_word_value(m)), start=m.start()))

    # Names.
    claims.extend(_name_claims(text_now, lang))
    claims.extend(_gazetteer_claims(text_now))
    claims.sort(key=lambda c: c.start)
    return claims


# --- what the passages support ---------------------------------------------------------------


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "ees", "ed", "es", "er", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


class _Support:
    """Everything the cited passages can confirm, read once."""

    def __init__(self, passages: list[str], question: str = ""):
        text = unicodedata.normalize("NFC", "\n".join(passages))
        self.lower = text.lower()
        self.numbers: set[str] = set()
        for m in _NUMBER.finditer(text):
            value, groups = _number_value(m)
            self.numbers.add(value)
            self.numbers.update(groups)
        for m in _EN_NUMBER_WORDS.finditer(text):
            self.numbers.add(str(_en_word_value(m)))
        self.months: set[int] = set()
        self.month_days: set[tuple[int, int]] = set()
        self.month_years: dict[int, set[int]] = {}
        for start, end, month, ambiguous, _ in _find_months(text, "en"):
            day = _DAY_AFTER.match(text[end:])
            before = _DAY_BEFORE.search(text[max(0, start - 12) : start])
            rest = text[end + day.end() :] if day else text[end:]
            year = _YEAR_AFTER.match(rest)
            if ambiguous and not (day or before or year):
                continue
            self.months.add(month)
            for d in (day, before):
                if d:
                    self.month_days.add((month, _to_int(d.group(1))))
            if year:
                self.month_years.setdefault(month, set()).add(_to_int(year.group(1)))
        for m in _ISO_DATE.finditer(text):
            y, mo, d = (_to_int(g) for g in m.groups())
            if 1 <= mo <= 12:
                self.months.add(mo)
                self.month_days.add((mo, d))
                self.month_years.setdefault(mo, set()).add(y)
        folded = _fold(text)
        self.words = set(_WORD.findall(folded.replace("'", " ")))
        self.long_words = [w for w in self.words if len(w) >= 3]
        self.stems = {_stem(w) for w in self.words} | {_stem(w) for w in _WORD.findall(_fold(question))}

    def number(self, claim: Claim, lang: str) -> bool:
        if claim.normalized in self.numbers:
            return True
        if claim.kind == "year" and lang == "th" and claim.normalized.isdigit():
            return str(_thai_year(int(claim.normalized), lang)) in self.numbers
        groups = re.findall(r"\d+", claim.text)
        # "44 140" may be two numbers, not forty-four thousand.
        return len(groups) > 1 and all(str(_to_int(g)) in self.numbers for g in groups)

    def date(self, claim: Claim) -> bool:
        m = re.fullmatch(r"(\d{4}|-)-(\d{2})(?:-(\d{2}))?", claim.normalized)
        year = int(m.group(1)) if m.group(1) != "-" else None
        month, day = int(m.group(2)), int(m.group(3)) if m.group(3) else None
        if month not in self.months:
            return False
        if day is not None and (month, day) not in self.month_days:
            return False
        years = self.month_years.get(month)
        return year is None or not years or year in years

    def name_token(self, token: str, lang: str, initial: bool) -> bool:
        script = _script(token[0])
        f = _fold(token).replace("'", "")
        if f in self.words or f.removesuffix("s") in self.words or f + "s" in self.words:
            return True
        if initial and (_stem(f) in self.stems or f in _STOP["en"]):
            return True
        if script in ("CYRILLIC", "GREEK"):
            return self._close(_translit(f), 0.7)
        if script == "LATIN" and lang != "en":
            return self._close(_latin_variants(token), 0.8)
        return False

    def _close(self, variants: list[str], threshold: float) -> bool:
        """Some passage word is close to a reading of the token, or to its start (inflections:
        "Шлегелем", "Schlegelning"). Short passage words ("Nur", "Yang") must match closely and whole."""
        for v in variants:
            if v in self.words:
                return True
            for w in self.long_words:
                if len(w) >= 4 and v.startswith(w) and len(v) - len(w) <= 5:
                    return True
                candidates, needed = {v}, max(threshold, 0.85)
                if len(w) >= 5:
                    candidates |= {v[: len(w) + k] for k in (0, 1, 2) if len(v) > len(w) + k}
                    needed = threshold
                for c in candidates:
                    sm = difflib.SequenceMatcher(None, c, w)
                    if sm.real_quick_ratio() >= needed and sm.quick_ratio() >= needed and sm.ratio() >= needed:
                        return True
        return False

    def unsupported(self, claim: Claim, lang: str) -> list[Claim]:
        """[] if supported; for a name, only its unsupported words ("Müller" of "Flavia Müller")."""
        if claim.kind != "name" or _script(claim.text[0]) not in ("LATIN", "CYRILLIC", "GREEK"):
            return [] if self.supports(claim, lang) else [claim]
        out: list[Claim] = []
        run: list[tuple[int, int, str]] = []
        for i, part in enumerate(_name_parts(claim.text) + [(0, 0, "")]):
            initial = claim.sentence_initial and i == 0
            if part[2] and len(part[2]) > 1 and not self.name_token(part[2], lang, initial):
                run.append(part)
            elif run:
                text = claim.text[run[0][0] : run[-1][1]]
                normalized = " ".join(_fold(t) for _, _, t in run)
                out.append(Claim("name", text, normalized, start=claim.start + run[0][0]))
                run = []
        return out

    def supports(self, claim: Claim, lang: str) -> bool:
        if claim.kind in ("number", "year"):
            return self.number(claim, lang)
        if claim.kind == "date":
            return self.date(claim)
        if claim.kind == "email":  # whole address: "tariat@brismis.org" is not in "secretariat@..."
            return re.search(r"(?<![\w.+-])" + re.escape(claim.normalized) + r"(?![\w-])", self.lower) is not None
        if claim.kind == "url":
            return re.search(r"(?<![\w-])" + re.escape(claim.normalized) + r"(?![\w-])", self.lower) is not None
        tokens = [t for _, _, t in _name_parts(claim.text)] or [claim.text]
        if _script(claim.text[0]) not in ("LATIN", "CYRILLIC", "GREEK"):  # gazetteer: English name
            return all(w in self.words for w in claim.normalized.split())
        return all(
            self.name_token(t, lang, claim.sentence_initial and i == 0) for i, t in enumerate(tokens) if len(t) > 1
        )


# --- verdict ----------------------------------------------------------------------------------


_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u1780-\u17ff\u1000-\u109f]")  # Thai, Khmer, Myanmar letters
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _word_count(text: str) -> float:
    """Rough: spaced words, Han characters at 1.5 a word, Thai/Khmer/Myanmar letters at 4."""
    spaced = re.sub(r"[\u3400-\u9fff\uf900-\ufaff\u0e00-\u0e7f\u1780-\u17ff\u1000-\u109f]", " ", text)
    return len(_WORD.findall(spaced)) + len(_HAN.findall(text)) / 1.5 + len(_UNSPACED.findall(text)) / 4


def verify(answer: str, cited_passages: list[str], lang: str, question: str = "") -> Verdict:
    """Check every claim of the answer against the union of the passages it cites.

    Run ``parse_citations`` first: any marker here counts as a citation, even [9] of 3.
    ``question`` only lets an English sentence start with a word the visitor used.
    An answer that says something (a claim, or more than ~8 words) without a single marker is
    ``uncited``; a "don't know" answer should be recognised with ``is_dont_know`` first.
    """
    claims = extract_claims(answer, lang)
    support = _Support(cited_passages, question)
    unsupported = [u for c in claims for u in support.unsupported(c, lang)]
    cites = bool(_MARKER.search(answer))
    uncited = not cites and (bool(claims) or _word_count(_MARKER.sub(" ", answer)) > 8)
    return Verdict(ok=not unsupported and not uncited, unsupported=unsupported, uncited=uncited)


# --- "I don't know" ---------------------------------------------------------------------------

_DONT_KNOW = {
    "en": """i don't know|i do not know|don't say|do not say|doesn't say|does not say|not mentioned|
        not specified|not stated|do not mention|don't mention|does not mention|doesn't mention|
        no information|not provided|cannot find|can't find|cannot answer|can't answer|
        unable to answer|there is no mention|not say that|do not contain|does not contain|
        don't contain|doesn't contain|not included in the|no mention of""",
    "zh": """不知道|没有提到|未提到|没有提及|未提及|没有说明|未说明|没有相关信息|没有信息|无法回答|无法确定|
        不清楚|未提供|没有提供|没有明确|未明确|没有记载|未载明|没有涉及|未涉及|並未提及|沒有提到""",
    "ru": """не знаю|не указан|не упомина|не говорится|нет информации|нет сведений|не сообщается|
        не могу ответить|не содержат|не содержит|не уточняется|неизвестно|не приводится""",
    "ar": """لا أعرف|لا اعرف|لا أعلم|لا تذكر|لا يذكر|لم تذكر|لم يذكر|لم يتم ذكر|لا توجد معلومات|
        لا تتوفر معلومات|لم يرد|غير مذكور|لا يمكنني الإجابة|لا تحدد|لم تحدد|لا تتضمن""",
    "fr": """je ne sais pas|ne précise pas|ne précisent pas|ne le précise pas|ne le précisent pas|
        ne le mentionne pas|ne le mentionnent pas|ne l'indique pas|ne l'indiquent pas|
        ne mentionne pas|ne mentionnent pas|
        n'est pas mentionné|n'est pas précisé|n'est pas indiqué|ne le disent pas|ne dit pas|
        ne disent pas|aucune information|pas d'information|ne contient pas|ne contiennent pas|
        je ne peux pas répondre|n'indique pas|n'indiquent pas|pas mentionné""",
    "es": """no lo sé|yo no sé|no sé la respuesta|no se menciona|no se especifica|no se indica|
        no lo indican|no lo indica|
        no indican|no menciona|no mencionan|no especifica|no especifican|no hay información|
        no tengo información|no puedo responder|no se dice|no dicen|no se detalla|no contiene|
        no contienen""",
    "th": """ไม่ทราบ|ไม่รู้|ไม่ได้ระบุ|ไม่ได้กล่าวถึง|ไม่มีข้อมูล|ไม่ได้ให้ข้อมูล|ไม่ระบุ|ไม่ได้บอก|
        ไม่สามารถตอบ|ไม่พบข้อมูล""",
    "ms": """saya tidak tahu|tidak tahu|tidak dinyatakan|tidak menyatakan|tidak disebut|
        tidak menyebut|tiada maklumat|tidak ada maklumat|tidak dapat menjawab""",
    "id": """tidak disebutkan|tidak menyebutkan|tidak ada informasi|tidak dijelaskan|
        tidak menjelaskan|tidak bisa menjawab|tidak tercantum""",
    "el": """δεν ξέρω|δεν γνωρίζω|δεν αναφέρ|δεν υπάρχει απάντηση|δεν υπάρχουν απαντήσεις|δεν υπάρχει απαντήσεις|δεν διευκρινίζ|δεν προσδιορίζ|δεν υπάρχουν πληροφορίες|
        δεν υπάρχει πληροφορία|δεν μπορώ να απαντήσω|δεν καθορίζ|δεν λένε|δεν λέει""",
    "sr": """не знам|не наводе|не наводи|није наведен|не помиње|не помињу|нема информација|
        нема података|не могу да одговорим|ne znam|ne navode|ne navodi|nije naveden|ne pominje|
        ne pominju|nema informacija|nema podataka""",
    "uz": """bilmayman|ma'lumot yo'q|ko'rsatilmagan|aytilmagan|qayd etilmagan|eslatilmagan|
        javob bera olmayman|keltirilmagan|haqida ma'lumot""",
    "km": """មិនដឹង|មិនបានបញ្ជាក់|មិនបាននិយាយ|មិនមានព័ត៌មាន|មិនបានលើកឡើង|មិនបានរៀបរាប់""",
    "my": """မသိပါ|မသိဘူး|မဖော်ပြထား|ဖော်ပြမထား|အချက်အလက်မရှိ|မပါဝင်ပါ""",
    "vi": """tôi không biết|không biết|không đề cập|không được đề cập|không nêu|không được nêu|
        không có thông tin|không cung cấp|không thể trả lời|không ghi""",
    "tr": """bilmiyorum|belirtilmemiş|belirtilmiyor|bahsedilmemiş|bahsedilmiyor|söz edilmemiş|
        bilgi yok|bilgi bulunmuyor|bilgi verilmemiş|yanıtlayamıyorum|cevaplayamıyorum|yer almıyor""",
    "kk": """білмеймін|айтылмаған|көрсетілмеген|ақпарат жоқ|мәлімет жоқ|жауап бере алмаймын|
        аталмаған|келтірілмеген""",
    "fa": """نمی‌دانم|نمی دانم|نمی‌گویند|ذکر نشده|اشاره نشده|اطلاعاتی وجود ندارد|اطلاعاتی ندارم|
        اطلاعی ندارم|مشخص نشده|ذکر نکرده|نمی‌توانم پاسخ|بیان نشده""",
    "pt": """não sei|não menciona|não mencionam|não é mencionad|não especifica|não especificam|
        não indica|não indicam|não há informaç|não tenho informaç|não posso responder|não dizem|
        não diz|não é informad|não consta""",
    "de": """ich weiß nicht|weiß ich nicht|nicht erwähnt|nicht angegeben|nicht genannt|keine angaben|
        keine informationen|sagen dazu nichts|sagt dazu nichts|geht nicht hervor|nicht beantworten|
        nicht bekannt|nicht aufgeführt|enthalten keine|enthält keine""",
}  # fmt: skip
_DONT_KNOW_PATTERNS = sorted(
    {_fold(p.strip()) for block in _DONT_KNOW.values() for p in block.split("|") if p.strip()}, key=len
)


def is_dont_know(answer: str, lang: str) -> bool:
    """The model says it does not know or that the passages do not say.

    A partial answer ("the day is not given, but it was in November 2017 [1]") is not a don't-know:
    when the answer cites something and goes on for more than one short sentence, it is an answer
    and ``verify`` judges it. Every language's phrases are tried, whatever ``lang`` says: a small
    model sometimes answers in English, or in the wrong language.
    """
    folded = _fold(answer)
    if not any(p in folded for p in _DONT_KNOW_PATTERNS):
        return False
    if not _MARKER.search(answer):
        return True
    return _word_count(_MARKER.sub(" ", answer)) <= 15
