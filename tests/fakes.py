"""Fakes of the chain's backends (bot/protocols.py), for logic tests that run in milliseconds.

* ``FakeEmbedder``: bag-of-words vectors (hashed, unit length): texts sharing words are close, in
  one language only. Also a langchain ``Embeddings``, so it can fill a real Chroma index.
* ``FakeRetriever``: scored search over given passages with the fake embedder.
* ``ScriptedChat``: a langchain chat model that answers from a list and records its prompts.
* ``AlwaysRelevant``: a relevance gate that never declines.
* ``FakeAssistant``: plays a script of events, for the serving tests.

Integration tests use the real e5 model, the real index and the real chat models instead.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from typing import Any, Iterator

import numpy as np
from langchain_core.embeddings import Embeddings
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from bot.events import Final, Token
from bot.retrieval import Passage
from bot.schema import Answer

DIM = 256
_WORD = re.compile(r"\w+")


class FakeEmbedder(Embeddings):
    name = "fake-bag-of-words"

    def __init__(self, dim: int = DIM):
        self.dim = dim
        self.calls = 0

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            v[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norm = float(np.linalg.norm(v))
        return v / norm if norm else v

    def encode_queries(self, texts):
        self.calls += 1
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    encode_passages = encode_queries

    def count_tokens(self, text: str) -> int:
        return len(_WORD.findall(text))

    def tokenize(self, texts):
        return [_WORD.findall(t.lower()) for t in texts]

    # langchain Embeddings, for a real Chroma index
    def embed_documents(self, texts):
        return self.encode_passages(texts).tolist()

    def embed_query(self, text):
        return self.encode_queries([text])[0].tolist()


def passage(text: str, n: int = 0, doc_id: str = "doc", title: str = "Announcement", date: str = "2018-06-24",
            url: str = "http://www.brismis.org/doc") -> Passage:
    return Passage(chunk_id=f"{doc_id}#{n}", doc_id=doc_id, title=title, url=url, date=date, position=n,
                   start=0, end=len(text), text=text)


class FakeRetriever:
    """Ranks its passages by fake-embedding similarity to the question (all are candidates)."""

    def __init__(self, passages: list[Passage], embedder: FakeEmbedder | None = None):
        self._passages = list(passages)
        self.embedder = embedder or FakeEmbedder()
        self._vectors = self.embedder.encode_passages([p.text for p in self._passages])

    def passages(self):
        return self._passages

    def query_vector(self, query: str) -> np.ndarray:
        return self.embedder.encode_queries([query])[0]

    def search(self, query: str, k: int | None = None) -> list[Passage]:
        q = self.query_vector(query)
        scores = self._vectors @ q if len(self._passages) else np.zeros(0)
        order = np.argsort(-scores, kind="stable")
        out = []
        for rank, i in enumerate(order, 1):
            p = Passage(**{**self._passages[i].__dict__, "extra": {}})
            p.dense_score, p.dense_rank, p.fused_score, p.rank = float(scores[i]), rank, float(scores[i]), rank
            out.append(p)
        return out


class AlwaysRelevant:
    margin = 0.0

    def score(self, query_vector, best_passage: float) -> float:
        return best_passage  # relevant whatever it is; the better-retrieving reading still scores higher

    def relevant(self, query_vector, best_passage: float, focused: bool = False) -> bool:
        return True

    def focus(self, question: str) -> None:
        return None


class ScriptedChat(FakeListChatModel):
    """Answers from ``responses`` in turn and records every prompt in ``seen``."""

    seen: list = []

    def _call(self, messages, *args, **kwargs):
        self.seen.append(messages)
        return super()._call(messages, *args, **kwargs)

    def _stream(self, messages, *args, **kwargs):
        self.seen.append(messages)
        yield from super()._stream(messages, *args, **kwargs)


def scripted(responses: list[str], cls=ScriptedChat) -> ScriptedChat:
    chat = cls(responses=responses)
    chat.seen = []
    return chat


class FakeAssistant:
    """Plays a script of events (with optional pauses) instead of answering."""

    chat_description = "fake"
    chat = None

    def __init__(self, script: list[Any], delay: float = 0.0):
        self.script, self.delay = script, delay
        self.warnings: tuple[str, ...] = ()
        self.closed = threading.Event()
        self.calls: list[dict] = []

    def model_status(self):
        return None

    def stream(self, question, history=None, options=None, id=None) -> Iterator:
        self.calls.append({"question": question, "history": history, "options": options, "id": id,
                           "hint": options.language_hint if options else None})
        try:
            for item in self.script:
                time.sleep(self.delay)
                if isinstance(item, Exception):
                    raise item
                if isinstance(item, Final):
                    item.answer.id = id  # as the real assistant does
                yield item
        finally:
            self.closed.set()

    def ask(self, question, history=None, options=None, id=None):
        for event in self.stream(question, history, options, id):
            if isinstance(event, Final):
                return event.answer


def final(text: str) -> Final:
    return Final(Answer(question="q", language="en", answer=text, grounded=True))


def token(text: str) -> Token:
    return Token(text)
