"""POST /api/chat, /api/chat/stream and /api/feedback: what the widget calls."""

from __future__ import annotations

import asyncio
import uuid

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from ...answer import AskOptions
from ...schema import Turn
from ..api_models import (MAX_BODY, STREAM_DESCRIPTION, ChatRequest, ChatResponse, Detail, FeedbackRequest,
                          OkResponse)
from ..protection import AnswerSlots
from ..service import NO_INDEX, Service
from ..sse import answer_events, started
from .deps import service

router = APIRouter(tags=["chat"])

UNREADABLE = {400: {"model": Detail, "description": "the body is not UTF-8"},
              413: {"model": Detail, "description": f"the body is larger than {MAX_BODY // 1024} kB"}}
REFUSED = {**UNREADABLE,
           403: {"model": Detail, "description": "the calling page's origin is not allowed"},
           429: {"model": Detail, "description": "too many questions from this address or conversation "
                                                 "(with Retry-After)"},
           503: {"model": Detail, "description": f"{NO_INDEX}, or {AnswerSlots.BUSY} (with Retry-After)"}}


def options(req: ChatRequest, request: Request, svc: Service) -> AskOptions:
    """The caller's language hint (the request's own, else its Accept-Language header); no second
    model call for a rejected draft while other visitors are waiting (``Service.busy``)."""
    return AskOptions(language_hint=req.language or request.headers.get("accept-language") or None,
                      translate=not svc.busy())


def turns(req: ChatRequest) -> list[Turn]:
    return [Turn(role=t.role, content=t.content) for t in req.history]


@router.post("/api/chat", responses={200: {"model": ChatResponse}, **REFUSED}, summary="Answer a question")
async def chat(req: ChatRequest, request: Request, svc: Service = Depends(service)) -> JSONResponse:
    current, slot = await svc.admit(request, req)
    try:
        answer_id = uuid.uuid4().hex
        loop = asyncio.get_running_loop()
        answer = await loop.run_in_executor(
            svc.executor, lambda: current.ask(req.question, turns(req), options(req, request, svc), answer_id))
    finally:
        svc.slots.release(slot)
    public = {**answer.public(), "answer_id": answer_id}
    await run_in_threadpool(svc.record, answer_id, public, answer.rejected)
    return JSONResponse(public)


@router.post("/api/chat/stream", summary="Answer a question, streamed", description=STREAM_DESCRIPTION,
             response_class=StreamingResponse,
             responses={200: {"content": {"text/event-stream": {}}, "description": "the event stream"}, **REFUSED})
async def chat_stream(req: ChatRequest, request: Request, svc: Service = Depends(service)):
    current, slot = await svc.admit(request, req)  # the slot is released when the stream ends
    events = await started(answer_events(svc, current, slot, req.question, turns(req), options(req, request, svc),
                                         uuid.uuid4().hex))
    return StreamingResponse(events, media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.post("/api/feedback", response_model=OkResponse, summary="Rate an answer",
             responses={404: {"model": Detail, "description": "unknown answer_id"}, **UNREADABLE,
                        403: REFUSED[403], 429: {"model": Detail, "description": "too many ratings (with Retry-After)"}})
async def rate(req: FeedbackRequest, request: Request, svc: Service = Depends(service)) -> OkResponse:
    rating = ("feedback", svc.visitor(request), "your address")
    svc.check(rating)
    svc.count(rating)
    if not await run_in_threadpool(svc.store.rate, req.answer_id, req.rating, req.comment):
        raise HTTPException(404, detail="unknown answer_id")
    return OkResponse()
