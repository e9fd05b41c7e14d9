"""Load test of the real server: N concurrent visitors streaming answers for a fixed time, against
the extractive backend and then the embedded model.

For each backend a fresh ``brismis serve --build-if-missing`` is started as a subprocess on a free
loopback port (the repo's index/, a throw-away SQLite database, a random staff password,
BRISMIS_TRUSTED_PROXIES=1, OMP_WAIT_POLICY=PASSIVE, HF_HUB_OFFLINE=1), and waited for (GET /healthz
200, at most 5 min: the embedded model loads slowly). Two warm-up questions are asked one after the
other (not counted; they load what the first answer loads lazily). Then:

* ``--visitors`` asyncio tasks (httpx, one shared client) loop for ``--duration`` seconds. Each
  visitor has its own address (``X-Forwarded-For: 10.0.<i>.<j>``, trusted by the server because of
  BRISMIS_TRUSTED_PROXIES=1: 50 visitors behind one proxy) and its own ``conversation_id``. It
  asks a question from a fixed list (en, zh, ru, ar, fr, es) with ``POST /api/chat/stream``, or,
  after an answer, sometimes a follow-up in the same language with the last exchange as history,
  and reads the Server-Sent Events to the end. Then it "thinks" 1-3 s (seeded) — or, after a 429
  or 503, sleeps for the server's Retry-After (at most 10 s) and asks the same question again, as
  the widget's retry button does. No question is started after ``--duration``; questions in
  flight may finish until the hard deadline (duration + 120 s), when everything is cancelled.
* Every request is one of: ok (``event: final``), error_event (``event: error``), dropped (HTTP
  200 but the stream ended, or the connection broke, with neither final nor error — must be 0),
  429, 503, other 4xx, 5xx other than 503 (must be 0), client_timeout (no end within 180 s),
  conn_error (no HTTP response at all: connection refused or reset — the server died?),
  cut_at_deadline (still running at the hard deadline).
* Per ok answer: time to the first ``token`` event (TTFT, includes the wait for a worker) and to
  ``final`` (total); throughput = ok answers / load-phase wall time (start to the last visitor
  done, including the drain after ``--duration``).
* Server RSS (VmRSS of the server and its children, from /proc) when healthy, after the warm-up
  (= "before"), right after the load, and 5 s later (= "after"); growth = after - before; "no
  growth" means growth <= 64 MiB. Peak = VmHWM. Server CPU seconds during the load phase
  (utime + stime from /proc; / wall = cores it used, at most 2 here).

The markdown block (machine, date, load average before/after, command, settings, table, server
log warnings/errors) is appended to bench/LOAD.md (``--out``); the server's whole log is kept in
/tmp/brismis-load/<backend>-server.log. Exit code 1 if any 5xx other than 503, dropped stream,
connection error or server crash occurred (or the server never became healthy), else 0.

With ``--deployment`` the target is instead the multi-process deployment of tests/deployment.py
(PostgreSQL, Redis, ``chroma run``, llama-server with SmolLM2, two ``brismis serve`` processes,
Debian's nginx with deploy/nginx/brismis.conf), started once: first one API process straight on its
port (the baseline, with the model server's RSS and CPU), then both through nginx, each phase with
its own visitor addresses (the limits are shared in Redis). BRISMIS_TRUSTED_PROXIES=2 there: the
visitors' X-Forwarded-For, then nginx's hop. RSS/CPU are summed over the API processes and the
model server; "no growth" allows 64 MiB per process.

Run: cd /work/main && .venv/bin/python bench/load_test.py
     [--backend extractive|embedded | --deployment] [--visitors 50] [--duration 60]
     [--rate-limit-ip 30/minute] [--rate-limit-conversation 10/minute] [--out bench/LOAD.md] [--no-write]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import machine, md_table  # noqa: E402

LOAD_MD = ROOT / "bench" / "LOAD.md"
LOG_DIR = Path(tempfile.gettempdir()) / "brismis-load"
BRISMIS = ROOT / ".venv" / "bin" / "brismis"

HEALTH_TIMEOUT = 300.0  # s: the embedded model loads slowly
DRAIN = 120.0  # s after --duration: the hard deadline of the load phase
REQUEST_TIMEOUT = 180.0  # s: one question, from POST to the end of its stream
RETRY_AFTER_CAP = 10.0
RSS_GROWTH_LIMIT = 64 * 1024 * 1024
FOLLOW_UP_SHARE = 0.3

# (language, question, follow-ups in the same language, asked with the question and its answer as history)
QUESTIONS: list[tuple[str, str, list[str]]] = [
    ("en", "When was the first BRISMIS symposium held?", ["And where was it held?", "How many curators attended?"]),
    ("en", "Who signed the agreement on behalf of UNESCO?", ["What is her position?"]),
    ("en", "What is the e-mail address of the BRISMIS secretariat?", ["And its postal address?"]),
    ("en", "How often is the BRISMIS symposium held?", []),
    ("zh", "第一届BRISMIS研讨会是什么时候举办的？", ["在哪里举办的？", "有多少位外国馆长参加？"]),
    ("zh", "谁代表中国自然科学博物馆协会签署了协议？", ["签约仪式在哪里举行？"]),
    ("zh", "研讨会之后一共签署了多少项双边合作协议？", []),
    ("ru", "Когда состоялся первый симпозиум BRISMIS?", ["А где он проходил?"]),
    ("ru", "Кто подписал соглашение со стороны ЮНЕСКО?", ["Какую должность она занимает?"]),
    ("ru", "Какой адрес электронной почты у секретариата BRISMIS?", []),
    ("ar", "متى تم توقيع خطاب الاتفاق بين الجمعية الصينية لمتاحف العلوم الطبيعية واليونسكو؟", ["وأين تم التوقيع؟"]),
    ("ar", "كم عدد أمناء المتاحف الأجانب الذين شاركوا في الندوة الأولى؟", ["وما هو موضوع الندوة؟"]),
    ("ar", "ما هو عنوان البريد الإلكتروني لأمانة BRISMIS؟", []),
    ("fr", "Quand le premier symposium BRISMIS a-t-il eu lieu ?", ["Et où s'est-il déroulé ?"]),
    ("fr", "Qui a signé l'accord au nom de l'UNESCO ?", ["Quel est son poste ?"]),
    ("fr", "Que signifie le sigle CANSM ?", []),
    ("es", "¿Quién firmó el acuerdo en nombre de la CANSM?", ["¿Y en nombre de la UNESCO?"]),
    ("es", "¿Cuántos conservadores chinos asistieron al primer simposio?", ["¿Y cuántos extranjeros?"]),
    ("es", "¿En qué fecha se firmó la carta de acuerdo entre la CANSM y la UNESCO?", []),
]
WARMUP = ["When was the first BRISMIS symposium held?", "第一届BRISMIS研讨会是什么时候举办的？"]

CLASSES = ("ok", "error_event", "dropped", "429", "503", "4xx", "5xx", "client_timeout", "conn_error",
           "cut_at_deadline")


# ------------------------------------------------------------------ the server process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                out += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def process_tree(pid: int) -> list[int]:
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.append(p)
            todo += _children(p)
    return seen


def _status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_bytes(pid: int | list[int], key: str = "VmRSS") -> int:
    """VmRSS (psutil when installed, else /proc; or VmHWM, the peak) of the process and its descendants."""
    if isinstance(pid, list):
        return sum(rss_bytes(p, key) for p in pid)
    if key == "VmRSS":
        try:
            import psutil

            proc = psutil.Process(pid)
            return sum(p.memory_info().rss for p in [proc] + proc.children(recursive=True))
        except ImportError:
            pass
        except Exception:  # noqa: BLE001 - gone: fall back to /proc, which gives 0
            pass
    return sum(_status_kib(p, key) for p in process_tree(pid)) * 1024


def cpu_seconds(pid: int | list[int]) -> float:
    if isinstance(pid, list):
        return sum(cpu_seconds(p) for p in pid)
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total


def mib(n: float) -> str:
    return f"{n / 1024**2:.0f}"


class Server:
    def __init__(self, backend: str, args, workdir: Path):
        self.backend = backend
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = LOG_DIR / f"{backend}-server.log"
        self.env = {
            **os.environ,
            "BRISMIS_HOST": "127.0.0.1",
            "BRISMIS_PORT": str(self.port),
            "BRISMIS_CHAT_BACKEND": backend,
            "BRISMIS_DATABASE_URL": f"sqlite:///{workdir / f'load-{backend}.sqlite'}",
            "BRISMIS_STAFF_PASSWORD": secrets.token_urlsafe(18),
            "BRISMIS_TRUSTED_PROXIES": "1",
            "OMP_WAIT_POLICY": "PASSIVE",
            "HF_HUB_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
            "GRADIO_ANALYTICS_ENABLED": "False",
            "PYTHONUNBUFFERED": "1",
        }
        if args.rate_limit_ip:
            self.env["BRISMIS_RATE_LIMIT_IP"] = args.rate_limit_ip
        if args.rate_limit_conversation:
            self.env["BRISMIS_RATE_LIMIT_CONVERSATION"] = args.rate_limit_conversation
        self.proc: subprocess.Popen | None = None
        self.health: dict = {}
        self.start_seconds = 0.0
        self.net = 0

    def pids(self) -> list[int]:
        return [self.proc.pid]

    def exit_code(self) -> int | None:
        return self.proc.returncode

    def shown_env(self) -> str:
        keys = ["BRISMIS_CHAT_BACKEND", "BRISMIS_TRUSTED_PROXIES", "BRISMIS_RATE_LIMIT_IP",
                "BRISMIS_RATE_LIMIT_CONVERSATION", "OMP_WAIT_POLICY", "HF_HUB_OFFLINE"]
        return " ".join(f"{k}={self.env[k]}" for k in keys if k in self.env)

    def start(self) -> None:
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([str(BRISMIS), "serve", "--build-if-missing"], cwd=ROOT, env=self.env,
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    async def wait_healthy(self) -> None:
        t0 = time.monotonic()
        last = None
        async with httpx.AsyncClient(timeout=10) as client:
            while time.monotonic() - t0 < HEALTH_TIMEOUT:
                if not self.alive():
                    raise RuntimeError(f"the server exited with code {self.proc.returncode} while starting")
                try:
                    r = await client.get(self.url + "/healthz")
                    last = f"{r.status_code} {r.text[:300]}"
                    if r.status_code == 200:
                        self.health = r.json()
                        self.start_seconds = time.monotonic() - t0
                        return
                except httpx.HTTPError as exc:
                    last = type(exc).__name__
                await asyncio.sleep(1.0)
        raise RuntimeError(f"/healthz not 200 after {HEALTH_TIMEOUT:.0f} s (last: {last})")

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            for sig, wait in ((signal.SIGINT, 20), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
                try:
                    self.proc.send_signal(sig)  # only the process this script started, by its pid
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        self.log.close()
        return self.proc.returncode

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def tail(self, n: int = 40) -> str:
        return "\n".join(self.log_text().replace("\r", "\n").splitlines()[-n:])


# ------------------------------------------------------------------ visitors


@dataclass
class Result:
    visitor: int
    cls: str
    status: int | None
    lang: str
    follow_up: bool
    started: float
    ttft: float | None = None
    total: float | None = None
    path: str | None = None
    detail: str = ""
    retry_after: float | None = None
    elapsed: float | None = None  # POST to the response's end (refusals: to the status line)


@dataclass
class Run:
    results: list[Result] = field(default_factory=list)


def forwarded_for(i: int, net: int = 0) -> str:
    """Visitor i's address; each phase of a run (``net``) has its own visitors, so shared limits
    counted in one phase do not carry over into the next."""
    return f"10.{net}.{i // 250}.{i % 250 + 1}"


async def ask(client: httpx.AsyncClient, url: str, i: int, conv: str, question: str, history: list,
              lang: str, follow_up: bool, t_start: float, net: int = 0) -> tuple[Result, str | None]:
    """One question: POST, read the SSE stream to the end, classify. Returns (result, answer text)."""
    t0 = time.monotonic()
    res = Result(i, "conn_error", None, lang, follow_up, t0 - t_start)
    answer_text = None
    body = {"question": question, "history": history, "conversation_id": conv}
    headers = {"X-Forwarded-For": forwarded_for(i, net), "Accept": "text/event-stream"}
    got_response = False
    try:
        async with client.stream("POST", url + "/api/chat/stream", json=body, headers=headers) as r:
            got_response = True
            res.status = r.status_code
            if r.status_code != 200:
                text = (await r.aread()).decode("utf-8", "replace")
                try:
                    res.detail = str(json.loads(text).get("detail") or json.loads(text).get("error") or "")[:160]
                except (ValueError, AttributeError):
                    res.detail = text[:160]
                ra = r.headers.get("retry-after")
                try:
                    res.retry_after = float(ra) if ra is not None else None
                except ValueError:
                    res.retry_after = None
                res.elapsed = time.monotonic() - t0
                if r.status_code in (429, 503):
                    res.cls = str(r.status_code)
                elif r.status_code >= 500:
                    res.cls = "5xx"
                else:
                    res.cls = "4xx"
                return res, None
            event, data = None, []
            res.cls = "dropped"  # until final or error is seen
            async for line in r.aiter_lines():
                if line == "":
                    if event == "token" and res.ttft is None:
                        res.ttft = time.monotonic() - t0
                    elif event == "final":
                        res.total = time.monotonic() - t0
                        if res.ttft is None:
                            res.ttft = res.total
                        try:
                            final = json.loads("\n".join(data))
                            res.path = final.get("path")
                            answer_text = final.get("answer")
                        except ValueError:
                            res.detail = "final event with bad JSON"
                        res.cls = "ok"
                    elif event == "error":
                        res.cls = "error_event"
                        try:
                            res.detail = str(json.loads("\n".join(data)).get("message", ""))[:160]
                        except ValueError:
                            res.detail = "\n".join(data)[:160]
                    event, data = None, []
                elif line.startswith(":"):
                    continue  # heartbeat
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].removeprefix(" "))
            if res.cls == "dropped":
                res.detail = "stream ended without final or error"
    except httpx.HTTPError as exc:
        res.detail = f"{type(exc).__name__}: {exc}"[:160]
        if not got_response:
            res.cls = "conn_error"
        elif isinstance(exc, httpx.ReadTimeout) and res.cls == "dropped":
            res.cls = "client_timeout"  # no byte (not even a ping) for 60 s: stalled, not closed
        # else: a 200 stream broken before final/error stays "dropped"
    if res.elapsed is None:
        res.elapsed = time.monotonic() - t0
    return res, answer_text


async def visitor(i: int, client: httpx.AsyncClient, url: str, t_start: float, stop_at: float, deadline: float,
                  seed: int, run: Run, net: int = 0) -> None:
    rng = random.Random(seed * 1000 + i)
    conv = uuid.UUID(int=rng.getrandbits(128)).hex  # one conversation per visitor, reproducible
    await asyncio.sleep(rng.uniform(0, 2))  # visitors do not all arrive in the same millisecond
    pending: tuple | None = None  # (question, history, lang, follow_up) to retry after 429/503
    last: tuple | None = None  # (lang, question, answer, follow-ups) of the last answered question
    while time.monotonic() < stop_at:
        if pending is not None:
            question, history, lang, follow_up = pending
        elif last is not None and last[3] and rng.random() < FOLLOW_UP_SHARE:
            lang, q0, a0, fups = last
            question, lang, follow_up = rng.choice(fups), lang, True
            history = [{"role": "user", "content": q0}, {"role": "assistant", "content": a0[:4000]}]
        else:
            lang, question, fups = rng.choice(QUESTIONS)
            history, follow_up = [], False
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        t0 = time.monotonic()
        try:
            async with asyncio.timeout(min(REQUEST_TIMEOUT, remaining)):
                res, answer = await ask(client, url, i, conv, question, history, lang, follow_up, t_start, net)
        except TimeoutError:
            cls = "client_timeout" if REQUEST_TIMEOUT < remaining else "cut_at_deadline"
            res, answer = Result(i, cls, None, lang, follow_up, t0 - t_start), None
        except asyncio.CancelledError:
            run.results.append(Result(i, "cut_at_deadline", None, lang, follow_up, t0 - t_start))
            raise
        run.results.append(res)
        if res.cls in ("429", "503"):
            pending = (question, history, lang, follow_up)
            wait = min(RETRY_AFTER_CAP, res.retry_after if res.retry_after is not None else 5.0)
        else:
            pending = None
            if res.cls == "ok" and answer:
                fups = next((f for lg, q, f in QUESTIONS if q == question), None)
                if fups is not None:  # a first question: its follow-ups may come next
                    last = (lang, question, answer, fups)
                # after a follow-up, keep the original exchange (one follow-up level is enough)
            wait = rng.uniform(1.0, 3.0)
        if time.monotonic() + wait >= stop_at:
            break
        await asyncio.sleep(wait)


# ------------------------------------------------------------------ one backend


def pct(xs: list[float], q: float) -> float | None:
    if not xs:
        return None
    xs = sorted(xs)
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def fmt_s(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


async def warm_up(url: str, net: int = 0) -> list[str]:
    out = []
    async with httpx.AsyncClient(timeout=httpx.Timeout(REQUEST_TIMEOUT, connect=10)) as client:
        for n, q in enumerate(WARMUP):
            t = time.monotonic()
            res, _ = await ask(client, url, 1000 + n, uuid.uuid4().hex, q, [], "", False, t, net)
            res.total = res.total or (time.monotonic() - t)
            out.append(f"{res.cls} {res.total:.1f} s")
    return out


async def run_backend(server, args) -> dict:
    """One phase: start (or reuse) the target, warm up, load it, measure, stop it."""
    backend = server.backend
    info: dict = {"backend": backend, "server": server, "ok": False, "problems": []}
    wall0 = time.monotonic()
    info["load_before"] = loadavg()
    print(f"\n=== {backend}: starting the server on {server.url} (log: {server.log_path})", flush=True)
    server.start()
    try:
        try:
            await server.wait_healthy()
        except RuntimeError as exc:
            info["problems"].append(f"server not ready: {exc}")
            print(f"!! {exc}\n--- server log tail ---\n{server.tail()}", file=sys.stderr)
            return info
        pid = server.pids()
        info["processes"] = len(pid)
        info["rss_ready"] = rss_bytes(pid)
        print(f"healthy after {server.start_seconds:.1f} s: chat = {server.health.get('chat')}; "
              f"RSS {mib(info['rss_ready'])} MiB", flush=True)
        info["warmup"] = await warm_up(server.url, server.net)
        info["rss_before"] = rss_bytes(pid)
        if hasattr(server, "rss_by_process"):
            info["rss_split_before"] = server.rss_by_process()
        print(f"warm-up: {', '.join(info['warmup'])}; RSS before load {mib(info['rss_before'])} MiB", flush=True)

        run = Run()
        limits = httpx.Limits(max_connections=args.visitors + 10, max_keepalive_connections=args.visitors + 10)
        timeout = httpx.Timeout(connect=10.0, read=60.0, write=10.0, pool=10.0)  # pings every 10 s
        cpu0, client0 = cpu_seconds(pid), sum(os.times()[:2])
        rss_samples = []
        async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
            t_start = time.monotonic()
            stop_at, deadline = t_start + args.duration, t_start + args.duration + DRAIN
            tasks = [asyncio.create_task(visitor(i, client, server.url, t_start, stop_at, deadline, args.seed, run,
                                                 server.net))
                     for i in range(args.visitors)]

            async def sample():
                while True:
                    rss_samples.append(rss_bytes(pid))
                    await asyncio.sleep(1.0)

            sampler = asyncio.create_task(sample())
            progress_at = t_start
            while True:
                done, _ = await asyncio.wait(tasks, timeout=1.0)
                now = time.monotonic()
                if len(done) == len(tasks) or now >= deadline or not server.alive():
                    break
                if now - progress_at >= 10:
                    progress_at = now
                    c = Counter(r.cls for r in run.results)
                    print(f"  t={now - t_start:5.0f} s  " + " ".join(f"{k}={v}" for k, v in sorted(c.items())),
                          flush=True)
            t_end = time.monotonic()
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            sampler.cancel()
            await asyncio.gather(sampler, return_exceptions=True)
        info["load_seconds"] = t_end - t_start
        info["duration"] = args.duration
        info["server_cpu"] = cpu_seconds(pid) - cpu0 if server.alive() else None
        info["client_cpu"] = sum(os.times()[:2]) - client0
        info["results"] = run.results
        info["crashed"] = not server.alive()
        if info["crashed"]:
            info["problems"].append(f"the server died during the load (exit code {server.exit_code()})")
            print(f"!! the server died\n--- server log tail ---\n{server.tail()}", file=sys.stderr)
        else:
            info["rss_end"] = rss_bytes(pid)
            await asyncio.sleep(5.0)
            info["rss_after"] = rss_bytes(pid)
            if hasattr(server, "rss_by_process"):
                info["rss_split_after"] = server.rss_by_process()
            info["rss_peak"] = max([rss_bytes(pid, "VmHWM")] + rss_samples)
        info["load_after"] = loadavg()
    finally:
        info["exit_code"] = server.stop()
        info["wall"] = time.monotonic() - wall0
        info["log"] = server.log_text()
    info["ok"] = not info["problems"]
    return info


# ------------------------------------------------------------------ report


def summarise(info: dict) -> dict:
    results: list[Result] = info.get("results", [])
    c = Counter(r.cls for r in results)
    ok = [r for r in results if r.cls == "ok"]
    n = len(results) or 1
    s = {
        "requests": len(results),
        "counts": c,
        "share": {k: c[k] / n for k in CLASSES},
        "answers": len(ok),
        "throughput": len(ok) / info["load_seconds"] if info.get("load_seconds") else 0.0,
        "ttft_p50": pct([r.ttft for r in ok if r.ttft is not None], 50),
        "ttft_p95": pct([r.ttft for r in ok if r.ttft is not None], 95),
        "total_p50": pct([r.total for r in ok if r.total is not None], 50),
        "total_p95": pct([r.total for r in ok if r.total is not None], 95),
        "paths": Counter(r.path for r in ok),
        "follow_ups": sum(r.follow_up for r in ok),
        "details": Counter(f"{r.cls}: {re.sub(r'[0-9]+ seconds', 'N seconds', r.detail)}" for r in results
                           if r.cls not in ("ok",) and r.detail),
        "refusals": refusals(results),
        "visitors_answered": len({r.visitor for r in ok}),
        "per_visitor": sorted(Counter(r.visitor for r in ok).get(v, 0) for v in {r.visitor for r in results}),
        "in_window": sum(1 for r in ok if r.started + (r.total or 0) <= info.get("duration", 1e9)),
    }
    if "rss_after" in info:
        s["rss_growth"] = info["rss_after"] - info["rss_before"]
    bad = c["5xx"] + c["dropped"] + c["conn_error"]
    s["targets"] = {
        "zero 5xx other than 503": c["5xx"] == 0,
        "zero dropped streams": c["dropped"] == 0,
        "zero connection errors / crash": c["conn_error"] == 0 and not info.get("crashed"),
        "no RSS growth (<= 64 MiB per process)": s.get("rss_growth") is not None
        and s["rss_growth"] <= RSS_GROWTH_LIMIT * info.get("processes", 1),
    }
    s["failed"] = bool(bad or info.get("problems"))
    return s


def refusals(results: list[Result]) -> list[str]:
    """429/503 split into refused at once (< 1 s after the POST) and after waiting: count, the
    Retry-After range and the median/max time from POST to the refusal."""
    groups: dict[tuple, list[Result]] = {}
    for r in results:
        if r.cls in ("429", "503"):
            groups.setdefault((r.cls, (r.elapsed or 0.0) >= 1.0), []).append(r)
    out = []
    for (cls, waited), rs in sorted(groups.items()):
        times = [r.elapsed or 0.0 for r in rs]
        ras = [r.retry_after for r in rs if r.retry_after is not None]
        ra = (f"Retry-After {min(ras):g}" + (f"–{max(ras):g}" if max(ras) != min(ras) else "") + " s"
              if ras else "no Retry-After") + (f" ({len(rs) - len(ras)} without)" if ras and len(ras) < len(rs) else "")
        when = f"after {pct(times, 50):.1f} s median (max {max(times):.1f} s)" if waited else "at once"
        out.append(f"{cls} {when}: {len(rs)}, {ra}")
    return out


def log_findings(text: str, limit: int = 12) -> list[str]:
    """WARNING/ERROR/Traceback lines of the server log (deduplicated, with counts)."""
    lines = text.replace("\r", "\n").splitlines()
    hits = Counter()
    order = []
    for line in lines:
        if any(k in line for k in (" WARNING ", " ERROR ", " CRITICAL ", "Traceback", "Error:", "Exception")):
            key = line.split(" ", 2)[-1] if line[:4].isdigit() else line  # drop the timestamp
            key = key[:220]
            if key not in hits:
                order.append(key)
            hits[key] += 1
    return [f"{hits[k]}× {k}" for k in order[:limit]] + ([f"… {len(order) - limit} more kinds"]
                                                           if len(order) > limit else [])


def report(infos: list[dict], args, settings_text: str) -> str:
    rows, notes = [], []
    for info in infos:
        if "results" not in info:
            rows.append([info["backend"]] + ["–"] * 13 + ["server not ready"])
            continue
        s = summarise(info)
        info["summary"] = s
        c, sh = s["counts"], s["share"]
        rows.append([
            info["backend"], s["requests"], s["answers"], f"{s['throughput']:.2f}",
            f"{fmt_s(s['ttft_p50'])} / {fmt_s(s['ttft_p95'])}",
            f"{fmt_s(s['total_p50'])} / {fmt_s(s['total_p95'])}",
            f"{c['429']} ({sh['429']:.0%})", f"{c['503']} ({sh['503']:.0%})",
            c["error_event"], c["dropped"], c["5xx"], c["4xx"], c["client_timeout"] + c["conn_error"] + c["cut_at_deadline"],
            f"{mib(info['rss_before'])} → {mib(info['rss_after'])} ({'+' if s['rss_growth'] >= 0 else ''}"
            f"{mib(s['rss_growth'])}), peak {mib(info['rss_peak'])}" if "rss_after" in info else "server died",
            "PASS" if all(s["targets"].values()) else "FAIL",
        ])
        cores = f"{info['server_cpu']:.0f} CPU s = {info['server_cpu'] / info['load_seconds']:.2f} cores" \
            if info.get("server_cpu") is not None else "?"
        notes.append(
            f"- **{info['backend']}** ({info['server'].health.get('chat')}): server ready in "
            f"{info['server'].start_seconds:.1f} s, RSS {mib(info.get('rss_ready', 0))} MiB when ready; warm-up "
            f"{', '.join(info.get('warmup', []))}; load phase {info['load_seconds']:.1f} s "
            f"({args.duration} s + drain), server {cores}, this client {info['client_cpu']:.0f} CPU s; whole run {info['wall']:.0f} s; "
            f"load average {info['load_before']} → {info.get('load_after', '?')}. "
            f"Answers by path: {', '.join(f'{k} {v}' for k, v in s['paths'].most_common())}; "
            f"{s['follow_ups']} follow-ups with history; {s['visitors_answered']}/{args.visitors} visitors got at "
            f"least one answer. Classes: {', '.join(f'{k} {v}' for k, v in s['counts'].most_common())}. "
            f"Targets: {'; '.join(k + (' yes' if v else ' NO') for k, v in s['targets'].items())}."
        )
        pv = s["per_visitor"]
        notes.append(f"  Answers per visitor: min {pv[0] if pv else 0}, median {pct(pv, 50) or 0:g}, "
                     f"max {pv[-1] if pv else 0}; answers finished within the {args.duration} s: "
                     f"{s['in_window']} ({s['in_window'] / args.duration:.2f}/s), in the drain after it: "
                     f"{s['answers'] - s['in_window']}.")
        if "rss_split_after" in info:
            notes.append("  RSS per process, MiB before → after: " + ", ".join(
                f"{name} {mib(info['rss_split_before'][name])} → {mib(after)}"
                for name, after in info["rss_split_after"].items()) + ".")
        if s["refusals"]:
            notes.append("  Refusals by Retry-After: " + "; ".join(s["refusals"]) + ".")
        if s["details"]:
            notes.append("  Non-ok reasons: " + "; ".join(f"{v}× {k}" for k, v in s["details"].most_common(8)))
        found = log_findings(info["log"])
        if found:
            notes.append("  Server log (warnings/errors):\n" + "\n".join(f"    {x}" for x in found))
        if info.get("crashed"):
            notes.append("  Server log tail:\n" + "\n".join(f"    {x}" for x in info["server"].tail(30).splitlines()))
    for info in infos:
        for p in info.get("problems", []):
            notes.append(f"- **{info['backend']}**: {p}")

    headers = ["backend", "requests", "answers", "answers/s", "TTFT p50/p95 s", "total p50/p95 s", "429",
               "503", "error events", "dropped", "5xx ≠ 503", "other 4xx", "timeouts/conn/cut",
               "RSS MiB before → after (growth)", "targets"]
    return (
        f"{args.visitors} visitors × {args.duration} s per backend, each with its own X-Forwarded-For and "
        f"conversation_id; think time 1–3 s; after 429/503 the same question again after Retry-After "
        f"(≤ {RETRY_AFTER_CAP:.0f} s); ~{FOLLOW_UP_SHARE:.0%} follow-ups with history after an answer; "
        f"{len(QUESTIONS)} questions in en/zh/ru/ar/fr/es; seed {args.seed}. Server settings: {settings_text}.\n"
        "TTFT = POST to the first `token` event (includes waiting for a worker); total = POST to `final`; "
        "answers/s = ok answers ÷ load-phase wall time (including the drain of questions in flight after "
        "the duration); shares are of all requests (retries after 429/503 included). RSS before = after "
        "two warm-up questions, after = 5 s after the load; growth ≤ 64 MiB counts as none.\n\n"
        + md_table(headers, rows) + "\n\n" + "\n".join(notes) + "\n"
    )


def server_settings_text(infos_env: dict) -> str:
    """The serving settings the server sees (its defaults + the env given), read with bot.settings."""
    from bot.settings import Settings

    saved = dict(os.environ)
    try:
        os.environ.update({k: v for k, v in infos_env.items() if k.startswith("BRISMIS_")})
        s = Settings()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    keys = [k for k in type(s).model_fields
            if any(w in k for w in ("worker", "waiting", "rate", "trusted", "queue", "limit", "timeout",
                                    "heartbeat", "llm_threads", "max_tokens"))]
    return ", ".join(f"{k}={getattr(s, k)}" for k in keys)


def write_block(body: str, args, out: Path) -> None:
    date = subprocess.run(["date", "-u"], capture_output=True, text=True).stdout.strip()
    command = "cd /work/main && " + " ".join([".venv/bin/python", "bench/load_test.py"]
                                             + [shlex.quote(a) for a in sys.argv[1:]])
    def git(*a):
        return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    code = git("rev-parse", "--short", "HEAD") + (" + uncommitted changes in bot/" if git("status", "--porcelain", "bot")
                                                  else "")
    block = (f"\n## Load test (bench/load_test.py) — {date}\n\n"
             f"- machine: {machine()}\n"
             f"- server code: {code}\n"
             f"- command: `{command}`\n\n"
             f"{body.rstrip()}\n")
    if not out.exists():
        out.write_text("# Load test results\n\nAppended by bench/load_test.py; newest last.\n", encoding="utf-8")
    with open(out, "a", encoding="utf-8") as f:
        f.write(block)
    print(f"\n(appended to {out})")


class DeployedPhase:
    """One phase of a load test on the running multi-process deployment: a Server-like view of it
    (``direct``: api-a's own port, the one-process baseline; ``nginx``: the load balancer in front
    of both). Starting and stopping the deployment is run_deployment's job."""

    def __init__(self, d, via: str, net: int):
        self.d, self.via, self.net = d, via, net
        self.backend = "1 process, direct" if via == "direct" else "2 processes via nginx"
        self.url = d.api("api-a") if via == "direct" else d.url
        self.log_path = d.tmp / "api-a.log"
        self.env = d.env
        self.health: dict = {}
        self.start_seconds = 0.0

    def names(self) -> tuple[str, ...]:
        return ("api-a", "model") if self.via == "direct" else ("api-a", "api-b", "model")

    def pids(self) -> list[int]:
        return [self.d.procs[name].pid for name in self.names()]

    def rss_by_process(self) -> dict[str, int]:
        return {name: rss_bytes(self.d.procs[name].pid) for name in self.names()}

    def alive(self) -> bool:
        return all(self.d.procs[name].poll() is None for name in ("api-a", "api-b", "model", "nginx"))

    def exit_code(self):
        return {n: p.returncode for n, p in self.d.procs.items() if p.poll() is not None}

    def start(self) -> None:
        pass

    async def wait_healthy(self) -> None:
        async with httpx.AsyncClient(timeout=10) as client:
            r = await client.get(self.url + "/healthz")
        if r.status_code != 200:
            raise RuntimeError(f"/healthz {r.status_code}: {r.text[:300]}")
        self.health = r.json()

    def stop(self) -> int | None:
        return None

    def log_text(self) -> str:
        return "\n".join(self.d.log(name) for name in ("api-a", "api-b"))

    def tail(self, n: int = 40) -> str:
        return "\n".join(self.log_text().replace("\r", "\n").splitlines()[-n:])


