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

# ------------------------------------------------------------------ /v1 (the OpenAI-compatible API): OpenAI's shape
# Tools' SDKs parse {"error": {"message", "type", "param", "code"}}; /api/ keeps its own shapes below.
_OPENAI_KINDS = {400: ("invalid_request_error", None), 401: ("invalid_request_error", "invalid_api_key"),
                 404: ("invalid_request_error", "not_found"), 405: ("invalid_request_error", "method_not_allowed"),
                 413: ("invalid_request_error", "request_too_large"), 429: ("requests", "rate_limit_exceeded"),
                 500: ("server_error", None), 503: ("server_error", "service_unavailable")}


class OpenAIError(Exception):
    """A /v1 request refused, told in OpenAI's error shape; ``param`` names the field at fault."""

    def __init__(self, status: int, message: str, param: str | None = None, code: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.param, self.code, self.headers = status, message, param, code, headers


def openai_error(status: int, message: str, param: str | None = None, code: str | None = None,
                 headers: dict[str, str] | None = None) -> JSONResponse:
    kind, default_code = _OPENAI_KINDS.get(status, ("invalid_request_error" if status < 500 else "server_error", None))
    return JSONResponse({"error": {"message": message, "type": kind, "param": param, "code": code or default_code}},
                        status_code=status, headers=headers)


def _is_v1(request: Request) -> bool:
    return request.url.path == "/v1" or request.url.path.startswith("/v1/")


def _openai_refused(request: Request, exc: OpenAIError) -> JSONResponse:
    return openai_error(exc.status, exc.message, exc.param, exc.code, exc.headers)


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
    if _is_v1(request):
        return openai_error(400, "; ".join(reasons))
    return JSONResponse({"error": "; ".join(reasons), "detail": details}, status_code=422)


async def _http_error(request: Request, exc: StarletteHTTPException):
    if _is_v1(request):
        return openai_error(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))
    if exc.status_code == 400 and exc.detail == "There was an error parsing the body":  # e.g. not UTF-8
        return JSONResponse({"detail": "the body could not be read: send a JSON object encoded in UTF-8"},
                            status_code=400)
    return await http_exception_handler(request, exc)


def _refused(request: Request, exc: Refused) -> JSONResponse:
    if _is_v1(request):
        return openai_error(exc.status, exc.reason, headers=exc.headers)
    return JSONResponse({"detail": exc.reason}, status_code=exc.status, headers=exc.headers)


def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if _is_v1(request):
        return openai_error(500, "internal error, logged")
    return JSONResponse({"error": "internal error, logged"}, status_code=500)


def install(app) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(OpenAIError, _openai_refused)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)
