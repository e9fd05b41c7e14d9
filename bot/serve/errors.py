"""Every error a client can cause is a 4xx with a reason; anything else is logged and told as a
plain 500 without details (never a stack trace)."""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .protection import Refused

log = logging.getLogger("bot.serve")

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


def install(app) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)
