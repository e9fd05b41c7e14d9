"""`brismis import`: a site served on 127.0.0.1 from tests/fixtures/site/ (a threading http.server
in this process) is copied into corpus/site/<host>/ politely, kept in step, and indexed.

The fixture site has the real site's menu and footer on every page, a sitemap, an RSS feed, a news
page linking to the announcements, a linked PDF (made by ``make_pdf``), a 404, a redirect within the
site and one to another site, a slow page, an oversized page, an image, and a robots.txt that
disallows /private/.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.corpus import load_corpus
from bot.ingest.fetch import FetchError, PoliteClient, site_of
from bot.ingest.site import STATE_FILE, ImportProblem, file_for, host_folder, sync_site
from bot.settings import Settings

from test_ingest_formats import CALL_FOR_PAPERS, FIXTURES, FOOTER_BITS, make_pdf

TYPES = {".html": "text/html; charset=utf-8", ".jhtml": "text/html;charset=UTF-8", ".xml": "application/xml",
         ".txt": "text/plain", ".pdf": "application/pdf", ".png": "image/png"}
LAST_MODIFIED = "Mon, 01 Mar 2021 08:00:00 GMT"


class SiteServer:
    """The fixture site on 127.0.0.1: {{BASE}} in its files becomes its own address and {{OTHER}}
    the same server under the name 'localhost' (another site, as far as the import can tell).
    ``requests`` records (path, headers) of every request; ``override`` replaces a path's body."""

    def __init__(self, slow_seconds: float = 1.0):
        self.requests: list[tuple[str, dict]] = []
        self.overrides: dict[str, bytes] = {}
        self.slow_seconds = slow_seconds
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                server.handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda request, address: None  # a client hanging up on /big.html is fine
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.other = f"http://localhost:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def body(self, path: str) -> tuple[bytes, str] | None:
        if path in self.overrides:
            return self.overrides[path], TYPES.get(Path(path).suffix, "text/html; charset=utf-8")
        if path == "/files/call-for-papers.pdf":
            return make_pdf(CALL_FOR_PAPERS, title="Call for papers: BRISMIS 2021"), TYPES[".pdf"]
        if path == "/logo.png":
            return b"\x89PNG\r\n\x1a\n" + bytes(200), TYPES[".png"]
        file = FIXTURES / path.lstrip("/")
        if ".." in path or not file.is_file():
            return None
        data = file.read_bytes().replace(b"{{BASE}}", self.base.encode()).replace(b"{{OTHER}}", self.other.encode())
        return data, TYPES.get(file.suffix, "application/octet-stream")

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?")[0]
        if path == "/moved":
            return self.send(h, 301, b"", headers={"Location": "/event/museum-night.html"})
        if path == "/elsewhere":
            return self.send(h, 302, b"", headers={"Location": f"{self.other}/event/opening.html"})
        if path == "/slow.html":
            time.sleep(self.slow_seconds)
        if path == "/big.html":  # no Content-Length: only counting while downloading can stop it
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.end_headers()
            try:
                for _ in range(100):
                    h.wfile.write(b"<p>" + b"x" * 4096 + b"</p>\n")
            except OSError:
                pass
            return
        found = self.body(path)
        if found is None:
            return self.send(h, 404, b"<h1>Not found</h1>", "text/html")
        data, content_type = found
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        if h.headers.get("If-None-Match") == etag:
            return self.send(h, 304, b"", headers={"ETag": etag})
        self.send(h, 200, data, content_type, {"ETag": etag, "Last-Modified": LAST_MODIFIED})

    @staticmethod
    def send(h, status: int, data: bytes, content_type: str | None = None, headers: dict | None = None) -> None:
        h.send_response(status)
        if content_type:
            h.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            h.send_header(key, value)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        if data:
            h.wfile.write(data)

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]


@pytest.fixture
def site():
    with SiteServer() as server:
        yield server


