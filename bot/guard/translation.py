"""A translation of one sentence must carry the same facts: every number, year, date, e-mail and
web address of the source, and nothing the source does not say (the claim checks of support.py)."""

from __future__ import annotations

from .extract import extract_claims
from .qualifiers import count_conflict, qualifier_conflict
from .support import verify

_KINDS = ("number", "year", "date", "email", "url")


def translation_problems(source: str, source_lang: str, translation: str, lang: str) -> list[str]:
    """What is wrong with ``translation`` of ``source`` (empty: the same facts)."""
    problems = []
    verdict = verify(translation + " [1]", [source], lang, passage_langs=[source_lang])
    problems += [f"added '{c.text}'" for c in verdict.unsupported]
    have = {(c.kind, c.normalized) for c in extract_claims(translation, lang)}
    for c in extract_claims(source, source_lang or "en"):
        if c.kind in _KINDS and (c.kind, c.normalized) not in have:
            # a year the translation writes inside a full date still counts as given
            if c.kind == "year" and any(k == "date" and n.startswith(c.normalized) for k, n in have):
                continue
            problems.append(f"dropped '{c.text}'")
    wrong = qualifier_conflict(translation, lang, source, source_lang) or count_conflict(translation, lang, source,
                                                                                        source_lang)
    if wrong:
        problems.append(wrong)
    return problems
