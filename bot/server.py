"""The web service: the chat API the widget calls, the widget itself and the staff console.

One FastAPI app (``create_app``), served by ``brismis serve``:

* ``POST /api/chat``         question (+ history, language hint) -> ``Answer.public()`` + ``answer_id``
* ``POST /api/chat/stream``  the same as Server-Sent Events: ``token`` / ``reset`` / ``final`` / ``error``
* ``POST /api/feedback``     rate an answer up or down (again: updates)
* ``GET  /healthz``          ok (200) or unhealthy (503) with the reason
* ``GET  /widget.js``, ``GET /demo`` (``/`` redirects there): files from ``bot/widget/``
* ``/staff``                 the Gradio staff console (``bot/console.py``), behind a password

The API keeps no per-visitor state: the conversation comes with each request. Answers are
computed in a small pool of worker threads (``answer_workers``): the chain is synchronous and
CPU-bound, and the event loop must stay free to stream and to send heartbeats.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from pydantic import BaseModel, Field, field_validator
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .protection import (AnswerSlots, LoginThrottle, LoopbackNamesOnly, Origins, RateLimits, Refused,
                         SecurityHeaders, client_address, content_security_policies, is_loopback, scope_headers)
from .schema import Citation, Turn
from .settings import Settings

log = logging.getLogger("bot.server")

WIDGET_DIR = Path(__file__).resolve().parent / "widget"
NO_INDEX = "the index is not built: run brismis index"
BUSY = AnswerSlots.BUSY
STAFF_USER = "staff"
MAX_QUESTION = 1000
MAX_TURN = 4000
MAX_TURNS = 20
MAX_COMMENT = 2000
MAX_BODY = 256 * 1024
# C0/C1 control characters other than tab and line breaks: never meaningful in a question.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """Text a visitor sent, made safe to store, log and stream: control characters removed; an
    unpaired surrogate (possible in JSON's \\u escapes, not in real text) is refused."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains an unpaired UTF-16 surrogate (\\ud800-\\udfff): send valid Unicode text") from None
    return _CONTROL.sub("", value)


class StartupRefused(RuntimeError):
    """The server must not start with these settings; the message says why and what to do."""


# ------------------------------------------------------------------ request and response shapes


class HistoryTurn(BaseModel):
    role: Literal["user", "assistant"] = Field(description="who said it")
    content: str = Field(max_length=MAX_TURN, description=f"what was said (at most {MAX_TURN} characters)")

    @field_validator("content")
    @classmethod
    def _content(cls, value: str) -> str:
        return clean_text(value)


class ChatRequest(BaseModel):
    # the limits are checked below, with messages a visitor can act on; the schema states them too
    question: str = Field(json_schema_extra={"minLength": 1, "maxLength": MAX_QUESTION,
                                             "pattern": r"[^\s\x00-\x1f\x7f-\x9f]"},
                          description=f"1 to {MAX_QUESTION} characters, not only spaces or control characters "
                          "(control characters are removed)",
                          examples=["When was the first BRISMIS symposium held?"])
    history: list[HistoryTurn] = Field(
        default_factory=list, max_length=MAX_TURNS,
        description=f"the conversation so far, oldest first (at most {MAX_TURNS} turns)",
    )
    language: str | None = Field(
        default=None, max_length=200,
        description="the visitor's language as a hint for very short questions, e.g. the browser's 'zh-CN' "
        "(an Accept-Language value also works). Left out: the request's Accept-Language header is used.",
    )
    conversation_id: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="the same for every question of one conversation (the widget makes a random one); "
        "questions per conversation are limited",
    )

    @field_validator("question")
    @classmethod
    def _question(cls, value: str) -> str:
        if len(value) > MAX_QUESTION:
            raise ValueError(f"the question is {len(value)} characters long; at most {MAX_QUESTION} are allowed")
        value = clean_text(value).strip()
        if not value:
            raise ValueError("the question is empty")
        return value


