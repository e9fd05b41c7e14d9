"""Web pages as saved from a site (no front matter): main text by trafilatura, metadata from markup.

* text: trafilatura's main-content extraction (menus, headers, footers, sidebars and comments left
  out; tables kept as ``| cell | cell |`` lines). When it finds nothing (a very short page), the
  page's own text without its <nav>/<header>/<footer>/<aside> is used instead.
* title: ``og:title``, else ``<title>``; else the first ``<h1>`` (the caller warns).
* date: ``article:published_time``, ``<time datetime>``, other dated <meta> (``date``,
  ``dc.date``, ``citation_publication_date``...), JSON-LD ``datePublished``.
* url: ``<link rel=canonical>``, else ``og:url`` (absolute http(s) only).
* lang: ``<html lang>``, else ``<meta http-equiv=content-language>``, else ``og:locale``.
"""

from __future__ import annotations

import json
import re

from .metadata import ExtractionError, Extracted, lang_from_tag, parse_when, tidy_text

_DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
    "dcterms.date", "dcterms.issued", "citation_publication_date", "citation_date", "pubdate", "publishdate",
    "publish-date", "publish_date", "sailthru.date", "parsely-pub-date",
)  # fmt: skip
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)


def decode_html(data: bytes) -> str:
    """UTF-8 (a BOM is fine); else the charset the page declares in a <meta> (GBK pages exist)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    match = _CHARSET.search(data[:8192])
    if match:
        name = match.group(1).decode("ascii", "replace")
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    offset = utf8_error.start
    raise ExtractionError(
        f"not valid UTF-8 (byte 0x{data[offset]:02x} at byte offset {offset}) and no usable <meta charset>: "
        "re-save the page as UTF-8"
    )


def _tree(html: str):
    import lxml.html

    try:
        return lxml.html.document_fromstring(html)
    except ValueError:  # "Unicode strings with encoding declaration are not supported"
        return lxml.html.document_fromstring(html.encode("utf-8"))
    except Exception as exc:  # lxml.etree.ParserError on an empty document
        raise ExtractionError(f"not readable as HTML ({exc}): check it is a saved web page") from None


def _meta(tree) -> dict[str, str]:
    out: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value and key not in out:
            out[key] = value
    return out


def _json_ld_date(tree) -> str | None:
    for el in tree.iter("script"):
        if (el.get("type") or "").lower() != "application/ld+json" or not el.text:
            continue
        try:
            data = json.loads(el.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    return item["datePublished"]
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return None


def _http_url(value: str | None) -> str | None:
    if value and re.match(r"https?://[^\s/]+", value.strip(), re.IGNORECASE) and not re.search(r"\s", value.strip()):
        return value.strip()
    return None


def page_metadata(tree) -> dict:
    """title, date, url, lang and first_heading as the page's markup states them (None if not)."""
    meta = _meta(tree)
    title_el = tree.find(".//title")
    title = meta.get("og:title") or (title_el.text_content().strip() if title_el is not None else None) or None
    h1 = next((" ".join(h.text_content().split()) for h in tree.iter("h1") if h.text_content().strip()), None)

    date = None
    for key in _DATE_META[:2]:
        date = date or parse_when(meta.get(key))
    if date is None:
        for el in tree.iter("time"):
            date = parse_when(el.get("datetime"))
            if date:
                break
    for key in _DATE_META[2:]:
        date = date or parse_when(meta.get(key))
    date = date or parse_when(_json_ld_date(tree))

    url = None
    for el in tree.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split():
            url = _http_url(el.get("href"))
            break
    url = url or _http_url(meta.get("og:url"))

    lang = lang_from_tag(tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang"))
    lang = lang or lang_from_tag(meta.get("content-language")) or lang_from_tag(meta.get("og:locale"))
    return {"title": " ".join(title.split()) if title else None, "date": date, "url": url, "lang": lang,
            "first_heading": h1}


def _page_texts(html: str) -> tuple[str, str]:
    """(the whole page's text, the text without the parts that are never the announcement)."""
    from bs4 import BeautifulSoup

    from ..corpus import html_to_text

    soup = BeautifulSoup(html, "html.parser")
    whole = html_to_text(str(soup.body or soup))
    for tag in soup(["nav", "header", "footer", "aside", "form", "menu"]):
        tag.decompose()
    return whole, html_to_text(str(soup.body or soup))


def main_text(html: str) -> tuple[str, str]:
    """(the main text, the whole page's text)."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=True, include_images=False,
                               include_links=False, deduplicate=False, output_format="txt")
    text = tidy_text(text or "")
    whole, fallback = _page_texts(html)
    return (text if text.strip() else tidy_text(fallback)), whole


def extract_html(data: bytes) -> Extracted:
    html = decode_html(data)
    tree = _tree(html)
    meta = page_metadata(tree)
    text, whole = main_text(html)
    return Extracted(text=text, title=meta["title"], date=meta["date"], url=meta["url"], lang=meta["lang"],
                     first_heading=meta["first_heading"], evidence=whole)
