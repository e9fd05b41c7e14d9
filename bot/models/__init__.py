"""Model backends: the embedder, the chat backends, the llama.cpp runtime and its supervised process.

``load_models`` loads them once per process; every assistant built afterwards (a rebuild makes a
new one) shares them, so a rebuild never reloads a model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

Progress = Callable[[str, int, int], None]


@dataclass
class Models:
    embedder: Any  # protocols.Embedder
    chat: Any = None  # langchain BaseChatModel, or None for extractive answers
    description: str = "no LLM: extractive answers"
    backend: str = "extractive"
    process: Any = None  # the embedded model's supervised process, if any
    warnings: list[str] = field(default_factory=list)

    def model_status(self) -> dict | None:
        """The embedded model process's state for /healthz and the console (None: no such process)."""
        return self.process.status().public() if self.process is not None else None

    def close(self) -> None:
        if self.process is not None:
            self.process.stop()


def load_models(settings, progress: Progress | None = None, *, wait: bool = True) -> Models:
    """The embedder and the chat model the settings name. A chat model that cannot be used leaves a
    warning and extractive answers, never a failed start; an embedder that cannot load raises."""
    from .chat import load_chat_model
    from .embeddings import load_embeddings

    embedder = load_embeddings(settings, progress)
    loaded = load_chat_model(settings, progress, wait=wait)
    return Models(embedder=embedder, chat=loaded.model, description=loaded.description, backend=loaded.backend,
                  process=loaded.process, warnings=[loaded.warning] if loaded.warning else [])