class ChatResponse(BaseModel):
    """``Answer.public()`` plus ``answer_id`` (documentation of the response; not used to filter it)."""

    id: Any = Field(None, description="the same as answer_id")
    question: str
    language: str = Field(description="ISO 639-1 code of the answer's (= the question's) language")
    answer: str
    grounded: bool = Field(description="false when the assistant declined")
    citations: list[Citation]
    path: str = Field(description="model, model_retry, extractive, extractive_fallback, declined or refused")
    timings_ms: dict[str, float]
    answer_id: str = Field(description="uuid4 hex; give it to POST /api/feedback")


class FeedbackRequest(BaseModel):
    answer_id: str = Field(max_length=64)
    rating: Literal["up", "down"]
    comment: str | None = Field(
        default=None, max_length=MAX_COMMENT,
        description=f"at most {MAX_COMMENT} characters; left out, a comment given earlier is kept",
    )

    @field_validator("comment")
    @classmethod
    def _comment(cls, value: str | None) -> str | None:
        return None if value is None else clean_text(value)


class OkResponse(BaseModel):
    ok: Literal[True] = True


class Detail(BaseModel):
    detail: str


STREAM_DESCRIPTION = """Server-Sent Events (`text/event-stream`):

* `event: token` — `data: {"text": "..."}`: append to what is shown
* `event: reset` — `data: {}`: clear what was shown (a later token replaces it)
* `event: final` — `data:` the same JSON as `POST /api/chat` returns; the stream then ends
* `event: error` — `data: {"message": "...", "retry": true}`; the stream then ends

While the answer is being prepared a comment line `: ping` is sent every 10 seconds.
"""


# ------------------------------------------------------------------ the service behind the routes


class Service:
    """The loaded assistant (or why there is none), the feedback store and the answering pool."""

    def __init__(self, settings: Settings, assistant=None, problem: str | None = None, store=None):
        self.settings = settings
        self.assistant = assistant
        self.problem = problem
        self.store = store
        self.warnings: list[str] = []
        self.executor = ThreadPoolExecutor(max_workers=settings.answer_workers, thread_name_prefix="answer")
        self.slots = AnswerSlots(settings.answer_workers, settings.max_waiting, settings.queue_timeout)
        self.limits = RateLimits(ip=settings.rate_limit_ip, conversation=settings.rate_limit_conversation,
                                 feedback=settings.rate_limit_feedback, login=settings.staff_login_limit)
        self._rebuild_lock = threading.Lock()

    def visitor(self, request: Request) -> str:
        peer = request.client.host if request.client else None
        return client_address(peer, request.headers.get("x-forwarded-for"), self.settings.trusted_proxies)

    def check(self, *checks: tuple[str, str, str]) -> None:
        """Refuse with 429 when any (rule, key, whose) check is over its limit."""
        for rule, key, who in checks:
            wait = self.limits.retry_after(rule, key)
            if wait is not None:
                raise Refused(429, f"too many requests from {who} (at most {self.limits.describe(rule)}); "
                                   f"try again in {wait} seconds", retry_after=wait)

    def count(self, *checks: tuple[str, str, str]) -> None:
        for rule, key, _ in checks:
            self.limits.hit(rule, key)

    async def admit(self, request: Request, req: ChatRequest):
        """(the assistant, the slot's token) for one more question (``slots.release(token)`` after), or
        503 without an index, 429 over a rate limit, 503 when the queue is full or too slow."""
        if self.assistant is None:
            raise Refused(503, self.problem or NO_INDEX, retry_after=30)
        checks = [("ip", self.visitor(request), "your address")]
        if req.conversation_id:
            checks.append(("conversation", req.conversation_id, "this conversation"))
        self.check(*checks)
        slot = await self.slots.acquire()
        self.count(*checks)  # only questions that are answered count (a 503 costs the visitor nothing)
        return self.assistant, slot

    def health(self) -> tuple[int, dict]:
        from .index import IndexProblem, index_status

        warnings = list(self.warnings)
        body: dict[str, Any] = {"status": "ok", "index": None,
                                "chat": self.assistant.chat_description if self.assistant else None}
        reason = None
        try:
            body["index"] = index_status(self.settings)
        except IndexProblem as exc:
            reason = str(exc)
        if self.assistant is None:
            reason = reason or self.problem or NO_INDEX
        elif body["index"] is not None and body["index"]["location"] is None:
            reason = NO_INDEX
        elif body["index"] is not None and not body["index"]["chunks"]:
            reason = "the index holds no passages: add announcements to the corpus and run brismis index"
        if self.assistant is not None:
            warnings += list(getattr(self.assistant, "warnings", []))
        if body["index"] and body["index"]["skipped"]:
            warnings.append(f"{len(body['index']['skipped'])} corpus file(s) were skipped when the index was built")
        if self.store is not None:
            try:
                self.store.ping()
            except Exception as exc:  # answers still work; ratings don't
                warnings.append(f"the feedback database is unreachable ({type(exc).__name__})")
        body["warnings"] = warnings
        if reason:
            body["status"], body["reason"] = "unhealthy", reason
            return 503, body
        return 200, body

    def record(self, answer_id: str, public: dict) -> None:
        if self.store is None:
            return
        try:
            self.store.record_answer(answer_id, public)
        except Exception:  # the visitor still gets the answer; only rating it will fail
            log.exception("could not store answer %s", answer_id)

    def rebuild(self, progress=None):
        """Bring the index in line with the corpus and answer from it (the console's "Rebuild now")."""
        from .corpus import load_corpus
        from .index import IndexBusy, build_index, update_index
        from .retrieval import open_retriever

        if not self._rebuild_lock.acquire(blocking=False):
            raise IndexBusy("a rebuild started from the console is already running")
        try:
            assistant = self.assistant
            if assistant is None:
                summary = update_index(self.settings, progress=progress)
                self.assistant, self.problem = load_assistant(self.settings)
            else:
                embeddings = assistant.retriever.embeddings
                summary = build_index(self.settings, load_corpus(self.settings.corpus_dir), lambda: embeddings,
                                      progress=progress)
                # the build wrote a new generation: open it, then swap (questions in flight finish on the old one)
                assistant.retriever = open_retriever(self.settings, embeddings)
            return summary
        finally:
            self._rebuild_lock.release()

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        if self.store is not None:
            self.store.close()


