"""The staff console: escaping, the tables it shows, CSV export, and `brismis serve` answering through
the API and through the password-protected console (gradio_client)."""

import csv
import os
import subprocess
import sys

import httpx
import pytest

from bot.answer import Answer, Citation
from bot.serve.console import (EXTRACTIVE, CANDIDATE_COLUMNS, ask_options, backend_choices, candidates_rows,
                               details_html, export_csv, index_html, sources_html)

from conftest import free_port, wait_for_http

EVIL = "<script>alert(1)</script>"


def test_sources_are_escaped_and_only_http_links_clickable():
    evil = Citation(n=1, doc_id="x", title="<script>alert(1)</script>", url="javascript:alert(1)",
                    date="2024-01-01", text="before <img src=x onerror=alert(1)> after", highlights=[(7, 35)])
    html = sources_html(Answer(question="q", language="en", answer="a", grounded=True, citations=[evil]))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "<mark>&lt;img src=x onerror=alert(1)&gt;</mark>" in html
    assert "javascript:" not in html
    good = evil.model_copy(update={"url": 'https://www.brismis.org/a?b=1&c="x"'})
    html = sources_html(Answer(question="q", language="en", answer="a", grounded=True, citations=[good]))
    assert 'href="https://www.brismis.org/a?b=1&amp;c=&quot;x&quot;"' in html and 'rel="noopener noreferrer"' in html


def test_declined_answer_shows_no_sources():
    html = sources_html(Answer(question="q", language="en", answer="no", grounded=False))
    assert "declined" in html


def test_details_show_how_the_answer_was_made_escaped():
    answer = Answer(question=EVIL, language="zh", answer="a", grounded=True, path="extractive_fallback",
                    retrieval_query=f"first BRISMIS {EVIL}", timings_ms={"retrieval": 12.5, "total": 40.0},
                    rejected=[f"draft 1 stated '{EVIL}', which the cited passages do not contain"])
    html = details_html(answer)
    assert "<script>" not in html and html.count("&lt;script&gt;") == 2
    assert "zh (Chinese)" in html and "extractive_fallback" in html and "retrieval 12.5 ms" in html
    assert "first BRISMIS" in html and "draft 1 stated" in html


def test_index_panel_lists_skipped_files_escaped():
    status = {"location": "/x/index/gen-1", "documents": 3, "chunks": 40, "built_at": "2026-11-27T21:45:11+0000",
              "skipped": [f"corpus/bad.md line 2: {EVIL}"]}
    html = index_html(status, None, "embedded llama.cpp: qwen.gguf", [f"warn {EVIL}"])
    assert "<script>" not in html and "Skipped files (1)" in html and "corpus/bad.md line 2" in html
    assert "2026-11-27T21:45:11+0000" in html and ">40<" in html
    assert "Not answering" in index_html(None, "the index is not built: run brismis index")


def test_candidates_table_marks_the_cited_passages():
    cited = Citation(n=1, doc_id="d", title="t", url="", date="", text="x", chunk_id="d#2")
    answer = Answer(question="q", language="en", answer="a", grounded=True, citations=[cited], candidates=[
        {"rank": 1, "chunk_id": "d#2", "fused_score": 0.0205, "dense_score": 0.81234, "dense_rank": 1,
         "lexical_score": None, "lexical_rank": None, "title": "t", "text": "x" * 500},
        {"rank": 2, "chunk_id": "d#5", "fused_score": 0.01, "dense_score": 0.7, "dense_rank": 2,
         "lexical_score": 3.2, "lexical_rank": 1, "title": "t", "text": "y"}])
    rows = candidates_rows(answer)
    first = dict(zip(CANDIDATE_COLUMNS, rows[0]))
    assert first["cited"] == "[1]" and first["dense_score"] == 0.8123 and first["lexical_rank"] == ""
    assert len(first["text"]) == 160 and dict(zip(CANDIDATE_COLUMNS, rows[1]))["cited"] == ""


def test_switches_are_per_call_options_and_reach_the_answer(assistant):
    import dataclasses

    assert backend_choices(assistant) == [EXTRACTIVE]
    options = ask_options(EXTRACTIVE, 2, "auto")
    assert options.extractive and options.passages == 2 and options.language_hint is None
    assert ask_options("embedded llama.cpp", None, "fr").language_hint == "fr"
    with pytest.raises(dataclasses.FrozenInstanceError):  # nothing can patch the shared assistant
        assistant.chat = None


