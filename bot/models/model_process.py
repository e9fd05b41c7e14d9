"""The embedded chat model in its own supervised process.

A native crash of llama.cpp (SIGILL on an unsupported CPU, SIGSEGV), an out-of-memory kill or a
hang must never take the API, the widget or the console down with it. So the model runs as a
child ``llama-server`` (an OpenAI-compatible server on 127.0.0.1), watched by a thread here:

* started at once, "ready" when its ``/health`` answers;
* when it exits or stops answering ``/health``, it is killed (if need be), its exit is told as a
  reason ("killed by SIGSEGV (segmentation fault)", "did not answer /health for 15 s", the last
  lines of its log), and it is started again after a back-off of 1, 2, 4 ... 60 s (reset after a
  minute of good health);
* while it is down, callers see ``ready == False`` and the reason, and answer without it.

The chat client is langchain's ``ChatOpenAI``, the same code as the ``openai`` backend.
"""

from __future__ import annotations

import collections
import os
import re
import secrets
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

STARTING, READY, DOWN, STOPPED = "starting", "ready", "down", "stopped"
_SIGNAL_MEANING = {
    signal.SIGILL: "illegal instruction: the runtime uses an instruction this CPU does not have",
    signal.SIGSEGV: "segmentation fault",
    signal.SIGKILL: "killed: out of memory, or by hand",
    signal.SIGABRT: "aborted",
    signal.SIGBUS: "bus error",
    signal.SIGFPE: "arithmetic error",
    signal.SIGTERM: "terminated",
}
_VARIANT = re.compile(r"libggml-cpu-([\w.]+)\.so")


def _die_with_parent() -> None:
    """In the child, before exec: the kernel kills it if the supervising thread dies (even by kill -9),
    so a crashed server never leaves a model process holding 2 GB behind."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def describe_exit(code: int | None) -> str:
    """A process's return code, as a person reads it."""
    if code is None:
        return "still running"
    if code < 0:
        sig = signal.Signals(-code)
        meaning = _SIGNAL_MEANING.get(sig)
        return f"killed by {sig.name}" + (f" ({meaning})" if meaning else "")
    return f"exited with code {code}"


@dataclass
class ProcessStatus:
    state: str
    reason: str | None = None
    pid: int | None = None
    restarts: int = 0
    since: float = field(default_factory=time.time)
    cpu_variant: str | None = None
    base_url: str = ""

    def public(self) -> dict:
        return {"state": self.state, "reason": self.reason, "pid": self.pid, "restarts": self.restarts,
                "since": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(self.since)),
                "cpu_variant": self.cpu_variant}