def staff_auth(settings: Settings) -> tuple[str, str] | None:
    """The console's login, or None when it may stay open; refuses an open console off loopback."""
    if settings.staff_password is not None and settings.staff_password.get_secret_value():
        return (STAFF_USER, settings.staff_password.get_secret_value())
    if not is_loopback(settings.host):
        raise StartupRefused(
            f"the staff console /staff would be open to anyone on {settings.host}: set BRISMIS_STAFF_PASSWORD "
            "to a password, or listen on 127.0.0.1"
        )
    return None


def load_assistant(settings: Settings, build_if_missing: bool = False):
    """(assistant, None), or (None, why) when the index or the embedding model cannot be used:
    the server then starts unhealthy rather than not at all."""
    from .answer import Assistant
    from .embeddings import EmbeddingModelError
    from .index import IndexMissing, IndexProblem, index_status, update_index

    try:
        try:
            if not settings.chroma_server and index_status(settings)["location"] is None:
                raise IndexMissing(NO_INDEX)  # known without loading any model
            return Assistant.load(settings), None
        except IndexMissing:
            if not build_if_missing:
                return None, NO_INDEX
            log.warning("no index yet: building it from %s", settings.corpus_dir)
            summary = update_index(settings)
            for line in summary.lines():
                log.warning("%s", line)
            return Assistant.load(settings), None
    except IndexMissing:
        return None, NO_INDEX
    except (IndexProblem, EmbeddingModelError) as exc:
        log.error("cannot answer questions: %s", exc)
        return None, str(exc)


# ------------------------------------------------------------------ SSE


def sse(event: str, data: dict) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode("utf-8")


PING = b": ping\n\n"


