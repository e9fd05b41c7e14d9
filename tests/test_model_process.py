"""The embedded model in its own supervised process: crashes, hangs and kills never take the service
down, the model comes back by itself, and a runtime that crashes on this CPU is told once, clearly.

Most tests use tests/fake_llama_server.py (a stand-in that crashes or hangs on demand, in
milliseconds); the last ones kill the real llama-server with the real SmolLM2 model mid-answer."""

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from bot.models.embedded import SupervisedChat, last_self_check, self_check
from bot.models.gguf_weights import smollm2_path
from bot.models.model_process import ModelProcess, describe_exit
from bot.models.runtime import REBUILD_COMMAND, cpu_flags

FAKE = Path(__file__).with_name("fake_llama_server.py")
QUESTION = "When was the first BRISMIS symposium held?"


def fake_process(tmp_path, mode="ok", **kw) -> ModelProcess:
    env = {"FAKE_MODE": mode, "FAKE_STARTS": str(tmp_path / "starts")}
    kw.setdefault("startup_timeout", 10)
    kw.setdefault("health_interval", 0.2)
    return ModelProcess([sys.executable, str(FAKE)], env=env, log_path=tmp_path / "model.log", **kw)


def starts(tmp_path) -> int:
    path = tmp_path / "starts"
    return len(path.read_text().split()) if path.exists() else 0


