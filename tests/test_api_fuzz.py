"""The HTTP API against its own OpenAPI schema, with Schemathesis: no server errors, no response
that the schema does not describe (status code, content type, body, headers), valid requests
accepted and invalid ones rejected.

Every operation of /openapi.json is fuzzed in-process (ASGI, no socket) in the two states a
visitor can meet: answering (a fake assistant and a one-passage index manifest, so /healthz says
ok) and without an index (no assistant: the chat endpoints answer 503 with Retry-After). All of
Schemathesis's checks run. Generation is bounded and derandomized so `make test` is quick and CI
reproducible. Hand-written requests follow for what the generator does not send: bytes that are
not UTF-8, lone surrogates, control characters, a body over the size limit, other content types,
empty bodies and JSON that is not an object.

No model, no real index: the answers come from FakeAssistant.
"""

import json
import time
import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.errors import FailureGroup
from schemathesis.python.asgi import shutdown_lifespans

from bot.answer import Answer, Citation
from bot.events import Final, Token
from bot.serve import create_app
from bot.serve.service import NO_INDEX
from bot.settings import Settings

MAX_EXAMPLES = 100  # generated requests per operation and state (the examples and coverage phases add their own)
# One app per operation, shared by its examples (answers pile up in its database: harmless), hence
# the function-scoped-fixture health check is off.
FUZZ = hypothesis_settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                           suppress_health_check=[HealthCheck.function_scoped_fixture])

PASSAGE = "In November 2017 the first BRISMIS symposium was held in Almaty."


class FakeAssistant:
    """Answers every question at once with one cited passage, echoing the question as the real
    assistant does (``Answer.question``); streams one token, then the final answer."""

    chat_description = "fake"
    chat = None

    def __init__(self):
        self.warnings: tuple[str, ...] = ()

    def model_status(self):
        return None

    def stream(self, question, history=None, options=None, id=None):
        answer = Answer(
            id=id, question=question, language="en", answer="The first symposium was held in November 2017 [1].",
            grounded=True, path="extractive", timings_ms={"total": 1.5},
            citations=[Citation(n=1, doc_id="letter", title="Letter of agreement", url="http://www.brismis.org/letter",
                                date="2018-01-01", text=PASSAGE, chunk_id="letter-0", start=0, end=len(PASSAGE),
                                highlights=[(0, len(PASSAGE))])],
        )
        yield Token(answer.answer)
        yield Final(answer)

    def ask(self, question, history=None, options=None, id=None):
        for event in self.stream(question, history, options, id):
            if isinstance(event, Final):
                return event.answer


def fake_index(index_dir) -> None:
    """An index manifest as `brismis index` leaves it (one document, one passage), so that /healthz
    reports ok; the fake assistant never reads the index itself."""
    gen = index_dir / "gen-fuzz"
    gen.mkdir(parents=True)
    (gen / "manifest.json").write_text(json.dumps({
        "documents": {"letter": {"title": "Letter of agreement"}}, "chunks": 1,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "skipped": [],
    }), encoding="utf-8")
    (index_dir / "CURRENT").write_text(gen.name + "\n", encoding="utf-8")


class _NoStore:
    def close(self) -> None:
        pass


def openapi_document() -> dict:
    """/openapi.json as the app serves it. It depends on the code only, so it is taken from an app
    built with default settings and no database, once, when the tests are collected."""
    app = create_app(Settings(), assistant=FakeAssistant(), console=False, store=_NoStore())
    try:
        return app.openapi()
    finally:
        app.state.service.close()


# Loaded at collection (parametrize needs the operations then); the requests go to the apps below
# (app=...). schemathesis.pytest.from_fixture would load it from a fixture instead, but fails on
# this pytest (it sets Function._nodeid, gone in pytest 9.2).
schema = schemathesis.openapi.from_dict(openapi_document())


def make_app(settings, folder, assistant, **extra):
    private = settings.model_copy(update={"database_url": f"sqlite:///{folder / 'brismis.sqlite'}",
                                          "index_dir": folder / "index", **extra})
    return create_app(private, assistant=assistant, console=False)


# Hundreds of requests come from one address here: with the default limits only the first twenty
# questions would reach the answering code, the rest would stop at 429 (tested in test_server.py).
NO_RATE_LIMITS = {"rate_limit_ip": "", "rate_limit_conversation": "", "rate_limit_feedback": ""}

# answers already given, so that valid ratings reach the database instead of all ending in 404
KNOWN_ANSWERS = [uuid.uuid5(uuid.NAMESPACE_URL, f"brismis-fuzz-{i}").hex for i in range(3)]


