"""The OpenAI-compatible API, for tools (Open WebUI, LibreChat, scripts on the ``openai`` SDK):

* ``POST /v1/chat/completions``  streamed (``"stream": true``) or not
* ``GET  /v1/models``, ``GET /v1/models/{id}``  the one model, ``brismis-assistant``

Every call needs an API key (``Authorization: Bearer <key>``, ``brismis api-key create NAME``,
``api_keys.py``); questions are limited per key (``BRISMIS_RATE_LIMIT_API_KEY``) instead of per
address. Answers come from the same chain as ``POST /api/chat``: the same admission
(``Service.admit``: the index, the rate limit, the answering slots), the same answering pool, the
same store (so ``answer_id`` can be rated with ``POST /api/feedback``).

What the chain is given: the question is the last ``user`` message, the chain detects its language
(no hint is passed); the history is the earlier ``user`` and ``assistant`` messages (the last
``MAX_TURNS``; our own source footnotes are taken off assistant messages). ``system`` and
``developer`` messages, tools and generation parameters (temperature, max_tokens...) are ignored:
a client's system prompt must not become an instruction to the assistant, whose rules are fixed.

What a client gets: ``choices[0].message.content`` is the answer followed by its sources as
numbered footnotes (``[n] title (date) url``, under "Sources" in the answer's language), and the
response has extra fields: ``citations`` (the cited passages, as in ``/api/chat``), ``grounded``,
``path``, ``answer_id`` and ``language``.

Streaming: OpenAI's chunks can only append, but the chain may take back text it has already
released (a ``reset`` when a later sentence fails the guard). So the stream sends the assistant's
role at once, keeps the connection open with ``: ping`` comments while the answer is made, and
sends the text only when it is final: one chunk with the answer, then a last chunk with the
footnotes, ``finish_reason: "stop"`` and the extra fields, then ``data: [DONE]``. What a client
assembles is exactly the non-streamed ``content``. (The widget's ``/api/chat/stream`` shows text as
it is verified, with resets.) The relay itself is ``sse.answer_events``, the one ``/api/chat/stream``
uses (heartbeats, the slot released when the client leaves, the answer recorded): its events are
read back here and told in OpenAI's format.

Every refusal is in OpenAI's error shape (``errors.openai_error``): 401 without a usable key, 400
for a body that is not a JSON object or lacks what is needed, 404 for another model, 413 over
``MAX_BODY``, 429 over the key's limit, 503 without an index or when the answering queue is full.
The routes are left out of ``/openapi.json`` (OpenAI's own reference documents the protocol), and
out of the browser origin gate and its CORS: they are for tools, not for pages.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
import uuid

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from ...answer import AskOptions
from ...language import phrase
from ...phrases import PHRASES
from ..api_keys import ApiKey, parse_bearer
from ..api_models import MAX_BODY, MAX_QUESTION, MAX_TURN, MAX_TURNS, ChatRequest, HistoryTurn, clean_text
from ..errors import OpenAIError
from ..service import Service
from ..sse import PING, answer_events, started
from .chat import turns
from .deps import service

log = logging.getLogger("bot.serve")

MODEL_ID = "brismis-assistant"
CREATED = int(time.time())
ROLES = {"system", "developer", "user", "assistant", "tool", "function"}
NO_KEY = {"WWW-Authenticate": 'Bearer realm="brismis"'}

router = APIRouter(prefix="/v1", include_in_schema=False)

# our footnotes at the end of an assistant message a client sends back as history
_FOOTNOTES = re.compile(
    r"\n\n(?:" + "|".join(sorted({re.escape(t["sources"]) for t in PHRASES.values() if "sources" in t}, key=len,
                                 reverse=True))
    + r"):\n\[\d+\] [^\n]*(?:\n\[\d+\] [^\n]*)*\s*\Z")


# ------------------------------------------------------------------ who is calling


async def api_key(request: Request) -> ApiKey:
    """The caller's usable API key, or 401 in OpenAI's shape."""
    token = parse_bearer(request.headers.get("authorization"))
    if token is None:
        raise OpenAIError(401, "no API key: send the header 'Authorization: Bearer <key>' with a key that staff "
                               "create with `brismis api-key create NAME`", headers=NO_KEY)
    try:
        key = await run_in_threadpool(request.app.state.api_keys.verify, token)
    except SQLAlchemyError:
        log.exception("the API keys cannot be read from the database")
        raise OpenAIError(503, "API keys cannot be checked now (the database is unreachable); try again later",
                          headers={"Retry-After": "10"}) from None
    if key is None:
        raise OpenAIError(401, "invalid API key: it is unknown or was revoked; ask staff for a key", headers=NO_KEY)
    return key


# ------------------------------------------------------------------ what was asked


async def read_body(request: Request) -> bytes:
    """The body, refused (413) as soon as it is larger than MAX_BODY."""
    too_large = OpenAIError(413, f"the request body is larger than {MAX_BODY // 1024} kB: send a shorter question "
                                 "and history")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY:
        raise too_large
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                raise too_large
    except ClientDisconnect:
        raise OpenAIError(400, "the client left before sending the whole body") from None
    return bytes(body)


def parse(body: bytes) -> dict:
    if not body.strip():
        raise OpenAIError(400, "the body is empty: send a JSON object with 'model' and 'messages'")
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise OpenAIError(400, "the body is not UTF-8: send a JSON object encoded in UTF-8") from None
    except (ValueError, RecursionError):
        raise OpenAIError(400, "the body is not valid JSON: send a JSON object with 'model' and 'messages'") from None
    if not isinstance(data, dict):
        raise OpenAIError(400, "the body must be a JSON object with 'model' and 'messages'")
    return data


def text_of(content, where: str) -> str:
    """A message's text: a string, or a list of text parts (joined by line breaks)."""
    if content is None:
        return ""
    if isinstance(content, str):
        parts = [content]
    elif isinstance(content, list):
        parts = []
        for part in content:
            if not (isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str)):
                raise OpenAIError(400, "only text content is supported: each content part must be "
                                       '{"type": "text", "text": "..."}', param=where)
            parts.append(part["text"])
    else:
        raise OpenAIError(400, "content must be a string or a list of text parts", param=where)
    try:
        return "\n".join(clean_text(p) for p in parts).strip()
    except ValueError as exc:
        raise OpenAIError(400, f"content {exc}", param=where) from None


