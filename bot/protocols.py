"""What the chain needs from its backends, and nothing more.

The chat model is langchain's ``BaseChatModel`` (any backend: the embedded model, an
OpenAI-compatible server, Ollama, a fake). The embedder and the retriever are described here so
the chain's logic can be tested with fakes (tests/fakes.py) in milliseconds, while integration
tests exercise the real e5 model and the real index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, Sequence, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from .retrieval import Passage


@runtime_checkable
class Embedder(Protocol):
    """Unit-length vectors for questions and passages (cosine = dot product), and token counts."""

    name: str

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...

    def tokenize(self, texts: Sequence[str]) -> list[list[str]]: ...


@runtime_checkable
class Retriever(Protocol):
    """Scored passages for a question, best first."""

    def search(self, query: str, k: int | None = None) -> list["Passage"]: ...

    def query_vector(self, query: str) -> np.ndarray: ...

    def passages(self) -> Sequence["Passage"]: ...