async def _answer_events(service: Service, assistant, slot: float, req: ChatRequest, hint: str | None,
                         answer_id: str):
    """Run ``assistant.stream`` in a worker thread and relay its events, with heartbeats while
    nothing comes. A visitor who disconnects stops the worker at its next event."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()
    stop = threading.Event()

    def put(item) -> None:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, item)
        except RuntimeError:  # the loop is gone (server shutting down)
            stop.set()

    def work() -> None:
        try:
            if stop.is_set():
                return
            events = assistant.stream(req.question, [Turn(role=t.role, content=t.content) for t in req.history],
                                      hint, answer_id)
            try:
                for event in events:
                    if stop.is_set():
                        return
                    put(("event", event))
            finally:
                events.close()
        except BaseException as exc:  # noqa: BLE001 - reported to the visitor as an error event
            put(("error", exc))
        finally:
            put(("end", None))

    future = None
    try:
        yield PING  # sent at once: the caller starts the stream here, so this ``finally`` always runs
        future = loop.run_in_executor(service.executor, work)
        while True:
            try:
                kind, item = await asyncio.wait_for(queue.get(), timeout=service.settings.heartbeat_seconds)
            except asyncio.TimeoutError:
                yield PING
                continue
            if kind == "end":  # the chain stopped without an answer
                log.error("answer %s: the assistant's stream ended without a final answer", answer_id)
                yield sse("error", {"message": "the assistant could not answer; please try again", "retry": True})
                return
            if kind == "error":
                log.error("answer %s failed", answer_id, exc_info=(type(item), item, item.__traceback__))
                yield sse("error", {"message": "the assistant could not answer; please try again", "retry": True})
                return
            if item["type"] == "token":
                yield sse("token", {"text": item["text"]})
            elif item["type"] == "reset":
                yield sse("reset", {})
            elif item["type"] == "final":
                public = {**item["answer"].public(), "answer_id": answer_id}
                await run_in_threadpool(service.record, answer_id, public)
                yield sse("final", public)
                return
    finally:
        stop.set()
        if future is not None:
            future.cancel()  # if it has not started yet
        service.slots.release(slot)


async def _started(events):
    """The stream with its first item already taken, so its slot is released even if the visitor
    leaves before the response body is read."""
    first = await events.__anext__()

    async def replay():
        yield first
        async for item in events:
            yield item

    return replay()


# ------------------------------------------------------------------ the app


class _ApiGate:
    """/api/ may be called from the server's own pages and the allowlisted sites only (others get
    403 with the reason), with CORS headers for exactly those sites, without cookies. The staff
    console and everything else stay same-origin."""

    def __init__(self, app, origins: Origins):
        from starlette.middleware.cors import CORSMiddleware

        self.app, self.origins = app, origins
        self.cors = CORSMiddleware(app, allow_origins=origins.cors_list(), allow_methods=["POST"],
                                   allow_credentials=False, allow_headers=["Content-Type", "Accept-Language"],
                                   expose_headers=["Retry-After"], max_age=600)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            return await self.app(scope, receive, send)
        headers = scope_headers(scope)
        origin = headers.get("origin")
        if not self.origins.allows(origin, headers.get("host")):
            reason = (f"pages from {origin} may not use this assistant: its operator can add that site to "
                      "BRISMIS_ALLOWED_ORIGINS")
            return await JSONResponse({"detail": reason}, status_code=403)(scope, receive, send)
        if scope["method"] == "POST":
            body, more = b"", True
            while more:  # read (at most MAX_BODY + one message) before anything parses it
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                body += message.get("body", b"")
                more = message.get("more_body", False)
                if len(body) > MAX_BODY:
                    reason = f"the request body is larger than {MAX_BODY // 1024} kB: send a shorter question and history"
                    return await JSONResponse({"detail": reason}, status_code=413)(scope, receive, send)
            receive = _replay(body, receive)
        return await self.cors(scope, receive, send)


def _replay(body: bytes, receive):
    """``receive`` for a body already read: the body once, then the connection's own messages
    (a streaming response listens there for the visitor leaving)."""
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    details, reasons = [], []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ()) if part != "body"]
        msg = str(error.get("msg", "invalid"))
        msg = msg.removeprefix("Value error, ")
        if error.get("type") == "json_invalid":
            loc, msg = [], f"the body is not valid JSON (at character {'.'.join(loc) or 0}): send a JSON object"
        details.append({"loc": list(error.get("loc", ())), "msg": msg, "type": error.get("type")})
        reasons.append(f"{'.'.join(loc) or 'body'}: {msg}")
    return JSONResponse({"error": "; ".join(reasons), "detail": details}, status_code=422)


async def _http_error(request: Request, exc: StarletteHTTPException):
    if exc.status_code == 400 and exc.detail == "There was an error parsing the body":  # e.g. not UTF-8
        return JSONResponse({"detail": "the body could not be read: send a JSON object encoded in UTF-8"},
                            status_code=400)
    return await http_exception_handler(request, exc)


def _refused(request: Request, exc: Refused) -> JSONResponse:
    return JSONResponse({"detail": exc.reason}, status_code=exc.status, headers=exc.headers)


def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"error": "internal error, logged"}, status_code=500)


def create_app(settings: Settings, assistant=None, *, build_if_missing: bool = False, console: bool = True,
               store=None) -> FastAPI:
    """The whole service. Loads the assistant when none is given (building the index first if it is
    missing and ``build_if_missing``); without an index it still starts and reports unhealthy."""
    auth = staff_auth(settings) if console else None  # before loading anything: refuse fast
    from .feedback import FeedbackStore

    if store is None:  # before the models: a wrong database URL is told in a second
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import SQLAlchemyError

        try:
            store = FeedbackStore(settings.database_url)
        except (SQLAlchemyError, OSError, ImportError) as exc:
            try:
                where = make_url(settings.database_url).render_as_string(hide_password=True)
            except SQLAlchemyError:
                where = "(malformed URL)"
            raise StartupRefused(f"cannot open the database {where} ({type(exc).__name__}: "
                                 f"{str(exc).splitlines()[0][:200]}); check BRISMIS_DATABASE_URL") from exc
    problem = None
    if assistant is None:
        assistant, problem = load_assistant(settings, build_if_missing)
    service = Service(settings, assistant, problem, store)
    if console and auth is None:
        service.warnings.append("the staff console /staff has no password (set BRISMIS_STAFF_PASSWORD)")
        log.warning("the staff console /staff is open without a password (loopback only); "
                    "set BRISMIS_STAFF_PASSWORD to protect it")
    if problem:
        log.error("starting unhealthy: %s", problem)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        async def retention() -> None:
            while True:
                try:
                    await run_in_threadpool(service.store.purge, settings.retention_days)
                except Exception:
                    log.exception("retention purge failed")
                await asyncio.sleep(24 * 3600)

        task = asyncio.create_task(retention())
        try:
            yield
        finally:
            task.cancel()
            service.close()

    app = FastAPI(
        title="BRISMIS Assistant",
        description="Answers questions about BRISMIS from its announcements, in the visitor's language, "
        "with the passages each answer rests on — or says the announcements don't tell.",
        version="1",
        lifespan=lifespan,
        max_body_size=4 * MAX_BODY,  # the console's requests; /api/ has its own, smaller limit
        redoc_url=None,
    )
    app.state.service = service
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)
    # Gradio's own CORS policy reflects any Origin, with credentials, when the host is not localhost;
    # it stands down when the parent app has a CORSMiddleware: this one allows no origin at all.
    from starlette.middleware.cors import CORSMiddleware

    app.add_middleware(CORSMiddleware, allow_origins=[])
    app.add_middleware(_ApiGate, origins=Origins(settings.allowed_origins))  # answers /api/ preflights
    if console and auth is None:  # an open console: not through a DNS name an attacker's page could rebind
        app.add_middleware(LoopbackNamesOnly, prefix="/staff")
    if console:
        app.add_middleware(LoginThrottle, limits=service.limits, paths={"/staff/login", "/staff/login/"},
                           trusted_proxies=settings.trusted_proxies)
    app.add_middleware(SecurityHeaders, policies=content_security_policies(WIDGET_DIR / "demo.html"))

    unreadable = {400: {"model": Detail, "description": "the body is not UTF-8"},
                  413: {"model": Detail, "description": f"the body is larger than {MAX_BODY // 1024} kB"}}
    refused = {**unreadable,
               403: {"model": Detail, "description": "the calling page's origin is not allowed"},
               429: {"model": Detail, "description": "too many questions from this address or conversation "
                                                     "(with Retry-After)"},
               503: {"model": Detail, "description": f"{NO_INDEX}, or {BUSY} (with Retry-After)"}}

    def hint(req: ChatRequest, request: Request) -> str | None:
        return req.language or request.headers.get("accept-language") or None

    @app.post("/api/chat", tags=["chat"], responses={200: {"model": ChatResponse}, **refused},
              summary="Answer a question")
    async def chat(req: ChatRequest, request: Request) -> JSONResponse:
        current, slot = await service.admit(request, req)
        try:
            answer_id = uuid.uuid4().hex
            loop = asyncio.get_running_loop()
            turns = [Turn(role=t.role, content=t.content) for t in req.history]
            answer = await loop.run_in_executor(
                service.executor, lambda: current.ask(req.question, turns, hint(req, request), answer_id))
        finally:
            service.slots.release(slot)
        public = {**answer.public(), "answer_id": answer_id}
        await run_in_threadpool(service.record, answer_id, public)
        return JSONResponse(public)

    @app.post("/api/chat/stream", tags=["chat"], summary="Answer a question, streamed",
              description=STREAM_DESCRIPTION, response_class=StreamingResponse,
              responses={200: {"content": {"text/event-stream": {}}, "description": "the event stream"},
                         **refused})
    async def chat_stream(req: ChatRequest, request: Request):
        current, slot = await service.admit(request, req)  # the slot is released when the stream ends
        events = await _started(_answer_events(service, current, slot, req, hint(req, request), uuid.uuid4().hex))
        return StreamingResponse(events, media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @app.post("/api/feedback", tags=["chat"], response_model=OkResponse, summary="Rate an answer",
              responses={404: {"model": Detail, "description": "unknown answer_id"}, **unreadable,
                         403: refused[403], 429: {"model": Detail, "description": "too many ratings (with Retry-After)"}})
    async def rate(req: FeedbackRequest, request: Request) -> OkResponse:
        rating = ("feedback", service.visitor(request), "your address")
        service.check(rating)
        service.count(rating)
        if not await run_in_threadpool(service.store.rate, req.answer_id, req.rating, req.comment):
            raise HTTPException(404, detail="unknown answer_id")
        return OkResponse()

    @app.get("/healthz", tags=["service"], summary="Whether questions can be answered",
             responses={200: {"description": "ok, with what the index holds"},
                        503: {"description": "unhealthy: `reason` says why and what to do"}})
    async def healthz() -> JSONResponse:
        code, body = await run_in_threadpool(service.health)
        return JSONResponse(body, status_code=code)

    def widget_file(name: str, media_type: str):
        path = WIDGET_DIR / name
        if not path.is_file():
            return JSONResponse({"detail": f"the widget is not built yet: widget/{name} is missing"},
                                status_code=404)
        return FileResponse(path, media_type=media_type, headers={"Cache-Control": "no-cache"})

    def served(media_type: str) -> dict:
        return {"response_class": Response, "responses": {
            200: {"content": {media_type: {"schema": {"type": "string"}}}, "description": "the file"},
            404: {"model": Detail, "description": "the widget is not built"}}}

    @app.get("/widget.js", tags=["widget"], summary="The chat widget to embed in a page",
             **served("text/javascript"))
    async def widget_js():
        return widget_file("widget.js", "text/javascript; charset=utf-8")

    @app.get("/demo", tags=["widget"], summary="A page showing the widget", **served("text/html"))
    async def demo():
        return widget_file("demo.html", "text/html; charset=utf-8")

    @app.get("/", include_in_schema=False)
    async def root():
        return RedirectResponse("/demo")

    if console:
        import gradio as gr

        from .console import build_console

        blocks = build_console(service)
        gr.mount_gradio_app(app, blocks, path="/staff", auth=auth, show_error=False, footer_links=[],
                            run_history=False)
    return app


def serve(settings: Settings, build_if_missing: bool = False) -> int:
    """``brismis serve``: the API, the widget and the staff console on settings.host:port."""
    import os
    import sys

    import uvicorn

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        app = create_app(settings, build_if_missing=build_if_missing)
    except StartupRefused as exc:
        print(f"brismis: error: {exc}", file=sys.stderr)
        return 1
    url = f"http://{settings.host}:{settings.port}"
    log.info("BRISMIS Assistant: %s/demo, API docs %s/docs, staff console %s/staff", url, url, url)
    # no access log: visitors' IP addresses are not recorded
    uvicorn.run(app, host=settings.host, port=settings.port, access_log=False, log_level="info")
    return 0
