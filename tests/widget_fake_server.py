"""A stand-in for the BRISMIS HTTP server, for the widget's browser tests (stdlib only).

It serves the real bot/serve/widget/widget.js and demo.html, host pages that embed the widget, and fake
/api/chat/stream and /api/feedback endpoints that follow the server's API contract with scripted
answers. Host pages are meant to be opened as http://localhost:PORT/... while the widget is loaded
from http://127.0.0.1:PORT/widget.js, so every API call is cross-origin (CORS), as on a museum's
site.

Scripted answers, chosen by the question:
  Chinese characters -> Chinese answer; Arabic letters -> Arabic answer; otherwise English.
  RESET   tokens, then `reset`, then a different text, then `final`
  DROP    two tokens, then the connection is cut mid-stream (the second ask is answered)
  EOF     two tokens, then the stream ends cleanly without `final` (the second ask is answered)
  STALL   one token, then only ": ping" heartbeats for 8 s
  ERRORE  one token, then an `error` event
  BUSY    503 with Retry-After: 2 (the server is busy or not ready), every time
  SLOW    429 with Retry-After: 2 (this visitor asks too often) the first time; answered after
  FORBID  403 {"detail": ...} (the page's origin is not allowed), every time
  SPLIT   an answer in 5-byte pieces with CRLF line ends and two-line data fields
  XSS / <img ...   an answer and a citation full of markup and a javascript: URL
Every chat request is recorded (``chats``) with its body, including ``conversation_id``; a
``conversation_id`` that is not a string matching ^[A-Za-z0-9_-]{1,64}$ gets 422, as from the server.
`hold()` makes the next stream pause after its first tokens until the returned event is set, so a
test can see partial text deterministically.

Run by hand: .venv/bin/python tests/widget_fake_server.py  (prints the URLs; Ctrl-C stops).
"""

from __future__ import annotations

import html
import json
import re
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

CONVERSATION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
WIDGET_DIR = Path(__file__).resolve().parent.parent / "bot" / "serve" / "widget"

PASSAGE_EN = (
    "In November 2017, in order to respond positively to the China-proposed “Belt and Road "
    "Initiative”, CANSM hosted the First International Symposium on The Development of Natural "
    "Science Museums Under the Belt and Road Initiative (BRISMIS). The symposium brought together "
    "leaders or representative of 9 government agencies and organizations. As one of the important "
    "outcomes of BRISMIS, The Beijing Declaration was formally issued at the conclusion of the "
    "symposium."
)
PASSAGE_2 = (
    "In the morning of June 24, the signing ceremony of the bilateral Letter of Agreement between "
    "CANSM and UNESCO was held at Shanghai Science and Technology Museum."
)


def span(text: str, sentence: str) -> list[int]:
    start = text.index(sentence)
    return [start, start + len(sentence)]


def citations() -> list[dict]:
    s = PASSAGE_EN.index("In November 2017")
    e = PASSAGE_EN.index("(BRISMIS).") + len("(BRISMIS).")  # the first sentence, highlighted
    return [
        {
            "n": 1,
            "doc_id": "cansm-unesco-letter-of-agreement",
            "title": "Letter of Agreement signed between CANSM and UNESCO",
            "url": "http://www.brismis.org/event/1121.jhtml",
            "date": "2018-06-24",
            "text": PASSAGE_EN,
            "highlights": [[s, e], span(PASSAGE_EN, "The Beijing Declaration was formally issued")],
        },
        {
            "n": 2,
            "doc_id": "cansm-unesco-letter-of-agreement",
            "title": "Signing ceremony in Shanghai",
            "url": "",
            "date": "2018-06-24",
            "text": PASSAGE_2,
            "highlights": [],
        },
    ]


SCRIPTS = {
    "en": ["The first ", "BRISMIS ", "symposium ", "was held ", "in November 2017, ",
           "hosted by CANSM ", "[1]", ". ", "It led to ", "a Letter of Agreement ", "with UNESCO ", "[2]", "."],
    "zh": ["首届 ", "BRISMIS ", "研讨会", "于2017年11月", "举行，", "由中国自然科学博物馆学会主办", "[1]", "。"],
    "ar": ["عُقدت ", "ندوة BRISMIS ", "الأولى ", "في نوفمبر 2017 ", "بتنظيم من CANSM ", "[1]", "."],
}
XSS = "<script>window.__xss=1</script>"
IMG = "<img src=x onerror=window.__xss=1>"


