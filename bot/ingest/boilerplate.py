"""A site's menus and footer, kept once instead of in every announcement.

The organisation's pages all repeat the same menu ("• About", "• Current Events") and footer
(postal address, e-mails, "PowerBy…", copyright). In every announcement they become chunks that
look alike, crowd the real evidence out of the top passages, and (embedded under each page's
title) even look relevant. So lines that repeat across many announcements of one site are taken
out of each, and kept once in a site-wide document, where contact questions still find the
address and the e-mails.

A line is boilerplate when the same line (spacing aside) appears in at least ``MIN_DOCS``
announcements of one site and in at least ``MIN_SHARE`` of them. Real sentences repeated word for
word across so many announcements are rare, and are kept once in the site document anyway.

For a web page the lines are counted in the whole page's text (``evidence``: menus and footer
included), while they are stripped from the main text trafilatura kept: it leaves the footer out
of most pages, but not of a short one, and the site document still gets the footer's address and
e-mails from the pages that no longer show it.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from urllib.parse import urlsplit

MIN_DOCS = 3
MIN_SHARE = 0.2
SITE_PREFIX = "_site/"  # corpus/_… folders are never read, so no file can have such an id


def _key(line: str) -> str:
    return " ".join(line.split()).casefold()


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def boilerplate_lines(texts: list[str]) -> set[str]:
    """The (normalised) lines that repeat across enough of these texts of one site."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({_key(line) for line in text.splitlines() if line.strip()})
    needed = max(MIN_DOCS, MIN_SHARE * len(texts))
    return {line for line, n in counts.items() if n >= needed}


def _strip(text: str, repeated: set[str]) -> str:
    kept = [line for line in text.splitlines() if not line.strip() or _key(line) not in repeated]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")


def strip_boilerplate(documents: list, evidence: dict[str, str] | None = None) -> list:
    """The documents without their site's repeated lines, plus one site document per site that had
    any (``_site/<host>``). Documents whose text would be empty are kept unchanged. ``evidence``:
    per doc_id, the text whose lines count (a page's whole text), when it is not the document's."""
    from ..corpus import Document, content_hash

    evidence = evidence or {}
    by_site: dict[str, list] = defaultdict(list)
    for doc in documents:
        by_site[_host(doc.url)].append(doc)
    out = []
    sites = []
    for host, docs in by_site.items():
        sources = [evidence.get(d.doc_id, d.text) for d in docs]
        repeated = boilerplate_lines(sources) if host and len(docs) >= MIN_DOCS else set()
        if not repeated:
            out.extend(docs)
            continue
        found_in: dict[str, list] = {}  # boilerplate line -> its original form, in page order
        for doc, source in zip(docs, sources):
            stripped = _strip(doc.text, repeated)
            for line in (source if source is doc.text else source + "\n" + doc.text).splitlines():
                key = _key(line)
                if key in repeated and key not in found_in:
                    found_in[key] = line.strip()
            if stripped.strip():
                meta = {"title": doc.title, "date": doc.date, "url": doc.url, "lang": doc.lang, "tags": doc.tags}
                doc = dataclasses.replace(doc, text=stripped, content_hash=content_hash(meta, stripped))
            out.append(doc)
        text = "\n".join(found_in.values())
        langs = Counter(d.lang for d in docs)
        meta = {"title": f"{host}: the site's menus, address and contacts", "date": max(d.date for d in docs),
                "url": f"http://{host}/", "lang": langs.most_common(1)[0][0], "tags": ("site",)}
        sites.append(Document(doc_id=f"{SITE_PREFIX}{host}", path=docs[0].path.parent, text=text,
                              content_hash=content_hash(meta, text), **meta))
    return out + sites
