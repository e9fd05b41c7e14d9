"""What the guard finds in an answer (a Claim) and what it decides about the answer (a Verdict)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Claim:
    kind: str  # "number", "year", "date", "email", "url" or "name"
    text: str  # as written in the answer
    normalized: str  # numbers "1000"/"1.5"; dates "2017-11-15", "2017-11", "--06-24", "--11"; names folded
    start: int = field(default=-1, repr=False, compare=False)
    sentence_initial: bool = field(default=False, repr=False, compare=False)


@dataclass
class Verdict:
    ok: bool
    unsupported: list[Claim]
    uncited: bool  # the answer states facts but cites nothing
