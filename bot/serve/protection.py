"""What stands between the public internet and the answering machinery.

The widget is public, so anyone can call the API behind it. This module decides who may call it
(the origin allowlist), how often (rate limits per visitor address, per conversation, per failed
staff login), how many answers are computed at once (answer slots with a bounded, timed queue),
and which security headers every response carries. ``bot/server.py`` wires these into the app;
nothing here knows about answering.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import ipaddress
import logging
import math
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.responses import JSONResponse

from ..settings import parse_limits

log = logging.getLogger("bot.serve")


class Refused(Exception):
    """A request turned away: HTTP ``status`` with a reason and, if it helps, when to come back."""

    def __init__(self, status: int, reason: str, retry_after: int | None = None):
        super().__init__(reason)
        self.status, self.reason, self.retry_after = status, reason, retry_after

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}


# ------------------------------------------------------------------ who the visitor is


def scope_headers(scope) -> dict[str, str]:
    """An ASGI request's headers by lower-case name (for the middlewares, which see no Request)."""
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: int) -> str:
    """The visitor's address. Behind ``trusted_proxies`` reverse proxies each appends the address it
    saw to X-Forwarded-For, so the visitor is the entry that many places from the right; entries
    further left are whatever the visitor chose to send and are never believed."""
    peer = peer or "unknown"
    if trusted_proxies <= 0 or not forwarded_for:
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if not hops:
        return peer
    candidate = hops[-trusted_proxies] if len(hops) >= trusted_proxies else hops[0]
    try:
        return str(ipaddress.ip_address(candidate.strip("[]")))
    except ValueError:
        return peer


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class LoopbackNamesOnly:
    """Paths under ``prefix`` answer only requests addressed to a loopback name (``Host:
    127.0.0.1:7860``, ``localhost``, ``[::1]``). A server on 127.0.0.1 is out of other machines'
    reach, but not of a web page that rebinds its own DNS name to 127.0.0.1 (DNS rebinding): the
    browser then sends that name as Host, and is refused here."""

    def __init__(self, app, prefix: str):
        self.app, self.prefix = app, prefix

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket") and scope["path"].startswith(self.prefix):
            host = urlsplit("//" + scope_headers(scope).get("host", "")).hostname or ""
            if not is_loopback(host):
                if scope["type"] == "websocket":
                    return await send({"type": "websocket.close", "code": 1008})
                reason = (f"{self.prefix} without a password answers only at a loopback address such as "
                          "127.0.0.1: set BRISMIS_STAFF_PASSWORD to reach it by another name")
                return await JSONResponse({"detail": reason}, status_code=403)(scope, receive, send)
        await self.app(scope, receive, send)


# ------------------------------------------------------------------ how often


class LimitsUnavailable(RuntimeError):
    """The shared limit store cannot be reached, for a rule that must not go unchecked."""


FAIL_CLOSED = frozenset({"login"})  # unchecked, a staff login could be guessed at full speed