@pytest.fixture
def local(tmp_path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", import_delay=0.0, import_timeout=0.4,
                    import_max_bytes=100_000)


def site_dir(settings: Settings, site: SiteServer) -> Path:
    return settings.corpus_dir / "site" / host_folder(site.base)


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def reasons(report) -> dict[str, str]:
    return {url.rsplit("/", 1)[-1]: reason for url, reason in report.failed + report.skipped}


# ---------------------------------------------------------------------------- the sitemap


def test_sitemap_import_is_polite_and_reports_every_failure_with_its_reason(site, local):
    report = sync_site(local, site.base + "/sitemap.xml")
    folder = site_dir(local, site)
    assert report.kind == "sitemap"
    added = sorted(Path(path).relative_to(folder).as_posix() for _, path in report.added)
    assert added == ["event/chengdu.html", "event/museum-night.html", "event/opening.html", "event/workshop.html",
                     "files/call-for-papers.pdf"]
    why = reasons(report)
    assert why["missing.html"] == "HTTP 404 Not Found"
    assert "redirects to another site" in why["elsewhere"] and "localhost" in why["elsewhere"]
    assert why["slow.html"].startswith("timed out")
    assert why["big.html"].startswith("too large")
    assert why["logo.png"] == "not a page, PDF or Word file (image/png)"
    assert why["secret.html"] == "the site's robots.txt disallows it"
    assert "on another site" in why["elsewhere.html"]
    assert why["moved"].startswith("the same page as") and "redirected to" in why["moved"]  # imported once
    assert len(report.failed) + len(report.skipped) == 8
    # robots.txt first, never the disallowed page, the assistant's name on every request
    paths = site.paths()
    assert paths[:2] == ["/sitemap.xml", "/robots.txt"] or paths[0] == "/robots.txt"
    assert "/private/secret.html" not in paths and paths.count("/robots.txt") == 1
    assert all("BRISMIS-Assistant" in headers["User-Agent"] for _, headers in site.requests)
    assert report.requests == len(site.requests)


def test_imported_pages_are_announcements_without_menus_and_footers(site, local):
    sync_site(local, site.base + "/sitemap.xml")
    load = load_corpus(local.corpus_dir)
    assert load.problems == []
    host = host_folder(site.base)
    docs = {d.doc_id.removeprefix(f"site/{host}/"): d for d in load.documents}
    assert set(docs) == {"event/chengdu", "event/museum-night", "event/opening", "event/workshop",
                         "files/call-for-papers", "_site/127.0.0.1"}
    opening = docs["event/opening"]
    assert opening.doc_id == f"site/{host}/event/opening" and opening.url == site.base + "/event/opening.html"
    assert opening.title == "The second BRISMIS opens in Chengdu" and opening.date.isoformat() == "2019-11-26"
    for name in ("event/opening", "event/workshop", "event/museum-night", "event/chengdu"):
        for bit in FOOTER_BITS:
            assert bit not in docs[name].text, (name, bit)
    # the museum night page came through the redirect: its address is the one it was found at
    assert docs["event/museum-night"].url == site.base + "/event/museum-night.html"
    # the PDF: text layer, its own title, the sitemap's address; the Chinese page: its language
    pdf = docs["files/call-for-papers"]
    assert "Abstracts of at most 500 words are due by 30 June 2021" in pdf.text
    assert pdf.title == "Call for papers: BRISMIS 2021" and pdf.url == site.base + "/files/call-for-papers.pdf"
    assert docs["event/chengdu"].lang == "zh" and docs["event/chengdu"].url == site.base + "/event/chengdu.jhtml"
    assert "secretariat@brismis.org" in docs["_site/127.0.0.1"].text  # the footer, kept once
    sidecar = (site_dir(local, site) / "files/call-for-papers.pdf.yaml").read_text(encoding="utf-8")
    assert f'url: "{site.base}/files/call-for-papers.pdf"' in sidecar and "date: 2021-03-01" in sidecar


