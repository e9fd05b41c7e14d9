"""`brismis import URL`: copy a site's announcements into corpus/site/<host>/ and keep them in step.

URL is a sitemap.xml (or a sitemap index), an RSS or Atom feed, or a page: with ``--pattern`` the
links on that page whose address matches the regular expression, without it the page (or PDF)
itself. The pattern also filters a sitemap's or feed's entries.

Every fetched page is written as a file (``.html``, ``.pdf``, ``.docx``) with a sidecar
``<file>.yaml`` holding the address it came from (and the feed's date or title when the document
has none), so the index can always be rebuilt from corpus/ alone. The fetch state (ETag and
Last-Modified per URL, which listing each page came from, which file holds it) is kept in
``corpus/site/<host>/.import-state.json`` (hidden: never read as an announcement). Run again, the
import asks with If-None-Match / If-Modified-Since: a 304, or the same bytes, leave the file
untouched, so an unchanged site changes nothing. Pages that left the sitemap or feed are deleted
(``keep_removed`` keeps them); a page that fails this time keeps its previous copy.

Fetching is polite (``bot.ingest.fetch``). The caller updates the index afterwards (``brismis
import`` does it exactly like ``brismis index``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from .fetch import FetchError, Fetched, PoliteClient, is_http, site_of

STATE_FILE = ".import-state.json"
LOCK_FILE = ".import.lock"
SITE_FOLDER = "site"
MAX_CHILD_SITEMAPS = 50
HTML_TYPES = ("text/html", "application/xhtml+xml")
PDF_TYPES = ("application/pdf", "application/x-pdf")
DOCX_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)
XML_TYPES = ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "application/rdf+xml")
_PAGE_EXTENSIONS = {".html", ".htm", ".jhtml", ".shtml", ".xhtml", ".php", ".asp", ".aspx", ".jsp", ".pdf",
                    ".docx", ".cfm"}
SUFFIX = {"html": ".html", "pdf": ".pdf", "docx": ".docx"}


class ImportProblem(RuntimeError):
    """The import cannot run at all (the listing is unreachable, another import runs...)."""


@dataclass
class Entry:
    url: str
    date: object = None  # datetime.date from the feed or sitemap
    title: str | None = None


@dataclass
class Listing:
    kind: str  # "sitemap", "rss", "atom", "page" (its links) or "single" (the page or file itself)
    entries: list[Entry]
    fetched: Fetched | None = None  # for "single": the document, already fetched


@dataclass
class ImportReport:
    source: str
    kind: str = ""
    listed: int = 0
    added: list[tuple[str, str]] = field(default_factory=list)  # (url, file)
    updated: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)  # no longer listed, kept (--keep-removed)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # not an announcement: (url, reason)
    notes: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def lines(self) -> list[str]:
        out = [f"fetched {len(self.added) + len(self.updated)} (added {len(self.added)}, updated "
               f"{len(self.updated)}), unchanged {len(self.unchanged)}, removed {len(self.removed)}, kept "
               f"{len(self.kept)}, failed {len(self.failed)}, skipped {len(self.skipped)} of {self.listed} listed "
               f"in {self.source} ({self.kind or 'unknown'}; {self.requests} requests in {self.seconds:.1f}s)"]
        out += [f"  {note}" for note in self.notes]
        out += [f"  added: {url} -> {path}" for url, path in self.added]
        out += [f"  updated: {url} -> {path}" for url, path in self.updated]
        out += [f"  removed (no longer listed): {url} ({path} deleted)" for url, path in self.removed]
        out += [f"  kept (no longer listed; --keep-removed): {url} ({path})" for url, path in self.kept]
        out += [f"  failed: {url}: {reason}" for url, reason in self.failed]
        out += [f"  skipped: {url}: {reason}" for url, reason in self.skipped]
        return out


# ---------------------------------------------------------------------------- what was fetched


def kind_of(fetched: Fetched) -> str | None:
    """'html', 'pdf', 'docx', 'xml' or None (not something we import)."""
    media, head = fetched.content_type, fetched.content[:512].lstrip()
    if media in PDF_TYPES or head.startswith(b"%PDF-"):
        return "pdf"
    if media in DOCX_TYPES:
        return "docx"
    if media in HTML_TYPES:
        return "html"
    lowered = head.lower()
    if media in XML_TYPES or media.endswith("+xml") or lowered.startswith(b"<?xml"):
        return "xml"
    if media in ("", "application/octet-stream", "text/plain") and re.match(rb"(?i)\s*(<!doctype html|<html)", head):
        return "html"
    if media in ("application/gzip", "application/x-gzip") or head.startswith(b"\x1f\x8b"):
        return "gzip"
    return None


def _xml_root(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ImportProblem(f"not well-formed XML ({exc})") from None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(el, name: str) -> str | None:
    for child in el:
        if _local(child.tag) == name and (child.text or "").strip():
            return child.text.strip()
    return None


def _parse_xml_listing(root) -> tuple[str, list[Entry], list[str]]:
    """(kind, entries, child sitemaps) of a sitemap, sitemap index, RSS or Atom document."""
    from .metadata import parse_when

    kind = _local(root.tag)
    if kind == "urlset":
        return "sitemap", [Entry(loc, parse_when(_child_text(u, "lastmod")))
                           for u in root if _local(u.tag) == "url" and (loc := _child_text(u, "loc"))], []
    if kind == "sitemapindex":
        return "sitemap", [], [loc for s in root if _local(s.tag) == "sitemap" and (loc := _child_text(s, "loc"))]
    if kind in ("rss", "rdf"):
        items = [el for el in root.iter() if _local(el.tag) == "item"]
        entries = []
        for item in items:
            link = _child_text(item, "link") or item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
            if link:
                when = _child_text(item, "pubdate") or _child_text(item, "date")
                entries.append(Entry(link, parse_when(when), _child_text(item, "title")))
        return "rss", entries, []
    if kind == "feed":
        entries = []
        for entry in root:
            if _local(entry.tag) != "entry":
                continue
            links = [(ln.get("rel") or "alternate", ln.get("href")) for ln in entry if _local(ln.tag) == "link"]
            href = next((h for rel, h in links if rel == "alternate" and h), None)
            if href:
                when = _child_text(entry, "published") or _child_text(entry, "updated")
                entries.append(Entry(href, parse_when(when), _child_text(entry, "title")))
        return "atom", entries, []
    raise ImportProblem(f"an XML document that is neither a sitemap nor an RSS/Atom feed (<{kind}>)")


def _page_links(fetched: Fetched) -> list[Entry]:
    import lxml.html

    from .html import decode_html

    tree = lxml.html.document_fromstring(decode_html(fetched.content).encode("utf-8"))
    base = fetched.url
    for el in tree.iter("base"):
        if el.get("href"):
            base = urljoin(base, el.get("href"))
            break
    return [Entry(urljoin(base, a.get("href").strip())) for a in tree.iter("a") if a.get("href")]


def read_listing(client: PoliteClient, url: str, pattern: re.Pattern | None, report: ImportReport) -> Listing:
    """What the import URL lists; ImportProblem when it cannot be read at all."""
    try:
        fetched = client.fetch(url)
    except FetchError as exc:
        raise ImportProblem(f"cannot fetch {url}: {exc}") from None
    kind = kind_of(fetched)
    if kind == "gzip":
        fetched.content = _gunzip(fetched.content, client.max_bytes, url)
        kind = "xml"
    if kind in ("pdf", "docx") or (kind == "html" and pattern is None):
        return Listing("single", [Entry(fetched.url)], fetched)
    if kind == "html":
        return Listing("page", _page_links(fetched))
    if kind != "xml":
        raise ImportProblem(f"{url} is {fetched.content_type or 'of no declared type'}: give a sitemap.xml, "
                            "an RSS/Atom feed, or a page (with --pattern for the links to import)")
    try:
        kind, entries, children = _parse_xml_listing(_xml_root(fetched.content))
    except ImportProblem as exc:
        raise ImportProblem(f"{url}: {exc}") from None
    for child in children[:MAX_CHILD_SITEMAPS]:
        if site_of(child) != site_of(url):
            report.failed.append((child, "a sitemap on another site: not read"))
            continue
        try:
            sub = client.fetch(child)
            if kind_of(sub) == "gzip":
                sub.content = _gunzip(sub.content, client.max_bytes, child)
            _, more, _ = _parse_xml_listing(_xml_root(sub.content))
            entries += more
        except (FetchError, ImportProblem) as exc:
            report.failed.append((child, f"sitemap not read: {exc}"))
    if len(children) > MAX_CHILD_SITEMAPS:
        report.notes.append(f"only the first {MAX_CHILD_SITEMAPS} of {len(children)} sitemaps were read")
    return Listing(kind, entries)


def _gunzip(data: bytes, limit: int, url: str) -> bytes:
    import zlib

    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, limit + 1)
    except zlib.error as exc:
        raise ImportProblem(f"{url}: not a readable gzip file ({exc})") from None
    if len(out) > limit:
        raise ImportProblem(f"{url}: larger than {limit:,} bytes once uncompressed")
    return out


# ---------------------------------------------------------------------------- where files go


def host_folder(url: str) -> str:
    """The folder of a site under corpus/site/: its host name (plus '-port' for another port)."""
    site = site_of(url).replace(":", "-")
    return _safe_segment(site) or "unknown-host"


def _safe_segment(segment: str, limit: int = 100) -> str:
    segment = unicodedata.normalize("NFKC", segment)
    segment = re.sub(r"[^\w.-]+", "-", segment).strip("-")
    segment = segment.lstrip("._") or ""  # hidden or _private names would never be read
    if len(segment) > limit:
        digest = hashlib.sha1(segment.encode()).hexdigest()[:8]
        segment = segment[: limit - 9].rstrip("-.") + "-" + digest
    return segment


def file_for(url: str, kind: str) -> str:
    """The file (inside the host folder) a URL is saved as: its path, made safe, with the
    extension of what it is: /event/1121.jhtml -> event/1121.html, / -> index.html."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    segments = [_safe_segment(s) for s in path.split("/") if s not in ("", ".", "..")]
    segments = [s for s in segments if s]
    if not segments or path.endswith("/"):
        segments.append("index")
    name = segments[-1]
    stem, ext = os.path.splitext(name)
    if ext.lower() in _PAGE_EXTENSIONS and stem:
        name = stem
    if parts.query:
        name += "-" + hashlib.sha1(parts.query.encode()).hexdigest()[:8]
    segments[-1] = name + SUFFIX[kind]
    return "/".join(segments)


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically unless the file already holds exactly ``data``; True if written."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def _delete(folder: Path, rel: str) -> None:
    for path in (folder / rel, folder / (rel + ".yaml")):
        path.unlink(missing_ok=True)
    parent = (folder / rel).parent
    while parent != folder and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def _as_utf8_html(fetched: Fetched) -> bytes:
    """The page as UTF-8 (the file is read as UTF-8 first): re-encoded only when the server said
    it is in another charset and it does not read as UTF-8."""
    data = fetched.content
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    if fetched.charset:
        try:
            return data.decode(fetched.charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            pass
    return data  # its <meta charset>, if any, is used when it is read


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a double-quoted YAML string


def sidecar_text(source: str, fetched: Fetched, kind: str, entry: Entry, content: bytes) -> bytes:
    """The sidecar: the address it was fetched from, and the feed's date and title when the
    document does not state its own."""
    own_title = own_date = False
    if kind == "html":
        try:
            from .html import _tree, decode_html, page_metadata

            meta = page_metadata(_tree(decode_html(content)))
            own_title, own_date = bool(meta["title"]), bool(meta["date"])
        except Exception:  # noqa: BLE001 - a broken page is reported when the corpus is read
            pass
    lines = [f"# written by `brismis import {source}`; the next import rewrites it", f"url: {_yaml(fetched.url)}"]
    if entry.date is not None and not own_date:
        lines.append(f"date: {entry.date.isoformat()}")
    if entry.title and not own_title:
        lines.append(f"title: {_yaml(' '.join(entry.title.split()))}")
    return ("\n".join(lines) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------- the import


def _load_state(path: Path) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(state, dict) and isinstance(state.get("pages"), dict):
            return state
    except (OSError, ValueError):
        pass
    return {"version": 1, "pages": {}}


def _save_state(path: Path, state: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def _allocate(rel: str, url: str, taken: dict[str, str]) -> str:
    """``rel``, or a variant of it when another URL already has that document id."""
    stem, ext = os.path.splitext(rel)
    owner = taken.get(stem)
    if owner is None or owner == url:
        return rel
    return f"{stem}-{hashlib.sha1(url.encode()).hexdigest()[:8]}{ext}"


def sync_site(settings, url: str, pattern: str | None = None, *, keep_removed: bool = False, progress=None,
              client: PoliteClient | None = None) -> ImportReport:
    """Fetch what ``url`` lists into ``settings.corpus_dir/site/<host>/``; the report says what
    changed. ImportProblem when nothing can be imported (the listing is unreachable...)."""
    from filelock import FileLock, Timeout

    started = time.monotonic()
    url = url.strip()
    if not is_http(url):
        raise ImportProblem(f"{url!r} is not an http(s) address: give a sitemap, a feed or a page URL")
    regex = re.compile(pattern) if pattern else None
    report = ImportReport(source=url)
    folder = Path(settings.corpus_dir) / SITE_FOLDER / host_folder(url)
    folder.mkdir(parents=True, exist_ok=True)
    own_client = client is None
    client = client or PoliteClient(settings)
    try:
        with FileLock(str(folder / LOCK_FILE), timeout=0):
            _sync_locked(settings, url, regex, keep_removed, progress, client, folder, report)
    except Timeout:
        raise ImportProblem(f"another import into {folder} is running; wait for it to finish and run again") from None
    finally:
        report.requests = client.requests
        if own_client:
            client.close()
    report.seconds = time.monotonic() - started
    return report


def _sync_locked(settings, url, regex, keep_removed, progress, client, folder: Path, report: ImportReport) -> None:
    state_path = folder / STATE_FILE
    state = _load_state(state_path)
    before = json.dumps(state, sort_keys=True)
    pages: dict[str, dict] = state["pages"]
    listing = read_listing(client, url, regex, report)
    report.kind = listing.kind

    entries: list[Entry] = []
    seen: set[str] = set()
    for entry in listing.entries:
        entry.url = urldefrag(entry.url.strip())[0]
        if not entry.url or entry.url in seen:
            continue
        if listing.kind != "single" and regex is not None and not regex.search(entry.url):
            continue
        seen.add(entry.url)
        if not is_http(entry.url):
            report.failed.append((entry.url, "not an http(s) address"))
        elif site_of(entry.url) != site_of(url):
            if listing.kind != "page":  # a page links to other sites all the time: not worth a line
                report.failed.append((entry.url, f"on another site than {site_of(url)}: not imported"))
        else:
            entries.append(entry)
    if len(entries) > settings.import_max_pages:
        report.notes.append(f"only the first {settings.import_max_pages} of {len(entries)} pages were imported "
                            "(BRISMIS_IMPORT_MAX_PAGES)")
        entries = entries[: settings.import_max_pages]
    report.listed = len(entries)

    taken = {os.path.splitext(rec["file"])[0]: u for u, rec in pages.items() if rec.get("file")}
    final_urls: dict[str, str] = {}
    for i, entry in enumerate(entries):
        if progress:
            progress("fetching pages", i, len(entries))
        previous = pages.get(entry.url)
        have_copy = bool(previous and previous.get("file") and (folder / previous["file"]).is_file())
        try:
            if listing.fetched is not None:
                fetched = listing.fetched
            else:
                fetched = client.fetch(entry.url, etag=previous.get("etag") if have_copy else None,
                                       last_modified=previous.get("last_modified") if have_copy else None)
        except FetchError as exc:
            kept = f" (the copy from the last import is kept: {previous['file']})" if have_copy else ""
            report.failed.append((entry.url, f"{exc}{kept}"))
            continue
        if fetched.status == 304:
            report.unchanged.append(entry.url)
            _remember(previous, url, fetched)
            final_urls.setdefault(fetched.url, entry.url)
            continue
        kind = kind_of(fetched)
        if kind not in SUFFIX:
            report.skipped.append((entry.url, f"not a page, PDF or Word file ({fetched.content_type or 'no type'})"))
            continue
        if fetched.url in final_urls:
            report.skipped.append((entry.url, f"the same page as {final_urls[fetched.url]} (redirected to "
                                              f"{fetched.url})"))
            continue
        final_urls[fetched.url] = entry.url
        content = _as_utf8_html(fetched) if kind == "html" else fetched.content
        rel = file_for(fetched.url, kind)
        if previous and previous.get("file") and os.path.splitext(previous["file"])[1] == SUFFIX[kind]:
            rel = previous["file"]  # the same document id as before, even if the address mapping changed
        rel = _allocate(rel, entry.url, taken)
        if previous and previous.get("file") and previous["file"] != rel:
            _delete(folder, previous["file"])
            taken.pop(os.path.splitext(previous["file"])[0], None)
        taken[os.path.splitext(rel)[0]] = entry.url
        wrote = _write_if_changed(folder / rel, content)
        wrote |= _write_if_changed(folder / (rel + ".yaml"), sidecar_text(url, fetched, kind, entry, content))
        shown = (folder / rel).as_posix()
        if not wrote and previous:
            report.unchanged.append(entry.url)
        elif previous and have_copy:
            report.updated.append((entry.url, shown))
        else:
            report.added.append((entry.url, shown))
        record = pages.setdefault(entry.url, {})
        record["file"] = rel
        _remember(record, url, fetched)
    if progress:
        progress("fetching pages", len(entries), len(entries))

    if listing.kind != "single":  # a single page lists nothing else: nothing can have left it
        listed = {e.url for e in entries}
        for page_url in sorted(pages):
            record = pages[page_url]
            if url not in record.get("sources", []) or page_url in listed:
                continue
            if len(record.get("sources", [])) > 1:  # still listed by another sitemap or feed
                record["sources"].remove(url)
                continue
            rel = record.get("file", "")
            if keep_removed:
                report.kept.append((page_url, (folder / rel).as_posix()))
                continue
            if rel:
                _delete(folder, rel)
            del pages[page_url]
            report.removed.append((page_url, (folder / rel).as_posix()))
    if json.dumps(state, sort_keys=True) != before:
        _save_state(state_path, state)


def _remember(record: dict | None, source: str, fetched: Fetched) -> None:
    if record is None:
        return
    record["etag"] = fetched.etag
    record["last_modified"] = fetched.last_modified
    sources = record.setdefault("sources", [])
    if source not in sources:
        sources.append(source)
