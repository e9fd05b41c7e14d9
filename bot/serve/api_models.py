"""The HTTP API's request and response shapes, with the limits a visitor can act on.

Everything a visitor sends is text made safe here: control characters removed, unpaired surrogates
refused, lengths checked with messages that say what to send instead.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from ..schema import Citation

MAX_QUESTION = 1000
MAX_TURN = 4000
MAX_TURNS = 20
MAX_COMMENT = 2000
MAX_BODY = 256 * 1024
# C0/C1 control characters other than tab and line breaks: never meaningful in a question.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """Text a visitor sent, made safe to store, log and stream: control characters removed; an
    unpaired surrogate (possible in JSON's \\u escapes, not in real text) is refused."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains an unpaired UTF-16 surrogate (\\ud800-\\udfff): send valid Unicode text") from None
    return _CONTROL.sub("", value)



class HistoryTurn(BaseModel):
    role: Literal["user", "assistant"] = Field(description="who said it")
    content: str = Field(max_length=MAX_TURN, description=f"what was said (at most {MAX_TURN} characters)")

    @field_validator("content")
    @classmethod
    def _content(cls, value: str) -> str:
        return clean_text(value)


class ChatRequest(BaseModel):
    # the limits are checked below, with messages a visitor can act on; the schema states them too
    question: str = Field(json_schema_extra={"minLength": 1, "maxLength": MAX_QUESTION,
                                             "pattern": r"[^\s\x00-\x1f\x7f-\x9f]"},
                          description=f"1 to {MAX_QUESTION} characters, not only spaces or control characters "
                          "(control characters are removed)",
                          examples=["When was the first BRISMIS symposium held?"])
    history: list[HistoryTurn] = Field(
        default_factory=list, max_length=MAX_TURNS,
        description=f"the conversation so far, oldest first (at most {MAX_TURNS} turns)",
    )
    language: str | None = Field(
        default=None, max_length=200,
        description="the visitor's language as a hint for very short questions, e.g. the browser's 'zh-CN' "
        "(an Accept-Language value also works). Left out: the request's Accept-Language header is used.",
    )
    conversation_id: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="the same for every question of one conversation (the widget makes a random one); "
        "questions per conversation are limited",
    )

    @field_validator("question")
    @classmethod
    def _question(cls, value: str) -> str:
        if len(value) > MAX_QUESTION:
            raise ValueError(f"the question is {len(value)} characters long; at most {MAX_QUESTION} are allowed")
        value = clean_text(value).strip()
        if not value:
            raise ValueError("the question is empty")
        return value


class ChatResponse(BaseModel):
    """``Answer.public()`` plus ``answer_id`` (documentation of the response; not used to filter it)."""

    id: Any = Field(None, description="the same as answer_id")
    question: str
    language: str = Field(description="ISO 639-1 code of the answer's (= the question's) language")
    answer: str
    grounded: bool = Field(description="false when the assistant declined")
    citations: list[Citation]
    path: str = Field(description="model, translated, fact (the date, count or address asked for, from the "
                      "highlighted sentence), extractive, extractive_fallback, conflict, verified, declined or refused")
    timings_ms: dict[str, float]
    answer_id: str = Field(description="uuid4 hex; give it to POST /api/feedback")


class FeedbackRequest(BaseModel):
    answer_id: str = Field(max_length=64)
    rating: Literal["up", "down"]
    comment: str | None = Field(
        default=None, max_length=MAX_COMMENT,
        description=f"at most {MAX_COMMENT} characters; left out, a comment given earlier is kept",
    )

    @field_validator("comment")
    @classmethod
    def _comment(cls, value: str | None) -> str | None:
        return None if value is None else clean_text(value)


class OkResponse(BaseModel):
    ok: Literal[True] = True


class Detail(BaseModel):
    detail: str


STREAM_DESCRIPTION = """Server-Sent Events (`text/event-stream`):

* `event: token` — `data: {"text": "..."}`: append to what is shown
* `event: reset` — `data: {}`: clear what was shown (a later token replaces it)
* `event: final` — `data:` the same JSON as `POST /api/chat` returns; the stream then ends
* `event: error` — `data: {"message": "...", "retry": true}`; the stream then ends

While the answer is being prepared a comment line `: ping` is sent every 10 seconds.
"""


# ------------------------------------------------------------------ the service behind the routes

