#!/usr/bin/env python3
"""A stand-in for llama-server, to test the supervision and the self-check without a model.

It takes llama-server's command line (only --host and --port matter) and behaves as FAKE_MODE says:
  ok        answers /health and /v1/chat/completions (streamed or not) with FAKE_TEXT, slowly
  sigill    kills itself with SIGILL at start, like llama.cpp's AMX kernels on a Sapphire Rapids CPU
  sigill-on-generate  loads, then kills itself with SIGILL at the first generation
  hang      never answers /health
Each start appends a line to FAKE_STARTS (a file) if set, so tests can count restarts.
"""

import json
import os
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE = os.environ.get("FAKE_MODE", "ok")
TEXT = os.environ.get("FAKE_TEXT", "The first BRISMIS was held in November 2017 [1].")
DELAY = float(os.environ.get("FAKE_DELAY", "0.05"))


def arg(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def _json(self, code: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path in ("/health", "/v1/health"):
            if MODE == "hang":
                time.sleep(3600)
            self._json(200, {"status": "ok"})
        elif self.path == "/v1/models":
            self._json(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if MODE == "sigill-on-generate":
            os.kill(os.getpid(), signal.SIGILL)
        words = [w + " " for w in TEXT.split(" ")]
        if not body.get("stream"):
            time.sleep(DELAY * len(words))
            return self._json(200, {"id": "x", "object": "chat.completion", "created": 0, "model": "fake",
                                    "choices": [{"index": 0, "finish_reason": "stop",
                                                 "message": {"role": "assistant", "content": TEXT}}]})
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for word in words:
            time.sleep(DELAY)
            chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "fake",
                     "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")


def main() -> None:
    starts = os.environ.get("FAKE_STARTS")
    if starts:
        with open(starts, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
    print("load_backend: loaded CPU backend from /fake/libggml-cpu-haswell.so", flush=True)
    if MODE == "sigill":
        os.kill(os.getpid(), signal.SIGILL)
    ThreadingHTTPServer((arg("--host", "127.0.0.1"), int(arg("--port", "8080"))), Handler).serve_forever()


if __name__ == "__main__":
    main()
