"""Announcements as published: web pages without front matter, PDFs, Word files and sidecars.

Every file is written here (the PDF by ``make_pdf``, a minimal PDF writer with a real text layer;
the Word files with python-docx), so nothing is downloaded.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from bot.chunking import chunk_document
from bot.corpus import load_corpus, parse_document, read_document

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"
BASE = "http://www.brismis.org"
FOOTER_BITS = ["PowerBy", "POONSOFT", "Beichen East Road", "• About", "• Current Events", "Copyright 2017"]


def make_pdf(pages: list[list[str]], title: str | None = None, creation: str | None = None) -> bytes:
    """A small valid PDF whose pages hold these lines of text (Helvetica, WinAnsi); ``pages=[[]]``
    makes a page without text, like a scan."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    pages_id = font + 2 * len(pages) + 1
    kids = []
    for lines in pages:
        ops = ["BT /F1 11 Tf 14 TL 72 760 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("cp1252")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)))
    kid_refs = b" ".join(b"%d 0 R" % k for k in kids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kid_refs, len(kids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    info = [b"/Title (%s)" % title.encode("cp1252")] if title else []
    if creation:
        info.append(b"/CreationDate (D:%s)" % creation.encode())
    info_id = add(b"<< " + b" ".join(info) + b" >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, info_id, xref)
    return bytes(out)


CALL_FOR_PAPERS = [
    ["Call for papers: BRISMIS 2021",
     "The third International Symposium on the Development of Natural Science Museums under the Belt and",
     "Road Initiative will be held in Chengdu from 20 to 22 October 2021, hosted by the Sichuan Science",
     "and Technology Museum.",
     "Papers on museum education, digital exhibitions and biodiversity are welcome. Abstracts of at most",
     "500 words are due by 30 June 2021 and should be sent to papers@brismis.org."],
    ["Selected papers will be published in the symposium proceedings in 2022."],
]


def make_docx(path: Path, *, title: str | None = None, heading: str = "Press release: BRISMIS 2023",
              paragraphs=("The fourth BRISMIS will open in Beijing on 29 November 2023.",), table=None) -> Path:
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.add_paragraph("Contact: secretariat@brismis.org")
    document.save(path)
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    return folder


def fixture_page(name: str, base: str = BASE) -> bytes:
    return (FIXTURES / name).read_bytes().replace(b"{{BASE}}", base.encode()).replace(
        b"{{OTHER}}", b"http://elsewhere.example")


def warnings_of(load, name: str) -> list[str]:
    return [w.message for w in load.warnings if w.path.name == name]


# --- web pages as saved from the site ------------------------------------------------------------


def test_saved_page_takes_its_metadata_from_the_markup_and_drops_menus_and_footer(corpus):
    (corpus / "opening.html").write_bytes(fixture_page("event/opening.html"))
    load = load_corpus(corpus)
    assert load.problems == [] and load.warnings == []
    doc = load.documents[0]
    assert (doc.doc_id, doc.title, doc.date, doc.url, doc.lang) == (
        "opening", "The second BRISMIS opens in Chengdu", datetime.date(2019, 11, 26),
        f"{BASE}/event/opening.html", "en")
    assert "adopted the Chengdu Initiative" in doc.text and "More than 300 museum directors" in doc.text
    for bit in FOOTER_BITS + ["_hmt", "display: inline"]:
        assert bit not in doc.text, bit


@pytest.mark.parametrize(("name", "date"), [("event/workshop.html", datetime.date(2019, 4, 20)),  # <time>
                                            ("event/museum-night.html", datetime.date(2019, 5, 1))])  # meta date
def test_page_dates_from_time_and_meta(corpus, name, date):
    (corpus / "page.html").write_bytes(fixture_page(name))
    doc = parse_document(corpus / "page.html", corpus)
    assert doc.date == date and doc.url == f"{BASE}/{name}"


def test_page_without_canonical_is_indexed_without_a_link_and_says_how_to_give_one(corpus):
    (corpus / "chengdu.html").write_bytes(fixture_page("event/chengdu.jhtml"))
    first = load_corpus(corpus)
    assert first.problems == [] and first.documents[0].url == ""  # no address is ever invented
    message = next(str(w) for w in first.warnings if "no web address" in str(w))
    assert "canonical" in message and "chengdu.html.yaml" in message and "url: https://" in message

    (corpus / "chengdu.html.yaml").write_text(f"url: {BASE}/event/chengdu.jhtml\n", encoding="utf-8")
    load = load_corpus(corpus)
    assert load.problems == []
    doc = load.documents[0]
    assert doc.url == f"{BASE}/event/chengdu.jhtml" and doc.lang == "zh"  # <html lang="zh-CN">
    assert doc.title.startswith("第二届") and doc.date == datetime.date(2019, 11, 28)  # the date in its text
    assert any("no date given: took the first date written in the text (2019-11-28)" in w
               for w in warnings_of(load, "chengdu.html"))
    assert "会议通过了《成都倡议》" in doc.text


def test_page_without_any_metadata_gets_defaults_with_a_warning_each(corpus):
    html = ("<html><body><nav><a href='/'>• About</a></nav><h1>Museum educators meet in Baku</h1>"
            "<p>Educators from science museums of eleven countries met in Baku to share their experience of "
            "school programmes, travelling exhibitions and volunteer guides, and agreed to meet again.</p>"
            "<p>The meeting was organised by CANSM together with the Azerbaijan National Academy of Sciences, "
            "whose natural history museum hosted the sessions and a visit to its new mineral hall.</p>"
            "</body></html>")
    path = corpus / "baku.html"
    path.write_text(html, encoding="utf-8")
    (corpus / "baku.html.yaml").write_text("url: https://www.brismis.org/event/baku.jhtml\n", encoding="utf-8")
    os.utime(path, (datetime.datetime(2022, 5, 3, 12).timestamp(),) * 2)
    load = load_corpus(corpus)
    doc = load.documents[0]
    assert (doc.title, doc.date, doc.lang) == ("Museum educators meet in Baku", datetime.date(2022, 5, 3), "en")
    messages = warnings_of(load, "baku.html")
    assert len(messages) == 3, messages
    assert any("no title given: took the first heading ('Museum educators meet in Baku')" in m for m in messages)
    assert any("no date given: took the date the file was last changed (2022-05-03)" in m for m in messages)
    assert any("no lang given: detected from the text (en)" in m for m in messages)
    assert all("baku.html.yaml" in m for m in messages)  # where to set it
    assert str(load.warnings[0]).startswith(path.as_posix())  # each warning names the file


def test_sidecar_overrides_what_the_page_says(corpus):
    (corpus / "opening.html").write_bytes(fixture_page("event/opening.html"))
    (corpus / "opening.html.yaml").write_text(
        "---\ntitle: \"BRISMIS 2019: opening\"\ndate: 2019-11-25\nurl: https://brismis.org/2019\nlang: en\n"
        "tags: [brismis-2019]\n---\n", encoding="utf-8")
    doc = parse_document(corpus / "opening.html", corpus)
    assert (doc.title, doc.date, doc.url, doc.tags) == (
        "BRISMIS 2019: opening", datetime.date(2019, 11, 25), "https://brismis.org/2019", ("brismis-2019",))


@pytest.mark.parametrize(("sidecar", "line", "expected"), [
    ("url: https://brismis.org/x\ndate: 2019-02-30\n", 2, "not a real calendar date"),
    ("url: https://brismis.org/x\ntitel: x\n", 2, "did you mean 'title'?"),
    ("url: ftp://brismis.org/x\n", 1, "not an http(s) address"),
    ("title: BRISMIS: opening\n", 1, "invalid YAML in the sidecar"),
])
def test_a_bad_sidecar_is_reported_by_its_name_and_line(corpus, sidecar, line, expected):
    (corpus / "opening.html").write_bytes(fixture_page("event/opening.html"))
    (corpus / "opening.html.yaml").write_text(sidecar, encoding="utf-8")
    (corpus / "other.md").write_text("---\ntitle: t\ndate: 2020-01-01\nurl: http://a.org/b\nlang: en\n---\nText.\n",
                                     encoding="utf-8")
    load = load_corpus(corpus)
    assert [d.doc_id for d in load.documents] == ["other"]  # the rest still loads
    [problem] = load.problems
    assert problem.path.name == "opening.html.yaml" and problem.line == line and expected in problem.message


def test_html_with_front_matter_is_read_exactly_as_before(corpus):
    html = "<nav>• About</nav><p>The symposium opened in <b>Beijing</b>.</p><div>PowerBy: X</div>"
    path = corpus / "page.html"
    path.write_text("---\ntitle: T\ndate: 2019-11-26\nurl: http://a.org/b\nlang: en\n---\n" + html, encoding="utf-8")
    (corpus / "page.html.yaml").write_text("title: ignored\n", encoding="utf-8")
    loaded = read_document(path, corpus)
    assert loaded.document.text == "• About\n\nThe symposium opened in Beijing.\n\nPowerBy: X"  # no trafilatura
    assert loaded.document.title == "T"
    assert "front matter is used" in loaded.warnings[0].message


def test_markdown_with_a_sidecar_instead_of_front_matter(corpus):
    (corpus / "notes.md").write_text("# Volunteers wanted\n\nThe museum needs guides for May.\n", encoding="utf-8")
    (corpus / "notes.md.yaml").write_text("url: https://brismis.org/volunteers\ndate: 2024-04-01\nlang: en\n",
                                          encoding="utf-8")
    load = load_corpus(corpus)
    doc = load.documents[0]
    assert (doc.title, doc.text) == ("Volunteers wanted", "# Volunteers wanted\n\nThe museum needs guides for May.")
    assert [w for w in warnings_of(load, "notes.md") if "title" in w]


def test_orphan_sidecar_is_a_warning(corpus):
    (corpus / "gone.pdf.yaml").write_text("url: https://brismis.org/x\n", encoding="utf-8")
    (corpus / "a.md").write_text("---\ntitle: t\ndate: 2020-01-01\nurl: http://a.org/b\nlang: en\n---\nText.\n",
                                 encoding="utf-8")
    load = load_corpus(corpus)
    assert [d.doc_id for d in load.documents] == ["a"] and load.problems == []
    assert "sidecar without its file" in warnings_of(load, "gone.pdf.yaml")[0]


def test_page_in_another_charset_is_read(corpus):
    html = ('<html lang="zh"><head><meta charset="gbk"><link rel="canonical" href="http://www.brismis.org/zh">'
            "<title>研讨会开幕</title></head><body><p>" + "第二届研讨会在成都开幕，来自三十八个国家的代表参加了会议。" * 12
            + "</p></body></html>")
    (corpus / "zh.html").write_bytes(html.encode("gbk"))
    doc = parse_document(corpus / "zh.html", corpus)
    assert doc.title == "研讨会开幕" and "来自三十八个国家" in doc.text


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "the file is empty"),
    (b"\x00\x01\x02\x03" * 100, "binary file"),
    (b"<html><body><script>menu()</script></body></html>", "no main text"),
])
def test_broken_pages_are_problems_not_crashes(corpus, content, expected):
    (corpus / "x.html").write_bytes(content)
    load = load_corpus(corpus)
    assert load.documents == [] and expected in load.problems[0].message


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_text_layer_with_line_wrapping_undone(corpus):
    (corpus / "call.pdf").write_bytes(make_pdf(CALL_FOR_PAPERS, title="Call for papers: BRISMIS 2021",
                                               creation="20210301080000+08'00'"))
    (corpus / "call.pdf.yaml").write_text(f"url: {BASE}/files/call.pdf\n", encoding="utf-8")
    load = load_corpus(corpus)
    assert load.problems == []
    doc = load.documents[0]
    assert doc.title == "Call for papers: BRISMIS 2021" and doc.url == f"{BASE}/files/call.pdf"
    # one sentence per line, not one printed line per line
    assert ("The third International Symposium on the Development of Natural Science Museums under the Belt "
            "and Road Initiative will be held in Chengdu from 20 to 22 October 2021, hosted by the Sichuan "
            "Science and Technology Museum.") in doc.text.splitlines()
    assert "\n\nSelected papers will be published" in doc.text  # pages are paragraphs
    assert doc.date == datetime.date(2021, 10, 22)  # the first date in its text ("20 to 22 October"), warned
    assert any("first date written in the text" in w for w in warnings_of(load, "call.pdf"))


def test_pdf_creation_date_when_the_text_has_none(corpus):
    (corpus / "a.pdf").write_bytes(make_pdf([["Guided tours are given every Saturday morning."]],
                                            creation="20230415090000Z"))
    (corpus / "a.pdf.yaml").write_text("url: https://brismis.org/a.pdf\nlang: en\n", encoding="utf-8")
    load = load_corpus(corpus)
    assert load.documents[0].date == datetime.date(2023, 4, 15)
    assert any("the PDF's creation date" in w for w in warnings_of(load, "a.pdf"))
    assert any("took the first heading" in w for w in warnings_of(load, "a.pdf"))  # no /Title


def test_scanned_pdf_is_reported_as_such(corpus):
    (corpus / "scan.pdf").write_bytes(make_pdf([[], []]))
    (corpus / "scan.pdf.yaml").write_text("url: https://brismis.org/scan.pdf\n", encoding="utf-8")
    load = load_corpus(corpus)
    [problem] = load.problems
    assert problem.path.name == "scan.pdf"
    assert "scanned PDF without a text layer" in problem.message and "2 pages" in problem.message
    assert "OCR" in problem.message


def test_pdf_dropped_without_url_is_indexed_and_says_how_to_link_it(corpus):
    (corpus / "call.pdf").write_bytes(make_pdf(CALL_FOR_PAPERS))
    load = load_corpus(corpus)
    assert load.problems == [] and load.documents[0].url == ""
    warning = next(str(w) for w in load.warnings if "no web address" in str(w))
    assert "a PDF does not say where it was published" in warning and "call.pdf.yaml" in warning


# --- Word ----------------------------------------------------------------------------------------


def test_docx_paragraphs_headings_and_tables(corpus):
    make_docx(corpus / "press.docx", table=[["Day", "Programme"], ["29 November", "Opening ceremony"],
                                            ["30 November", "Workshops on museum education"]])
    (corpus / "press.docx.yaml").write_text(f"url: {BASE}/press/2023\n", encoding="utf-8")
    load = load_corpus(corpus)
    assert load.problems == []
    doc = load.documents[0]
    assert doc.title == "Press release: BRISMIS 2023"  # the first heading, with a warning
    assert doc.text == ("Press release: BRISMIS 2023\n\nThe fourth BRISMIS will open in Beijing on 29 November "
                        "2023.\n\n| Day | Programme |\n| 29 November | Opening ceremony |\n| 30 November | "
                        "Workshops on museum education |\n\nContact: secretariat@brismis.org")
    assert doc.date == datetime.date(2023, 11, 29) and doc.lang == "en"
    assert any("first heading" in w for w in warnings_of(load, "press.docx"))


def test_docx_title_property_is_used(corpus):
    make_docx(corpus / "p.docx", title="BRISMIS 2023 opens")
    (corpus / "p.docx.yaml").write_text("url: https://brismis.org/p\n", encoding="utf-8")
    load = load_corpus(corpus)
    assert load.documents[0].title == "BRISMIS 2023 opens"
    assert not any("no title given" in w for w in warnings_of(load, "p.docx"))


# --- what is cited is what is shown --------------------------------------------------------------


def words(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize("kind", ["pdf", "html"])
def test_chunk_offsets_cut_the_cited_passage_out_of_the_extracted_text(corpus, kind):
    if kind == "pdf":
        (corpus / "call.pdf").write_bytes(make_pdf(CALL_FOR_PAPERS))
        (corpus / "call.pdf.yaml").write_text(f"url: {BASE}/files/call.pdf\n", encoding="utf-8")
        fact = "Abstracts of at most 500 words are due by 30 June 2021"
    else:
        (corpus / "opening.html").write_bytes(fixture_page("event/opening.html"))
        fact = "the participants adopted the Chengdu Initiative"
    [doc] = load_corpus(corpus).documents
    chunks = chunk_document(doc, 24, words, 1)
    assert len(chunks) > 1
    for chunk in chunks:
        assert doc.text[chunk.start:chunk.end] == chunk.text
    assert any(fact in c.text for c in chunks)
