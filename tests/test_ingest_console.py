"""The staff console's Announcements tab: upload a file (or fetch an address), see what the index did,
ask a test question, remove an announcement; driven by gradio_client against the served app and in
Debian's Chromium (Playwright), with the real embedding model and extractive answers."""

from __future__ import annotations

import re
import shutil

import pytest
from pydantic import SecretStr

from bot.corpus import load_corpus
from bot.serve.uploads import UploadProblem, remove_file, safe_upload_name, save_upload
from bot.settings import Settings

from conftest import SEED_DOC
from test_ingest_formats import CALL_FOR_PAPERS, fixture_page, make_pdf
from test_widget_browser import ARTIFACTS, DESKTOP, chromium_browser  # noqa: F401 (a fixture)

PASSWORD = "uploads staff 3"
SITE = "https://www.brismis.org"
QUESTION = "What does the Chengdu Initiative call for?"


# ---------------------------------------------------------------------------- saving an upload


@pytest.mark.parametrize(("name", "safe"), [
    ("opening.html", "opening.html"),
    ("../../etc/passwd.md", "passwd.md"),
    ("C:\\Users\\staff\\Press Release (final).DOCX", "Press-Release-final.docx"),
    (".hidden.pdf", "hidden.pdf"),
    ("_draft.md", "draft.md"),
    ("README.md", "readme-upload.md"),
    ("新闻 稿.txt", "新闻-稿.txt"),
    ("<>:|.pdf", "upload.pdf"),
])
def test_upload_names_are_made_safe(name, safe):
    assert safe_upload_name(name) == safe


@pytest.mark.parametrize("name", ["x.exe", "notes", "a.md.yaml", "photo.png"])
def test_unsupported_uploads_are_refused(name):
    with pytest.raises(UploadProblem, match="unsupported file type"):
        safe_upload_name(name)


