"""Citation markers: what the model writes to cite, and the numbering the visitor sees.

Small models write [1], [1, 2], [1-3], 【1】, ［１］ or "[Passage 2]", and cite passages that do not
exist. ``parse_citations`` rewrites every marker as ASCII [n], numbered by first use, and drops
the numbers that point at no passage, so that what reaches the visitor and the guard is regular.
"""

from __future__ import annotations

import re

# [1] [1, 2] [1-3] 【1】 ［１］ 〔1〕, also "[Passage 2]"/"[source 1]" which small models like to write.
_WORDS_IN_MARKER = r"(?:(?:passages?|sources?|refs?|docs?|documents?)\s*)?"
MARKER = re.compile(
    r"[\[【［〔]\s*" + _WORDS_IN_MARKER
    + r"(\d+(?:\s*(?:[,，、;；]|[-–—~～]|\s)\s*" + _WORDS_IN_MARKER + r"\d+)*)"
    + r"\s*[\]】］〕]",
    re.IGNORECASE,
)
_MARKER_ITEM = re.compile(r"(\d+)(?:\s*[-–—~～]\s*(\d+))?")


def _marker_numbers(inner: str, n_passages: int) -> list[int]:
    """The valid passage numbers of one bracket, in written order; ranges expanded."""
    numbers: list[int] = []
    for m in _MARKER_ITEM.finditer(inner):
        a = int(m.group(1))  # int() reads any decimal digits: "１" and "١" too
        b = int(m.group(2)) if m.group(2) else a
        lo, hi = min(a, b), max(a, b)
        for x in range(max(lo, 1), min(hi, n_passages) + 1):
            if x not in numbers:
                numbers.append(x)
    return numbers


def parse_citations(answer: str, n_passages: int) -> tuple[str, list[int]]:
    """Rewrite the markers as ASCII [n] numbered by first use; return the text and, per new
    number, the ORIGINAL passage number (cited passage k is passages[order[k - 1] - 1]).

    Numbers outside 1..n_passages are hallucinated references: they are dropped, and a marker
    left with none is removed with the space before it.
    """
    order: list[int] = []
    new: dict[int, int] = {}
    out: list[str] = []
    pos = 0
    for m in MARKER.finditer(answer):
        out.append(answer[pos : m.start()])
        pos = m.end()
        kept: list[int] = []
        for x in _marker_numbers(m.group(1), n_passages):
            if x not in new:
                new[x] = len(order) + 1
                order.append(x)
            if new[x] not in kept:
                kept.append(new[x])
        if kept:
            out.append("".join(f"[{k}]" for k in kept))
            continue
        # Dropped marker: do not leave "2017 ." behind, nor a space at the start of a line.
        before = "".join(out).rstrip(" \t\u3000")
        out = [before]
        if (not before or before.endswith("\n")) and answer[pos : pos + 1] in (" ", "\t", "\u3000"):
            pos += 1
    out.append(answer[pos:])
    text = re.sub(r"\[(\d+)\](?:[ \t]*\[\1\])+", r"[\1]", "".join(out))
    return text, order
