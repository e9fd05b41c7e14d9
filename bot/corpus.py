"""Read the announcements in corpus/ into Documents, and say exactly what to fix when one is wrong.

The corpus is edited by hand, so every mistake becomes one Problem line ("corpus/x.md:3: ...")
that names the file, the line and the fix. A bad file is skipped; it never stops the good ones
from loading. The format is described in corpus/README.md.

Files come as Markdown/text with a front matter, or as published: web pages, PDFs and Word files
(read by ``bot.ingest``), whose metadata comes from their own markup, from a sidecar
``<file>.yaml``, or is guessed with a warning (``CorpusLoad.warnings``) naming the file.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import json
import os
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

TEXT_SUFFIXES = (".md", ".txt")
HTML_SUFFIXES = (".html", ".htm")
PDF_SUFFIXES = (".pdf",)
DOCX_SUFFIXES = (".docx",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES + DOCX_SUFFIXES
SIDECAR_SUFFIX = ".yaml"  # <file>.yaml beside a file: its metadata (same fields as the front matter)
REQUIRED_FIELDS = ("title", "date", "url", "lang")
OPTIONAL_FIELDS = ("tags",)
ALLOWED_FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS

FENCE = "---"
BOM = b"\xef\xbb\xbf"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LANG_CODE = re.compile(r"[a-z]{2}")
FORMAT_HINT = "see corpus/README.md for the format"


def _display(path: Path) -> str:
    """Paths relative to the working directory, so editors and terminals can jump to them."""
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


@dataclass(frozen=True)
class Document:
    doc_id: str
    path: Path
    title: str
    date: datetime.date
    url: str
    lang: str
    tags: tuple[str, ...]
    text: str
    content_hash: str


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = _display(self.path) + (f":{self.line}" if self.line is not None else "")
        return f"{where}: {self.message}"


class CorpusError(ValueError):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class CorpusLoad:
    documents: list[Document]
    problems: list[Problem]
    # Metadata that was guessed (title from the first heading, detected language...): one per guess.
    warnings: list[Problem] = field(default_factory=list)
    # Every file read (announcements and sidecars), by path inside the corpus: [size, mtime_ns] as
    # seen before reading, so an index can tell an unchanged corpus without reading it again.
    files: dict[str, list[int]] = field(default_factory=dict)
    corpus_dir: str | None = None  # resolved, when loaded from a folder
    scanned_ns: int = field(default=0, compare=False)  # time.time_ns() just before ``files`` were looked at


@dataclass(frozen=True)
class Loaded:
    """One file's announcement and the warnings about the metadata guessed for it."""

    document: Document
    warnings: tuple[Problem, ...] = ()
    evidence: str | None = None  # a page's whole text (menus, footer): where boilerplate is counted


# libyaml's parser when PyYAML was built with it (the wheels are): ~10x faster on a big corpus.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):
    """SafeLoader that reads every unquoted value as text (only an empty value becomes None).

    Hand-written front matter hits YAML 1.1 typing all the time: `lang: no` becomes False,
    `tags: [2017]` a number, and an impossible `date: 2018-02-30` crashes inside PyYAML with a bare
    ValueError and no line. All our fields are text, so we check dates ourselves instead.
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


# An explicit `!!timestamp` tag would still reach PyYAML's date constructor.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)

# Builds the CorpusError for the file being parsed: fail(message, line=None).
_Fail = Callable[..., CorpusError]
# Builds the CorpusError for one front matter field, at that field's line: bad(field, message).
_Bad = Callable[[str, str], CorpusError]


def doc_id_for(path: Path, corpus_dir: Path) -> str:
    """Stable across machines: POSIX separators, no extension."""
    return path.relative_to(corpus_dir).with_suffix("").as_posix()


def sidecar_for(path: Path) -> Path:
    """The metadata file of ``path``: ``call.pdf`` -> ``call.pdf.yaml``."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def parse_document(path: Path, corpus_dir: Path) -> Document:
    """Parse and validate one announcement file; raise CorpusError with the first problem found."""
    return read_document(path, corpus_dir).document