async def run_deployment(args) -> list[dict]:
    sys.path.insert(0, str(ROOT / "tests"))
    from deployment import deployment

    env = {"BRISMIS_TRUSTED_PROXIES": "2"}  # the visitors' X-Forwarded-For, then nginx's own hop
    if args.rate_limit_ip:
        env["BRISMIS_RATE_LIMIT_IP"] = args.rate_limit_ip
    if args.rate_limit_conversation:
        env["BRISMIS_RATE_LIMIT_CONVERSATION"] = args.rate_limit_conversation
    print("starting the deployment (PostgreSQL, Redis, chroma run, llama-server, index, 2 API processes, nginx)",
          flush=True)
    t = time.monotonic()
    with deployment(None, env) as d:
        print(f"up in {time.monotonic() - t:.0f} s: {d.url}", flush=True)
        return [await run_backend(DeployedPhase(d, via, net), args) for net, via in ((1, "direct"), (2, "nginx"))]


async def main_async(args) -> int:
    infos = []
    if args.deployment:
        infos = await run_deployment(args)
    else:
        backends = [args.backend] if args.backend else ["extractive", "embedded"]
        with tempfile.TemporaryDirectory(prefix="brismis-load-") as tmp:
            for backend in backends:
                infos.append(await run_backend(Server(backend, args, Path(tmp)), args))
    env = infos[0]["server"].env if infos else {}
    body = f"- load average: {infos[0]['load_before']} before → {infos[-1].get('load_after', '?')} after\n\n" \
        + report(infos, args, server_settings_text(env))
    print("\n" + body)
    if not args.no_write:
        write_block(body, args, Path(args.out))
    failed = [i["backend"] for i in infos if i.get("summary", {}).get("failed", True)]
    if failed:
        print(f"FAILED: {', '.join(failed)} (5xx other than 503, dropped streams, connection errors, "
              f"a crash, or a server that never became healthy)", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backend", choices=["extractive", "embedded"], help="default: both, extractive first")
    p.add_argument("--visitors", type=int, default=50)
    p.add_argument("--duration", type=float, default=60.0, help="seconds of load per backend")
    p.add_argument("--rate-limit-ip", help='BRISMIS_RATE_LIMIT_IP for the server, e.g. "30/minute"')
    p.add_argument("--rate-limit-conversation", help='BRISMIS_RATE_LIMIT_CONVERSATION, e.g. "10/minute"')
    p.add_argument("--deployment", action="store_true",
                   help="the multi-process deployment of tests/deployment.py (nginx, two API processes, Redis, "
                        "PostgreSQL, chroma run, llama-server with SmolLM2): one API process straight (the "
                        "baseline), then both through nginx")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", default=str(LOAD_MD), help="markdown file the results are appended to")
    p.add_argument("--no-write", action="store_true", help="print the results only")
    args = p.parse_args()
    if args.visitors < 1 or args.duration <= 0:
        p.error("--visitors and --duration must be positive")
    if args.duration == int(args.duration):
        args.duration = int(args.duration)
    # the hard bound of the whole script: per backend start (5 min) + warm-up + load + drain + stop
    budget = len([args.backend] if args.backend else [1, 2]) * (HEALTH_TIMEOUT + 2 * REQUEST_TIMEOUT
                                                                 + args.duration + DRAIN + 60)
    if args.deployment:
        budget += 600  # PostgreSQL, Redis, Chroma, the model server and the index build come first
    try:
        return asyncio.run(asyncio.wait_for(main_async(args), budget))
    except asyncio.TimeoutError:
        print(f"the whole run exceeded {budget:.0f} s", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
