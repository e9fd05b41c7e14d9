"""Dates: the day of the month or the year a small model makes up ("November 15, 2017").

A month is read in English (always: the passages are English), in Chinese (11月, 十一月), and in
the tables of the answer's language (data/languages/*.json, "months" and "month_tables"). A day
or a year written next to the month belongs to it, and must belong to the same month in the
passages too: "June 24" is unsupported by a passage with "June 2" and "24 museums". Numeric
dates (2017-11-15, 15.11.2017, 15/11/2017) are read in every answer; Thai years are in the
Buddhist era (2560 = 2017). The words that link a day or a year to its month ("24th of",
"de 2017", "2017 года") are in data/dates.json.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .claim import Claim
from .numbers import day_or_month_value
from .tables import language, shared
from .text import fold, fold_with_map, mask, to_int

_EN = language("en")["months"]
_EN_MONTHS: dict[str, int] = _EN["words"]
_EN_AMBIGUOUS = set(_EN["ambiguous"])
# English months are matched case-sensitively: "may" and "march" are also a verb.
_EN_MONTH_RE = re.compile(
    r"(?<![^\W\d_])("
    + "|".join(re.escape(k) for k in sorted(_EN_MONTHS, key=len, reverse=True))
    + r")(?![^\W\d_])"
)


@lru_cache(maxsize=None)
def _month_regexes(lang: str) -> list[tuple[re.Pattern, int, bool]]:
    """(regex over folded text, month, ambiguous) for the month tables ``lang`` is read with."""
    out = []
    for table in language(lang).get("month_tables", ()):
        months = language(table)["months"]
        ambiguous_patterns = set(months.get("ambiguous", ()))
        prefixes = months.get("prefixes", "")
        for pattern, month in months["patterns"].items():
            ambiguous = pattern in ambiguous_patterns
            body = fold(pattern.removesuffix("~")) + (r"\w*" if pattern.endswith("~") else "")
            if months.get("match") == "anywhere":  # scripts without spaces between words, or phrases
                regex = body
            elif prefixes:  # one-letter words (Arabic و ب ل ف) are written attached
                regex = r"(?<![^\W\d_])[" + prefixes + "]?" + body + r"(?![^\W\d_])"
            else:
                regex = r"(?<![^\W\d_])" + body + r"(?![^\W\d_])"
            out.append((re.compile(regex), month, ambiguous))
    return out


@lru_cache(maxsize=None)
def _numbered_month(lang: str) -> re.Pattern | None:
    """A month written as a number after a word, over folded text ("tháng 11")."""
    numbered = language(lang).get("months", {}).get("numbered")
    return re.compile(r"(?<![^\W\d_])" + numbered + r"(\d{1,2})(?!\d)") if numbered else None


_ZH_NUM_CLASS = "〇一二三四五六七八九十"
_ZH_MONTH = re.compile(rf"(?<!\d)(\d{{1,2}}|[{_ZH_NUM_CLASS}]{{1,3}})\s*月")
_ZH_DAY_AFTER = re.compile(rf"^\s*(\d{{1,2}}|[{_ZH_NUM_CLASS}]{{1,3}})\s*[日号號]")

_LINKS = shared("dates")  # regular-expression fragments, one alternative each
# "24 June", "24th of June", "24 de junio", "le 24 juin", "am 24. Juni", "24-го июня", "24-iyun",
# "ngày 24 tháng 6", "ថ្ងៃទី២៤ ខែមិថុនា", "٢٤ يونيو": a day written just before the month.
_DAY_BEFORE = re.compile(
    r"(?<!\d)(\d{1,2})(?:" + "|".join(_LINKS["day_suffixes"]) + r")?\s*[.\-]?\s*"
    r"(?:" + "|".join(_LINKS["day_links"]) + r")?(?:" + "|".join(_LINKS["day_articles"]) + r")?$",
    re.IGNORECASE,
)
_DAY_AFTER = re.compile(  # "June 24", English order
    r"^\s*(\d{1,2})(?!\d)(?:" + "|".join(_LINKS["day_after_suffixes"]) + r")?(?![^\W\d_])"
)
_YEAR_AFTER = re.compile(r"^[\s,.]*(?:" + "|".join(_LINKS["year_links"]) + r")?(\d{4})(?!\d)", re.IGNORECASE)
_YEAR_BEFORE = re.compile(
    r"(?<!\d)(\d{4})\s*(?:" + "|".join(_LINKS["year_suffixes"]) + r")?\s*[,.]?\s*$", re.IGNORECASE
)
# the other end of a range: "November 27–30", "October 15 to 26", "с 27 по 30 ноября", "del 15 al 26 de
# octubre", "11月27日至30日": both days belong to the month (and the year)
_RANGE = "(?:" + "|".join(_LINKS["range_links"]) + ")"
_DAY_RANGE_AFTER = re.compile(
    r"^\s*" + _RANGE + r"\s*(\d{1,2})(?!\d)(?:" + "|".join(_LINKS["day_after_suffixes"]) + r")?(?![^\W\d_])",
    re.IGNORECASE,
)
_DAY_RANGE_BEFORE = re.compile(r"(?<![\d.,])(\d{1,2})\.?\s*" + _RANGE + r"\s*$", re.IGNORECASE)
_ZH_DAY_RANGE = re.compile(
    rf"^\s*(\d{{1,2}}|[{_ZH_NUM_CLASS}]{{1,3}})\s*[日号號]?\s*(?:至|到|[-–—~～])\s*(\d{{1,2}}|[{_ZH_NUM_CLASS}]{{1,3}})\s*[日号號]"
)
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})([./])(\d{1,2})\2(\d{4})(?!\d)")


def thai_year(year: int, lang: str) -> int:
    """Thai writes years in the Buddhist era: 2560 is 2017."""
    return year - 543 if lang == "th" and 2443 <= year <= 2642 else year


def _date_normalized(year: int | None, month: int, day: int | None) -> str:
    y = f"{year:04d}" if year else "-"
    return f"{y}-{month:02d}" + (f"-{day:02d}" if day else "")


_MONTH_PAIR = re.compile(r"\s*[/(（]\s*|\s*[)）]?\s*[/-]\s*")


def find_months(text: str, lang: str) -> list[tuple[int, int, int, bool, str]]:
    """(start, end, month, ambiguous, kind) for every month mention; kind "zh"/"vi" carry the
    month as a number inside the span."""
    found = []
    for m in _EN_MONTH_RE.finditer(text):
        found.append((m.start(), m.end(), _EN_MONTHS[m.group(1)], m.group(1) in _EN_AMBIGUOUS, "en"))
    for m in _ZH_MONTH.finditer(text):
        month = day_or_month_value(m.group(1))
        if month and 1 <= month <= 12:
            found.append((m.start(), m.end(), month, False, "zh"))
    folded, index = fold_with_map(text)

    def original(m: re.Match) -> tuple[int, int]:
        return index[m.start()], index[m.end() - 1] + 1

    numbered = _numbered_month(lang)
    if numbered is not None:
        for m in numbered.finditer(folded):
            month = int(m.group(1))
            if 1 <= month <= 12:
                found.append((*original(m), month, False, "vi"))
    for regex, month, ambiguous in _month_regexes(lang):
        for m in regex.finditer(folded):
            found.append((*original(m), month, ambiguous, "word"))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, int, bool, str]] = []
    for f in found:
        if kept and f[2] == kept[-1][2] and f[0] >= kept[-1][1] and _MONTH_PAIR.fullmatch(text[kept[-1][1] : f[0]]):
            # "24 حزيران/يونيو 2018", "يونيو (حزيران)": one month in its two Arabic names
            close = re.match(r"\s*[)）]", text[f[1]:])
            kept[-1] = (kept[-1][0], f[1] + (close.end() if close else 0), f[2], kept[-1][3] and f[3], kept[-1][4])
        elif not kept or f[0] >= kept[-1][1]:
            kept.append(f)
    return kept


def numeric_date_claims(buf: list[str], lang: str) -> list[Claim]:
    """2017-11-15, 15.11.2017, 15/11/2017 (11/15/2017 when the day cannot be a month, or in English)."""
    claims: list[Claim] = []
    for m in _ISO_DATE.finditer("".join(buf)):
        y, mo, d = (to_int(g) for g in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            claims.append(Claim("date", m.group(0), _date_normalized(y, mo, d), start=m.start()))
            claims.append(Claim("year", m.group(1), str(y), start=m.start()))
            mask(buf, m.start(), m.end())
    for m in _NUMERIC_DATE.finditer("".join(buf)):
        d, mo, y = to_int(m.group(1)), to_int(m.group(3)), to_int(m.group(4))
        if mo > 12 and d <= 12 or (lang == "en" and m.group(2) == "/" and d <= 12):
            d, mo = mo, d
        if 1 <= mo <= 12 and 1 <= d <= 31:
            claims.append(Claim("date", m.group(0), _date_normalized(y, mo, d), start=m.start()))
            claims.append(Claim("year", m.group(4), str(y), start=m.start(4)))
            mask(buf, m.start(), m.end())
    return claims


def month_claims(buf: list[str], lang: str) -> list[Claim]:
    """Month names, with the day and the year attached when there are; the month word and the
    day are blanked out (the year stays, and is also checked as a year)."""
    text_now = "".join(buf)
    claims: list[Claim] = []
    for start, end, month, ambiguous, kind in find_months(text_now, lang):
        day = year = other = None
        first, last = start, end
        day_span = other_span = None
        if kind == "zh":
            pair = _ZH_DAY_RANGE.match(text_now[end:])
            after = pair or _ZH_DAY_AFTER.match(text_now[end:])
            if after:
                day, day_span = day_or_month_value(after.group(1)), (end + after.start(1), end + after.end(1))
                last = end + after.end()
            if pair:
                other, other_span = day_or_month_value(pair.group(2)), (end + pair.start(2), end + pair.end(2))
        else:
            before = _DAY_BEFORE.search(text_now[max(0, start - 16) : start])
            if before:
                offset = max(0, start - 16)
                day, day_span = to_int(before.group(1)), (offset + before.start(1), offset + before.end(1))
                first = day_span[0]
                pair = _DAY_RANGE_BEFORE.search(text_now[max(0, first - 16) : first])
                if pair:
                    offset = max(0, first - 16)
                    other, other_span = to_int(pair.group(1)), (offset + pair.start(1), offset + pair.end(1))
                    first = other_span[0]
            elif kind == "en" or lang == "ar":  # "June 24"; "يونيو 24", as a model writes it after English
                after = _DAY_AFTER.match(text_now[end:])
                if after:
                    day, day_span = to_int(after.group(1)), (end + after.start(1), end + after.end(1))
                    last = day_span[1]
                    pair = _DAY_RANGE_AFTER.match(text_now[last:])
                    if pair:
                        other, other_span = to_int(pair.group(1)), (last + pair.start(1), last + pair.end(1))
                        last = other_span[1]
        if day is not None and not 1 <= day <= 31:
            day, day_span, first, last = None, None, start, end
        if other is not None and not (day is not None and 1 <= other <= 31 and other != day):
            other, other_span = None, None
        after_year = _YEAR_AFTER.match(text_now[last:])
        if after_year:
            year = to_int(after_year.group(1))
            last = last + after_year.end(1)
        else:
            before_year = _YEAR_BEFORE.search(text_now[max(0, first - 14) : first])
            if before_year:
                year = to_int(before_year.group(1))
                first = max(0, first - 14) + before_year.start(1)
        if ambiguous and day is None and year is None:
            continue
        year_ce = thai_year(year, lang) if year else None
        if year_ce is not None and not 1000 <= year_ce <= 2999:
            year_ce = None
        written = text_now[first:last].strip()
        for d in (day, other) if other is not None else (day,):
            claims.append(Claim("date", written, _date_normalized(year_ce, month, d), start=first))
        mask(buf, start, end)  # the month word, and the number inside "11月"/"tháng 11"
        for span in (day_span, other_span):
            if span:
                mask(buf, *span)
    return _across_months(claims, text_now)


_RANGE_GAP = re.compile(r"\s*(?:" + _RANGE + r"|至|到)\s*", re.IGNORECASE)
_DAY_DATE = re.compile(r"(\d{4}|-)-(\d{2})-(\d{2})")


def _across_months(claims: list[Claim], text: str) -> list[Claim]:
    """"29 November to 1 December 2023", "2023年11月29日至12月1日": one range, written once, each
    day with the year the other gives."""
    out = list(claims)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        ma, mb = _DAY_DATE.fullmatch(a.normalized), _DAY_DATE.fullmatch(b.normalized)
        if not (ma and mb) or a.start < 0 or a.text == b.text or ma.group(2) == mb.group(2):
            continue
        if not _RANGE_GAP.fullmatch(text[a.start + len(a.text) : b.start]):
            continue
        year = ma.group(1) if ma.group(1) != "-" else mb.group(1)
        written = text[a.start : b.start + len(b.text)]
        out[i] = Claim("date", written, f"{year}-{ma.group(2)}-{ma.group(3)}", start=a.start)
        out[i + 1] = Claim("date", written, f"{mb.group(1) if mb.group(1) != '-' else year}-{mb.group(2)}-{mb.group(3)}",
                           start=a.start)
    return out


class PassageDates:
    """The months the passages name, with the days and the years attached to them."""

    def __init__(self, text: str):
        self.months: set[int] = set()
        self.month_days: set[tuple[int, int]] = set()
        self.month_years: dict[int, set[int]] = {}
        for start, end, month, ambiguous, _ in find_months(text, "en"):
            day = _DAY_AFTER.match(text[end:])
            before = _DAY_BEFORE.search(text[max(0, start - 12) : start])
            rest = text[end + day.end() :] if day else text[end:]
            year = _YEAR_AFTER.match(rest)
            if ambiguous and not (day or before or year):
                continue
            self.months.add(month)
            for d in (day, before):
                if d:
                    self.month_days.add((month, to_int(d.group(1))))
            if year:
                self.month_years.setdefault(month, set()).add(to_int(year.group(1)))
        for m in _ISO_DATE.finditer(text):
            y, mo, d = (to_int(g) for g in m.groups())
            if 1 <= mo <= 12:
                self.months.add(mo)
                self.month_days.add((mo, d))
                self.month_years.setdefault(mo, set()).add(y)
        for claim in month_claims(list(text), "en"):  # both ends of a range ("November 27–30, 2017")
            self.add(claim.normalized)

    def add(self, normalized: str) -> None:
        """A date read from a passage in another language ("2017年11月27日", "27 ноября 2017"), in the
        normalized form of a claim ("2017-11-27", "--11")."""
        m = re.fullmatch(r"(\d{4}|-)-(\d{2})(?:-(\d{2}))?", normalized)
        if not m:
            return
        month = int(m.group(2))
        self.months.add(month)
        if m.group(3):
            self.month_days.add((month, int(m.group(3))))
        if m.group(1) != "-":
            self.month_years.setdefault(month, set()).add(int(m.group(1)))

    def supports(self, normalized: str) -> bool:
        """A date claim's normalized form ("2017-11", "--06-24") agrees with the passages."""
        m = re.fullmatch(r"(\d{4}|-)-(\d{2})(?:-(\d{2}))?", normalized)
        year = int(m.group(1)) if m.group(1) != "-" else None
        month, day = int(m.group(2)), int(m.group(3)) if m.group(3) else None
        if month not in self.months:
            return False
        if day is not None and (month, day) not in self.month_days:
            return False
        years = self.month_years.get(month)
        return year is None or not years or year in years