def read_document(path: Path, corpus_dir: Path) -> Loaded:
    """The announcement in ``path`` and the warnings about its guessed metadata; CorpusError with
    the first problem found when it cannot be used."""
    path, corpus_dir = Path(path), Path(corpus_dir)

    def fail(message: str, line: int | None = None) -> CorpusError:
        return CorpusError(Problem(path, line, message))

    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kind = f"'{path.suffix}'" if path.suffix else "without an extension"
        if suffix == ".yml":
            hint = f"a metadata sidecar must be named after its file plus '.yaml' (e.g. {path.stem}.yaml)"
        elif suffix == ".doc":
            hint = "save it as .docx (Word 2007 or later) or convert it to .md"
        else:
            hint = (f"use .md, .txt, .html, .pdf or .docx, or convert it to .md (plain text with front matter, "
                    f"{FORMAT_HINT})")
        raise fail(f"unsupported file type {kind}: {hint}, or move it out of the corpus folder")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise fail(
            f"cannot read the file ({exc.strerror or exc}): check it exists and is readable"
        ) from None

    sidecar = sidecar_for(path)
    has_sidecar = sidecar.is_file()
    if suffix in PDF_SUFFIXES + DOCX_SUFFIXES or (suffix in HTML_SUFFIXES and not _starts_with_fence(data)):
        if not data.strip():
            raise fail("the file is empty: save the announcement into it again")
        return _from_published(path, corpus_dir, data, suffix, sidecar if has_sidecar else None, fail)
    if suffix in TEXT_SUFFIXES and has_sidecar and not _starts_with_fence(data):
        return _from_published(path, corpus_dir, data, suffix, sidecar, fail)

    raw = _decode(data, fail)
    lines = raw.replace("\r\n", "\n").split("\n")
    close = _find_front_matter(lines, fail)
    meta = _parse_front_matter(lines[1:close], fail, closing_line=close + 1)

    body = "\n".join(lines[close + 1 :])
    if suffix in HTML_SUFFIXES:
        body = html_to_text(body)
    text = body.rstrip()
    if not text.strip():
        what = "no text (after removing HTML markup)" if suffix in HTML_SUFFIXES else "no text"
        raise fail(
            f"the announcement has {what} after the front matter: put its text below the "
            f"closing '---' on line {close + 1}",
            close + 2,
        )
    warnings = ()
    if has_sidecar:
        warnings = (Problem(path, None, f"has both a front matter and a sidecar {_display(sidecar)}: the front "
                                        "matter is used; delete the sidecar (or the front matter)"),)
    document = Document(
        doc_id=doc_id_for(path, corpus_dir),
        path=path,
        text=text,
        content_hash=content_hash(meta, text),
        **meta,
    )
    return Loaded(document, warnings)


def _starts_with_fence(data: bytes) -> bool:
    """Whether the first non-blank line is '---' (a front matter, possibly misplaced)."""
    head = data[len(BOM):] if data.startswith(BOM) else data
    for line in head[:4096].splitlines():
        if line.strip():
            return line.rstrip() == FENCE.encode()
    return False


_KIND = {".pdf": "PDF", ".docx": "Word file", ".html": "page", ".htm": "page", ".md": "file", ".txt": "file"}