@pytest.fixture
def local(tmp_path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", upload_max_bytes=50_000)


def test_upload_is_saved_with_its_fields_in_a_sidecar_and_checked(local, tmp_path):
    pdf = tmp_path / "Call for papers.pdf"
    pdf.write_bytes(make_pdf(CALL_FOR_PAPERS))
    # without a web address it is kept, with a warning: its citations will have no link
    path, loaded, replaced = save_upload(local, pdf)
    assert path == local.corpus_dir / "uploads" / "Call-for-papers.pdf" and not replaced
    assert loaded.document.url == "" and any("no web address" in str(w) for w in loaded.warnings)

    path, loaded, replaced = save_upload(local, pdf, fields={"url": f"{SITE}/files/cfp.pdf", "tags": "call, 2021",
                                                             "title": ""})
    assert path == local.corpus_dir / "uploads" / "Call-for-papers.pdf" and replaced
    assert loaded.document.url == f"{SITE}/files/cfp.pdf" and loaded.document.tags == ("call", "2021")
    assert loaded.document.doc_id == "uploads/Call-for-papers"
    # a new version without the fields keeps the url given before; a broken one brings the old one back
    _, again, replaced = save_upload(local, pdf, fields={"lang": "en"})
    assert replaced and again.document.url == f"{SITE}/files/cfp.pdf" and again.document.lang == "en"
    scanned = tmp_path / "x" / "Call for papers.pdf"
    scanned.parent.mkdir()
    scanned.write_bytes(make_pdf([[]]))
    with pytest.raises(UploadProblem, match="scanned PDF"):
        save_upload(local, scanned)
    assert (local.corpus_dir / "uploads" / "Call-for-papers.pdf").read_bytes() == pdf.read_bytes()
    assert [d.doc_id for d in load_corpus(local.corpus_dir).documents] == ["uploads/Call-for-papers"]


def test_upload_size_limit(local, tmp_path):
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>" + b"x" * 60_000 + b"</p>")
    with pytest.raises(UploadProblem, match="too large"):
        save_upload(local, big)


def test_remove_only_deletes_announcements_inside_the_corpus(local, tmp_path):
    page = tmp_path / "opening.html"
    page.write_bytes(fixture_page("event/opening.html", SITE))
    path, _, _ = save_upload(local, page, fields={"lang": "en"})
    for bad in ("../outside.md", "uploads/opening.html.yaml", "", "/etc/passwd"):
        with pytest.raises(UploadProblem):
            remove_file(local, bad)
    assert remove_file(local, "uploads/opening.html") == path.resolve()
    assert not path.exists() and not (path.parent / "opening.html.yaml").exists()


# ---------------------------------------------------------------------------- in the served console


@pytest.fixture
def staff_app(settings, embeddings, models, tmp_path):
    """The app (extractive answers, the console behind a password) over the seed announcement;
    yields (base URL, settings, service)."""
    from bot.answer import build_assistant
    from bot.index import build_index
    from bot.serve import create_app
    from test_server import running

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(settings.corpus_dir / f"{SEED_DOC}.md", corpus)
    staff = settings.model_copy(update={
        "corpus_dir": corpus, "index_dir": tmp_path / "index", "staff_password": SecretStr(PASSWORD),
        "database_url": f"sqlite:///{tmp_path / 'brismis.sqlite'}", "chat_backend": "extractive",
    })
    build_index(staff, load_corpus(corpus), lambda: embeddings)
    app = create_app(staff, assistant=build_assistant(staff, models), console=True)
    with running(app) as url:
        yield url, staff, app.state.service


@pytest.mark.integration
def test_console_upload_question_remove_with_gradio_client(staff_app, tmp_path):
    from gradio_client import Client, handle_file

    url, staff, service = staff_app
    page = tmp_path / "opening.html"
    page.write_bytes(fixture_page("event/opening.html", SITE))
    client = Client(url + "/staff/", auth=("staff", PASSWORD), verbose=False)

    result = client.predict(handle_file(str(page)), "", "", "", "", "", api_name="/upload")
    text = result[0] if isinstance(result, (list, tuple)) else result
    assert "saved corpus/uploads/opening.html" in text or "saved " in text and "uploads/opening" in text
    assert "added 1, updated 0, unchanged 1" in text and "added: uploads/opening" in text
    assert result[-1] == "uploads/opening"  # the announcement just added, for the test question
    answer, sources = client.predict(QUESTION, "uploads/opening", api_name="/try_question")
    assert "travelling exhibition on biodiversity" in answer and "cited the new announcement uploads/opening" in answer
    assert f"{SITE}/event/opening.html" in sources

    scanned = tmp_path / "scan.pdf"
    scanned.write_bytes(make_pdf([[]]))
    text = client.predict(handle_file(str(scanned)), "", "", SITE + "/scan.pdf", "", "", api_name="/upload")[0]
    assert text.startswith("skipped: ") and "scanned PDF without a text layer" in text
    assert not (staff.corpus_dir / "uploads" / "scan.pdf").exists()

    # a second rebuild while one runs gets the lock's message; the file waits for the next rebuild
    pdf = tmp_path / "cfp.pdf"
    pdf.write_bytes(make_pdf(CALL_FOR_PAPERS))
    assert service._rebuild_lock.acquire(blocking=False)  # as if another staff member were rebuilding
    try:
        text = client.predict(handle_file(str(pdf)), "", "", SITE + "/cfp.pdf", "", "", api_name="/upload")[0]
    finally:
        service._rebuild_lock.release()
    assert "not indexed yet: a rebuild started from the console is already running" in text
    assert (staff.corpus_dir / "uploads" / "cfp.pdf").exists()

    from test_ingest_site import SiteServer

    with SiteServer() as site:  # "or a web address": fetched like `brismis import`, into corpus/site/
        text = client.predict(site.base + "/event/workshop.html", api_name="/fetch")[0]
    assert "fetched 1 (added 1" in text and "added: site/127.0.0.1-" in text
    assert "added: uploads/cfp" in text  # the upload that waited is indexed by the next rebuild

    text = client.predict("uploads/opening.html", True, api_name="/remove")[0]
    assert "deleted corpus/uploads/opening.html" in text or "deleted " in text
    assert "deleted 1" in text and "deleted: uploads/opening" in text
    assert not (staff.corpus_dir / "uploads" / "opening.html").exists()
    answer, _ = client.predict(QUESTION, "uploads/opening", api_name="/try_question")
    assert "the new announcement uploads/opening was not cited" in answer


@pytest.mark.integration
def test_console_upload_in_a_real_browser(staff_app, chromium_browser, tmp_path):
    from playwright.sync_api import expect

    url, staff, _ = staff_app
    page_file = tmp_path / "opening.html"
    page_file.write_bytes(fixture_page("event/opening.html", SITE))
    expect.set_options(timeout=60_000)  # indexing with the real model on a busy machine
    ctx = chromium_browser.new_context(locale="en-US", viewport=DESKTOP)
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(url + "/staff/")
        page.get_by_label("username").fill("staff")
        page.get_by_label("password").fill(PASSWORD)
        page.get_by_role("button", name="Login").click()
        page.get_by_role("tab", name="Announcements").click()
        page.locator("#upload-file input[type=file]").set_input_files(str(page_file))
        expect(page.locator("#upload-file")).to_contain_text("opening.html")
        page.locator("#upload-add").click()
        result = page.locator("#upload-result textarea")
        expect(result).to_have_value(re.compile(r"added 1, updated 0, unchanged 1"))
        assert "added: uploads/opening" in result.input_value()
        box = page.locator("#try-question textarea")
        box.fill(QUESTION)
        page.locator("#try-ask").click()
        answer = page.locator("#try-answer textarea")
        expect(answer).to_have_value(re.compile(r"travelling exhibition on biodiversity"))
        assert "cited the new announcement uploads/opening" in answer.input_value()
        expect(page.locator("#try-sources")).to_contain_text("The second BRISMIS opens in Chengdu")
        page.screenshot(path=str(ARTIFACTS / "staff-announcements-upload.png"), full_page=True)
        assert errors == []
    finally:
        ctx.close()