class RateLimits:
    """Moving-window limits, kept in memory (one process) or, with ``storage_url``
    (``BRISMIS_LIMITS_STORAGE_URL``, e.g. ``redis://127.0.0.1:6379/0``), in a store every API
    process shares, so N processes allow the limit once, not N times.

    When the shared store cannot be reached: visitors' questions and ratings go through, with a
    warning in the log (fail open: a Redis outage must not take the assistant down for everyone,
    and the answer slots still bound the load), while staff logins are refused with 503 (fail
    closed: the login limit is what stops password guessing)."""

    def __init__(self, storage_url: str | None = None, **rules: str):
        self.shared = bool(storage_url)
        if not storage_url:
            storage = MemoryStorage()
        elif storage_url.startswith(("redis://", "rediss://", "redis+")):  # a dead server must cost a second, not hang
            storage = storage_from_string(storage_url, socket_connect_timeout=1, socket_timeout=1)
        else:
            storage = storage_from_string(storage_url)
        self.limiter = MovingWindowRateLimiter(storage)
        self.rules = {name: parse_limits(text) for name, text in rules.items()}
        self._warned = 0.0

    def _unavailable(self, rule: str, exc: Exception):
        if rule in FAIL_CLOSED:
            raise LimitsUnavailable(f"the shared rate-limit store cannot be reached ({type(exc).__name__})") from exc
        if time.monotonic() - self._warned > 60:  # once a minute, not per request
            self._warned = time.monotonic()
            log.warning("the shared rate-limit store cannot be reached (%s: %s): %s requests are let through "
                        "unlimited until it is back", type(exc).__name__, exc, rule)

    def retry_after(self, rule: str, key: str) -> int | None:
        """Seconds until ``key`` may go again under ``rule``, or None when it may go now."""
        waits = []
        try:
            for item in self.rules[rule]:
                if not self.limiter.test(item, rule, key):
                    reset = self.limiter.get_window_stats(item, rule, key).reset_time
                    waits.append(max(1, math.ceil(reset - time.time())))
        except Exception as exc:  # the storage's own errors (redis, connection) have no common base
            self._unavailable(rule, exc)
            return None
        return max(waits) if waits else None

    def hit(self, rule: str, key: str) -> None:
        try:
            for item in self.rules[rule]:
                self.limiter.hit(item, rule, key)
        except Exception as exc:
            self._unavailable(rule, exc)

    def describe(self, rule: str) -> str:
        return " and ".join(str(item) for item in self.rules[rule])


# ------------------------------------------------------------------ from where


def _netloc(origin: str) -> str:
    return origin.split("://", 1)[-1].rstrip("/").lower()


class Origins:
    """Browsers say which page is calling in ``Origin``; only the server's own pages and the sites
    in the allowlist may call the API from a browser. Requests without ``Origin`` are not from a
    page on another site (curl, a server) and are let through: an origin check cannot stop those,
    the rate limits do."""

    def __init__(self, allowed: list[str]):
        self.any = "*" in allowed
        self.allowed = {o.rstrip("/").lower() for o in allowed if o != "*"}

    def cors_list(self) -> list[str]:
        return ["*"] if self.any else sorted(self.allowed)

    def allows(self, origin: str | None, host: str | None) -> bool:
        if origin is None or self.any:
            return True
        origin = origin.rstrip("/").lower()
        if origin in self.allowed:
            return True
        # the server's own pages (/demo): same host and port, whatever scheme a TLS proxy changed
        return origin != "null" and host is not None and _netloc(origin) == host.lower()


# ------------------------------------------------------------------ how many at once


class AnswerSlots:
    """At most ``workers`` answers are computed at once (the model is CPU-bound); up to ``waiting``
    more wait at most ``timeout`` seconds for a slot; beyond that: 503 with Retry-After, never a
    connection left hanging. A question that would not get a slot in time at the recent pace is
    told so at once instead of after ``timeout`` seconds of waiting."""

    BUSY = "the assistant is busy answering other visitors; try again in a few seconds"

    def __init__(self, workers: int, waiting: int, timeout: float):
        self.workers, self.max_waiting, self.timeout = workers, waiting, timeout
        self.waiting = 0
        self.running = 0
        self.hold: float | None = None  # moving average of the seconds a slot is held
        self._sem: asyncio.Semaphore | None = None
        self._loop = None

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new event loop (tests start several): start afresh
            self._sem, self._loop = asyncio.Semaphore(self.workers), loop
            self.running = self.waiting = 0
        return self._sem

    def expected_wait(self) -> float:
        """Seconds one more waiting question can expect to wait, at the recent pace."""
        return (self.waiting + 1) * (self.hold or 0.0) / self.workers

    async def acquire(self) -> float:
        """Wait for a slot; returns the time it was taken, for ``release``."""
        sem = self._semaphore()
        if sem.locked():
            if self.waiting >= self.max_waiting:
                raise Refused(503, self.BUSY, retry_after=5)
            expected = self.expected_wait()
            if expected > self.timeout:
                raise Refused(503, self.BUSY, retry_after=min(120, math.ceil(expected)))
            self.waiting += 1

            async def wait() -> None:
                try:
                    await sem.acquire()
                finally:  # in the same step as the acquisition (or the time-out): the count stays exact
                    self.waiting -= 1

            try:
                await asyncio.wait_for(wait(), self.timeout)
            except asyncio.TimeoutError:
                raise Refused(503, self.BUSY, retry_after=10) from None
        else:
            await sem.acquire()  # free: returns at once
        self.running += 1
        return time.monotonic()

    def release(self, taken: float) -> None:
        held = time.monotonic() - taken
        self.hold = held if self.hold is None else 0.8 * self.hold + 0.2 * held
        self.running -= 1
        self._semaphore().release()


