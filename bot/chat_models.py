"""Chat backends behind langchain's ``BaseChatModel``: embedded GGUF (default), an
OpenAI-compatible server, Ollama, or none (the extractive answer).

``load_chat_model`` never lets a missing model stop the assistant: when the chosen backend cannot
be loaded it returns ``None`` with a warning that says why, and the caller answers extractively.
The embedded adapter is ~50 lines over llama-cpp-python's own chat API rather than
langchain-community's ``ChatLlamaCpp``, because langchain-community is being sunset.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr

from .settings import Settings

Progress = Callable[[str, int, int], None]

_ROLES = {"human": "user", "ai": "assistant", "system": "system"}


class LlamaCppChatModel(BaseChatModel):
    """In-process llama.cpp. One generation at a time (a ``Llama`` is not thread-safe); the KV
    cache keeps the longest common prefix between calls, so a fixed system prompt is computed once."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    llm: Any
    model_name: str = "gguf"
    max_tokens: int = 256
    temperature: float = 0.1
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-in-process"

    def _payload(self, messages: list[BaseMessage], stop: list[str] | None) -> dict:
        return {
            "messages": [{"role": _ROLES.get(m.type, "user"), "content": m.content} for m in messages],
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "stop": stop or [],
        }

    def _generate(self, messages, stop=None, run_manager: CallbackManagerForLLMRun | None = None, **kw) -> ChatResult:
        with self._lock:
            out = self.llm.create_chat_completion(**self._payload(messages, stop))
        text = out["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages, stop=None, run_manager: CallbackManagerForLLMRun | None = None, **kw) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            for part in self.llm.create_chat_completion(stream=True, **self._payload(messages, stop)):
                delta = part["choices"][0].get("delta", {}).get("content")
                if delta:
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                    if run_manager:
                        run_manager.on_llm_new_token(delta, chunk=chunk)
                    yield chunk


@dataclass
class LoadedChatModel:
    model: BaseChatModel | None
    backend: str  # what is actually in use: embedded / openai / ollama / extractive
    description: str
    warning: str | None = None


class ChatModelError(RuntimeError):
    """The chosen chat backend cannot be used; the message says why and what to do."""


def gguf_location(settings: Settings, progress: Progress | None = None) -> Path:
    if settings.gguf_path:
        if not Path(settings.gguf_path).is_file():
            raise ChatModelError(f"BRISMIS_GGUF_PATH={settings.gguf_path} is not a file; give the path of a .gguf model")
        return Path(settings.gguf_path)
    from .gguf_weights import WeightsError, join_qwen

    try:
        return join_qwen(settings.cache_dir / "llm", progress=progress)
    except WeightsError as exc:
        raise ChatModelError(str(exc)) from exc


def _embedded(settings: Settings, progress: Progress | None) -> BaseChatModel:
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    path = gguf_location(settings, progress)
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise ChatModelError(f"llama-cpp-python is not installed ({exc}); run `make install`") from exc
    try:
        llm = Llama(
            model_path=str(path),
            n_ctx=settings.llm_context,
            n_threads=settings.llm_threads,
            n_batch=256,
            verbose=False,
        )
    except Exception as exc:  # llama.cpp reports a bad file as a generic ValueError/RuntimeError
        raise ChatModelError(f"cannot load the GGUF model {path}: {exc}; check the file or delete it to re-join") from exc
    return LlamaCppChatModel(
        llm=llm, model_name=path.name, max_tokens=settings.llm_max_tokens, temperature=settings.llm_temperature
    )


def _openai(settings: Settings) -> BaseChatModel:
    if not settings.llm_base_url:
        raise ChatModelError("the openai backend needs BRISMIS_LLM_BASE_URL (e.g. http://127.0.0.1:8080/v1)")
    from langchain_openai import ChatOpenAI

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "none"
    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=key,
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout,
        max_retries=1,
    )


def _ollama(settings: Settings) -> BaseChatModel:
    import httpx
    from langchain_ollama import ChatOllama

    base = settings.llm_base_url or "http://127.0.0.1:11434"
    try:
        httpx.get(base.rstrip("/") + "/api/tags", timeout=3).raise_for_status()
    except httpx.HTTPError as exc:
        raise ChatModelError(
            f"cannot reach Ollama at {base} ({type(exc).__name__}: {exc}); start it with `ollama serve` "
            f"and `ollama pull {settings.llm_model}`, or set BRISMIS_LLM_BASE_URL"
        ) from exc
    return ChatOllama(
        base_url=base,
        model=settings.llm_model,
        temperature=settings.llm_temperature,
        num_predict=settings.llm_max_tokens,
    )


def load_chat_model(settings: Settings, progress: Progress | None = None) -> LoadedChatModel:
    backend = settings.chat_backend
    if backend == "extractive":
        return LoadedChatModel(None, "extractive", "no LLM: extractive answers")
    try:
        if backend == "embedded":
            model = _embedded(settings, progress)
            return LoadedChatModel(model, "embedded", f"embedded llama.cpp: {model.model_name}")
        if backend == "openai":
            return LoadedChatModel(_openai(settings), "openai", f"OpenAI-compatible: {settings.llm_base_url} ({settings.llm_model})")
        if backend == "ollama":
            return LoadedChatModel(_ollama(settings), "ollama", f"Ollama: {settings.llm_base_url} ({settings.llm_model})")
    except ChatModelError as exc:
        return LoadedChatModel(
            None, "extractive", "no LLM: extractive answers",
            warning=f"chat backend '{backend}' unavailable, answering extractively: {exc}",
        )
    raise ValueError(f"unknown chat backend {backend!r}")