def _from_published(path: Path, corpus_dir: Path, data: bytes, suffix: str, sidecar: Path | None,
                    fail: _Fail) -> Loaded:
    """A page, PDF or Word file (or a text file with a sidecar): its text and metadata, the sidecar
    laid over them, and what is still missing guessed with a warning each."""
    from .ingest.metadata import ExtractionError, Extracted, date_in_text, detect_lang, markdown_heading

    given = _parse_sidecar(sidecar) if sidecar is not None else {}
    evidence = None
    try:
        if suffix in PDF_SUFFIXES:
            from .ingest.pdf import extract_pdf

            extracted = extract_pdf(data)
        elif suffix in DOCX_SUFFIXES:
            from .ingest.docx import extract_docx

            extracted = extract_docx(data)
        elif suffix in HTML_SUFFIXES:
            if _looks_binary(data, utf8=False):
                raise ExtractionError("this is a binary file, not a web page: save the page as HTML (UTF-8)")
            from .ingest.html import extract_html

            extracted = extract_html(data)
            evidence = extracted.evidence
        else:
            text = _decode(data, fail).replace("\r\n", "\n").rstrip()
            extracted = Extracted(text=text, first_heading=markdown_heading(text))
    except ExtractionError as exc:
        raise fail(str(exc)) from None

    kind = _KIND.get(suffix, "file")
    text = extracted.text
    if not text.strip():
        what = {"page": "no main text (after leaving out menus, headers and footers)",
                "PDF": "no text", "Word file": "no text"}.get(kind, "no text")
        raise fail(f"the {kind} has {what}: check it is the announcement itself, or convert it to .md")

    name = _display(sidecar if sidecar is not None else sidecar_for(path))
    warnings: list[Problem] = []

    def guessed(field_name: str, value: str, how: str) -> None:
        warnings.append(Problem(path, None, f"no {field_name} given: {how} ({value}); to set it, write "
                                            f"'{field_name}: ...' in {name}"))

    title = given.get("title") or extracted.title
    if not title:
        if extracted.first_heading:
            title = extracted.first_heading
            guessed("title", repr(title), "took the first heading")
        else:
            title = path.stem
            guessed("title", repr(title), "used the file name")

    date = given.get("date")
    if date is None and extracted.date is not None and "date" not in extracted.guessed:
        date = extracted.date
    if date is None:
        in_text = date_in_text(text)
        if in_text is not None:
            date = in_text
            guessed("date", in_text.isoformat(), "took the first date written in the text")
        elif extracted.date is not None:
            date = extracted.date
            guessed("date", date.isoformat(), f"took {extracted.guessed['date']}")
        else:
            try:
                date = datetime.date.fromtimestamp(path.stat().st_mtime)
            except OSError:
                date = datetime.date.today()
            guessed("date", date.isoformat(), "took the date the file was last changed")

    url = given.get("url") or extracted.url or ""
    if not url:  # indexed anyway: its citations just have no link to open (never an invented address)
        why = {"page": "the page has no <link rel=\"canonical\"> or og:url",
               "PDF": "a PDF does not say where it was published",
               "Word file": "a Word file does not say where it was published"}.get(kind, "the file has no front matter")
        warnings.append(Problem(path, None, f"no web address ({why}): its citations will have no link; create "
                                f"{name} with a line 'url: https://...' giving the page it was published on"))

    lang = given.get("lang") or extracted.lang
    if not lang:
        lang = detect_lang(text)
        if lang:
            guessed("lang", lang, "detected from the text")
        else:
            lang = "en"
            guessed("lang", lang, "could not tell the language of the text, assumed")

    meta = {"title": title, "date": date, "url": url, "lang": lang,
            "tags": given.get("tags", tuple(extracted.tags))}
    document = Document(doc_id=doc_id_for(path, corpus_dir), path=path, text=text,
                        content_hash=content_hash(meta, text), **meta)
    return Loaded(document, tuple(warnings), evidence)


def _parse_sidecar(sidecar: Path) -> dict:
    """The validated fields of a sidecar (any of title, date, url, lang, tags); CorpusError naming
    the sidecar and its line when it is wrong."""

    def fail(message: str, line: int | None = None) -> CorpusError:
        return CorpusError(Problem(sidecar, line, message))

    try:
        data = sidecar.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read the sidecar ({exc.strerror or exc}): check it is readable") from None
    if not data.strip():
        return {}
    lines = _decode(data, fail).replace("\r\n", "\n").split("\n")
    if lines and lines[0].rstrip() == FENCE:  # a front matter's fences are fine around the fields
        close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE), len(lines))
        lines = [""] + lines[1:close]
    return _parse_front_matter(lines, fail, closing_line=len(lines), first_line=1, required=False)


def _decode(data: bytes, fail: _Fail) -> str:
    if not data.strip():
        raise fail(f"the file is empty: add front matter and the announcement text ({FORMAT_HINT})")
    if _looks_binary(data):
        raise fail(
            "this is a binary file, not text: save the announcement as UTF-8 plain text "
            "in a .md file"
        )
    skip = len(BOM) if data.startswith(BOM) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = skip + exc.start
        line = data.count(b"\n", 0, offset) + 1
        raise fail(
            f"not valid UTF-8 (byte 0x{data[offset]:02x} at byte offset {offset}): "
            "re-save the file with UTF-8 encoding",
            line,
        ) from None


def _looks_binary(data: bytes, utf8: bool = True) -> bool:
    """NUL bytes never occur in text; many control bytes or (``utf8``) much invalid UTF-8 means
    not text. Web pages may be in another charset (GBK...): not ``utf8``."""
    if b"\0" in data:
        return True
    sample = data[:8192]
    control = sum(1 for b in sample if (b < 32 and b not in b"\t\n\r\f\v") or b == 127)
    if control > len(sample) * 0.1:
        return True
    if not utf8:
        return False
    decoded = sample.decode("utf-8", errors="replace")
    # A cut multi-byte character at the end of the sample is not evidence of binary data.
    return decoded.count("\ufffd") > max(len(decoded) * 0.3, 4)


