"""Polite HTTP for the site import: robots.txt, a pause between requests, a user agent naming the
assistant, timeouts, a size limit, redirects followed within the same site only, conditional GETs.

``PoliteClient.fetch(url, etag, last_modified)`` returns a ``Fetched`` (status 200 with the body, or
304 when the copy we have is still current) or raises ``FetchError`` whose message is the reason
shown to staff ("HTTP 404", "robots.txt disallows it", "redirects to another site ...").
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

MAX_REDIRECTS = 5
MAX_CRAWL_DELAY = 30.0  # a robots.txt asking for more would make an import last for days
ACCEPT = "text/html,application/xhtml+xml,application/pdf,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"


class FetchError(Exception):
    """One URL could not be fetched; ``str()`` is the reason."""

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.status = status


@dataclass
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 (not modified: no content)
    content: bytes = b""
    content_type: str = ""  # media type, lower case, without parameters
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None


def site_of(url: str) -> str:
    """Which site a URL belongs to: its host without 'www.', plus the port unless it is the
    scheme's default (so http://h/ and https://h/ are one site, 127.0.0.1:8001 and :8002 two)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    return host if port in (None, 80, 443) else f"{host}:{port}"


def is_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


class PoliteClient:
    """One client per import; ``sleep``/``clock`` are replaceable for tests."""

    def __init__(self, settings, *, sleep=time.sleep, clock=time.monotonic):
        import httpx

        self.user_agent = settings.import_user_agent
        self.delay = settings.import_delay
        self.timeout = settings.import_timeout
        self.max_bytes = settings.import_max_bytes
        self.sleep, self.clock = sleep, clock
        self.client = httpx.Client(timeout=httpx.Timeout(self.timeout), follow_redirects=False,
                                   headers={"User-Agent": self.user_agent, "Accept": ACCEPT})
        self._robots: dict[str, RobotFileParser] = {}
        self._last: dict[str, float] = {}
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------ politeness

    def _wait_turn(self, url: str) -> None:
        site = site_of(url)
        robots = self._robots.get(_origin(url))
        delay = self.delay
        if robots is not None:
            asked = robots.crawl_delay(self.user_agent)
            if asked:
                delay = max(delay, min(float(asked), MAX_CRAWL_DELAY))
        last = self._last.get(site)
        if last is not None:
            wait = last + delay - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last[site] = self.clock()

    def _robots_for(self, url: str) -> RobotFileParser:
        origin = _origin(url)
        parser = self._robots.get(origin)
        if parser is not None:
            return parser
        parser = RobotFileParser(origin + "/robots.txt")
        try:
            response = self._get(origin + "/robots.txt", {})
            status = response.status_code
            body = self._read(response, origin + "/robots.txt") if status == 200 else b""
            response.close()
        except FetchError as exc:
            raise FetchError(f"its site's robots.txt could not be read ({exc}): not fetched") from None
        if status == 200:
            parser.parse(body.decode("utf-8", "replace").splitlines())
        elif status in (401, 403):
            parser.disallow_all = True
        elif 400 <= status < 500 or status in (301, 302, 303, 307, 308):
            parser.allow_all = True  # no robots.txt: everything is allowed
        else:
            raise FetchError(f"its site's robots.txt answered HTTP {status}: not fetched (try again later)")
        self._robots[origin] = parser
        return parser

    def allowed(self, url: str) -> bool:
        return self._robots_for(url).can_fetch(self.user_agent, url)

    # ------------------------------------------------------------------ requests

    def _get(self, url: str, headers: dict):
        import httpx

        self._wait_turn(url)
        self.requests += 1
        try:
            request = self.client.build_request("GET", url, headers=headers)
            return self.client.send(request, stream=True)
        except httpx.TimeoutException:
            raise FetchError(f"timed out (no answer within {self.timeout:g} s)") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"could not connect ({type(exc).__name__}: {exc})") from None

    def _read(self, response, url: str) -> bytes:
        import httpx

        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"too large ({int(declared):,} bytes, the limit is {self.max_bytes:,})")
        deadline = self.clock() + self.timeout
        body = bytearray()
        try:
            for piece in response.iter_bytes():
                body += piece
                if len(body) > self.max_bytes:
                    raise FetchError(f"too large (more than the limit of {self.max_bytes:,} bytes)")
                if self.clock() > deadline:
                    raise FetchError(f"timed out (still downloading after {self.timeout:g} s)")
        except httpx.TimeoutException:
            raise FetchError(f"timed out (no data for {self.timeout:g} s)") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"the download broke off ({type(exc).__name__}: {exc})") from None
        return bytes(body)

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET ``url`` (conditionally, when ``etag``/``last_modified`` are given), following redirects
        within its site; FetchError with the reason otherwise."""
        if not is_http(url):
            raise FetchError("not an http(s) address")
        start = site_of(url)
        current = url
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _ in range(MAX_REDIRECTS + 1):
            if not self.allowed(current):
                raise FetchError("the site's robots.txt disallows it" + ("" if current == url else f" ({current})"))
            response = self._get(current, headers)
            try:
                status = response.status_code
                if status in (301, 302, 303, 307, 308):
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(f"HTTP {status} redirect without a Location")
                    target = urljoin(current, location.strip())
                    if not is_http(target):
                        raise FetchError(f"redirects to {target}, not an http(s) address")
                    if site_of(target) != start:
                        raise FetchError(f"redirects to another site ({target}): not followed")
                    current = target
                    continue
                if status == 304:
                    return Fetched(url=current, status=304, etag=response.headers.get("etag") or etag,
                                   last_modified=response.headers.get("last-modified") or last_modified)
                if status != 200:
                    phrase = response.reason_phrase or ""
                    raise FetchError(f"HTTP {status}{' ' + phrase if phrase else ''}", status)
                content = self._read(response, current)
                media, _, params = (response.headers.get("content-type") or "").partition(";")
                charset = None
                for param in params.split(";"):
                    key, _, value = param.partition("=")
                    if key.strip().lower() == "charset":
                        charset = value.strip().strip("\"'") or None
                return Fetched(url=current, status=200, content=content, content_type=media.strip().lower(),
                               charset=charset, etag=response.headers.get("etag"),
                               last_modified=response.headers.get("last-modified"))
            finally:
                response.close()
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
