"""The embedded chat model: the packaged GGUF served by a supervised local ``llama-server``.

``start_model_process`` starts the child (``model_process.ModelProcess``); ``SupervisedChat`` is
the langchain chat model over it, which is ``ChatOpenAI`` (the ``openai`` backend's code) pointed at
the child, plus one rule: while the child is down it fails at once with ``ModelUnavailable``, so
the chain answers with quotes instead of waiting. ``self_check`` runs one short generation in a
child before anything serves, so a runtime that crashes on this CPU is told once, clearly.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterator

import httpx
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr

from . import runtime
from .model_process import DOWN, READY, STOPPED, ModelProcess

OMP_ENV = {"OMP_WAIT_POLICY": "PASSIVE"}  # idle OpenMP threads must not spin (10x slower decode)


class ModelUnavailable(RuntimeError):
    """The model process is down or restarting; the message says why."""


def server_binary(settings) -> Path:
    if settings.llama_server:
        return Path(settings.llama_server)
    return runtime.server_binary(settings.cache_dir)


def model_command(settings, gguf: Path, *, parallel: int | None = None) -> list[str]:
    """The llama-server command line (host and port are added by ``ModelProcess``)."""
    slots = parallel or settings.llm_parallel
    command = [
        str(server_binary(settings)), "--model", str(gguf), "--alias", settings.llm_model,
        "--ctx-size", str(settings.llm_context * slots), "--parallel", str(slots),
        "--threads", str(settings.llm_threads), "--threads-batch", str(settings.llm_threads),
        "--batch-size", "512", "--ubatch-size", "256", "--cont-batching", "--cache-prompt",
        "--no-webui", "--timeout", str(int(settings.llm_timeout) + 30),
    ]
    if settings.llm_speculative and settings.llm_speculative != "none":
        command += ["--spec-type", settings.llm_speculative]
    return command


def model_env(settings) -> dict[str, str]:
    binary = server_binary(settings)
    libs = str(binary.parent)
    existing = os.environ.get("LD_LIBRARY_PATH")
    return {**OMP_ENV, "LD_LIBRARY_PATH": libs + (os.pathsep + existing if existing else "")}


def start_model_process(settings, gguf: Path, *, parallel: int | None = None, name: str = "model") -> ModelProcess:
    binary = server_binary(settings)
    if not binary.exists():
        raise FileNotFoundError(f"the llama.cpp server {binary} is not built: run `make install` "
                                f"(or `{runtime.REBUILD_COMMAND}`)")
    process = ModelProcess(model_command(settings, gguf, parallel=parallel), env=model_env(settings),
                           log_path=settings.cache_dir / "logs" / f"{name}-{os.getpid()}.log", name=name,
                           startup_timeout=settings.llm_startup_timeout, port=settings.llm_port)
    return process.start()


class SupervisedChat(BaseChatModel):
    """``ChatOpenAI`` over the supervised child; fails fast with ``ModelUnavailable`` while it is down."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    process: Any  # ModelProcess
    model_name: str = "embedded"
    max_tokens: int | None = 200
    temperature: float = 0.1
    stop: list[str] | None = None
    timeout: float = 60.0
    _clients: dict = PrivateAttr(default_factory=dict)

    @property
    def _llm_type(self) -> str:
        return "llama-server-supervised"

    @property
    def _identifying_params(self) -> dict:
        return {"model_name": self.model_name, "max_tokens": self.max_tokens, "temperature": self.temperature}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs):
        params = super()._get_ls_params(stop=stop, **kwargs)
        params.update(ls_provider="llama.cpp", ls_model_name=kwargs.get("model", self.model_name),
                      ls_temperature=self.temperature)
        if self.max_tokens:
            params["ls_max_tokens"] = self.max_tokens
        if stop or self.stop:
            params["ls_stop"] = stop or self.stop
        return params

    def client(self):
        """The ChatOpenAI for the child's current address."""
        from langchain_openai import ChatOpenAI

        url = self.process.base_url
        if url not in self._clients:
            self._clients[url] = ChatOpenAI(base_url=url, api_key=self.process.api_key, model=self.model_name,
                                            max_tokens=self.max_tokens, temperature=self.temperature, stop=self.stop,
                                            timeout=self.timeout, max_retries=0, stream_usage=True)
        return self._clients[url]

    def _ensure_ready(self) -> None:
        if not self.process.ready:
            status = self.process.status()
            raise ModelUnavailable(f"the model is {status.state}: {status.reason or 'starting'}")

    def _failed(self, exc: Exception) -> Exception:
        self.process.suspect(str(exc))
        if isinstance(exc, (httpx.HTTPError, ConnectionError)) or type(exc).__name__ in (
                "APIConnectionError", "APITimeoutError", "InternalServerError"):
            return ModelUnavailable(f"the model process stopped answering ({type(exc).__name__}: {exc})")
        return exc

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager: CallbackManagerForLLMRun | None = None,
                  **kwargs) -> ChatResult:
        self._ensure_ready()
        try:
            return self.client()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)
        except Exception as exc:
            raise self._failed(exc) from exc

    def _stream(self, messages: list[BaseMessage], stop=None, run_manager: CallbackManagerForLLMRun | None = None,
                **kwargs) -> Iterator[ChatGenerationChunk]:
        self._ensure_ready()
        try:
            yield from self.client()._stream(messages, stop=stop, run_manager=run_manager, **kwargs)
        except Exception as exc:
            raise self._failed(exc) from exc


