"""The answer object shared by the CLI, the API, the console and the evaluation."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Path_ = Literal["model", "model_retry", "translated", "fact", "extractive", "extractive_fallback", "declined",
                "refused", "verified", "conflict"]


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    url: str
    date: str
    text: str = Field(description="the whole cited passage")
    chunk_id: str = ""
    start: int = Field(0, description="offset of the passage in the document text")
    end: int = 0
    highlights: list[tuple[int, int]] = Field(
        default_factory=list, description="offsets, within `text`, of the sentences the answer rests on"
    )

    @classmethod
    def of(cls, n: int, passage) -> "Citation":
        return cls(
            n=n, doc_id=passage.doc_id, title=passage.title, url=passage.url, date=passage.date,
            text=passage.text, chunk_id=passage.chunk_id, start=passage.start, end=passage.end,
        )


class Answer(BaseModel):
    id: Any = None
    question: str
    language: str
    answer: str
    grounded: bool
    citations: list[Citation] = Field(default_factory=list)
    path: Path_ = Field(
        "extractive",
        description="model: generated and verified; translated: the generated answer failed verification, "
        "the evidence sentence translated into the visitor's language (verified, labelled) instead; "
        "extractive: quoted sentences (no LLM); extractive_fallback: no verified generated answer or "
        "translation, quoted sentences instead; declined: the announcements don't say; "
        "refused: the question targeted the assistant's instructions; verified: a staff-verified answer; "
        "conflict: announcements give different figures for what was asked, both quoted and cited; "
        "model_retry: no longer produced (kept for old reports)",
    )
    timings_ms: dict[str, float] = Field(default_factory=dict)
    retrieval_query: str = ""
    rejected: list[str] = Field(default_factory=list, description="why generated drafts were rejected")
    candidates: list[dict] = Field(default_factory=list, exclude=True)  # for the staff console

    def public(self) -> dict:
        """The stable JSON shape of `brismis ask --json/--jsonl` and the API."""
        return self.model_dump(
            include={"id", "question", "language", "answer", "grounded", "citations", "path", "timings_ms"},
            mode="json",
        )