def question_of(data: dict) -> tuple[ChatRequest, bool]:
    """The question and history the chain gets (as for /api/chat), and whether to stream."""
    model = data.get("model")
    if not isinstance(model, str) or not model:
        raise OpenAIError(400, f"'model' is missing: this server has one model, '{MODEL_ID}'", param="model")
    if model != MODEL_ID:
        raise OpenAIError(404, f"the model '{model[:100]}' does not exist here: use '{MODEL_ID}' (GET /v1/models)",
                          param="model", code="model_not_found")
    stream = data.get("stream")
    if stream is not None and not isinstance(stream, bool):
        raise OpenAIError(400, "'stream' must be true or false", param="stream")
    if data.get("n") not in (None, 1):
        raise OpenAIError(400, "only one choice can be made: leave 'n' out or set it to 1", param="n")
    messages = data.get("messages")
    if not isinstance(messages, list) or not messages:
        raise OpenAIError(400, "'messages' must be a non-empty list of {\"role\", \"content\"} objects",
                          param="messages")
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            raise OpenAIError(400, "each message must be an object whose role is one of "
                                   f"{', '.join(sorted(ROLES))}", param=f"messages[{i}]")
    last = max((i for i, m in enumerate(messages) if m["role"] == "user"), default=None)
    if last is None:
        raise OpenAIError(400, "no message has the role 'user': the last user message is the question",
                          param="messages")
    where = f"messages[{last}].content"
    question = text_of(messages[last].get("content"), where)
    if not question:
        raise OpenAIError(400, "the question (the last user message) is empty", param=where)
    if len(question) > MAX_QUESTION:
        raise OpenAIError(400, f"the question (the last user message) is {len(question)} characters long; at most "
                               f"{MAX_QUESTION} are allowed", param=where)
    history = []
    for i, message in enumerate(messages[:last]):
        if message["role"] not in ("user", "assistant"):
            continue  # system / developer: never instructions to the assistant; tools: none here
        text = text_of(message.get("content"), f"messages[{i}].content")
        if message["role"] == "assistant":
            text = _FOOTNOTES.sub("", text).strip()
        if text:
            history.append((i, message["role"], text))
    history = history[-MAX_TURNS:]  # the chain reads the recent conversation; a long chat must not fail
    for i, _, text in history:
        if len(text) > MAX_TURN:
            raise OpenAIError(400, f"a message of the conversation is {len(text)} characters long; at most "
                                   f"{MAX_TURN} are allowed", param=f"messages[{i}].content")
    try:
        req = ChatRequest(question=question, history=[HistoryTurn(role=r, content=t) for _, r, t in history])
    except ValidationError as exc:  # not expected after the checks above; still a 400, never a 500
        raise OpenAIError(400, "; ".join(str(e.get("msg", "invalid")) for e in exc.errors()),
                          param="messages") from None
    return req, bool(stream)


# ------------------------------------------------------------------ what is sent back