# ---------------------------------------------------------------- self-check


@dataclass
class SelfCheck:
    ok: bool
    message: str
    cpu: str
    cpu_flags: list[str]
    binary: str
    gguf: str
    variant: str | None = None
    seconds: float = 0.0
    at: str = ""

    def applies(self, binary: Path, gguf: Path) -> bool:
        """Still about this machine's CPU, this runtime and this model file."""
        return (self.cpu_flags == runtime.cpu_flags() and self.binary == str(binary) and self.gguf == str(gguf))


def _record_path(settings, binary: Path, gguf: Path) -> Path:
    """One record per runtime and model file."""
    key = hashlib.sha256(f"{binary}\n{gguf}".encode()).hexdigest()[:16]
    return settings.cache_dir / "llama.cpp" / f"selfcheck-{key}.json"


def last_self_check(settings, gguf: Path) -> SelfCheck | None:
    try:
        path = _record_path(settings, server_binary(settings), gguf)
        return SelfCheck(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def self_check(settings, gguf: Path, timeout: float = 240.0) -> SelfCheck:
    """Start the model in a child, generate a few tokens, stop it. A crash or hang is reported with
    the CPU's flags and the command that rebuilds the runtime; the result is kept for ``serve``."""
    started = time.monotonic()
    binary = server_binary(settings)
    cpu, flags = runtime.describe_cpu(), runtime.cpu_flags()
    fix = (f"answers will be quoted from the announcements (no model) until this is fixed; rebuild the "
           f"runtime with `{runtime.REBUILD_COMMAND}`, or choose another chat backend (BRISMIS_CHAT_BACKEND)")

    def result(ok: bool, message: str, variant: str | None = None) -> SelfCheck:
        check = SelfCheck(ok, message, cpu, flags, str(binary), str(gguf), variant,
                          round(time.monotonic() - started, 1), time.strftime("%Y-%m-%dT%H:%M:%S%z"))
        path = _record_path(settings, binary, gguf)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(check), indent=1), encoding="utf-8")
        return check

    s = settings.model_copy(update={"llm_startup_timeout": timeout, "llm_port": None})
    try:
        process = start_model_process(s, gguf, parallel=1, name="selfcheck")
    except OSError as exc:
        return result(False, f"the chat model cannot start: {exc}; {fix}")
    try:
        process.wait_state({READY, DOWN, STOPPED}, timeout + 5)
        status = process.status()
        if status.state != READY:
            return result(False, f"the llama.cpp runtime failed its self-check on this CPU ({cpu}): "
                                 f"{status.reason or 'it did not start'}; {fix}")
        try:
            r = httpx.post(f"{process.base_url}/chat/completions", timeout=timeout,
                           headers={"Authorization": f"Bearer {process.api_key}"}, json={
                "model": settings.llm_model, "max_tokens": 4, "temperature": 0,
                "messages": [{"role": "user", "content": "Say OK."}]})
            r.raise_for_status()
            text = r.json()["choices"][0]["message"].get("content") or ""
        except (httpx.HTTPError, ValueError, KeyError, IndexError) as exc:
            process.wait_state({DOWN, STOPPED}, 3.0)  # let the supervisor see a crash, if it was one
            status = process.status()
            why = status.reason if status.state != READY else f"{type(exc).__name__}: {exc}"
            return result(False, f"the llama.cpp runtime failed a test generation on this CPU ({cpu}): {why}; {fix}")
        if not text.strip():
            return result(False, f"the chat model answered a test generation with nothing on this CPU ({cpu}); {fix}")
        return result(True, f"chat model ok: a test generation ran in {time.monotonic() - started:.1f} s "
                            f"(CPU variant {status.cpu_variant or 'unknown'})", status.cpu_variant)
    finally:
        process.stop()