def _find_front_matter(lines: list[str], fail: _Fail) -> int:
    """Index of the closing fence line."""
    if lines[0].rstrip() != FENCE:
        first = next((i for i, line in enumerate(lines) if line.strip()), 0)
        if lines[first].rstrip() == FENCE:
            raise fail(
                f"the front matter must start on line 1: remove the blank lines above the "
                f"'---' on line {first + 1}",
                1,
            )
        raise fail(
            "missing front matter: the file must start with a '---' line, then the fields "
            "title, date, url, lang (one 'field: value' per line), then another '---' "
            f"({FORMAT_HINT})",
            1,
        )
    for i in range(1, len(lines)):
        if lines[i].rstrip() == FENCE:
            return i
    raise fail(
        "unterminated front matter: the '---' on line 1 is never closed; add a '---' line "
        "after the last field (before the announcement text)",
        1,
    )


def _parse_front_matter(fm_lines: list[str], fail: _Fail, closing_line: int, first_line: int = 2,
                        required: bool = True) -> dict:
    """Validated metadata as Document field values. ``first_line``: the file line of ``fm_lines[0]``.
    Not ``required`` (a sidecar): any of the fields, only those given are returned."""
    where = "front matter" if required else "sidecar"
    loader = _Loader("\n".join(fm_lines))
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise fail(*_yaml_problem(exc, closing_line, first_line, where)) from None
    except RecursionError:  # PyYAML composes nested brackets recursively
        raise fail(
            f"the {where} is nested too deeply to read: write plain 'field: value' lines",
            first_line,
        ) from None
    finally:
        loader.dispose()

    if data is None:
        data, node = {}, None
    if not isinstance(data, dict):
        raise fail(
            f"the {where} must be 'field: value' lines, not a YAML {_yaml_kind(data)}: "
            f"write title, date, url and lang as 'field: value' ({FORMAT_HINT})",
            first_line,
        )

    key_lines: dict[str, int] = {}
    for key_node, _ in node.value if node is not None else []:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key is None:
            continue
        if key in key_lines:
            raise fail(
                f"field '{key}' is given twice (also on line {key_lines[key]}): keep one of them",
                key_node.start_mark.line + first_line,
            )
        key_lines[key] = key_node.start_mark.line + first_line

    for key in data:
        if key not in ALLOWED_FIELDS:
            close = difflib.get_close_matches(str(key), ALLOWED_FIELDS, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise fail(
                f"unknown field '{key}'{hint}: remove or rename it; allowed fields are "
                f"{', '.join(ALLOWED_FIELDS)}",
                key_lines.get(str(key)),
            )
    missing = [f for f in REQUIRED_FIELDS if f not in data]
    if missing and required:
        names = ", ".join(missing)
        raise fail(
            f"missing required field{'s' if len(missing) > 1 else ''} {names}: add "
            f"{'them' if len(missing) > 1 else 'it'} as 'field: value' before the closing "
            f"'---' on line {closing_line}",
            closing_line,
        )

    def bad(field: str, message: str) -> CorpusError:
        return fail(message, key_lines.get(field))

    if not required:
        checks = {"title": _check_title, "date": _check_date, "url": _check_url, "lang": _check_lang,
                  "tags": _check_tags}
        return {key: checks[key](data[key], bad) for key in ALLOWED_FIELDS if key in data}
    return {
        "title": _check_title(data["title"], bad),
        "date": _check_date(data["date"], bad),
        "url": _check_url(data["url"], bad),
        "lang": _check_lang(data["lang"], bad),
        "tags": _check_tags(data.get("tags", []), bad),
    }


def _yaml_problem(exc: yaml.YAMLError, closing_line: int, first_line: int = 2,
                  where: str = "front matter") -> tuple[str, int]:
    """Message and file line for a YAML error.

    For an unclosed quote or bracket PyYAML's problem mark is where it gave up (often the end),
    so the place the construct was opened is the line worth editing.
    """
    context = getattr(exc, "context", None) or ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    reason = problem
    opened = getattr(exc, "context_mark", None)
    if opened is not None and context.startswith(("while scanning a", "while parsing a flow")):
        mark, reason = opened, f"{context}, {problem}"
    line = min(mark.line + first_line, closing_line) if mark is not None else first_line
    return (
        f"invalid YAML in the {where} ({reason}): write one 'field: value' per line, and put "
        "a value in double quotes if it contains ': ' or ' #' or starts with a quote or one of "
        "[ { & * ! | > % @",
        line,
    )


def _yaml_kind(value: object) -> str:
    return {list: "list", dict: "mapping", str: "string"}.get(type(value), type(value).__name__)


def _check_title(value: object, bad: _Bad) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise bad("title", "title is empty: write the announcement's headline after 'title:'")
    if not isinstance(value, str):
        kind = _yaml_kind(value)
        raise bad("title", f'title must be text, not a {kind}: write it as title: "..."')
    return value.strip()


def _check_date(value: object, bad: _Bad) -> datetime.date:
    fix = "write the day it was published as date: YYYY-MM-DD (for example 2018-06-24)"
    if isinstance(value, datetime.datetime) or (
        isinstance(value, str) and re.match(r"\s*\d{4}-\d{2}-\d{2}[Tt ]+\d", value)
    ):
        raise bad("date", f"date must be a day without a time: {fix}")
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value.strip()):
        shown = "empty" if value is None else f"{value!r} is not an ISO date"
        raise bad("date", f"date {shown}: {fix}")
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise bad("date", f"date {value.strip()} is not a real calendar date: {fix}") from None


