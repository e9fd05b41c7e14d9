"""The /api/ gate: who may call the API from a browser, and how big a request may be."""

from __future__ import annotations

from starlette.responses import JSONResponse

from .api_models import MAX_BODY
from .protection import Origins, scope_headers

class ApiGate:
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
            receive = replayed(body, receive)
        return await self.cors(scope, receive, send)


def replayed(body: bytes, receive):
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