def until(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def test_exit_codes_are_told_as_a_person_reads_them():
    assert describe_exit(-signal.SIGILL) == ("killed by SIGILL (illegal instruction: the runtime uses an "
                                             "instruction this CPU does not have)")
    assert describe_exit(-signal.SIGSEGV) == "killed by SIGSEGV (segmentation fault)"
    assert "out of memory" in describe_exit(-signal.SIGKILL)
    assert describe_exit(1) == "exited with code 1"


@pytest.mark.parametrize("sig, words", [(signal.SIGKILL, "SIGKILL"), (signal.SIGSEGV, "segmentation fault")])
def test_a_killed_model_is_reported_and_restarted(tmp_path, sig, words):
    with fake_process(tmp_path) as process:
        assert process.wait_ready(10)
        first = process.pid
        os.kill(first, sig)
        until(lambda: process.status().state != "ready")
        assert process.wait_ready(10), process.status()
        status = process.status()
        assert status.restarts == 1 and status.pid != first and starts(tmp_path) == 2
        assert process.ready
    assert process.status().state == "stopped"


def test_the_reason_it_went_down_stays_visible_while_it_restarts(tmp_path):
    with fake_process(tmp_path) as process:
        assert process.wait_ready(10)
        os.kill(process.pid, signal.SIGSEGV)
        until(lambda: process.status().state in ("down", "starting") and process.status().reason)
        assert "SIGSEGV" in process.status().reason


def test_a_model_that_never_loads_is_killed_and_told(tmp_path):
    with fake_process(tmp_path, "hang", startup_timeout=1.0) as process:
        until(lambda: process.status().state == "down", 15)
        assert "did not become ready within 1 s" in process.status().reason


def test_a_hung_model_is_killed_and_restarted(tmp_path):
    with fake_process(tmp_path, health_timeout=0.3, unhealthy_after=2) as process:
        assert process.wait_ready(10)
        hung = process.pid
        os.kill(hung, signal.SIGSTOP)  # alive but answering nothing: as a wedged native process
        until(lambda: process.status().restarts == 1 and process.ready, 20)
        assert process.pid != hung
        with pytest.raises(ProcessLookupError):
            os.kill(hung, 0)


def test_a_crash_loop_backs_off(tmp_path):
    with fake_process(tmp_path, "sigill", backoff_max=60) as process:
        until(lambda: starts(tmp_path) >= 3, 15)  # after 1 s, then 2 s
        time.sleep(1.0)
        assert starts(tmp_path) == 3  # the next try waits 4 s: a crashing runtime does not spin
        assert "SIGILL" in process.status().reason and not process.ready


def test_the_chat_model_fails_fast_while_the_process_is_down(tmp_path):
    process = fake_process(tmp_path, "hang", startup_timeout=30).start()
    try:
        chat = SupervisedChat(process=process, model_name="fake")
        started = time.monotonic()
        with pytest.raises(Exception, match="the model is starting"):
            chat.invoke("hello")
        assert time.monotonic() - started < 1
    finally:
        process.stop()


def test_the_chat_model_streams_through_the_openai_client(tmp_path):
    with fake_process(tmp_path) as process:
        assert process.wait_ready(10)
        chat = SupervisedChat(process=process, model_name="fake")
        text = "".join(str(c.content) for c in chat.stream("When?"))
        assert text.strip() == "The first BRISMIS was held in November 2017 [1]."


# ------------------------------------------------------------------ the self-check


def fake_runtime(tmp_path, mode: str) -> Path:
    """An executable 'llama-server' that behaves like the fake in ``mode``."""
    script = tmp_path / "llama-server"
    script.write_text(f"#!/bin/sh\nFAKE_MODE={mode} exec {sys.executable} {FAKE} \"$@\"\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def check_settings(settings, tmp_path, mode):
    return settings.model_copy(update={"llama_server": fake_runtime(tmp_path, mode), "gguf_path": smollm2_path(),
                                       "chat_backend": "embedded"})


@pytest.mark.parametrize("mode", ["sigill", "sigill-on-generate"])
def test_self_check_tells_a_crashing_runtime_once_with_cpu_and_fix(settings, tmp_path, mode):
    s = check_settings(settings, tmp_path, mode)
    check = self_check(s, smollm2_path(), timeout=20)
    assert not check.ok
    assert "SIGILL" in check.message and "illegal instruction" in check.message
    assert all(flag in check.message for flag in cpu_flags()[:3]) and REBUILD_COMMAND in check.message
    assert "quoted" in check.message  # what the visitor gets meanwhile
    assert last_self_check(s, smollm2_path()).message == check.message
    assert last_self_check(s, smollm2_path()).applies(s.llama_server, smollm2_path())

    from bot.models.chat import load_chat_model

    loaded = load_chat_model(s)  # the server does not start what crashes on this CPU again and again
    assert loaded.model is None and loaded.process is None and "SIGILL" in loaded.warning


def test_self_check_passes_on_a_working_runtime(settings, tmp_path):
    check = self_check(check_settings(settings, tmp_path, "ok"), smollm2_path(), timeout=20)
    assert check.ok and check.variant == "haswell" and "test generation" in check.message


def test_brismis_prepare_exits_4_with_one_clear_message(settings, tmp_path, monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setenv("BRISMIS_LLAMA_SERVER", str(fake_runtime(tmp_path, "sigill")))
    monkeypatch.setenv("BRISMIS_GGUF_PATH", str(smollm2_path()))
    monkeypatch.setenv("BRISMIS_CACHE_DIR", str(settings.cache_dir))
    monkeypatch.setenv("BRISMIS_LLM_STARTUP_TIMEOUT", "20")
    assert main(["prepare"]) == 4
    err = capsys.readouterr().err
    assert err.count("SIGILL") == 1 and REBUILD_COMMAND in err and "brismis: warning:" in err


@pytest.mark.integration
def test_the_server_still_serves_with_quotes_when_the_runtime_crashes(settings, built_index, tmp_path):
    from fastapi.testclient import TestClient

    from bot.serve import create_app

    s = check_settings(settings, tmp_path, "sigill").model_copy(
        update={"database_url": f"sqlite:///{tmp_path / 'db.sqlite'}"})
    assert not self_check(s, smollm2_path(), timeout=20).ok
    with TestClient(create_app(s, console=False)) as c:
        health = c.get("/healthz")
        assert health.status_code == 200 and health.json()["status"] == "degraded"
        assert "SIGILL" in health.json()["reason"] and "quoted" in health.json()["reason"]
        r = c.post("/api/chat", json={"question": QUESTION})
        assert r.status_code == 200 and r.json()["grounded"] and r.json()["path"] == "extractive"
        assert "November 2017" in r.json()["answer"]


# ------------------------------------------------------------------ the real runtime, killed mid-answer


def sse_answer(url: str, question: str, on_first_line=None, timeout=120) -> dict:
    """The final event of a streamed answer (fails on an error event)."""
    with httpx.stream("POST", url + "/api/chat/stream", json={"question": question}, timeout=timeout) as response:
        name = None
        for line in response.iter_lines():
            if on_first_line:
                on_first_line()
                on_first_line = None
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: ") and name in ("final", "error"):
                assert name == "final", line
                return json.loads(line.removeprefix("data: "))
    raise AssertionError("the stream ended without a final answer")


def generating(process) -> bool:
    try:
        slots = httpx.get(process.base_url.removesuffix("/v1") + "/slots", timeout=2,
                          headers={"Authorization": f"Bearer {process.api_key}"}).json()
    except (httpx.HTTPError, ValueError):
        return False
    return any(s.get("is_processing") for s in slots)


@pytest.mark.integration
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGSEGV])
def test_killing_the_model_mid_answer_leaves_the_server_answering(settings, built_index, tmp_path, sig):
    from test_server import running

    from bot.serve import create_app

    s = settings.model_copy(update={
        "chat_backend": "embedded", "gguf_path": smollm2_path(), "llm_max_tokens": 400, "llm_parallel": 1,
        "database_url": f"sqlite:///{tmp_path / 'db.sqlite'}", "llm_startup_timeout": 60})
    app = create_app(s, console=False)
    process = app.state.service.models.process
    assert process.wait_ready(60), process.status()
    killed = {}

    def kill_when_generating():
        def watch():
            until(lambda: generating(process), 60)
            killed["pid"] = process.pid
            os.kill(process.pid, sig)
        threading.Thread(target=watch, daemon=True).start()

    with running(app) as url:
        answer = sse_answer(url, "Write a long story about the first BRISMIS symposium and all its guests.",
                            kill_when_generating)
        assert killed, "the model was never seen generating"
        # that visitor still got a complete, verified answer: quoted, since the model died
        assert answer["grounded"] and answer["path"] in ("extractive_fallback", "extractive", "declined"), answer
        # the next question is answered at once, whatever the model's state
        nxt = httpx.post(url + "/api/chat", json={"question": QUESTION}, timeout=60).json()
        assert nxt["grounded"] and "November 2017" in nxt["answer"]
        health = httpx.get(url + "/healthz", timeout=10).json()
        assert health["status"] in ("degraded", "ok")
        # the model is back within 30 s (load ~1 s + back-off 1 s) and used again
        assert process.wait_ready(30), process.status()
        status = process.status()
        assert status.restarts == 1 and status.pid != killed["pid"]
        assert httpx.get(url + "/healthz", timeout=10).json()["status"] == "ok"
        again = httpx.post(url + "/api/chat", json={"question": QUESTION}, timeout=120).json()
        assert "first_token" in again["timings_ms"]  # the model wrote (what the guard made of it aside)