def test_csv_export_contains_the_rated_answer(tmp_path):
    from bot.serve.feedback_store import FeedbackStore

    store = FeedbackStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    public = {"question": "第一届是什么时候？", "language": "zh", "answer": "2017年11月 [1]。", "grounded": True,
              "citations": [{"n": 1, "title": "Letter", "url": "http://www.brismis.org/x"}], "path": "extractive",
              "timings_ms": {}}
    store.record_answer("a1", public)
    store.record_answer("a2", {**public, "language": "en", "question": "When?"})
    store.rate("a1", "down", "too short")
    store.rate("a2", "up")
    with open(export_csv(store, "down", "all"), encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["answer_id"], r["question"], r["rating"], r["comment"]) for r in rows] == [
        ("a1", "第一届是什么时候？", "down", "too short")]
    assert "[1] Letter http://www.brismis.org/x" == rows[0]["sources"]
    store.close()


@pytest.mark.integration
def test_serve_answers_through_the_api_and_the_protected_console(settings, built_index, tmp_path):
    from gradio_client import Client

    port = free_port()
    env = dict(os.environ, BRISMIS_CORPUS_DIR=str(settings.corpus_dir), BRISMIS_INDEX_DIR=str(settings.index_dir),
               BRISMIS_CACHE_DIR=str(settings.cache_dir), GRADIO_ANALYTICS_ENABLED="False",
               BRISMIS_CHAT_BACKEND="extractive", BRISMIS_STAFF_PASSWORD="correct horse",
               BRISMIS_DATABASE_URL=f"sqlite:///{tmp_path / 'brismis.sqlite'}")
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_http(url + "/healthz", proc, seconds=180)
        r = httpx.post(url + "/api/chat", json={"question": "When was the first BRISMIS symposium held?"}, timeout=60)
        assert r.status_code == 200 and "In November 2017" in r.json()["citations"][0]["text"]
        assert httpx.post(url + "/api/feedback", json={"answer_id": r.json()["answer_id"], "rating": "up"}).json() == {
            "ok": True}

        assert httpx.get(url + "/staff/config").status_code in (401, 403)
        with pytest.raises(Exception):
            Client(url + "/staff/", verbose=False)
        with pytest.raises(Exception):
            Client(url + "/staff/", auth=("staff", "wrong"), verbose=False)
        client = Client(url + "/staff/", auth=("staff", "correct horse"), verbose=False)
        for question in ("When was the first BRISMIS symposium held?", "第一届BRISMIS研讨会是什么时候举办的？"):
            history, box, sources, details, table = client.predict(question, [], api_name="/ask")
            assert history[-1]["role"] == "assistant" and history[-1]["content"]
            assert "In November 2017" in sources and "<mark>" in sources
            assert table["data"] and "detected language" in details and "standalone question" in details
        rated, _ = client.predict("all", "all", api_name="/feedback")
        assert rated["data"][0][1] == "up"
        path = client.predict("up", "all", api_name="/export")
        assert "When was the first BRISMIS symposium held?" in open(path, encoding="utf-8-sig").read()
        assert "Skipped files" in client.predict(api_name="/index")
        # staff open a stored answer in the verified tab: question, answer, sources and drafts
        vid, q, lang, text, docs, shown = client.predict(r.json()["answer_id"], api_name="/take_answer")
        assert q == "When was the first BRISMIS symposium held?" and text == r.json()["answer"]
        assert docs == "cansm-unesco-letter-of-agreement" and "<mark>" in shown and "draft" in shown
        # staff save a verified answer: the next visitor asking the same gets it, with no model, marked
        vid, table, message, _ = client.predict("", "Are tickets sold by the symposium?", "en",
                                                "Tickets are sold by each museum, not by the symposium.", "",
                                                False, "Alice", api_name="/save_verified")
        assert vid and "Saved" in message and table["data"][0][5] == "Alice"
        r = httpx.post(url + "/api/chat", json={"question": "Are tickets sold by the symposium?"}, timeout=60)
        assert r.json()["path"] == "verified" and r.json()["answer"].startswith("Tickets are sold by each museum")
        _, _, refused, _ = client.predict("", "", "en", "text", "", False, "Alice", api_name="/save_verified")
        assert "Not saved" in refused
    finally:
        proc.terminate()
        out = proc.communicate(timeout=20)[0]
    assert "correct horse" not in out  # the password is never logged


def test_chat_messages_are_kept_escaped_and_read_back_as_said():
    from bot.serve.console import _shown, _text

    said = 'Where is <img src=x onerror="alert(1)"> & "the museum"?'
    shown = _shown(said)
    assert "<img" not in shown and "&lt;img" in shown
    assert _text(shown) == said  # a follow-up gets the visitor's words, not the escaping
    assert _text([{"type": "text", "text": shown}]) == said and _text({"text": shown}) == said
