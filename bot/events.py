"""What an answer stream carries, as types shared by the chain, the SSE endpoint, the console and
the evaluation: they all replay the same events, so a visitor, a staff member and a measurement see
the same answer being made."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from .schema import Answer, Citation


@dataclass(frozen=True)
class Token:
    """Append ``text`` to what is shown (it has passed the guard)."""

    text: str
    type: str = field(default="token", init=False)


@dataclass(frozen=True)
class Reset:
    """Clear what was shown: a later sentence failed the guard and the verified fallback follows."""

    type: str = field(default="reset", init=False)


@dataclass(frozen=True)
class Sources:
    """The passages the answer will be written from, before the answer: shown at once."""

    citations: list["Citation"]
    type: str = field(default="sources", init=False)


@dataclass(frozen=True)
class Final:
    """The finished, verified answer; the stream ends."""

    answer: "Answer"
    type: str = field(default="final", init=False)


Event = Union[Token, Reset, Sources, Final]


def replay(events) -> str:
    """What a visitor ends up seeing from a stream of events, applying resets."""
    text = ""
    for event in events:
        if isinstance(event, Reset):
            text = ""
        elif isinstance(event, Token):
            text += event.text
    return text