def test_second_import_changes_nothing_and_asks_conditionally(site, local):
    sync_site(local, site.base + "/sitemap.xml")
    folder = site_dir(local, site)
    before, state = snapshot(folder), (folder / STATE_FILE).read_bytes()
    site.requests.clear()
    again = sync_site(local, site.base + "/sitemap.xml")
    assert again.added == again.updated == again.removed == []
    assert len(again.unchanged) == 5
    assert snapshot(folder) == before and (folder / STATE_FILE).read_bytes() == state  # nothing rewritten
    conditional = [p for p, h in site.requests if "If-None-Match" in h]
    assert "/event/opening.html" in conditional and "/files/call-for-papers.pdf" in conditional


def test_a_changed_page_is_updated_and_a_page_gone_from_the_sitemap_removed(site, local):
    url = site.base + "/sitemap.xml"
    sync_site(local, url)
    folder = site_dir(local, site)
    page = (FIXTURES / "event/workshop.html").read_bytes().replace(b"{{BASE}}", site.base.encode())
    site.overrides["/event/workshop.html"] = page.replace(b"Phnom Penh, Cambodia", b"Vientiane, Laos")
    sitemap = (FIXTURES / "sitemap.xml").read_text(encoding="utf-8").replace("{{BASE}}", site.base)
    site.overrides["/sitemap.xml"] = re.sub(r".*opening\.html.*\n", "", sitemap).encode()

    kept = sync_site(local, url, keep_removed=True)
    assert [u for u, _ in kept.updated] == [site.base + "/event/workshop.html"]
    assert [u for u, _ in kept.kept] == [site.base + "/event/opening.html"] and kept.removed == []
    assert (folder / "event/opening.html").exists()
    assert "Vientiane" in (folder / "event/workshop.html").read_text(encoding="utf-8")

    removed = sync_site(local, url)
    assert [u for u, _ in removed.removed] == [site.base + "/event/opening.html"]
    assert not (folder / "event/opening.html").exists() and not (folder / "event/opening.html.yaml").exists()
    assert "removed (no longer listed)" in "\n".join(removed.lines())


def test_rss_feed_import_takes_the_feeds_dates_and_titles(site, local):
    report = sync_site(local, site.base + "/feed.xml")
    assert report.kind == "rss" and len(report.added) == 3 and report.failed == []
    folder = site_dir(local, site)
    sidecar = (folder / "files/call-for-papers.pdf.yaml").read_text(encoding="utf-8")
    assert 'title: "Call for papers: BRISMIS 2021"' in sidecar and "date: 2021-03-01" in sidecar
    assert "date:" not in (folder / "event/opening.html.yaml").read_text(encoding="utf-8")  # the page has its own
    docs = {d.doc_id.rsplit("/", 1)[-1]: d for d in load_corpus(local.corpus_dir).documents}
    assert docs["call-for-papers"].date.isoformat() == "2021-03-01"


def test_atom_feed_and_a_pattern_filter(site, local):
    site.overrides["/atom.xml"] = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>BRISMIS</title>
