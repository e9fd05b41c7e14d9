"""GET /healthz: whether questions can be answered, and if only by quoting, why."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ..service import Service
from .deps import service

router = APIRouter(tags=["service"])


@router.get("/healthz", summary="Whether questions can be answered",
            responses={200: {"description": "ok, or degraded (answers are quoted: `reason` says why), with what "
                                            "the index holds and the chat model's state"},
                       503: {"description": "unhealthy: `reason` says why and what to do"}})
async def healthz(svc: Service = Depends(service)) -> JSONResponse:
    code, body = await run_in_threadpool(svc.health)
    return JSONResponse(body, status_code=code)
