"""Boilerplate once: a site's repeated menu and footer are stripped from each announcement and kept
in one site document (``_site/<host>``), where contact questions still find the address and e-mails."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.corpus import load_corpus
from bot.ingest.boilerplate import SITE_PREFIX, boilerplate_lines, strip_boilerplate
from bot.settings import ROOT

from test_ingest_formats import FIXTURES, fixture_page

SEED = ROOT / "corpus" / "cansm-unesco-letter-of-agreement.md"
MENU = ["• About", "• Current Events"]
FOOTER = [
    "BRISMIS - Belt and Road Initiative Science Museum International Symposium",
    "Add: No. 5 Beichen East Road, Chaoyang District, Beijing, 100012, P.R. CHINA",
    "E-mail: secretariat@brismis.org; brismis@163.com",
    "PowerBy: Beijing POONSOFT CO., LTD.",
    "Copyright 2017 Chinese Association of Natural Science Museums (CANSM)",
]
GOLDEN = ROOT / "eval" / "golden.jsonl"


def announcement(n: int, body: str, host: str = "www.brismis.org") -> str:
    return (f"---\ntitle: Announcement {n}\ndate: 2020-01-{n + 1:02d}\nurl: http://{host}/event/{n}.jhtml\n"
            f"lang: en\n---\n{body}\n")


def page_body(n: int) -> str:
    return "\n".join(MENU + ["", f"Workshop number {n} on museum education was held in city {n}.", ""] + FOOTER)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    return folder


def by_id(load):
    return {d.doc_id: d for d in load.documents}


def test_repeated_footer_is_stripped_from_each_and_kept_once_in_the_site_document(corpus):
    for n in range(4):
        (corpus / f"a{n}.md").write_text(announcement(n, page_body(n)), encoding="utf-8")
    docs = by_id(load_corpus(corpus))
    assert sorted(docs) == [f"{SITE_PREFIX}brismis.org", "a0", "a1", "a2", "a3"]
    for n in range(4):
        text = docs[f"a{n}"].text
        assert text == f"Workshop number {n} on museum education was held in city {n}."
    site = docs[f"{SITE_PREFIX}brismis.org"]
    assert site.text.splitlines() == MENU + FOOTER  # once, in page order
    assert site.url == "http://brismis.org/" and site.tags == ("site",) and site.lang == "en"


def test_contact_questions_evidence_is_in_the_site_document(corpus):
    shutil.copy(SEED, corpus)
    for n in range(4):
        (corpus / f"a{n}.md").write_text(announcement(n, page_body(n)), encoding="utf-8")
    docs = by_id(load_corpus(corpus))
    site = docs[f"{SITE_PREFIX}brismis.org"].text
    contact = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]
    contact = [item for item in contact if str(item.get("source", "")).startswith("footer")]
    assert len(contact) >= 3
    for item in contact:
        assert item["evidence"] in site, item["id"]
    seed = docs["cansm-unesco-letter-of-agreement"].text
    assert "secretariat@brismis.org" not in seed and "PowerBy" not in seed
    assert "In November 2017" in seed  # the announcement itself is untouched


def test_a_document_that_would_become_empty_is_kept_unchanged(corpus):
    for n in range(3):
        (corpus / f"a{n}.md").write_text(announcement(n, page_body(n)), encoding="utf-8")
    only_footer = "\n".join(MENU + FOOTER)
    (corpus / "b.md").write_text(announcement(9, only_footer), encoding="utf-8")
    docs = by_id(load_corpus(corpus))
    assert docs["b"].text == only_footer
    assert docs["a0"].text == "Workshop number 0 on museum education was held in city 0."


def test_fewer_than_three_documents_nothing_is_stripped(corpus):
    for n in range(2):
        (corpus / f"a{n}.md").write_text(announcement(n, page_body(n)), encoding="utf-8")
    docs = by_id(load_corpus(corpus))
    assert sorted(docs) == ["a0", "a1"]
    assert all("PowerBy" in d.text for d in docs.values())


def test_lines_must_repeat_in_a_fifth_of_the_sites_announcements():
    texts = [f"shared line\nunique {n}" for n in range(3)] + [f"unique {n}" for n in range(3, 21)]
    assert boilerplate_lines(texts) == set()  # 3 of 21 < 20 %
    assert boilerplate_lines(texts[:12]) == {"shared line"}  # 3 of 12


def test_sites_are_told_apart_by_host(corpus):
    for n in range(3):
        (corpus / f"a{n}.md").write_text(announcement(n, page_body(n)), encoding="utf-8")
        (corpus / f"b{n}.md").write_text(announcement(n, page_body(n + 10), host="museum.example.org"),
                                         encoding="utf-8")
    docs = by_id(load_corpus(corpus))
    assert {f"{SITE_PREFIX}brismis.org", f"{SITE_PREFIX}museum.example.org"} <= set(docs)


def test_saved_pages_footer_counts_even_where_trafilatura_dropped_it(corpus):
    """Long pages lose their footer to trafilatura, a short one keeps it in its main text: the
    footer's lines are counted in each page's whole text, stripped from the short one, and the
    site document still holds the address and e-mails."""
    for name in ("event/opening.html", "event/workshop.html", "event/museum-night.html", "about.html"):
        (corpus / Path(name).name).write_bytes(fixture_page(name))
    (corpus / "about.html.yaml").write_text("url: http://www.brismis.org/about.html\n", encoding="utf-8")
    load = load_corpus(corpus)
    assert load.problems == []
    docs = by_id(load)
    assert "PowerBy" not in docs["about"].text and "held every two years by CANSM" in docs["about"].text
    site = docs[f"{SITE_PREFIX}brismis.org"].text
    for line in FOOTER:
        assert line in site
    for doc_id in ("opening", "workshop", "museum-night"):
        assert "Beichen" not in docs[doc_id].text


def test_strip_boilerplate_leaves_documents_of_small_sites_alone():
    load = load_corpus(FIXTURES.parent.parent.parent / "corpus")
    assert strip_boilerplate(load.documents) == load.documents  # one announcement: nothing repeats
