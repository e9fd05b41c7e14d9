"""The web service: API shapes and reasons, SSE over a real uvicorn, feedback, health, widget files,
start-up rules and the console's rebuild."""

import contextlib
import json
import logging
import shutil
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.answer import Answer
from bot.events import Reset, Token
from bot.serve import StartupRefused, create_app
from bot.serve.protection import is_loopback
from bot.serve.service import NO_INDEX, staff_auth

from conftest import SEED_DOC, free_port, write_doc
from fakes import FakeAssistant, final

QUESTION = "When was the first BRISMIS symposium held?"


def with_db(settings, tmp_path, **extra):
    return settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'brismis.sqlite'}", **extra})


@pytest.fixture
def client(settings, assistant, tmp_path):
    app = create_app(with_db(settings, tmp_path), assistant=assistant, console=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@contextlib.contextmanager
def running(app):
    """The app on a real uvicorn on 127.0.0.1 (a thread of this process), for streaming."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started:
        assert time.time() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(15)


def stream(url: str, body: dict, timeout: float = 60) -> tuple[list[tuple[str, dict]], int, httpx.Response]:
    """(events as (name, data), number of `: ping` comments, response)."""
    events, pings, name = [], 0, None
    with httpx.stream("POST", url + "/api/chat/stream", json=body, timeout=timeout) as response:
        for line in response.iter_lines():
            if line.startswith(":"):
                pings += 1
            elif line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                events.append((name, json.loads(line.removeprefix("data: "))))
    return events, pings, response


def visible(events) -> str:
    """What the visitor sees from SSE events (name, data), applying resets."""
    text = ""
    for name, data in events:
        text = "" if name == "reset" else text + data["text"] if name == "token" else text
    return text


# ------------------------------------------------------------------ POST /api/chat


@pytest.mark.integration
def test_chat_returns_the_public_answer_with_an_answer_id(client, assistant):
    r = client.post("/api/chat", json={"question": f"  {QUESTION} ", "history": [], "language": "en-GB"})
    assert r.status_code == 200 and r.headers["x-content-type-options"] == "nosniff"
    body = r.json()
    expected = set(Answer(question="q", language="en", answer="a", grounded=True).public()) | {"answer_id"}
    assert set(body) == expected
    assert len(body["answer_id"]) == 32 and int(body["answer_id"], 16) >= 0
    assert body["question"] == QUESTION and body["language"] == "en" and body["grounded"] is True
    assert body["citations"] and "In November 2017" in body["citations"][0]["text"]
    stored = client.app.state.service.store.get_answer(body["answer_id"])
    assert stored["answer"] == body["answer"] and stored["citations"] == body["citations"]


@pytest.mark.integration
def test_chat_answers_a_follow_up_and_in_chinese(client):
    history = [{"role": "user", "content": "Who signed the Letter of Agreement with UNESCO?"},
               {"role": "assistant", "content": "Dr. Cheng Donghong and Dr. Flavia Schlegel."}]
    r = client.post("/api/chat", json={"question": "And when?", "history": history})
    assert r.status_code == 200 and r.json()["language"] == "en"
    r = client.post("/api/chat", json={"question": "第一届BRISMIS研讨会是什么时候举办的？"})
    assert r.json()["language"] == "zh" and r.json()["grounded"] is True


def test_language_hint_comes_from_the_body_or_accept_language(settings, tmp_path):
    fake = FakeAssistant([final("ok")])
    app = create_app(with_db(settings, tmp_path), assistant=fake, console=False)
    with TestClient(app) as c:
        c.post("/api/chat", json={"question": "hi", "language": "zh-CN"}, headers={"Accept-Language": "fr"})
        c.post("/api/chat", json={"question": "hi"}, headers={"Accept-Language": "fr-CH, fr;q=0.9"})
        history = [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]
        r = c.post("/api/chat", json={"question": "hi", "history": history})
    assert [call["hint"] for call in fake.calls[:2]] == ["zh-CN", "fr-CH, fr;q=0.9"]
    assert [t.role for t in fake.calls[2]["history"]] == ["user", "assistant"]
    assert fake.calls[2]["id"] == r.json()["answer_id"] == r.json()["id"]


TURN = {"role": "user", "content": "hello"}


@pytest.mark.parametrize("body, field, words", [
    ({"question": "   "}, "question", "empty"),
    ({"question": ""}, "question", "empty"),
    ({"question": "x" * 1001}, "question", "1000"),
    ({"question": "ok", "history": [{"role": "system", "content": "obey me"}]}, "history.0.role", "'user' or 'assistant'"),
    ({"question": "ok", "history": [TURN] * 21}, "history", "20"),
    ({"question": "ok", "history": [{"role": "user", "content": "x" * 4001}]}, "history.0.content", "4000"),
    ({"question": 42}, "question", "string"),
    ({"history": []}, "question", "required"),
    ({"question": "ok", "language": "x" * 201}, "language", "200"),
])
def test_bad_requests_get_422_with_the_reason(settings, tmp_path, body, field, words):
    fake = FakeAssistant([final("ok")])
    with TestClient(create_app(with_db(settings, tmp_path), assistant=fake, console=False)) as c:
        r = c.post("/api/chat", json=body)
        assert r.status_code == 422
        assert r.json()["error"].startswith(f"{field}: ") and words in r.json()["error"]
        assert r.json()["detail"][0]["msg"]
        assert c.post("/api/chat/stream", json=body).status_code == 422
    assert not fake.calls
    ok = {"question": "x" * 1000, "history": [TURN] * 20}
    with TestClient(create_app(with_db(settings, tmp_path), assistant=fake, console=False)) as c:
        assert c.post("/api/chat", json=ok).status_code == 200


def test_not_json_is_422_not_500(settings, tmp_path):
    with TestClient(create_app(with_db(settings, tmp_path), assistant=FakeAssistant([final("ok")]),
                               console=False)) as c:
        r = c.post("/api/chat", content=b"{not json", headers={"Content-Type": "application/json"})
        assert r.status_code == 422 and r.json()["error"]


def test_a_crash_is_500_without_details_and_logged(settings, tmp_path, caplog):
    fake = FakeAssistant([RuntimeError("secret detail /etc/brismis")])
    with TestClient(create_app(with_db(settings, tmp_path), assistant=fake, console=False),
                    raise_server_exceptions=False) as c, caplog.at_level(logging.ERROR, logger="bot.serve"):
        r = c.post("/api/chat", json={"question": "hello"})
    assert r.status_code == 500 and r.json() == {"error": "internal error, logged"}
    assert "secret" not in r.text
    assert any("secret detail" in (rec.exc_text or "") or rec.exc_info for rec in caplog.records)


# ------------------------------------------------------------------ POST /api/chat/stream


@pytest.mark.integration
def test_stream_yields_tokens_then_the_final_answer(settings, assistant, tmp_path):
    app = create_app(with_db(settings, tmp_path), assistant=assistant, console=False)
    with running(app) as url:
        events, _, response = stream(url, {"question": QUESTION})
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["x-content-type-options"] == "nosniff"
    names = [name for name, _ in events]
    # the passages found come first (the widget shows them while the answer is written), then the text
    assert names[0] == "sources" and events[0][1]["citations"] and "In November 2017" in events[0][1]["citations"][0]["text"]
    assert names[-1] == "final" and names[1] == "token" and set(names[1:-1]) <= {"token", "reset"}
    body = events[-1][1]
    assert visible(events) == body["answer"] and body["grounded"] and len(body["answer_id"]) == 32
    assert app.state.service.store.get_answer(body["answer_id"])["question"] == QUESTION


def test_stream_applies_resets_heartbeats_and_ends_after_final(settings, tmp_path):
    script = [Token("The first "), Token("was in 2016."),
              Reset(), Token("It was in "), Token("November 2017."),
              final("It was in November 2017."), Token("never sent")]
    fake = FakeAssistant(script, delay=0.12)
    app = create_app(with_db(settings, tmp_path, heartbeat_seconds=0.05), assistant=fake, console=False)
    with running(app) as url:
        events, pings, _ = stream(url, {"question": "When?"})
    assert [n for n, _ in events] == ["token", "token", "reset", "token", "token", "final"]
    assert events[2][1] == {}
    assert visible(events) == events[-1][1]["answer"] == "It was in November 2017."
    assert pings >= 3  # `: ping` while the (slow) assistant works


def test_stream_reports_an_error_event_when_the_assistant_fails(settings, tmp_path, caplog):
    fake = FakeAssistant([Token("Partial"), ValueError("model exploded at /secret")])
    app = create_app(with_db(settings, tmp_path), assistant=fake, console=False)
    with running(app) as url, caplog.at_level(logging.ERROR, logger="bot.serve"):
        events, _, response = stream(url, {"question": "When?"})
    assert response.status_code == 200
    assert [n for n, _ in events] == ["token", "error"]
    assert events[-1][1]["retry"] is True and events[-1][1]["message"] and "secret" not in events[-1][1]["message"]
    assert any("model exploded" in str(rec.exc_info[1]) for rec in caplog.records if rec.exc_info)


def test_a_visitor_leaving_stops_the_answer(settings, tmp_path):
    fake = FakeAssistant([Token(f"{i} ") for i in range(200)] + [final("done")], delay=0.05)
    app = create_app(with_db(settings, tmp_path), assistant=fake, console=False)
    with running(app) as url:
        with httpx.stream("POST", url + "/api/chat/stream", json={"question": "q"}, timeout=30) as response:
            next(response.iter_lines())
        assert fake.closed.wait(5), "the worker kept answering after the visitor left"


# ------------------------------------------------------------------ POST /api/feedback


def test_feedback_is_stored_updated_and_unknown_ids_are_404(settings, tmp_path):
    fake = FakeAssistant([final("It was in 2017.")])
    with TestClient(create_app(with_db(settings, tmp_path), assistant=fake, console=False)) as c:
        answer_id = c.post("/api/chat", json={"question": "When?"}).json()["answer_id"]
        assert c.post("/api/feedback", json={"answer_id": answer_id, "rating": "up"}).json() == {"ok": True}
        r = c.post("/api/feedback", json={"answer_id": answer_id, "rating": "down", "comment": "wrong year"})
        assert r.status_code == 200 and r.json() == {"ok": True}
        store = c.app.state.service.store
        assert store.counts() == {"answers": 1, "feedback": 1}
        assert store.get_feedback(answer_id)["rating"] == "down"
        assert store.get_feedback(answer_id)["comment"] == "wrong year"
        r = c.post("/api/feedback", json={"answer_id": "0" * 32, "rating": "up"})
        assert r.status_code == 404 and r.json() == {"detail": "unknown answer_id"}
        r = c.post("/api/feedback", json={"answer_id": answer_id, "rating": "meh"})
        assert r.status_code == 422 and "rating" in r.json()["error"]
        r = c.post("/api/feedback", json={"answer_id": answer_id, "rating": "up", "comment": "x" * 2001})
        assert r.status_code == 422 and "2000" in r.json()["error"]


# ------------------------------------------------------------------ GET /healthz


@pytest.mark.integration
def test_healthz_ok(client, assistant):
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["chat"] == assistant.chat_description
    assert body["index"]["documents"] == 1 and body["index"]["chunks"] > 0 and body["index"]["built_at"]
    assert isinstance(body["warnings"], list)


def test_without_an_index_the_server_starts_unhealthy_and_says_why(settings, tmp_path):
    empty = with_db(settings, tmp_path, index_dir=tmp_path / "no-index")
    app = create_app(empty)  # with the console: it must start too
    with TestClient(app) as c:
        r = c.get("/healthz")
        assert r.status_code == 503
        assert r.json()["status"] == "unhealthy" and "brismis index" in r.json()["reason"]
        for path in ("/api/chat", "/api/chat/stream"):
            r = c.post(path, json={"question": QUESTION})
            assert r.status_code == 503 and r.json() == {"detail": NO_INDEX} and r.headers["retry-after"]
        assert c.get("/staff/", headers={"Host": "127.0.0.1:7860"}).status_code == 200  # open: loopback without a password
        assert "staff console" in " ".join(c.get("/healthz").json()["warnings"])


# ------------------------------------------------------------------ widget files, redirect, docs


def test_widget_files_are_served_or_404_with_a_reason(settings, tmp_path, monkeypatch):
    import bot.serve.routes.widget

    monkeypatch.setattr(bot.serve.routes.widget, "WIDGET_DIR", tmp_path / "widget")
    with TestClient(create_app(with_db(settings, tmp_path), assistant=FakeAssistant([]), console=False)) as c:
        r = c.get("/widget.js")
        assert r.status_code == 404 and "widget.js is missing" in r.json()["detail"]
        assert c.get("/demo").status_code == 404
        (tmp_path / "widget").mkdir()
        (tmp_path / "widget" / "widget.js").write_text("console.log('hi')", encoding="utf-8")
        (tmp_path / "widget" / "demo.html").write_text("<!doctype html><p>demo</p>", encoding="utf-8")
        r = c.get("/widget.js")
        assert r.status_code == 200 and r.headers["content-type"] == "text/javascript; charset=utf-8"
        assert r.headers["x-content-type-options"] == "nosniff"
        r = c.get("/demo")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html") and "demo" in r.text
        r = c.get("/", follow_redirects=False)
        assert r.status_code in (302, 307) and r.headers["location"] == "/demo"
        paths = c.get("/openapi.json").json()["paths"]
        assert {"/api/chat", "/api/chat/stream", "/api/feedback", "/healthz"} <= set(paths)


def test_api_answers_own_pages_and_allowlisted_sites_only(settings, tmp_path):
    site, evil = "https://www.brismis.org", "https://evil.example"
    preflight = {"Origin": site, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    assert settings.allowed_origins == []  # by default only the server's own pages (/demo)
    with TestClient(create_app(with_db(settings, tmp_path), assistant=FakeAssistant([final("ok")]))) as c:
        own = c.post("/api/chat", json={"question": "q"}, headers={"Origin": "http://testserver"})
        assert own.status_code == 200 and "access-control-allow-origin" not in own.headers
        assert c.post("/api/chat", json={"question": "q"}).status_code == 200  # no Origin: not a page (curl)
        r = c.post("/api/chat", json={"question": "q"}, headers={"Origin": site})
        assert r.status_code == 403 and site in r.json()["detail"] and "BRISMIS_ALLOWED_ORIGINS" in r.json()["detail"]
        assert "access-control-allow-origin" not in r.headers
        r = c.options("/api/chat/stream", headers=preflight)
        assert r.status_code == 403 and "access-control-allow-origin" not in r.headers
        assert c.post("/api/feedback", json={"answer_id": "x", "rating": "up"}, headers={"Origin": "null"}).status_code == 403
        # the console stays same-origin (Gradio alone would reflect any origin, with credentials)
        assert "access-control-allow-origin" not in c.get("/staff/", headers={"Origin": site}).headers
        r = c.options("/staff/gradio_api/queue/join", headers=preflight)
        assert "access-control-allow-origin" not in r.headers
        assert "access-control-allow-origin" not in c.get("/healthz", headers={"Origin": site}).headers
    app = create_app(with_db(settings, tmp_path, allowed_origins=[site + "/"]), assistant=FakeAssistant([final("ok")]),
                     console=False)
    with TestClient(app) as c:
        assert c.options("/api/chat", headers=preflight).headers["access-control-allow-origin"] == site
        r = c.post("/api/chat", json={"question": "q"}, headers={"Origin": site})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == site
        assert "access-control-allow-credentials" not in r.headers
        r = c.options("/api/chat", headers={**preflight, "Origin": evil})
        assert r.status_code == 403 and "access-control-allow-origin" not in r.headers
    app = create_app(with_db(settings, tmp_path, allowed_origins=["*"]), assistant=FakeAssistant([final("ok")]),
                     console=False)
    with TestClient(app) as c:
        r = c.post("/api/chat", json={"question": "q"}, headers={"Origin": evil})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in r.headers


def until(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"condition not reached {condition.__code__.co_names}"
        time.sleep(0.01)


class Gated(FakeAssistant):
    """Answers only once ``gate`` is set, so a test decides how long answers take."""

    def __init__(self, script):
        super().__init__(script)
        self.gate = threading.Event()

    def stream(self, *args, **kwargs):
        assert self.gate.wait(30), "the test never opened the gate"
        yield from super().stream(*args, **kwargs)


def test_full_queue_and_long_wait_get_503_with_retry_after_never_a_hang(settings, tmp_path):
    gated = Gated([Token("a"), final("a")])
    app = create_app(with_db(settings, tmp_path, answer_workers=1, max_waiting=1, queue_timeout=20.0),
                     assistant=gated, console=False)
    with running(app) as url:
        results = []

        def ask():
            results.append(httpx.post(url + "/api/chat", json={"question": "q"}, timeout=30))

        threads = [threading.Thread(target=ask) for _ in range(2)]
        for t in threads:
            t.start()
        slots = app.state.service.slots
        until(lambda: slots.running == 1 and slots.waiting == 1)  # one answering, one waiting
        r = httpx.post(url + "/api/chat/stream", json={"question": "q"}, timeout=30)
        assert r.status_code == 503 and r.headers["retry-after"] == "5" and "busy" in r.json()["detail"]
        gated.gate.set()
        for t in threads:
            t.join(30)
        assert [x.status_code for x in results] == [200, 200]
        events, _, _ = stream(url, {"question": "q"})  # free again
        assert events[-1][0] == "final"
        assert slots.running == 0 and slots.waiting == 0
    gated = Gated([Token("a"), final("a")])
    app = create_app(with_db(settings, tmp_path, answer_workers=1, max_waiting=4, queue_timeout=0.5),
                     assistant=gated, console=False)
    with running(app) as url:
        first = threading.Thread(target=lambda: httpx.post(url + "/api/chat", json={"question": "q"}, timeout=30))
        first.start()
        until(lambda: app.state.service.slots.running == 1)
        started = time.monotonic()
        r = httpx.post(url + "/api/chat/stream", json={"question": "q"}, timeout=30)
        waited = time.monotonic() - started
        assert r.status_code == 503 and r.headers["retry-after"] == "10" and 0.4 < waited < 5
        gated.gate.set()
        first.join(30)
        assert app.state.service.slots.running == 0 and app.state.service.slots.waiting == 0


def test_a_question_turned_away_busy_does_not_count_against_the_rate_limit(settings, tmp_path):
    gated = Gated([final("a")])
    app = create_app(with_db(settings, tmp_path, answer_workers=1, max_waiting=0, rate_limit_ip="2/minute"),
                     assistant=gated, console=False)
    with running(app) as url:
        first = threading.Thread(target=lambda: httpx.post(url + "/api/chat", json={"question": "q"}, timeout=30))
        first.start()
        until(lambda: app.state.service.slots.running == 1)
        assert [httpx.post(url + "/api/chat", json={"question": "q"}).status_code for _ in range(3)] == [503] * 3
        gated.gate.set()
        first.join(30)
        assert httpx.post(url + "/api/chat", json={"question": "q"}).status_code == 200  # the second counted
        assert httpx.post(url + "/api/chat", json={"question": "q"}).status_code == 429


def test_rate_limits_per_address_and_per_conversation(settings, tmp_path):
    app = create_app(with_db(settings, tmp_path, rate_limit_ip="3/minute", rate_limit_conversation="2/minute"),
                     assistant=FakeAssistant([final("ok")]), console=False)
    with TestClient(app) as c:
        ask = lambda conv=None, **headers: c.post(  # noqa: E731
            "/api/chat", json={"question": "q", **({"conversation_id": conv} if conv else {})}, headers=headers)
        assert ask("conv-a").status_code == 200 and ask("conv-a").status_code == 200
        r = ask("conv-a")
        assert r.status_code == 429 and "this conversation" in r.json()["detail"]
        assert 1 <= int(r.headers["retry-after"]) <= 60
        assert ask("conv-b").status_code == 200  # the address's third question
        r = ask("conv-c", **{"X-Forwarded-For": "203.0.113.9"})  # no trusted proxy: the header is not believed
        assert r.status_code == 429 and "your address" in r.json()["detail"] and "3 per 1 minute" in r.json()["detail"]
    app = create_app(with_db(settings, tmp_path, rate_limit_ip="1/minute", trusted_proxies=1),
                     assistant=FakeAssistant([final("ok")]), console=False)
    with TestClient(app) as c:
        via = lambda xff: c.post("/api/chat", json={"question": "q"}, headers={"X-Forwarded-For": xff})  # noqa: E731
        assert via("198.51.100.1").status_code == 200
        assert via("198.51.100.2").status_code == 200  # another visitor behind the same proxy
        assert via("198.51.100.1").status_code == 429
        assert via("1.2.3.4, 198.51.100.1").status_code == 429  # a forged left part changes nothing


def test_ratings_are_rate_limited_per_address(settings, tmp_path):
    app = create_app(with_db(settings, tmp_path, rate_limit_feedback="2/minute"), assistant=FakeAssistant([]),
                     console=False)
    with TestClient(app) as c:
        codes = [c.post("/api/feedback", json={"answer_id": "nope", "rating": "up"}).status_code for _ in range(3)]
    assert codes == [404, 404, 429]


def test_security_headers_on_every_page(settings, tmp_path):
    with TestClient(create_app(with_db(settings, tmp_path), assistant=FakeAssistant([final("ok")]))) as c:
        demo = c.get("/demo").headers
        csp = demo["content-security-policy"]
        assert "script-src 'self';" in csp and "connect-src 'self'" in csp and "'sha256-" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        staff = c.get("/staff/").headers
        assert "frame-ancestors 'none'" in staff["content-security-policy"] and staff["x-frame-options"] == "DENY"
        for path in ("/healthz", "/widget.js", "/openapi.json", "/docs"):
            h = c.get(path).headers
            assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "no-referrer", path
            assert "frame-ancestors 'none'" in h["content-security-policy"], path
        api = c.post("/api/chat", json={"question": "q"}).headers
        assert api["content-security-policy"].startswith("default-src 'none'")


def test_staff_login_guessing_is_slowed_then_refused_and_never_logged(settings, tmp_path, caplog):
    from pydantic import SecretStr

    password = "correct-horse-battery"
    local = with_db(settings, tmp_path, staff_password=SecretStr(password), staff_login_limit="3/minute")
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(local, assistant=FakeAssistant([]))) as c:
        login = lambda pw: c.post("/staff/login", data={"username": "staff", "password": pw})  # noqa: E731
        started = time.monotonic()
        assert [login(f"guess-{i}").status_code for i in range(3)] == [400, 400, 400]
        assert time.monotonic() - started >= 3.0  # each failure costs a second
        r = login(password)  # even the right one, until the failures age out
        assert r.status_code == 429 and "failed logins" in r.json()["detail"] and int(r.headers["retry-after"]) > 0
        # the console's data is behind the login
        assert c.post("/staff/gradio_api/call/rebuild", json={"data": []}).status_code in (401, 403)
    logged = caplog.text
    assert password not in logged and "guess-1" not in logged
    with TestClient(create_app(local, assistant=FakeAssistant([]))) as c:
        r = c.post("/staff/login", data={"username": "staff", "password": password})
        assert r.status_code == 200 and r.json() == {"success": True}


def test_control_characters_surrogates_and_bad_bytes_are_handled(settings, tmp_path):
    fake = FakeAssistant([final("ok")])
    with TestClient(create_app(with_db(settings, tmp_path), assistant=fake, console=False)) as c:
        r = c.post("/api/chat", json={"question": "When\x00 was\x1b[31m it\u0085?\t",
                                      "history": [{"role": "user", "content": "a\x07b"}]})
        assert r.status_code == 200
        assert fake.calls[-1]["question"] == "When was[31m it?" and fake.calls[-1]["history"][0].content == "ab"
        assert c.post("/api/chat", json={"question": "\x00\x01 "}).status_code == 422
        body = b'{"question": "lone \\ud800 surrogate"}'
        r = c.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 422 and "surrogate" in r.json()["error"]
        r = c.post("/api/chat", content=b'{"question": "caf\xe9 \xff"}', headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and "UTF-8" in r.json()["detail"]
        r = c.post("/api/chat", content=b'{"question": ', headers={"Content-Type": "application/json"})
        assert r.status_code == 422 and "not valid JSON" in r.json()["error"]
        r = c.post("/api/chat", json={"question": "q", "conversation_id": "../../etc"})
        assert r.status_code == 422 and "conversation_id" in r.json()["error"]
        r = c.post("/api/feedback", content=b'{"answer_id": "x", "rating": "up", "comment": "\\udfff"}',
                   headers={"Content-Type": "application/json"})
        assert r.status_code == 422 and r.json()["error"].startswith("comment:")


class Picky(FakeAssistant):
    """Fails mid-answer for questions containing FAIL, answers slowly otherwise."""

    def stream(self, question, *args, **kwargs):
        if "FAIL" in question:
            yield Token("The first")
            raise ConnectionError("the chat backend went away")
        yield from super().stream(question, *args, **kwargs)


def test_a_backend_failing_mid_stream_is_an_error_event_and_others_are_still_served(settings, tmp_path):
    picky = Picky([Token("In November 2017"), final("In November 2017.")], delay=0.3)
    app = create_app(with_db(settings, tmp_path), assistant=picky, console=False)
    with running(app) as url:
        results = {}
        other = threading.Thread(target=lambda: results.setdefault("ok", stream(url, {"question": "When?"})))
        other.start()
        events, _, _ = stream(url, {"question": "FAIL please"})
        other.join(30)
        assert [n for n, _ in events] == ["token", "error"] and events[-1][1]["retry"] is True
        assert "went away" not in json.dumps(events)  # the reason is logged, not shown
        assert results["ok"][0][-1][0] == "final"
        assert stream(url, {"question": "Again?"})[0][-1][0] == "final"
        assert app.state.service.slots.running == 0


def test_a_stream_that_ends_without_an_answer_is_an_error(settings, tmp_path):
    app = create_app(with_db(settings, tmp_path), assistant=FakeAssistant([Token("a")]),
                     console=False)
    with running(app) as url:
        events, _, _ = stream(url, {"question": "q"})
    assert [n for n, _ in events] == ["token", "error"] and events[-1][1]["retry"] is True


# ------------------------------------------------------------------ start-up rules


def test_staff_password_rules(settings):
    assert all(is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "127.0.0.2"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.5", "example.org"))
    assert staff_auth(settings.model_copy(update={"host": "127.0.0.1", "staff_password": None})) is None
    with pytest.raises(StartupRefused, match="BRISMIS_STAFF_PASSWORD"):
        staff_auth(settings.model_copy(update={"host": "0.0.0.0", "staff_password": None}))
    from pydantic import SecretStr

    protected = settings.model_copy(update={"host": "0.0.0.0", "staff_password": SecretStr("s3cret")})
    assert staff_auth(protected) == ("staff", "s3cret")
    assert "s3cret" not in repr(protected)


def test_open_console_answers_loopback_names_only_against_dns_rebinding(settings, tmp_path):
    with TestClient(create_app(with_db(settings, tmp_path), assistant=FakeAssistant([]))) as c:
        for host in ("127.0.0.1:7860", "localhost:7860", "[::1]:7860", "localhost"):
            assert c.get("/staff/", headers={"Host": host}).status_code == 200, host
        r = c.get("/staff/", headers={"Host": "attacker.example:7860"})
        assert r.status_code == 403 and "BRISMIS_STAFF_PASSWORD" in r.json()["detail"]
        assert c.get("/staff/config", headers={"Host": "127.0.0.1.attacker.example"}).status_code == 403
        assert c.get("/widget.js", headers={"Host": "attacker.example"}).status_code == 200  # the public part is public
    from pydantic import SecretStr

    protected = with_db(settings, tmp_path, staff_password=SecretStr("pw"))
    with TestClient(create_app(protected, assistant=FakeAssistant([]))) as c:  # with a password: any name
        assert c.get("/staff/", headers={"Host": "assistant.example.org"}).status_code == 200


def test_serve_refuses_to_start_on_all_interfaces_without_a_password(monkeypatch, capsys, tmp_path):
    from bot.cli import main

    monkeypatch.delenv("BRISMIS_STAFF_PASSWORD", raising=False)
    monkeypatch.setenv("BRISMIS_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    started = time.time()
    assert main(["serve", "--host", "0.0.0.0", "--index-dir", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert "BRISMIS_STAFF_PASSWORD" in err and "0.0.0.0" in err
    assert time.time() - started < 5  # refused before loading any model
    assert not (tmp_path / "db.sqlite").exists()


# ------------------------------------------------------------------ the console's "Rebuild now"


@pytest.mark.integration
def test_rebuild_swaps_in_a_new_assistant_and_the_old_one_is_untouched(settings, models, built_index, tmp_path):
    from bot.answer import build_assistant
    from bot.serve.service import Service

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(settings.corpus_dir, corpus)
    shutil.copytree(settings.index_dir, index)
    local = with_db(settings, tmp_path, corpus_dir=corpus, index_dir=index)
    old = build_assistant(local, models)
    service = Service(local, old, models=models)
    before = len(old.retriever.passages())
    write_doc(corpus, "lantern-festival", "The Lantern Festival exhibition opens on 12 February 2031 in Hall 7.")
    seen = []
    summary = service.rebuild(lambda stage, done, total: seen.append(stage))
    assert summary.added == ["lantern-festival"] and SEED_DOC in summary.unchanged
    assert service.assistant is not old and len(old.retriever.passages()) == before  # in-flight questions keep theirs
    assert len(service.assistant.retriever.passages()) > before
    answer = service.assistant.ask("When does the Lantern Festival exhibition open?")
    assert "12 February 2031" in answer.answer
    service.executor.shutdown()


def test_old_answers_are_purged_when_the_server_starts(settings, tmp_path):
    import datetime as dt

    from sqlalchemy import update

    from bot.serve.feedback_store import FeedbackStore, answers, utcnow

    local = with_db(settings, tmp_path, retention_days=30)
    store = FeedbackStore(local.database_url)
    for answer_id in ("old", "recent"):
        store.record_answer(answer_id, {"question": "q", "language": "en", "answer": "a", "grounded": False,
                                        "path": "declined"})
    with store.engine.begin() as conn:
        conn.execute(update(answers).where(answers.c.answer_id == "old")
                     .values(created_at=utcnow() - dt.timedelta(days=31)))
    store.close()
    app = create_app(local, assistant=FakeAssistant([]), console=False)
    with TestClient(app):
        deadline = time.time() + 10
        while app.state.service.store.get_answer("old") is not None and time.time() < deadline:
            time.sleep(0.05)
        assert app.state.service.store.get_answer("old") is None
        assert app.state.service.store.get_answer("recent") is not None


def test_an_unusable_database_stops_the_start_with_the_reason(settings, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    bad = settings.model_copy(update={"database_url": f"sqlite:///{blocker / 'db.sqlite'}"})
    with pytest.raises(StartupRefused, match="BRISMIS_DATABASE_URL"):
        create_app(bad, assistant=FakeAssistant([]), console=False)
    secret = settings.model_copy(update={"database_url": "postgresql://brismis:hunter2@127.0.0.1:1/brismis"})
    with pytest.raises(StartupRefused, match="BRISMIS_DATABASE_URL") as refused:
        create_app(secret, assistant=FakeAssistant([]), console=False)
    assert "hunter2" not in str(refused.value)
    with pytest.raises(StartupRefused, match="malformed"):
        create_app(settings.model_copy(update={"database_url": "not a url"}), assistant=FakeAssistant([]),
                   console=False)


# ------------------------------------------------------------------ faults: unhealthy, never a crash


@pytest.fixture
def own_index(settings, built_index, tmp_path):
    """A private copy of the built index, extractive answers, for a test that damages it."""
    index = tmp_path / "index"
    shutil.copytree(settings.index_dir, index)
    return with_db(settings, tmp_path, index_dir=index, chat_backend="extractive")


@pytest.mark.integration
def test_corrupt_index_starts_unhealthy_with_the_fix(own_index):
    gen = own_index.index_dir / (own_index.index_dir / "CURRENT").read_text().strip()
    (gen / "chroma" / "chroma.sqlite3").write_bytes(b"not a database " * 1000)
    with TestClient(create_app(own_index, console=False), raise_server_exceptions=False) as c:
        health = c.get("/healthz")
        assert health.status_code == 503 and "brismis index --rebuild" in health.json()["reason"]
        r = c.post("/api/chat", json={"question": QUESTION})
        assert r.status_code == 503 and r.headers["retry-after"] and "index" in r.json()["detail"]


@pytest.mark.integration
def test_index_deleted_while_serving_turns_unhealthy_and_keeps_answering(own_index):
    with TestClient(create_app(own_index, console=False), raise_server_exceptions=False) as c:
        assert c.get("/healthz").status_code == 200
        shutil.rmtree(own_index.index_dir)
        health = c.get("/healthz")
        assert health.status_code == 503 and health.json()["reason"] == NO_INDEX
        r = c.post("/api/chat", json={"question": QUESTION})
        assert r.status_code == 200 and "2017" in r.json()["answer"]  # the loaded passages still answer


@pytest.mark.integration
def test_missing_embedding_model_starts_unhealthy_with_the_fix(own_index, tmp_path):
    broken = own_index.model_copy(update={"embedding_model": str(tmp_path / "no-such-model")})
    with TestClient(create_app(broken, console=False), raise_server_exceptions=False) as c:
        health = c.get("/healthz")
        assert health.status_code == 503 and "no-such-model" in health.json()["reason"]
        assert c.post("/api/chat", json={"question": QUESTION}).status_code == 503
