"""Text that is not an answer, whatever its claims: repetition loops, words of two alphabets, echoes
of our own prompts, and answers that say nothing beyond the question.

A 1.5B model on a CPU sometimes loops ("1ηνηνηνην…", "أتلانتا، أتلانتا، أتلانتا"), repeats the
instructions it was given, or restates the question with a citation marker and no answer ("The
e-mail address of the secretariat is [1]."). None of these contain a false claim, so the claim
checks let them through; these checks do not.
"""

from __future__ import annotations

import re
from collections import Counter

from ..scripts import script_of
from .markers import MARKER
from .text import fold

_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_CJK_OR_THAI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u0e00-\u0e7f\u1780-\u17ff\u1000-\u109f]")
_CHAR_LOOP = re.compile(r"(\S{1,6}?)\1{3,}")  # "нннн", "ηνηνηνην", "1ηνηνηνην"
# Prompt words that never belong in an answer, in any language (our delimiters and sentinel).
_PROMPT_TOKENS = ("NOT_IN_SOURCES", "<<<", ">>>", "PASSAGES", "QUESTION>>>")


def _tokens(text: str) -> list[str]:
    """Words, and single characters for Chinese, Thai, Khmer, Myanmar (no spaces between words)."""
    out: list[str] = []
    for w in _WORD.findall(fold(text)):
        if _CJK_OR_THAI.search(w):
            out.extend(w)
        else:
            out.append(w)
    return out


def repetition(text: str) -> str | None:
    """Why ``text`` is a repetition loop, or None."""
    plain = MARKER.sub(" ", text)
    m = _CHAR_LOOP.search(plain.replace(" ", "")) if not _CJK_OR_THAI.search(plain) else None
    if m and len(m.group(0)) >= 8 and not m.group(1).isdigit():
        return f"repeats {m.group(1)!r} in a loop"
    tokens = _tokens(plain)
    for n in (1, 2, 3, 4):
        grams = Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
        if not grams:
            continue
        gram, count = grams.most_common(1)[0]
        # a word said four times in a row, or a phrase three times, is a loop (CJK: longer phrases)
        needed = 4 if n == 1 else 3
        if n == 1 and _CJK_OR_THAI.search(gram[0]):
            continue  # single characters repeat naturally
        if count >= needed and (n > 1 or _run(tokens, gram[0]) >= needed):
            if n == 1 or len("".join(gram)) >= 4:
                return f"repeats {' '.join(gram)!r} {count} times"
    return None


_ALPHABETS = frozenset({"latin", "cyrillic", "greek"})


def mixed_alphabets(text: str) -> str | None:
    """Why ``text`` is no language: a word spelled in two alphabets ("Beijingский", "канada",
    "conservаторов": a translation the model lost its way in; Serbian and Uzbek are written in
    either alphabet, never both in one word). "BRISMIS-у" is two words."""
    for word in re.findall(r"[^\W\d_]+", text):
        if len({script_of(c) for c in word} & _ALPHABETS) > 1:
            return f"writes '{word}', a word in two alphabets"
    return None


def _run(tokens: list[str], token: str) -> int:
    best = run = 0
    for t in tokens:
        run = run + 1 if t == token else 0
        best = max(best, run)
    return best


def echoes_prompt(text: str, prompts: list[str], n: int = 6) -> str | None:
    """The first run of ``n`` words that ``text`` copies from one of our ``prompts``, or None."""
    for token in _PROMPT_TOKENS:
        if token in text:
            return token
    words = _tokens(text)
    if len(words) < n:
        return None
    own = {tuple(_tokens(p)[i:i + n]) for p in prompts for i in range(max(0, len(_tokens(p)) - n + 1))}
    for i in range(len(words) - n + 1):
        if tuple(words[i:i + n]) in own:
            return " ".join(words[i:i + n])
    return None


def says_nothing(answer: str, question: str, claims: int) -> bool:
    """Only markers and the question's own words (and at most two more): no answer in it."""
    if claims:
        return False
    said = [t for t in _tokens(MARKER.sub(" ", answer)) if len(t) > 1 or _CJK_OR_THAI.search(t)]
    asked = set(_tokens(question))
    new = [t for t in said if t not in asked]
    return len(new) <= 2 if not _CJK_OR_THAI.search(answer) else len(new) <= 4