# Function-scoped: Schemathesis ends every ASGI app's lifespan after each test, and the app's
# lifespan closes its store and workers for good (as at server shutdown).
@pytest.fixture
def answering_app(settings, tmp_path):
    folder = tmp_path / "answering"
    fake_index(folder / "index")
    app = make_app(settings, folder, FakeAssistant(), **NO_RATE_LIMITS)
    store = app.state.service.store
    for answer_id in KNOWN_ANSWERS:
        public = {**FakeAssistant().ask("When was the first symposium?", id=answer_id).public(), "answer_id": answer_id}
        store.record_answer(answer_id, public)
    yield app
    shutdown_lifespans()  # the ASGI client started the app's lifespan: close its store and workers


@pytest.fixture
def no_index_app(settings, tmp_path):
    folder = tmp_path / "no-index"
    folder.mkdir()
    app = make_app(settings, folder, None)  # no index in folder/index: starts unhealthy, without loading a model
    assert app.state.service.assistant is None
    yield app
    shutdown_lifespans()


def test_the_fuzzed_schema_is_the_served_one(answering_app, no_index_app):
    for app in (answering_app, no_index_app):
        with schemathesis.python.asgi.get_client(app) as client:
            assert client.get("/openapi.json").json() == schema.raw_schema
    operations = {(r.ok().method.upper(), r.ok().path) for r in schema.get_all_operations()}
    assert operations == {("POST", "/api/chat"), ("POST", "/api/chat/stream"), ("POST", "/api/feedback"),
                          ("GET", "/healthz"), ("GET", "/widget.js"), ("GET", "/demo")}


# ------------------------------------------------------------------ generated requests, all checks


def describe(response) -> str:
    """The exact request and response, for a failure report (curl lines lose bytes that are not UTF-8)."""
    request = response.request
    body = request.body or b""
    body = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    return (f"request: {request.method} {request.path_url} Content-Type={request.headers.get('Content-Type')!r} "
            f"body ({len(body)} bytes)={body[:400]!r}\n"
            f"response: {response.status_code} Content-Type={header(response, 'content-type')!r} "
            f"Retry-After={header(response, 'retry-after')!r} body={response.content[:400]!r}")


def header(response, name: str) -> str | None:
    values = response.headers.get(name)  # Schemathesis: lists of values
    return ", ".join(values) if isinstance(values, list) else values


def validate(case, response, **kwargs):
    """``case.validate_response`` (all checks), with the exact request and response in the failure
    message (Schemathesis's curl line loses bytes that are not UTF-8; notes are dropped)."""
    __tracebackhide__ = True
    try:
        case.validate_response(response, **kwargs)
    except FailureGroup as exc:
        raise FailureGroup(list(exc.exceptions), f"{exc.message}\n{describe(response)}\n") from None


def call_and_validate(case, app, **checks):
    """``case.call_and_validate(app=app, **checks)``, reporting the exact request and response."""
    __tracebackhide__ = True
    response = case.call(app=app)
    validate(case, response, transport_kwargs={"app": app}, **checks)
    return response


def refused_for_no_index(response, case) -> bool:
    """The deliberate 503 of a server without an index: the chat endpoints with Retry-After, /healthz
    saying why it is unhealthy."""
    try:
        body = response.json()
    except ValueError:
        return False
    if case.operation.path in ("/api/chat", "/api/chat/stream"):
        return body.get("detail") == NO_INDEX and bool(header(response, "retry-after"))
    return case.operation.path == "/healthz" and body.get("status") == "unhealthy" and body.get("reason") == NO_INDEX


def not_a_server_error_but_no_index(ctx, response, case):
    """``not_a_server_error``, except for the deliberate 503 without an index (whether that status
    is documented is still checked, by status_code_conformance)."""
    if response.status_code == 503 and refused_for_no_index(response, case):
        return None
    return schemathesis.checks.not_a_server_error(ctx, response, case)


@schema.parametrize()
@FUZZ
def test_fuzz_while_answering(case, answering_app):
    if (case.operation.path == "/api/feedback" and case.meta is not None and case.meta.generation.mode.is_positive
            and isinstance(case.body, dict) and isinstance(case.body.get("answer_id"), str)):
        # a valid rating of an answer that exists (any valid answer_id is 64 characters or fewer)
        case.body["answer_id"] = KNOWN_ANSWERS[len(case.body["answer_id"]) % len(KNOWN_ANSWERS)]
    call_and_validate(case, answering_app)


@schema.parametrize()
@FUZZ
def test_fuzz_without_an_index(case, no_index_app):
    call_and_validate(case, no_index_app, excluded_checks=[schemathesis.checks.not_a_server_error],
                      additional_checks=[not_a_server_error_but_no_index])


# ------------------------------------------------------------------ hand-written requests


