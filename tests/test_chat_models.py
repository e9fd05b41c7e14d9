"""Chat backends: configuration paths, clear errors, automatic fallback, the embedded model in its
supervised llama-server process, and a real OpenAI-compatible server (llama.cpp's, with the packaged
SmolLM2) answering through the chain."""

import json
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from bot.models.chat import load_chat_model
from bot.models.embedded import SupervisedChat, model_env, server_binary
from bot.models.gguf_weights import smollm2_path
from bot.settings import Settings

from conftest import free_port, wait_for_http, with_chat


def test_extractive_backend_has_no_model():
    loaded = load_chat_model(Settings(chat_backend="extractive"))
    assert loaded.model is None and loaded.backend == "extractive" and loaded.warning is None


def test_unreachable_ollama_falls_back_with_a_clear_warning():
    port = free_port()
    loaded = load_chat_model(Settings(chat_backend="ollama", llm_base_url=f"http://127.0.0.1:{port}", llm_model="qwen2.5:1.5b"))
    assert loaded.model is None and loaded.backend == "extractive"
    assert f"cannot reach Ollama at http://127.0.0.1:{port}" in loaded.warning
    assert "ollama serve" in loaded.warning and "ollama pull qwen2.5:1.5b" in loaded.warning


def test_ollama_configuration_reaches_the_client():
    class Tags(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"models": []}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    server = HTTPServer(("127.0.0.1", 0), Tags)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        loaded = load_chat_model(Settings(chat_backend="ollama", llm_base_url=url, llm_model="qwen2.5:1.5b", llm_temperature=0.2))
        assert loaded.backend == "ollama" and loaded.warning is None
        assert loaded.model.base_url == url and loaded.model.model == "qwen2.5:1.5b"
        assert loaded.model.temperature == 0.2
    finally:
        server.shutdown()


def test_openai_backend_needs_a_base_url():
    loaded = load_chat_model(Settings(chat_backend="openai"))
    assert loaded.model is None and "BRISMIS_LLM_BASE_URL" in loaded.warning


def test_missing_gguf_file_falls_back_with_its_name(tmp_path):
    missing = tmp_path / "nope.gguf"
    loaded = load_chat_model(Settings(chat_backend="embedded", gguf_path=missing))
    assert loaded.model is None and str(missing) in loaded.warning and "not a file" in loaded.warning


def test_corrupt_gguf_file_falls_back(tmp_path):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"PK\x03\x04" + b"\0" * 64)
    loaded = load_chat_model(Settings(chat_backend="embedded", gguf_path=bad))
    assert loaded.model is None and "cannot load the GGUF model" in loaded.warning and "not a GGUF file" in loaded.warning


def test_a_missing_runtime_falls_back_with_the_command_that_builds_it(tmp_path):
    loaded = load_chat_model(Settings(chat_backend="embedded", gguf_path=smollm2_path(),
                                      llama_server=tmp_path / "llama-server", cache_dir=tmp_path))
    assert loaded.model is None and "is not built" in loaded.warning and "make install" in loaded.warning


@pytest.mark.integration
def test_any_gguf_runs_in_a_supervised_process(settings):
    s = settings.model_copy(update={"chat_backend": "embedded", "gguf_path": smollm2_path(), "llm_max_tokens": 8})
    loaded = load_chat_model(s)
    try:
        assert isinstance(loaded.model, SupervisedChat) and loaded.warning is None
        status = loaded.process.status()
        assert status.state == "ready" and status.pid and status.pid != __import__("os").getpid()
        assert status.cpu_variant and "sapphirerapids" not in status.cpu_variant  # never the AMX kernels
        text = "".join(c.content for c in loaded.model.stream("Say hello."))
        assert text.strip()
    finally:
        loaded.close()
    assert loaded.process.status().state == "stopped" and loaded.process.pid is None


@pytest.mark.integration
def test_openai_compatible_server_answers_through_the_chain(assistant, settings):
    port = free_port()
    proc = subprocess.Popen(
        [str(server_binary(settings)), "--model", str(smollm2_path()), "--alias", "smol", "--host", "127.0.0.1",
         "--port", str(port), "--ctx-size", "2048", "--threads", "2", "--no-webui"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**__import__("os").environ, **model_env(settings)},
    )
    try:
        base = f"http://127.0.0.1:{port}/v1"
        wait_for_http(f"{base}/models", proc, seconds=90)
        s = settings.model_copy(update={"chat_backend": "openai", "llm_base_url": base, "llm_model": "smol",
                                        "llm_max_tokens": 48})
        loaded = load_chat_model(s)
        assert loaded.backend == "openai" and loaded.warning is None
        assert "".join(c.content for c in loaded.model.stream("Say hello.")).strip()  # really streamed

        a = with_chat(assistant, loaded.model, loaded.description).ask("When was the first BRISMIS symposium held?")
        # a 135M model rarely writes a verifiable answer; whatever it wrote went through the guard
        assert a.path in ("model", "translated", "extractive_fallback", "declined")
        assert "first_token" in a.timings_ms  # the server's stream was consumed
        if a.grounded:
            assert a.citations
    finally:
        proc.terminate()
        proc.wait(20)
