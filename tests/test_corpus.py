"""Corpus loading: each hand-editing mistake gives one Problem naming the file, line and fix."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from bot.corpus import (
    ALLOWED_FIELDS,
    CorpusError,
    CorpusLoad,
    Document,
    Problem,
    load_corpus,
    parse_document,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

BODY = "The second BRISMIS opened in Beijing.\n\nMuseums from many countries took part.\n"


def front_matter(**fields: str | None) -> str:
    """Raw YAML values, so tests control the exact syntax. Lines: title 2, date 3, url 4, lang 5."""
    values: dict[str, str | None] = {
        "title": "BRISMIS opens",
        "date": "2019-11-26",
        "url": "http://www.brismis.org/event/1200.jhtml",
        "lang": "en",
    }
    values.update(fields)
    lines = [f"{key}: {value}" for key, value in values.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n"


def announcement(body: str = BODY, **fields: str | None) -> str:
    return front_matter(**fields) + body


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "corpus"
    path.mkdir()
    return path


def write(corpus: Path, name: str, content: str | bytes) -> Path:
    path = corpus / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))
    return path


def only_problem(corpus: Path, name: str, content: str | bytes) -> Problem:
    """Write one file; it must be rejected by load_corpus and parse_document alike."""
    path = write(corpus, name, content)
    result = load_corpus(corpus)
    assert result.documents == []
    assert len(result.problems) == 1, result.problems
    problem = result.problems[0]
    assert problem.path == path
    with pytest.raises(CorpusError) as raised:
        parse_document(path, corpus)
    assert raised.value.problem == problem
    assert str(raised.value) == str(problem)
    # Every line names the file, and the line number when there is one.
    where = problem.path.as_posix() + (f":{problem.line}" if problem.line else "")
    assert str(problem).startswith(where + ": ")
    assert "\n" not in str(problem)
    return problem


# --- the real announcement -------------------------------------------------------------------


def test_seed_announcement_loads_verbatim() -> None:
    result = load_corpus(ROOT / "corpus")
    assert result.problems == []
    docs = {doc.doc_id: doc for doc in result.documents}
    doc = docs["cansm-unesco-letter-of-agreement"]
    seed = (FIXTURES / "seed-announcement.txt").read_text(encoding="utf-8")
    assert doc.text.rstrip() == seed.rstrip()
    assert doc.title == "Letter of Agreement signed between CANSM and UNESCO"
    assert doc.date == datetime.date(2018, 6, 24)
    assert doc.url == "http://www.brismis.org/event/1121.jhtml"
    assert doc.lang == "en"
    assert doc.tags == ("unesco", "agreement", "brismis-2017")
    assert doc.path.name == "cansm-unesco-letter-of-agreement.md"


def test_seed_body_bytes_are_the_seed_file() -> None:
    raw = (ROOT / "corpus" / "cansm-unesco-letter-of-agreement.md").read_bytes()
    body = raw.split(b"\n---\n", 1)[1]
    assert body == (FIXTURES / "seed-announcement.txt").read_bytes()


# --- good files ------------------------------------------------------------------------------


def test_markdown_document_fields(corpus: Path) -> None:
    path = write(corpus, "opening.md", announcement(tags="[opening, '2019']"))
    doc = parse_document(path, corpus)
    assert isinstance(doc, Document)
    assert doc.doc_id == "opening"
    assert doc.path == path
    assert doc.title == "BRISMIS opens"
    assert doc.date == datetime.date(2019, 11, 26)
    assert doc.url == "http://www.brismis.org/event/1200.jhtml"
    assert doc.lang == "en"
    assert doc.tags == ("opening", "2019")
    assert doc.text == BODY.rstrip()
    assert len(doc.content_hash) == 64


def test_txt_is_accepted(corpus: Path) -> None:
    write(corpus, "note.txt", announcement())
    result = load_corpus(corpus)
    assert result.problems == []
    assert [d.doc_id for d in result.documents] == ["note"]
    assert result.documents[0].text == BODY.rstrip()


def test_html_body_is_converted_to_plain_text(corpus: Path) -> None:
    html = (
        "<!DOCTYPE html><html><head><title>ignored</title><style>p{color:red}</style></head>"
        "<body><script>alert('x')</script><!-- a comment -->"
        "<h1>BRISMIS   2019</h1>\n<p>The symposium\n   opened in <b>Beijing</b>.</p>"
        "<p>Line one<br>Line two</p><ul><li>first</li><li>second</li></ul>"
        "<div>Copyright &copy; CANSM</div></body></html>\n"
    )
    path = write(corpus, "page.html", front_matter() + html)
    doc = parse_document(path, corpus)
    assert doc.doc_id == "page"
    assert doc.text == (
        "BRISMIS 2019\n\nThe symposium opened in Beijing.\n\nLine one\nLine two\n\n"
        "first\n\nsecond\n\nCopyright © CANSM"
    )
    assert "alert" not in doc.text and "color" not in doc.text and "ignored" not in doc.text


def test_html_with_only_markup_is_an_empty_body(corpus: Path) -> None:
    problem = only_problem(corpus, "blank.html", front_matter() + "<p> </p><script>x()</script>")
    assert problem.line == 7
    assert "no text" in problem.message and "below the closing '---'" in problem.message


def test_quoted_and_unquoted_dates_are_the_same(corpus: Path) -> None:
    unquoted = parse_document(write(corpus, "a.md", announcement()), corpus)
    quoted = parse_document(write(corpus, "b.md", announcement(date='"2019-11-26"')), corpus)
    assert unquoted.date == quoted.date == datetime.date(2019, 11, 26)
    assert unquoted.content_hash == quoted.content_hash


def test_crlf_bom_and_trailing_whitespace(corpus: Path) -> None:
    text = announcement(body="First line  \nSecond line\n\n\n   \n")
    path = write(corpus, "win.md", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    doc = parse_document(path, corpus)
    assert doc.title == "BRISMIS opens"
    assert doc.text == "First line  \nSecond line"


def test_non_latin_text_is_not_mistaken_for_binary(corpus: Path) -> None:
    body = "第二届“一带一路”科学博物馆国际研讨会在北京开幕。\n" * 400  # > 8 KiB, cut mid-character
    path = write(corpus, "zh.md", announcement(lang="zh", title="研讨会开幕", body=body))
    doc = parse_document(path, corpus)
    assert (doc.lang, doc.title, doc.text) == ("zh", "研讨会开幕", body.rstrip())


def test_htm_and_str_paths_are_accepted(corpus: Path) -> None:
    path = write(corpus, "old.htm", front_matter() + "<p>Hello</p>")
    doc = parse_document(str(path), str(corpus))  # type: ignore[arg-type]
    assert (doc.doc_id, doc.text, doc.path) == ("old", "Hello", path)
    assert load_corpus(str(corpus)).documents == [doc]  # type: ignore[arg-type]


def test_sub_folders_are_scanned_and_private_files_skipped(corpus: Path) -> None:
    write(corpus, "2019/opening.md", announcement())
    write(corpus, "README.md", "# not an announcement")
    write(corpus, "2019/README.md", "# not an announcement either")
    write(corpus, ".hidden.md", "junk")
    write(corpus, "_draft.md", "junk")
    write(corpus, "_drafts/later.md", "junk")
    write(corpus, ".git/config", "junk")
    result = load_corpus(corpus)
    assert result.problems == []
    assert [d.doc_id for d in result.documents] == ["2019/opening"]


# --- the hash --------------------------------------------------------------------------------


def test_hash_changes_when_metadata_or_text_changes(corpus: Path) -> None:
    base = parse_document(write(corpus, "a.md", announcement()), corpus).content_hash
    same = parse_document(write(corpus, "a.md", announcement()), corpus).content_hash
    title = parse_document(write(corpus, "a.md", announcement(title="BRISMIS closes")), corpus)
    tags = parse_document(write(corpus, "a.md", announcement(tags="[x]")), corpus)
    text = parse_document(write(corpus, "a.md", announcement(body="Other text.")), corpus)
    assert base == same
    assert len({base, title.content_hash, tags.content_hash, text.content_hash}) == 4


# --- ordering and mixed corpora --------------------------------------------------------------


def test_documents_are_sorted_by_doc_id_and_loading_is_repeatable(corpus: Path) -> None:
    names = ["zeta.md", "alpha.txt", "m/beta.md", "gamma.md"]
    for name in names:
        write(corpus, name, announcement(body=f"Text of {name}."))
    first = load_corpus(corpus)
    assert [d.doc_id for d in first.documents] == ["alpha", "gamma", "m/beta", "zeta"]
    assert load_corpus(corpus) == first


def test_good_file_survives_broken_ones_with_one_problem_each(corpus: Path) -> None:
    write(corpus, "good.md", announcement())
    broken = {
        "a-no-front-matter.md": "Just text.\n",
        "b-bad-yaml.md": announcement(title="CANSM: UNESCO"),
        "c-no-url.md": announcement(url=None, body="Other text c."),
        "d-bad-lang.md": announcement(lang="English", body="Other text d."),
        "e-empty-body.md": front_matter(),
        "f-binary.md": b"\x00\x01\x02binary",
        "g-slides.pdf": b"%PDF-1.4\n",
        "h-latin1.txt": front_matter().encode() + "Caf\u00e9".encode("latin-1"),
    }
    for name, content in broken.items():
        write(corpus, name, content)
    result = load_corpus(corpus)
    assert isinstance(result, CorpusLoad)
    assert [d.doc_id for d in result.documents] == ["good"]
    assert [p.path.name for p in result.problems] == sorted(broken)


# --- one test per validation rule ------------------------------------------------------------


def test_missing_front_matter(corpus: Path) -> None:
    problem = only_problem(corpus, "x.md", "title: BRISMIS\n\nSome text.\n")
    assert problem.line == 1
    assert "missing front matter" in problem.message
    assert "start with a '---' line" in problem.message


def test_blank_lines_before_front_matter(corpus: Path) -> None:
    problem = only_problem(corpus, "x.md", "\n\n" + announcement())
    assert problem.line == 1
    assert "remove the blank lines" in problem.message and "line 3" in problem.message


def test_unterminated_front_matter(corpus: Path) -> None:
    problem = only_problem(corpus, "x.md", "---\ntitle: BRISMIS\ndate: 2019-11-26\n")
    assert problem.line == 1
    assert "unterminated front matter" in problem.message
    assert "add a '---' line" in problem.message


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        ({"title": "CANSM: UNESCO sign"}, 2),  # a colon in an unquoted value
        ({"url": '"http://www.brismis.org" extra'}, 4),
        ({"lang": "en\n  bad: indent"}, 6),
    ],
)
def test_invalid_yaml_reports_the_line_in_the_file(corpus: Path, fields: dict, line: int) -> None:
    problem = only_problem(corpus, "x.md", announcement(**fields))
    assert problem.line == line
    assert "invalid YAML" in problem.message
    assert "double quotes" in problem.message


def test_front_matter_not_a_mapping(corpus: Path) -> None:
    problem = only_problem(corpus, "x.md", "---\n- title\n- date\n---\nText.\n")
    assert problem.line == 2
    assert "not a YAML list" in problem.message and "'field: value'" in problem.message


def test_empty_front_matter_names_all_missing_fields(corpus: Path) -> None:
    problem = only_problem(corpus, "x.md", "---\n---\nText.\n")
    assert problem.line == 2
    assert "missing required fields title, date, url, lang" in problem.message


def test_missing_required_field(corpus: Path) -> None:
    problem = only_problem(corpus, "x.md", announcement(url=None))
    assert problem.line == 5  # the closing '---', where the field goes
    assert "missing required field url" in problem.message
    assert "add it" in problem.message


@pytest.mark.parametrize(
    ("field", "hint"),
    [
        ("titel", "did you mean 'title'?"),
        ("Date", "did you mean 'date'?"),
        ("tag", "did you mean 'tags'?"),
        ("author", "remove or rename it"),
    ],
)
def test_unknown_field(corpus: Path, field: str, hint: str) -> None:
    problem = only_problem(corpus, "x.md", announcement(**{field: "Someone"}))
    assert problem.line == 6
    assert f"unknown field '{field}'" in problem.message
    assert hint in problem.message
    assert ", ".join(ALLOWED_FIELDS) in problem.message


def test_field_given_twice(corpus: Path) -> None:
    """YAML silently keeps the last value; a repeated field is almost always an editing slip."""
    content = "---\ntitle: A\ndate: 2019-11-26\ntitle: B\nurl: http://a.org\nlang: en\n---\nT.\n"
    problem = only_problem(corpus, "x.md", content)
    assert problem.line == 4
    assert "field 'title' is given twice (also on line 2): keep one of them" in problem.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"24.06.2018"', "is not an ISO date"),
        ("June 24, 2018", "is not an ISO date"),
        ("20180624", "is not an ISO date"),
        ("2018-02-30", "is not a real calendar date"),
        ('"2018-13-01"', "is not a real calendar date"),
        ("2018-06-24 10:00:00", "without a time"),
        ("2018-06-24T10:00:00Z", "without a time"),
        ("", "date empty"),
    ],
)
def test_bad_date(corpus: Path, value: str, expected: str) -> None:
    problem = only_problem(corpus, "x.md", announcement(date=value))
    assert problem.line == 3
    assert expected in problem.message
    assert "YYYY-MM-DD" in problem.message


@pytest.mark.parametrize(
    "value",
    ["ftp://www.brismis.org/x", "www.brismis.org/event/1", "http://", "http://a b.org", '""'],
)
def test_url_must_be_http(corpus: Path, value: str) -> None:
    problem = only_problem(corpus, "x.md", announcement(url=value))
    assert problem.line == 4
    assert "url" in problem.message and "http:// or https://" in problem.message


@pytest.mark.parametrize("value", ["EN", "eng", "e", "e1", "[en]", ""])
def test_lang_must_be_two_lowercase_letters(corpus: Path, value: str) -> None:
    problem = only_problem(corpus, "x.md", announcement(lang=value))
    assert problem.line == 5
    assert "lang" in problem.message
    assert "two-letter lowercase ISO 639-1 code" in problem.message


def test_unquoted_values_stay_text(corpus: Path) -> None:
    """YAML 1.1 would read `no` as False and 2017 as a number; editors should not need quotes."""
    path = write(corpus, "x.md", announcement(title="2018", lang="no", tags="[unesco, 2017, yes]"))
    doc = parse_document(path, corpus)
    assert (doc.title, doc.lang, doc.tags) == ("2018", "no", ("unesco", "2017", "yes"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("unesco", "not a list"),
        ("", "tags is empty"),
        ("{a: b}", "a mapping, not a list"),
        ("[unesco, '']", "not a non-empty text"),
        ("[unesco, [nested]]", "not a non-empty text"),
    ],
)
def test_tags_must_be_a_list_of_strings(corpus: Path, value: str, expected: str) -> None:
    problem = only_problem(corpus, "x.md", announcement(tags=value))
    assert problem.line == 6
    assert expected in problem.message
    assert "tags: [tag-one, tag-two]" in problem.message


@pytest.mark.parametrize("value", ['""', "", "[a, b]", "{a: b}"])
def test_title_must_be_text(corpus: Path, value: str) -> None:
    problem = only_problem(corpus, "x.md", announcement(title=value))
    assert problem.line == 2
    assert "title" in problem.message
    assert "after 'title:'" in problem.message or 'write it as title: "..."' in problem.message


def test_empty_body(corpus: Path) -> None:
    problem = only_problem(corpus, "x.md", announcement(body="\n   \n\t\n"))
    assert problem.line == 7
    assert "no text after the front matter" in problem.message
    assert "closing '---' on line 6" in problem.message


def test_empty_file(corpus: Path) -> None:
    problem = only_problem(corpus, "x.md", b"")
    assert problem.line is None
    assert "the file is empty" in problem.message


def test_not_utf8_reports_offset_and_line(corpus: Path) -> None:
    content = front_matter().encode() + b"First line.\nCaf\xe9 in Beijing.\n"
    problem = only_problem(corpus, "x.md", content)
    offset = content.index(b"\xe9")
    assert problem.line == 8
    assert f"byte offset {offset}" in problem.message and "0xe9" in problem.message
    assert "re-save the file with UTF-8" in problem.message


def test_utf8_bom_is_fine(corpus: Path) -> None:
    path = write(corpus, "x.md", b"\xef\xbb\xbf" + announcement().encode())
    assert parse_document(path, corpus).text == BODY.rstrip()


@pytest.mark.parametrize(
    "content",
    [
        announcement().encode() + b"\x00\x00",  # NUL bytes
        bytes(range(256)) * 8,  # mostly control bytes and invalid UTF-8
        b"\x89PNG\r\n\x1a\n" + bytes([0x80, 0xFF, 0xC3, 0x28, 0xA0, 0xA1] * 50),
    ],
)
def test_binary_file(corpus: Path, content: bytes) -> None:
    problem = only_problem(corpus, "x.md", content)
    assert problem.line is None
    assert "binary file" in problem.message and ".md" in problem.message


@pytest.mark.parametrize("name", ["slides.odp", "picture.png", "notes"])
def test_unsupported_file_type(corpus: Path, name: str) -> None:
    problem = only_problem(corpus, name, b"anything")
    assert problem.line is None
    assert "unsupported file type" in problem.message and "convert it to .md" in problem.message
    assert ".pdf or .docx" in problem.message


def test_old_word_and_misnamed_sidecar_get_their_own_fix(corpus: Path) -> None:
    assert "save it as .docx" in only_problem(corpus, "letter.doc", b"anything").message
    (corpus / "letter.doc").unlink()
    assert "named after its file plus '.yaml'" in only_problem(corpus, "letter.yml", b"url: x").message


@pytest.mark.parametrize(("name", "expected"), [("slides.pdf", "not a readable PDF"),
                                                ("letter.docx", "not a readable Word .docx file")])
def test_broken_pdf_and_docx_are_reported(corpus: Path, name: str, expected: str) -> None:
    problem = only_problem(corpus, name, b"anything")
    assert problem.line is None and expected in problem.message and "save it again" in problem.message


def test_duplicate_text_is_reported_on_the_later_doc_id(corpus: Path) -> None:
    write(corpus, "a.md", announcement(body="Same   text,\nwrapped differently.\n"))
    copy = announcement(title="Copy", body="same text, wrapped\ndifferently.")
    later = write(corpus, "b.txt", copy)
    result = load_corpus(corpus)
    assert [d.doc_id for d in result.documents] == ["a"]
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.path == later
    assert f"duplicate of {(corpus / 'a.md').as_posix()}" in problem.message
    assert "delete one of them" in problem.message


def test_same_doc_id_with_two_extensions(corpus: Path) -> None:
    write(corpus, "a.md", announcement(body="One."))
    write(corpus, "a.txt", announcement(body="Two."))
    result = load_corpus(corpus)
    assert [d.path.name for d in result.documents] == ["a.md"]
    assert [p.path.name for p in result.problems] == ["a.txt"]
    assert "same document id 'a'" in result.problems[0].message


def test_empty_corpus_dir(corpus: Path) -> None:
    write(corpus, "README.md", "# how to add announcements")
    result = load_corpus(corpus)
    assert result.documents == []
    assert [p.path for p in result.problems] == [corpus]
    message = result.problems[0].message
    assert "no announcements" in message and "add a .md file" in message


def test_missing_corpus_dir(tmp_path: Path) -> None:
    result = load_corpus(tmp_path / "nowhere")
    assert result.documents == []
    assert [p.path for p in result.problems] == [tmp_path / "nowhere"]
    message = result.problems[0].message
    assert "does not exist" in message and "create it" in message


def test_pathological_yaml_does_not_raise(corpus: Path) -> None:
    write(corpus, "deep.md", "---\ntitle: " + "[" * 5000 + "\n---\nText.\n")
    write(corpus, "deeper.md", "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\nText.\n")
    write(corpus, "tag.md", announcement(title="!!python/object/apply:os.system [ls]"))
    write(corpus, "stamp.md", announcement(date="!!timestamp 2018-02-30"))
    result = load_corpus(corpus)
    assert result.documents == []
    names = ["deep.md", "deeper.md", "stamp.md", "tag.md"]
    assert [p.path.name for p in result.problems] == names
    # unclosed brackets are a YAML error; closed ones parse (libyaml) or are too deep (pure PyYAML)
    assert "invalid YAML" in result.problems[0].message and result.problems[0].line in (2, 3)
    assert any(m in result.problems[1].message for m in ("nested too deeply", "missing required"))
    assert "not a real calendar date" in result.problems[2].message


# --- the Problem line ------------------------------------------------------------------------


def test_problem_str_is_relative_to_working_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert str(Problem(Path("corpus/x.md"), 3, "fix it")) == "corpus/x.md:3: fix it"
    assert str(Problem(tmp_path / "corpus" / "x.md", None, "fix it")) == "corpus/x.md: fix it"
    assert str(Problem(Path("/elsewhere/y.md"), 1, "m")) == "/elsewhere/y.md:1: m"