def language_of(question: str) -> str:
    if re.search(r"[\u4e00-\u9fff]", question):
        return "zh"
    if re.search(r"[\u0600-\u06ff]", question):
        return "ar"
    return "en"


class FakeServer:
    def __init__(self) -> None:
        self.chats: list[dict] = []        # bodies of /api/chat/stream requests, with "_origin"
        self.feedback: list[dict] = []     # bodies of /api/feedback requests
        self.seen: Counter[str] = Counter()
        self._hold: threading.Event | None = None
        self._lock = threading.Lock()
        server = self

        class Handler(_Handler):
            fake = server

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # -- control --------------------------------------------------------------------------------
    def start(self) -> "FakeServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        if self._hold:
            self._hold.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def hold(self) -> threading.Event:
        """The next stream pauses after its first 3 tokens until the returned event is set."""
        self._hold = threading.Event()
        return self._hold

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def page(self, path: str = "/host", **attrs: str) -> str:
        """URL of a page on the *other* origin (localhost), so API calls are cross-origin."""
        query = urlencode(attrs)
        return f"http://localhost:{self.port}{path}" + (f"?{query}" if query else "")

    # -- pages ----------------------------------------------------------------------------------
    def host_page(self, attrs: dict[str, str], hostile: bool = True, script: str = "/widget.js") -> str:
        data = "".join(
            f' data-{html.escape(k)}="{html.escape(v)}"'
            for k, v in attrs.items()
            if re.fullmatch(r"[a-z]+", k)
        )
        style = (
            "<style>\n"
            "* { all: unset !important; font-size: 2px }\n"
            ":root { font-size: 2px } div { display: none }\n"
            "button { background: red; color: yellow } mark { background: black }\n"
            "svg { display: none } p { color: #0f0 }\n"
            "</style>\n"
            if hostile
            else ""
        )
        return (
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Host page</title>\n{style}</head><body>"
            "<h1>A museum page with hostile CSS</h1>"
            "<p>Some text. <a href=\"#top\" id=\"hostlink\">A host link</a></p>"
            "<div>a host div</div>"
            f"<script src=\"{self.api}{script}\"{data} defer></script>"
            "</body></html>"
        )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: FakeServer

    def log_message(self, *args) -> None:  # quiet
        pass

    # -- helpers --------------------------------------------------------------------------------
    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "Retry-After")

    def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self._cors()
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, obj: dict, extra: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(obj).encode(), "application/json", extra)

    def _chunk(self, text: str) -> None:
        data = text.encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _event(self, name: str, data: dict) -> None:
        self._chunk(f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n")

    # -- routes ---------------------------------------------------------------------------------
    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "POST, GET, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        attrs = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if url.path == "/widget.js":
            # ?bare: served as application/javascript without a charset (what a plain FileResponse does)
            ctype = "application/javascript" if "bare" in attrs else "text/javascript; charset=utf-8"
            self._send(200, (WIDGET_DIR / "widget.js").read_bytes(), ctype)
        elif url.path == "/demo":
            self._send(200, (WIDGET_DIR / "demo.html").read_bytes(), "text/html; charset=utf-8")
        elif url.path == "/host":
            self._send(200, self.fake.host_page(attrs).encode(), "text/html; charset=utf-8")
        elif url.path == "/gbk":  # a legacy-encoded host page loading a widget.js without charset
            self._send(200, self.fake.host_page(attrs, hostile=False, script="/widget.js?bare=1").encode(),
                       "text/html; charset=gbk")
        elif url.path == "/csp":
            api = self.fake.api
            csp = (
                f"default-src 'none'; script-src {api}; connect-src {api}; "
                "style-src 'none'; img-src 'none'; font-src 'none'"
            )
            self._send(200, self.fake.host_page(attrs, hostile=False).encode(), "text/html; charset=utf-8",
                       {"Content-Security-Policy": csp})
        else:
            self._json(404, {"detail": "Not Found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            return self._json(400, {"detail": "bad JSON"})
        if self.path == "/api/feedback":
            self.fake.feedback.append(body)
            return self._json(200, {"ok": True})
        if self.path != "/api/chat/stream":
            return self._json(404, {"detail": "Not Found"})
        body["_origin"] = self.headers.get("Origin")
        self.fake.chats.append(body)
        cid = body.get("conversation_id")
        if cid is not None and not (isinstance(cid, str) and CONVERSATION_ID.fullmatch(cid)):
            return self._json(422, {"detail": "conversation_id: must match ^[A-Za-z0-9_-]{1,64}$"})
        question = str(body.get("question", ""))
        with self.fake._lock:
            self.fake.seen[question] += 1
            first_time = self.fake.seen[question] == 1
            hold, self.fake._hold = self.fake._hold, None
        if "BUSY" in question:
            return self._json(503, {"detail": "the assistant is busy; try again in a few seconds"},
                              {"Retry-After": "2"})
        if "SLOW" in question and first_time:
            return self._json(429, {"detail": "too many questions from this visitor; wait and try again"},
                              {"Retry-After": "2"})
        if "FORBID" in question:
            return self._json(403, {"detail": "this site may not use the assistant"})
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self._cors()
        self.end_headers()
        self._stream(question, hold, first_time)

    def _stream(self, question: str, hold: threading.Event | None, first_time: bool) -> None:
        lang = language_of(question)
        n = len(self.fake.chats)
        answer_id = f"ans-{lang}-{n}"
        cites = citations()
        tokens = SCRIPTS[lang]
        self._chunk(": ping\n\n")
        if "RESET" in question:
            for t in ["Draft answer ", "that will be replaced"]:
                self._event("token", {"text": t})
                time.sleep(0.05)
            self._event("reset", {})
            tokens = ["Verified answer ", "after reset ", "[1]", "."]
        elif first_time and ("DROP" in question or "EOF" in question):
            for t in ["Partial answer ", "before the cut"]:
                self._event("token", {"text": t})
                time.sleep(0.05)
            if "DROP" in question:  # cut the connection mid-chunk, without the final 0-chunk
                self.wfile.write(b"40\r\nevent: tok")
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            self._chunk("")  # clean end of the chunked body, without `final`
            return
        elif "STALL" in question:
            self._event("token", {"text": "Waiting "})
            for _ in range(16):
                time.sleep(0.5)
                try:
                    self._chunk(": ping\n\n")
                except OSError:
                    return
            self._chunk("")
            return
        elif "ERRORE" in question:
            self._event("token", {"text": "Half "})
            self._event("error", {"message": "the model failed", "retry": True})
            self._chunk("")
            return
        elif "SPLIT" in question:  # CRLF line ends, data on two lines, 5-byte pieces cutting UTF-8
            raw = ""
            for t in ["分段", "传输 ", "works ✓"]:
                raw += f": ping\r\nevent: token\r\ndata: {{\"text\":\r\ndata: {json.dumps(t)}}}\r\n\r\n"
            final = {"answer_id": "ans-split", "answer": "分段传输 works ✓", "citations": [], "grounded": True}
            raw += f"event: final\r\ndata: {json.dumps(final, ensure_ascii=False)}\r\n\r\n"
            data = raw.encode()
            for i in range(0, len(data), 5):
                piece = data[i:i + 5]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                self.wfile.flush()
                time.sleep(0.002)
            self._chunk("")
            return
        elif "XSS" in question or "<img" in question:
            tokens = [XSS, " is shown as text ", IMG, " [1]."]
            text = f"{XSS} Passage with <b>markup</b> and {IMG} inside."
            cites = [{
                "n": 1, "doc_id": "x", "title": f"{IMG} title", "url": "javascript:window.__xss=1",
                "date": "2018-06-24", "text": text, "highlights": [span(text, XSS), span(text, IMG)],
            }]
        for i, t in enumerate(tokens):
            self._event("token", {"text": t})
            if i == 2 and hold is not None:
                self._chunk(": ping\n\n")
                hold.wait(15)
            time.sleep(0.03)
            if i % 4 == 3:
                self._chunk(": ping\n\n")
        final = {
            "answer_id": answer_id, "question": question, "language": lang, "answer": "".join(tokens),
            "grounded": True, "citations": cites, "path": "fake",
            "timings_ms": {"total": 42},
        }
        self._event("final", final)
        self._chunk("")


if __name__ == "__main__":
    fake = FakeServer().start()
    print(f"widget: {fake.api}/widget.js\ndemo:   {fake.api}/demo\nhostile host page: {fake.page()}"
          f"\nstrict CSP page: {fake.page('/csp')}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()
