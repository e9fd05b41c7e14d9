"""Chat backends behind langchain's ``BaseChatModel``: the embedded model (the packaged GGUF in a
supervised local llama-server, the default), any OpenAI-compatible server, Ollama, or none (the
extractive answer).

``load_chat_model`` never lets a missing model stop the assistant: when the chosen backend cannot
be used it returns no model with a warning that says why, and the caller answers extractively.
The embedded and the ``openai`` backends share one client, langchain's ``ChatOpenAI``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from langchain_core.language_models.chat_models import BaseChatModel

from ..settings import Settings

Progress = Callable[[str, int, int], None]


@dataclass
class LoadedChatModel:
    model: BaseChatModel | None
    backend: str  # what is actually in use: embedded / openai / ollama / extractive
    description: str
    warning: str | None = None
    process: object | None = None  # the supervised model process (embedded backend), to stop and watch

    def close(self) -> None:
        if self.process is not None:
            self.process.stop()


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


def _check_gguf(path: Path) -> None:
    """A file that is not GGUF would only fail inside the child; say so now."""
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError as exc:
        raise ChatModelError(f"cannot read the GGUF model {path}: {exc}") from exc
    if magic != b"GGUF":
        raise ChatModelError(f"cannot load the GGUF model {path}: it is not a GGUF file (it starts with "
                             f"{magic!r}); check the file or delete it to re-join")


def _embedded(settings: Settings, progress: Progress | None, wait: bool) -> tuple[BaseChatModel, object]:
    from .embedded import SupervisedChat, last_self_check, server_binary, start_model_process

    path = gguf_location(settings, progress)
    _check_gguf(path)
    check = last_self_check(settings, path)
    if check is not None and not check.ok and check.applies(server_binary(settings), path):
        raise ChatModelError(check.message)  # it crashes on this CPU: do not start it again and again
    try:
        process = start_model_process(settings, path)
    except OSError as exc:
        raise ChatModelError(str(exc)) from exc
    if wait and not process.wait_ready(settings.llm_startup_timeout):
        status = process.status()
        process.stop()
        raise ChatModelError(f"the embedded model did not start: {status.reason}")
    chat = SupervisedChat(process=process, model_name=settings.llm_model, max_tokens=settings.llm_max_tokens,
                          temperature=settings.llm_temperature, timeout=settings.llm_timeout)
    return chat, process


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


def load_chat_model(settings: Settings, progress: Progress | None = None, *, wait: bool = True) -> LoadedChatModel:
    """The chat model the settings ask for. ``wait``: for the embedded model, return once it answers
    (the CLI); the server does not wait, and answers with quotes until the model is ready."""
    backend = settings.chat_backend
    if backend == "extractive":
        return LoadedChatModel(None, "extractive", "no LLM: extractive answers")
    try:
        if backend == "embedded":
            model, process = _embedded(settings, progress, wait)
            return LoadedChatModel(model, "embedded", f"embedded llama.cpp: {Path(model.process.command[2]).name}",
                                   process=process)
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
