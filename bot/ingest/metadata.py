"""What every format's reader returns, and the defaults for metadata a file does not give.

A reader (``html.py``, ``pdf.py``, ``docx.py``) turns a file into an ``Extracted``: the text that
will be shown and cited, and whatever metadata the file's own markup states (a page's <title>,
its canonical link...). ``bot.corpus`` then lays a sidecar ``<file>.yaml`` over it, and only what
is still missing is guessed here (title from the first heading, a date in the text, the file's
date, the detected language); each guess becomes a warning naming the file.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field


class ExtractionError(ValueError):
    """The file cannot become an announcement; the message says why and what to do."""


@dataclass
class Extracted:
    text: str
    title: str | None = None
    date: datetime.date | None = None
    url: str | None = None
    lang: str | None = None
    tags: tuple[str, ...] = ()
    # Guesses the reader made from the document itself (e.g. a PDF's creation date): a warning each.
    guessed: dict[str, str] = field(default_factory=dict)  # field -> how it was found
    first_heading: str | None = None  # the reader's best title candidate when there is no title
    evidence: str | None = None  # a page's whole text, menus and footer included (see boilerplate.py)


_LANG_TAG = re.compile(r"\s*([A-Za-z]{2})(?:[-_][A-Za-z0-9]+)*\s*")


def lang_from_tag(tag: str | None) -> str | None:
    """'en-US', 'zh_CN', 'EN' -> 'en', 'zh', 'en'; anything that is no language tag -> None."""
    if not tag:
        return None
    match = _LANG_TAG.fullmatch(tag)
    return match.group(1).lower() if match else None


def detect_lang(text: str) -> str | None:
    """The text's language (two letters), or None when it cannot be told."""
    from ..language import detect_language

    sample = text[:2000]
    if not sample.strip():
        return None
    found = detect_language(sample, question=False)
    return found.code if found.source not in ("default", "hint", "history") else None


def first_line_title(text: str, limit: int = 160) -> str | None:
    """The first non-empty line, without Markdown heading marks, cut at ``limit`` characters."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return None


def markdown_heading(text: str) -> str | None:
    """The first '# Heading' line of a Markdown text, else its first line."""
    for line in text.splitlines():
        match = re.match(r"\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
        if match:
            return match.group(1)
    return first_line_title(text)


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)(?!\d)", re.IGNORECASE),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)(?!\d)",
               re.IGNORECASE),
]


def date_in_text(text: str, limit: int = 5000) -> datetime.date | None:
    """The first real calendar date written in the text (ISO, 2018/06/24, 2018年6月24日,
    June 24, 2018, 24 June 2018), looking at its first ``limit`` characters."""
    sample = text[:limit]
    found: list[tuple[int, datetime.date]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(sample):
            parts = match.groupdict()
            month = int(parts["m"]) if parts.get("m") else _MONTHS[parts["month"].lower()]
            try:
                found.append((match.start(), datetime.date(int(parts["year"]), month, int(parts["d"]))))
            except ValueError:
                continue
            break  # the first of this pattern is enough: the earliest overall wins
    return min(found)[1] if found else None


def parse_when(value: str | None) -> datetime.date | None:
    """A date from a markup value: '2019-04-15', '2019-04-15T09:00:00+08:00', '2019/04/15',
    'Mon, 15 Apr 2019 09:00:00 GMT' (RSS), a PDF 'D:20190415...' — else None."""
    if not value:
        return None
    value = value.strip()
    if value.startswith("D:"):
        value = value[2:]
    match = re.match(r"((?:19|20)\d\d)-?(\d\d)-?(\d\d)", value) or re.match(
        r"((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})", value)
    if match:
        try:
            return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return date_in_text(value)


def tidy_text(text: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row, no blank start or end."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return out.strip("\n")