def json_bytes(value) -> bytes:
    """JSON as a client would send it: non-ASCII escaped, so lone surrogates travel as \\udXXX."""
    return json.dumps(value).encode("ascii")


CONTROL = "a\x00b\x01\x07\x08\x0b\x0c\x1b[31m\x7f\x85\u2028\u2029\ufeff\ufffe z"
BIG = 300 * 1024

# (path, case id, body bytes, Content-Type or None, must be rejected with 4xx)
CHAT_CASES = [
    ("invalid-utf8", b'{"question": "caf\xe9 \xff\xfe?"}', "application/json", True),
    ("utf8-encoded-surrogate", b'{"question": "\xed\xa0\x80?"}', "application/json", True),
    ("lone-surrogate-question", json_bytes({"question": "When? \ud800"}), "application/json", False),
    ("lone-surrogate-low-question", json_bytes({"question": "\udfff"}), "application/json", False),
    ("lone-surrogate-history", json_bytes({"question": "When?", "history": [{"role": "user", "content": "\ud800"}]}),
     "application/json", False),
    ("lone-surrogate-language", json_bytes({"question": "When?", "language": "\udc00"}), "application/json", False),
    ("control-characters-question", json_bytes({"question": CONTROL}), "application/json", False),
    ("control-characters-history",
     json_bytes({"question": "When?", "history": [{"role": "assistant", "content": CONTROL}]}),
     "application/json", False),
    ("control-characters-language", json_bytes({"question": "When?", "language": CONTROL}), "application/json",
     False),
    ("300kB-body", json_bytes({"question": "When?", "history": [], "pad": "x" * BIG}), "application/json", True),
    ("300kB-question", json_bytes({"question": "x" * BIG}), "application/json", True),
    ("text/plain", json_bytes({"question": "When?"}), "text/plain", False),
    ("form-urlencoded", b"question=When%3F", "application/x-www-form-urlencoded", True),
    ("no-content-type", json_bytes({"question": "When?"}), None, False),
    ("empty-body", b"", "application/json", True),
    ("empty-body-no-content-type", b"", None, True),
    ("json-array", b'["When?"]', "application/json", True),
    ("json-number", b"42", "application/json", True),
    ("json-string", b'"When?"', "application/json", True),
    ("json-null", b"null", "application/json", True),
    ("truncated-json", b'{"question": "When?', "application/json", True),
    ("deeply-nested-json", b'{"question": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "application/json", True),
]

FEEDBACK_CASES = [
    ("invalid-utf8", b'{"answer_id": "ANSWER", "rating": "up", "comment": "\xff\xfe"}', "application/json", True),
    ("lone-surrogate-comment", json_bytes({"answer_id": "ANSWER", "rating": "down", "comment": "bad \ud800"}),
     "application/json", False),
    ("lone-surrogate-answer-id", json_bytes({"answer_id": "\ud800", "rating": "up"}), "application/json", False),
    ("control-characters-comment", json_bytes({"answer_id": "ANSWER", "rating": "down", "comment": CONTROL}),
     "application/json", False),
    ("nul-answer-id", json_bytes({"answer_id": "\x00", "rating": "up"}), "application/json", False),
    ("300kB-comment", json_bytes({"answer_id": "ANSWER", "rating": "up", "comment": "x" * BIG}),
     "application/json", True),
    ("text/plain", json_bytes({"answer_id": "ANSWER", "rating": "up"}), "text/plain", False),
    ("empty-body", b"", "application/json", True),
    ("json-array", b'[{"answer_id": "ANSWER", "rating": "up"}]', "application/json", True),
    ("json-number", b"1", "application/json", True),
]

HAND_WRITTEN = (
    [pytest.param("/api/chat", *c, id=f"chat-{c[0]}") for c in CHAT_CASES]
    + [pytest.param("/api/chat/stream", *c, id=f"stream-{c[0]}") for c in CHAT_CASES]
    + [pytest.param("/api/feedback", *c, id=f"feedback-{c[0]}") for c in FEEDBACK_CASES]
)


@pytest.mark.parametrize(("path", "name", "body", "content_type", "rejected"), HAND_WRITTEN)
def test_hand_written_request(answering_app, path, name, body, content_type, rejected):
    body = body.replace(b"ANSWER", KNOWN_ANSWERS[0].encode())  # ratings of an answer that exists
    case = schema[path]["POST"].Case()
    headers = {"Content-Type": content_type} if content_type else {}
    response = case.call(data=body, headers=headers, app=answering_app)
    validate(case, response, headers=headers, transport_kwargs={"app": answering_app})  # all checks
    if rejected:
        assert 400 <= response.status_code < 500, f"expected a 4xx refusal\n{describe(response)}"
