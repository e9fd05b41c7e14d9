"""Server-Sent Events: an answer's events relayed from its worker thread to the visitor.

The chain is synchronous and CPU-bound, so it runs in the answering pool; this side only relays,
sends a ``: ping`` heartbeat while nothing comes, and stops the worker when the visitor leaves.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading

from starlette.concurrency import run_in_threadpool

from ..events import Final, Reset, Sources, Token
from ..schema import Turn

log = logging.getLogger("bot.serve")

def sse(event: str, data: dict) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode("utf-8")


PING = b": ping\n\n"


async def answer_events(service, assistant, slot, question: str, history: list[Turn], options, answer_id: str):
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
            events = assistant.stream(question, history, options, answer_id)
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
            if isinstance(item, Token):
                yield sse("token", {"text": item.text})
            elif isinstance(item, Reset):
                yield sse("reset", {})
            elif isinstance(item, Sources):
                yield sse("sources", {"citations": [c.model_dump(mode="json") for c in item.citations]})
            elif isinstance(item, Final):
                public = {**item.answer.public(), "answer_id": answer_id}
                await run_in_threadpool(service.record, answer_id, public, item.answer.rejected)
                yield sse("final", public)
                return
    finally:
        stop.set()
        if future is not None:
            future.cancel()  # if it has not started yet
        service.slots.release(slot)


async def started(events):
    """The stream with its first item already taken, so its slot is released even if the visitor
    leaves before the response body is read."""
    first = await events.__anext__()

    async def replay():
        yield first
        async for item in events:
            yield item

    return replay()

