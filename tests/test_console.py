"""The Gradio chat: escaping, and a real server answering through gradio_client."""

import os
import subprocess
import sys
import time

import pytest

from bot.answer import Answer, Citation
from bot.console import sources_html

from conftest import free_port


def test_sources_are_escaped_and_only_http_links_clickable():
    evil = Citation(n=1, doc_id="x", title="<script>alert(1)</script>", url="javascript:alert(1)",
                    date="2024-01-01", text="before <img src=x onerror=alert(1)> after", highlights=[(7, 35)])
    html = sources_html(Answer(question="q", language="en", answer="a", grounded=True, citations=[evil]))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "<mark>&lt;img src=x onerror=alert(1)&gt;</mark>" in html
    assert "javascript:" not in html


def test_declined_answer_shows_no_sources():
    html = sources_html(Answer(question="q", language="en", answer="no", grounded=False))
    assert "declined" in html


@pytest.mark.integration
def test_served_chat_answers_in_english_and_chinese(settings, built_index):
    from gradio_client import Client

    port = free_port()
    env = dict(os.environ, BRISMIS_CORPUS_DIR=str(settings.corpus_dir), BRISMIS_INDEX_DIR=str(settings.index_dir),
               BRISMIS_CACHE_DIR=str(settings.cache_dir), GRADIO_ANALYTICS_ENABLED="False",
               BRISMIS_CHAT_BACKEND="extractive")
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        import httpx

        for _ in range(300):
            if proc.poll() is not None:
                pytest.fail("server exited: " + proc.stdout.read())
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        client = Client(url, verbose=False)
        for question in ("When was the first BRISMIS symposium held?", "第一届BRISMIS研讨会是什么时候举办的？"):
            history, box, sources, table, info = client.predict(question, [], api_name="/ask")
            assert history[-1]["role"] == "assistant"
            assert "In November 2017" in sources and "<mark>" in sources
            assert table["data"] and "language:" in info
    finally:
        proc.terminate()
        proc.wait(20)