class ModelProcess:
    """One supervised ``llama-server``. ``command`` is the argument list without host and port."""

    def __init__(self, command: list[str], *, env: dict[str, str] | None = None, log_path: Path,
                 name: str = "model", startup_timeout: float = 120.0, health_interval: float = 2.0,
                 health_timeout: float = 5.0, unhealthy_after: int = 3, backoff_max: float = 60.0,
                 port: int | None = None, api_key: str | None = None):
        self.command = list(command)
        # only we may use it: a web page in a local browser could otherwise call 127.0.0.1 too
        self.api_key = api_key if api_key is not None else secrets.token_urlsafe(24)
        self.env = {**os.environ, **(env or {})}
        self.log_path = Path(log_path)
        self.name = name
        self.startup_timeout = startup_timeout
        self.health_interval = health_interval
        self.health_timeout = health_timeout
        self.unhealthy_after = unhealthy_after
        self.backoff_max = backoff_max
        self.port = port or free_port()
        self._status = ProcessStatus(STARTING, base_url=self.base_url)
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ what callers see

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def ready(self) -> bool:
        return self._status.state == READY

    def status(self) -> ProcessStatus:
        with self._lock:
            return ProcessStatus(**self._status.__dict__)

    def wait_ready(self, timeout: float) -> bool:
        """Block until the model answers (True) or ``timeout`` passes or it went down (False)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._status.state not in (READY, STOPPED):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
            return self._status.state == READY

    def wait_state(self, states: set[str], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._status.state not in states:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
            return True

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def suspect(self, reason: str) -> None:
        """A caller saw the model stall: check its health now rather than at the next probe."""
        self._wake.set()

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> "ModelProcess":
        if self._thread is None:
            self._thread = threading.Thread(target=self._supervise, name=f"{self.name}-supervisor", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        self._terminate(timeout)
        if self._thread is not None:
            self._thread.join(timeout)
        self._set(STOPPED, "stopped")

    def __enter__(self) -> "ModelProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ------------------------------------------------------------------ the supervising thread

    def _set(self, state: str, reason: str | None = None, **fields) -> None:
        with self._changed:
            if state != self._status.state:
                self._status.since = time.time()
            self._status.state, self._status.reason = state, reason
            for k, v in fields.items():
                setattr(self._status, k, v)
            self._changed.notify_all()

    def _spawn(self) -> subprocess.Popen:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "wb")
        try:
            return subprocess.Popen(
                [*self.command, "--host", "127.0.0.1", "--port", str(self.port), "--api-key", self.api_key],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                start_new_session=True,  # a Ctrl-C or signal to the server is not the model's
                preexec_fn=_die_with_parent,
            )
        finally:
            log.close()

    def _terminate(self, timeout: float = 10.0) -> None:
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)

    def _healthy(self) -> bool:
        try:
            r = httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=self.health_timeout)
            return r.status_code == 200
        except httpx.HTTPError:
            return False

    def log_tail(self, lines: int = 6) -> str:
        try:
            with open(self.log_path, "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - 8192))
                tail = f.read().decode("utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        keep = [line.strip() for line in tail if line.strip()]
        return " | ".join(collections.deque(keep, maxlen=lines))

    def _variant(self, proc: subprocess.Popen) -> str | None:
        """Which ggml CPU variant the child loaded: the library it has mapped (or, for a stand-in, says)."""
        for source in (f"/proc/{proc.pid}/maps", str(self.log_path)):
            try:
                m = _VARIANT.search(Path(source).read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue
            if m:
                return m.group(1)
        return None

    def _supervise(self) -> None:
        backoff = 1.0
        restarts = 0
        while not self._stop.is_set():
            self._set(STARTING, "starting" if restarts == 0 else self._status.reason, restarts=restarts)
            try:
                self._proc = proc = self._spawn()
            except OSError as exc:
                reason = f"cannot start {self.command[0]}: {exc}"
                self._set(DOWN, reason, pid=None)
                if self._stop.wait(backoff):
                    break
                backoff, restarts = min(backoff * 2, self.backoff_max), restarts + 1
                continue
            self._set(STARTING, self._status.reason, pid=proc.pid)
            spawned = time.monotonic()
            reason = self._watch(proc)
            if self._stop.is_set():
                break
            self._set(DOWN, reason, pid=None)
            if time.monotonic() - spawned > 60:  # it ran well for a while: start again quickly
                backoff = 1.0
            if self._stop.wait(backoff):
                break
            backoff, restarts = min(backoff * 2, self.backoff_max), restarts + 1
        self._terminate()

    def _pause(self, proc: subprocess.Popen) -> None:
        """Until the next health check: ``health_interval``, or at once when the process exits or a
        caller suspects a stall."""
        deadline = time.monotonic() + self.health_interval
        while time.monotonic() < deadline and not self._wake.is_set() and not self._stop.is_set():
            try:
                proc.wait(min(0.1, max(0.0, deadline - time.monotonic())))
                return
            except subprocess.TimeoutExpired:
                pass
        self._wake.clear()

    def _watch(self, proc: subprocess.Popen) -> str:
        """Until the process is gone (or killed for not answering): the reason it went down."""
        started = time.monotonic()
        while proc.poll() is None and not self._stop.is_set():  # loading the model
            if self._healthy():
                self._set(READY, None, cpu_variant=self._variant(proc))
                break
            if time.monotonic() - started > self.startup_timeout:
                proc.kill()
                proc.wait()
                return f"did not become ready within {self.startup_timeout:g} s; log: {self.log_tail()}"
            self._stop.wait(0.25)
        failures = 0
        while proc.poll() is None and not self._stop.is_set():
            self._pause(proc)
            if proc.poll() is not None or self._stop.is_set():
                break
            if self._healthy():
                failures = 0
                continue
            failures += 1
            if failures >= self.unhealthy_after:
                proc.kill()  # hung: a stuck native process does not answer SIGTERM
                proc.wait()
                return (f"stopped answering its health check ({failures} checks of {self.health_timeout:g} s); "
                        "killed and restarting")
        if self._stop.is_set():
            return "stopped"
        code = proc.wait()
        tail = self.log_tail()
        return f"the model process {describe_exit(code)}" + (f"; log: {tail}" if tail else "")