def _check_url(value: object, bad: _Bad) -> str:
    fix = "give the web page the announcement was published on, starting with http:// or https://"
    if not isinstance(value, str) or not value.strip():
        raise bad("url", f"url is empty or not text: {fix}")
    url = value.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"\s", url):
        raise bad("url", f"url {url!r} is not an http(s) address: {fix}")
    return url


def _check_lang(value: object, bad: _Bad) -> str:
    fix = "use the two-letter lowercase ISO 639-1 code of the text's language (en, zh, fr, ...)"
    if not isinstance(value, str) or not LANG_CODE.fullmatch(value):
        shown = "is empty" if value is None else f"{value!r} is not a language code"
        raise bad("lang", f"lang {shown}: {fix}")
    return value


def _check_tags(value: object, bad: _Bad) -> tuple[str, ...]:
    fix = "write tags: [tag-one, tag-two] (a list of words), or remove the line"
    if not isinstance(value, list):
        kind = "empty" if value is None else f"a {_yaml_kind(value)}, not a list"
        raise bad("tags", f"tags is {kind}: {fix}")
    for tag in value:
        if not isinstance(tag, str) or not tag.strip():
            raise bad("tags", f"tag {tag!r} is not a non-empty text: {fix}")
    return tuple(tag.strip() for tag in value)


def content_hash(meta: dict, text: str) -> str:
    """Covers metadata too, so fixing a title or date re-indexes the document."""
    payload = {**meta, "date": meta["date"].isoformat(), "tags": list(meta["tags"]), "text": text}
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


# Elements that start a new paragraph in the plain-text rendering.
_BLOCKS = frozenset(
    "address article aside blockquote caption dd div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr "
    "ul".split()
)
_DROPPED = ["script", "style", "noscript", "template", "head", "iframe", "svg", "object"]
_PARA, _BREAK = "\ue000", "\ue001"  # private-use marks that survive whitespace collapsing


def html_to_text(html: str) -> str:
    """Readable text for chunking and citing: paragraphs separated by blank lines, no markup."""
    from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(_DROPPED):
        tag.decompose()
    for junk in soup.find_all(
        string=lambda s: isinstance(s, (Comment, Declaration, Doctype, ProcessingInstruction))
    ):
        junk.extract()
    for br in soup.find_all("br"):
        br.replace_with(_BREAK)
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before(_PARA)
        tag.insert_after(_PARA)
    flat = re.sub(r"\s+", " ", soup.get_text())
    paragraphs = []
    for para in flat.split(_PARA):
        lines = [line.strip() for line in para.split(_BREAK)]
        para_text = "\n".join(line for line in lines if line)
        if para_text:
            paragraphs.append(para_text)
    return "\n\n".join(paragraphs)