def footnotes(public: dict) -> str:
    """The answer's sources as numbered footnotes, under "Sources" in the answer's language; only
    http(s) addresses are given."""
    lines = []
    for c in public.get("citations") or []:
        title = " ".join(str(c.get("title") or c.get("doc_id") or "").split())  # one line each, whatever the title
        line = f"[{c.get('n')}] {title}"
        if c.get("date"):
            line += f" ({' '.join(str(c['date']).split())})"
        url = str(c.get("url") or "").strip()
        if url.lower().startswith(("http://", "https://")) and not any(ch.isspace() for ch in url):
            line += f" {url}"
        lines.append(line)
    return "\n\n" + phrase("sources", public.get("language") or "en") + ":\n" + "\n".join(lines) if lines else ""


def extras(public: dict) -> dict:
    """The machine-readable fields every completion (and a stream's last chunk) carries."""
    return {"citations": public.get("citations") or [], "grounded": bool(public.get("grounded")),
            "path": public.get("path"), "answer_id": public["answer_id"], "language": public.get("language")}


def completion(public: dict, created: int) -> dict:
    return {"id": f"chatcmpl-{public['answer_id']}", "object": "chat.completion", "created": created,
            "model": MODEL_ID,
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                         "message": {"role": "assistant", "content": public["answer"] + footnotes(public)}}],
            **extras(public)}


def chunk(answer_id: str, created: int, delta: dict, finish: str | None = None, extra: dict | None = None) -> bytes:
    body = {"id": f"chatcmpl-{answer_id}", "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **(extra or {})}
    return data(body)


def data(body: dict) -> bytes:
    return f"data: {json.dumps(body)}\n\n".encode("ascii")  # ASCII: no line separator can split a data line


def _frame(frame: bytes) -> tuple[str | None, dict | None]:
    """(event name, data) of a frame of ``sse.answer_events``; (None, None) for a ``: ping``."""
    name, body = None, None
    for line in frame.decode("utf-8").split("\n"):  # JSON escapes line breaks: one data line per frame
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            body = json.loads(line.removeprefix("data: "))
    return name, body


async def completion_chunks(svc: Service, assistant, slot, req: ChatRequest, answer_id: str, created: int):
    """The answer as OpenAI chunks: the role at once, pings meanwhile, the final text, the footnotes
    and extra fields, ``[DONE]``. The chain's tokens and resets are not relayed (module doc)."""
    frames = answer_events(svc, assistant, slot, req.question, turns(req), AskOptions(translate=not svc.busy()), answer_id)
    try:
        await frames.__anext__()  # its first ping: from here its ``finally`` releases the slot whatever happens
        yield chunk(answer_id, created, {"role": "assistant", "content": ""})
        async for frame in frames:
            name, body = _frame(frame)
            if name is None:
                yield PING
            elif name == "final":
                yield chunk(answer_id, created, {"content": body["answer"]})
                notes = footnotes(body)
                yield chunk(answer_id, created, {"content": notes} if notes else {}, "stop", extras(body))
                yield b"data: [DONE]\n\n"
                return
            elif name == "error":  # answer_events has logged it
                yield data({"error": {"message": body.get("message") or "the assistant could not answer",
                                      "type": "server_error", "param": None, "code": None}})
                return
            # token, reset, sources: the text is sent once final
    finally:
        await frames.aclose()


# ------------------------------------------------------------------ routes


@router.post("/chat/completions")
async def chat_completions(request: Request, key: ApiKey = Depends(api_key), svc: Service = Depends(service)):
    req, stream = question_of(parse(await read_body(request)))
    current, slot = await svc.admit(request, req, api_key=key.key_id)
    answer_id, created = uuid.uuid4().hex, int(time.time())
    if stream:  # the slot is released when the stream ends
        body = await started(completion_chunks(svc, current, slot, req, answer_id, created))
        return StreamingResponse(body, media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    try:
        loop = asyncio.get_running_loop()
        answer = await loop.run_in_executor(
            svc.executor, lambda: current.ask(req.question, turns(req), AskOptions(translate=not svc.busy()), answer_id))
    finally:
        svc.slots.release(slot)
    public = {**answer.public(), "answer_id": answer_id}
    await run_in_threadpool(svc.record, answer_id, public, answer.rejected)
    return JSONResponse(completion(public, created))


def model_card() -> dict:
    return {"id": MODEL_ID, "object": "model", "created": CREATED, "owned_by": "brismis"}


@router.get("/models")
async def list_models(key: ApiKey = Depends(api_key)) -> JSONResponse:
    return JSONResponse({"object": "list", "data": [model_card()]})


@router.get("/models/{model_id}")
async def get_model(model_id: str, key: ApiKey = Depends(api_key)) -> JSONResponse:
    if model_id != MODEL_ID:
        raise OpenAIError(404, f"the model '{model_id[:100]}' does not exist here: use '{MODEL_ID}'",
                          param="model", code="model_not_found")
    return JSONResponse(model_card())