<entry><title>Museum Night</title><link rel="alternate" href="{site.base}/event/museum-night.html"/>
<published>2019-05-01T08:00:00Z</published></entry>
<entry><title>Workshop</title><link href="{site.base}/event/workshop.html"/><updated>2019-04-20T08:00:00Z</updated></entry>
<entry><title>About</title><link rel="alternate" href="{site.base}/about.html"/></entry>
</feed>""".encode()
    report = sync_site(local, site.base + "/atom.xml", r"/event/")
    assert report.kind == "atom" and sorted(u.rsplit("/", 1)[-1] for u, _ in report.added) == [
        "museum-night.html", "workshop.html"]


def test_page_with_a_link_pattern(site, local):
    report = sync_site(local, site.base + "/news.html", r"/event/")
    assert report.kind == "page" and report.failed == []
    assert sorted(u.rsplit("/", 1)[-1] for u, _ in report.added) == ["museum-night.html", "opening.html",
                                                                      "workshop.html"]


def test_single_page_and_single_pdf(site, local):
    page = sync_site(local, site.base + "/event/opening.html")
    assert page.kind == "single" and len(page.added) == 1
    pdf = sync_site(local, site.base + "/files/call-for-papers.pdf")
    assert pdf.kind == "single" and pdf.added[0][1].endswith("files/call-for-papers.pdf")
    assert sync_site(local, site.base + "/event/opening.html").unchanged  # and nothing is ever "removed"


def test_unusable_listing_is_an_import_problem(site, local):
    with pytest.raises(ImportProblem, match="HTTP 404"):
        sync_site(local, site.base + "/nothing.xml")
    with pytest.raises(ImportProblem, match="robots.txt disallows"):
        sync_site(local, site.base + "/private/secret.html")
    with pytest.raises(ImportProblem, match="image/png"):
        sync_site(local, site.base + "/logo.png")
    with pytest.raises(ImportProblem, match="not an http"):
        sync_site(local, "file:///etc/passwd")
    site.overrides["/broken.xml"] = b"<?xml version='1.0'?><urlset><url>"
    with pytest.raises(ImportProblem, match="not well-formed XML"):
        sync_site(local, site.base + "/broken.xml")


def test_pause_between_requests_and_robots_crawl_delay(site, local):
    waits, now = [], [0.0]
    client = PoliteClient(local.model_copy(update={"import_delay": 0.5}), sleep=lambda s: waits.append(s),
                          clock=lambda: now[0])
    with client:
        client.fetch(site.base + "/event/opening.html")
        client.fetch(site.base + "/event/workshop.html")
        assert waits == [0.5, 0.5]  # robots.txt, then page, then page: each waits its turn
        site.overrides["/robots.txt"] = b"User-agent: *\nCrawl-delay: 2\n"
    with PoliteClient(local.model_copy(update={"import_delay": 0.5}), sleep=lambda s: waits.append(s),
                      clock=lambda: now[0]) as client:
        client.fetch(site.base + "/event/opening.html")
        assert waits[-1] == 2.0


def test_redirects_and_sites(site, local):
    with PoliteClient(local) as client:
        assert client.fetch(site.base + "/moved").url == site.base + "/event/museum-night.html"
        with pytest.raises(FetchError, match="another site"):
            client.fetch(site.base + "/elsewhere")
    assert site_of("http://www.brismis.org/a") == site_of("https://brismis.org/b") == "brismis.org"
    assert site_of("http://127.0.0.1:8001/") != site_of("http://127.0.0.1:8002/")


@pytest.mark.parametrize(("url", "kind", "expected"), [
    ("http://h/event/1121.jhtml", "html", "event/1121.html"),
    ("http://h/", "html", "index.html"),
    ("http://h/news/", "html", "news/index.html"),
    ("http://h/a/../../etc/passwd", "html", "a/etc/passwd.html"),
    ("http://h/.hidden/_x.pdf", "pdf", "hidden/x.pdf"),
    ("http://h/list.php?id=7", "html", "list-" + hashlib.sha1(b"id=7").hexdigest()[:8] + ".html"),
    ("http://h/%E6%96%B0%E9%97%BB/a b.htm", "html", "新闻/a-b.html"),
])
def test_file_names_are_safe(url, kind, expected):
    assert file_for(url, kind) == expected


def test_a_second_import_of_the_same_site_waits_its_turn(site, local):
    from filelock import FileLock

    folder = site_dir(local, site)
    folder.mkdir(parents=True)
    with FileLock(str(folder / ".import.lock")):
        with pytest.raises(ImportProblem, match="another import"):
            sync_site(local, site.base + "/sitemap.xml")


# ---------------------------------------------------------------------------- with the index


@pytest.mark.integration
def test_brismis_import_indexes_the_site_answers_from_it_and_a_second_run_changes_nothing(
        site, local, embeddings, models, monkeypatch, capsys):
    from bot.answer import build_assistant
    from bot.cli import EXIT_SKIPPED, main
    from bot.retrieval import open_retriever

    monkeypatch.setattr("bot.models.embeddings.load_embeddings", lambda settings, progress=None: embeddings)
    for key, value in {"BRISMIS_IMPORT_DELAY": "0", "BRISMIS_IMPORT_TIMEOUT": "1",
                       "BRISMIS_IMPORT_MAX_BYTES": "100000"}.items():
        monkeypatch.setenv(key, value)
    args = ["import", site.base + "/sitemap.xml", "--quiet", "--corpus-dir", str(local.corpus_dir),
            "--index-dir", str(local.index_dir)]
    assert main(args) == EXIT_SKIPPED  # some pages failed, each with its reason
    out = capsys.readouterr().out
    assert "fetched 5 (added 5, updated 0), unchanged 0, removed 0" in out and "failed: " in out
    assert "added 6, updated 0, unchanged 0, deleted 0, skipped 0" in out  # 5 pages + the site document

    assistant = build_assistant(local, models, open_retriever(local, embeddings))
    answer = assistant.ask("Which initiative did the participants of the second BRISMIS adopt in Chengdu?")
    assert answer.grounded and answer.citations[0].url == site.base + "/event/opening.html"
    assert "Chengdu Initiative" in answer.citations[0].text and "PowerBy" not in answer.answer
    page = next(d for d in load_corpus(local.corpus_dir).documents if d.url == answer.citations[0].url)
    cited = answer.citations[0]
    assert page.text[cited.start:cited.end] == cited.text  # the offsets cut the passage out of the page's text
    pdf = assistant.ask("When are the abstracts for BRISMIS 2021 due?")
    cited = pdf.citations[0]
    assert cited.url == site.base + "/files/call-for-papers.pdf" and "30 June 2021" in cited.text
    doc = next(d for d in load_corpus(local.corpus_dir).documents if d.url == cited.url)
    assert doc.text[cited.start:cited.end] == cited.text  # the offsets cut the cited passage out of the PDF's text

    def no_model(settings, progress=None):
        raise AssertionError("an unchanged site must not load the embedding model")

    monkeypatch.setattr("bot.models.embeddings.load_embeddings", no_model)
    mtimes = {p: p.stat().st_mtime_ns for p in local.corpus_dir.rglob("*")}
    assert main(args) == EXIT_SKIPPED
    out = capsys.readouterr().out
    assert "fetched 0 (added 0, updated 0), unchanged 5" in out
    assert "added 0, updated 0, unchanged 6, deleted 0" in out
    assert {p: p.stat().st_mtime_ns for p in local.corpus_dir.rglob("*")} == mtimes

    sitemap = (FIXTURES / "sitemap.xml").read_text(encoding="utf-8").replace("{{BASE}}", site.base)
    site.overrides["/sitemap.xml"] = re.sub(r".*workshop\.html.*\n", "", sitemap).encode()
    monkeypatch.setattr("bot.models.embeddings.load_embeddings", lambda settings, progress=None: embeddings)
    main(args)
    out = capsys.readouterr().out
    assert "removed 1" in out and f"deleted 1" in out and "workshop" in out
    assert os.listdir(local.corpus_dir / "site")


def test_brismis_import_exit_codes_for_bad_usage_and_an_unreadable_listing(site, local, capsys):
    from bot.cli import EXIT_FAILED, EXIT_USAGE, main

    args = ["--quiet", "--corpus-dir", str(local.corpus_dir), "--index-dir", str(local.index_dir)]
    assert main(["import", site.base + "/sitemap.xml", "--pattern", "event/(", *args]) == EXIT_USAGE
    assert "not a regular expression" in capsys.readouterr().err
    assert main(["import", site.base + "/nothing.xml", *args]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "cannot fetch" in err and "HTTP 404" in err and "Traceback" not in err