def _normalized(text: str) -> str:
    """Catches copies that differ only in spacing, line wrapping, case or Unicode form."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _skipped_name(name: str) -> bool:
    return name.startswith((".", "_")) or name.lower() == "readme.md"


def scan_corpus(corpus_dir: Path) -> dict[str, list[int]]:
    """Every file the corpus is read from (announcements and sidecars; hidden and _private ones,
    and README.md, skipped), by POSIX path inside ``corpus_dir``: [size, mtime_ns]. Reads no file."""
    found: dict[str, list[int]] = {}
    stack = [(Path(corpus_dir), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if _skipped_name(entry.name):
                continue
            try:
                if entry.is_dir():
                    stack.append((Path(entry.path), f"{prefix}{entry.name}/"))
                    continue
                st = entry.stat()
            except OSError:
                continue
            found[prefix + entry.name] = [st.st_size, st.st_mtime_ns]
    return found


def _is_sidecar(name: str) -> bool:
    return name.lower().endswith(SIDECAR_SUFFIX)


def _candidate_files(corpus_dir: Path, files: dict[str, list[int]] | None = None) -> list[Path]:
    """Every file that should be an announcement, in doc_id order; hidden and _private skipped,
    sidecars (``<file>.yaml``) too: they belong to their file."""
    files = scan_corpus(corpus_dir) if files is None else files
    found = [Path(corpus_dir) / rel for rel in files if not _is_sidecar(rel)]
    return sorted(found, key=lambda p: (doc_id_for(p, corpus_dir), p.suffix))


def load_corpus(corpus_dir: Path) -> CorpusLoad:
    """All valid documents sorted by doc_id, plus one Problem per file that could not be used and
    one warning per metadata guess."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        what = "is not a folder" if corpus_dir.exists() else "does not exist"
        fix = "create it and add announcements, or point BRISMIS_CORPUS_DIR at the right folder"
        return CorpusLoad([], [Problem(corpus_dir, None, f"the corpus folder {what}: {fix}")])
    resolved = str(corpus_dir.resolve())
    scanned_ns = time.time_ns()
    stats = scan_corpus(corpus_dir)  # before reading: a file changed meanwhile is seen as changed next time
    files = _candidate_files(corpus_dir, stats)
    warnings: list[Problem] = []
    for rel in sorted(stats):
        if _is_sidecar(rel) and rel[: -len(SIDECAR_SUFFIX)] not in stats:
            warnings.append(Problem(corpus_dir / rel, None, f"a sidecar without its file "
                                    f"({rel[: -len(SIDECAR_SUFFIX)]} is missing): ignored; delete it or "
                                    "put the announcement beside it"))
    if not files:
        message = f"the corpus folder has no announcements: add a .md file ({FORMAT_HINT})"
        return CorpusLoad([], [Problem(corpus_dir, None, message)], warnings, stats, resolved, scanned_ns)

    documents: list[Document] = []
    problems: list[Problem] = []
    by_id: dict[str, Path] = {}
    by_text: dict[str, Path] = {}
    evidence: dict[str, str] = {}
    for path in files:
        doc_id = doc_id_for(path, corpus_dir)
        if doc_id in by_id:
            message = (
                f"same document id '{doc_id}' as {_display(by_id[doc_id])}: rename or delete "
                "one of them (the id is the file path without its extension)"
            )
            problems.append(Problem(path, None, message))
            continue
        by_id[doc_id] = path
        try:
            loaded = read_document(path, corpus_dir)
        except CorpusError as exc:
            problems.append(exc.problem)
            continue
        except Exception as exc:  # noqa: BLE001 - one odd file must not stop the whole corpus
            message = (
                f"could not be read ({type(exc).__name__}: {exc}): check it is a well-formed "
                f"announcement ({FORMAT_HINT})"
            )
            problems.append(Problem(path, None, message))
            continue
        doc = loaded.document
        key = _normalized(doc.text)
        if key in by_text:
            message = f"duplicate of {_display(by_text[key])} (same text): delete one of them"
            problems.append(Problem(path, None, message))
            continue
        by_text[key] = path
        documents.append(doc)
        warnings.extend(loaded.warnings)
        if loaded.evidence is not None:
            evidence[doc.doc_id] = loaded.evidence
    from .ingest.boilerplate import strip_boilerplate

    return CorpusLoad(strip_boilerplate(documents, evidence), problems, warnings, stats, resolved, scanned_ns)