# ------------------------------------------------------------------ what every response carries


def _inline_style_hashes(html_file: Path) -> str:
    """CSP sources for the <style> blocks of a page we serve, so it needs no 'unsafe-inline'."""
    try:
        text = html_file.read_text(encoding="utf-8")
    except OSError:
        return ""
    blocks = re.findall(r"<style[^>]*>(.*?)</style>", text, flags=re.S | re.I)
    return " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(b.encode('utf-8')).digest()).decode()}'" for b in blocks
    )


def content_security_policies(demo_page: Path) -> list[tuple[str, str]]:
    """(path prefix, policy), most specific first. The demo page runs only our widget; the Gradio
    console needs inline scripts and styles (its own build) but nothing from other hosts; /docs is
    FastAPI's Swagger UI from its CDN; everything else (JSON, widget.js) is never a page."""
    demo = ("default-src 'none'; script-src 'self'; "
            f"style-src 'self' {_inline_style_hashes(demo_page)}; connect-src 'self'; img-src 'self' data:; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
    staff = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
             "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
             "media-src 'self' blob:; connect-src 'self' ws: wss:; worker-src 'self' blob:; "
             "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
    docs = ("default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
            "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    return [("/demo", demo), ("/staff", staff), ("/docs", docs), ("/", "default-src 'none'; frame-ancestors 'none'")]


class SecurityHeaders:
    """Content-Security-Policy per page, nosniff, no Referer leaks, no framing of the console."""

    def __init__(self, app, policies: list[tuple[str, str]]):
        self.app, self.policies = app, policies

    def _headers(self, path: str) -> list[tuple[bytes, bytes]]:
        csp = next(policy for prefix, policy in self.policies if path.startswith(prefix))
        headers = [(b"content-security-policy", csp.encode()), (b"x-content-type-options", b"nosniff"),
                   (b"referrer-policy", b"no-referrer")]
        if path.startswith("/staff"):
            headers.append((b"x-frame-options", b"DENY"))
        return headers

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extra = self._headers(scope["path"])
        names = {name for name, _ in extra}

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# ------------------------------------------------------------------ staff logins


class LoginThrottle:
    """Slows password guessing on the console's login: each failure costs the guesser ``delay``
    seconds, and an address with too many recent failures is refused (429) until they age out.
    Only the outcome is looked at; the form (and so the password) is never read or logged."""

    def __init__(self, app, limits: RateLimits, paths: set[str], trusted_proxies: int, delay: float = 1.0):
        self.app, self.limits, self.paths = app, limits, paths
        self.trusted_proxies, self.delay = trusted_proxies, delay

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] not in self.paths:
            return await self.app(scope, receive, send)
        headers = scope_headers(scope)
        who = client_address((scope.get("client") or (None,))[0], headers.get("x-forwarded-for"),
                             self.trusted_proxies)
        try:
            wait = self.limits.retry_after("login", who)
        except LimitsUnavailable as exc:
            reason = f"staff login is unavailable: {exc}; try again when it is back"
            return await JSONResponse({"detail": reason}, status_code=503,
                                      headers={"Retry-After": "30"})(scope, receive, send)
        if wait is not None:
            reason = f"too many failed logins from your address; try again in {wait} seconds"
            return await JSONResponse({"detail": reason}, status_code=429,
                                      headers={"Retry-After": str(wait)})(scope, receive, send)
        async def watch(message):
            if message["type"] == "http.response.start":
                if not 200 <= message["status"] < 300:
                    try:
                        self.limits.hit("login", who)
                    except LimitsUnavailable:
                        pass  # checked before: refused then if the store was down
                    await asyncio.sleep(self.delay)
            await send(message)

        await self.app(scope, receive, watch)
