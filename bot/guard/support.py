"""What the cited passages support, and the verdict on an answer.

Each claim must be found in the union of the CITED passages, not just anywhere in the corpus: an
answer citing the address footer for a date fails even if another passage has the date. The
passages are read once (``_Support``) into what can confirm a claim: their numbers, their months
with the days and years attached, their folded words and the stems of those words.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

from ..scripts import unicode_script
from .claim import Claim, Verdict
from .contacts import contact_supported
from .dates import PassageDates, thai_year
from .extract import extract_claims
from .gazetteer import gazetteer_claims
from .markers import MARKER
from .names import STOP, is_cased, name_parts
from .numbers import passage_numbers
from .tables import language
from .text import WORD, fold, to_int, word_count
from .transliteration import latin_variants, translit

_STEM_SUFFIXES = tuple(language("en")["stem_suffixes"])


def _stem(word: str) -> str:
    for suffix in _STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=512)
def _cities(text: str) -> frozenset[str]:
    """The gazetteer's cities ``text`` names (the same passages are checked again at every sentence)."""
    return frozenset(c.normalized for c in gazetteer_claims(text))


class _Support:
    """Everything the cited passages can confirm, read once."""

    def __init__(self, passages: list[str], question: str = "", passage_langs=()):
        text = unicodedata.normalize("NFC", "\n".join(passages))
        self.lower = text.lower()
        self.numbers = passage_numbers(text)
        self.dates = PassageDates(text)
        for lang in set(passage_langs) - {"en", ""}:  # "2017年11月27日", "27 ноября", "四十四"
            for c in extract_claims(text, lang):
                if c.kind == "date":
                    self.dates.add(c.normalized)
                elif c.kind in ("number", "year"):
                    self.numbers.add(c.normalized)
        folded = fold(text)
        self.words = set(WORD.findall(folded.replace("'", " ")))
        self.long_words = [w for w in self.words if len(w) >= 3]
        self.stems = {_stem(w) for w in self.words} | {_stem(w) for w in WORD.findall(fold(question))}
        self.cities = _cities(text)  # "上海" in "上海科技馆" is Shanghai

    def number(self, claim: Claim, lang: str) -> bool:
        if claim.normalized in self.numbers:
            return True
        if claim.kind == "year" and lang == "th" and claim.normalized.isdigit():
            return str(thai_year(int(claim.normalized), lang)) in self.numbers
        groups = re.findall(r"\d+", claim.text)
        # "44 140" may be two numbers, not forty-four thousand.
        return len(groups) > 1 and all(str(to_int(g)) in self.numbers for g in groups)

    def name_token(self, token: str, lang: str, initial: bool) -> bool:
        script = unicode_script(token[0])
        f = fold(token).replace("'", "")
        if f in self.words or f.removesuffix("s") in self.words or f + "s" in self.words:
            return True
        if initial and (_stem(f) in self.stems or f in STOP["en"]):
            return True
        if script in ("CYRILLIC", "GREEK"):
            return self._close(translit(f), 0.7)
        if script == "LATIN" and lang != "en":
            return self._close(latin_variants(token), 0.8)
        return False

    def _close(self, variants: list[str], threshold: float) -> bool:
        """Some passage word is close to a reading of the token, or to its start (inflections:
        "Шлегелем", "Schlegelning"). Short passage words ("Nur", "Yang") must match closely and whole."""
        for v in variants:
            if v in self.words:
                return True
            for w in self.long_words:
                if len(w) >= 4 and v.startswith(w) and len(v) - len(w) <= 5:
                    return True
                candidates, needed = {v}, max(threshold, 0.85)
                if len(w) >= 5:
                    candidates |= {v[: len(w) + k] for k in (0, 1, 2) if len(v) > len(w) + k}
                    needed = threshold
                for c in candidates:
                    sm = difflib.SequenceMatcher(None, c, w)
                    if sm.real_quick_ratio() >= needed and sm.quick_ratio() >= needed and sm.ratio() >= needed:
                        return True
        return False

    def unsupported(self, claim: Claim, lang: str) -> list[Claim]:
        """[] if supported; for a name, only its unsupported words ("Müller" of "Flavia Müller")."""
        if claim.kind != "name" or not is_cased(claim.text):
            return [] if self.supports(claim, lang) else [claim]
        out: list[Claim] = []
        run: list[tuple[int, int, str]] = []
        for i, part in enumerate(name_parts(claim.text) + [(0, 0, "")]):
            initial = claim.sentence_initial and i == 0
            if part[2] and len(part[2]) > 1 and not self.name_token(part[2], lang, initial):
                run.append(part)
            elif run:
                text = claim.text[run[0][0] : run[-1][1]]
                normalized = " ".join(fold(t) for _, _, t in run)
                out.append(Claim("name", text, normalized, start=claim.start + run[0][0]))
                run = []
        return out

    def supports(self, claim: Claim, lang: str) -> bool:
        if claim.kind in ("number", "year"):
            return self.number(claim, lang)
        if claim.kind == "date":
            return self.dates.supports(claim.normalized)
        if claim.kind in ("email", "url"):
            return contact_supported(claim, self.lower)
        tokens = [t for _, _, t in name_parts(claim.text)] or [claim.text]
        if not is_cased(claim.text):  # gazetteer: the English name, or the city in any of its spellings
            return claim.normalized in self.cities or all(w in self.words for w in claim.normalized.split())
        return all(
            self.name_token(t, lang, claim.sentence_initial and i == 0) for i, t in enumerate(tokens) if len(t) > 1
        )


def verify(answer: str, cited_passages: list[str], lang: str, question: str = "", passage_langs=()) -> Verdict:
    """Check every claim of the answer against the union of the passages it cites.

    Run ``parse_citations`` first: any marker here counts as a citation, even [9] of 3.
    ``question`` only lets an English sentence start with a word the visitor used. The passages are
    read as English (their dates and numbers); ``passage_langs`` names other languages they are in.
    An answer that says something (a claim, or more than ~8 words) without a single marker is
    ``uncited``; a "don't know" answer should be recognised with ``is_dont_know`` first.
    """
    claims = extract_claims(answer, lang)
    support = _Support(cited_passages, question, passage_langs)
    unsupported = [u for c in claims for u in support.unsupported(c, lang)]
    cites = bool(MARKER.search(answer))
    uncited = not cites and (bool(claims) or word_count(MARKER.sub(" ", answer)) > 8)
    return Verdict(ok=not unsupported and not uncited, unsupported=unsupported, uncited=uncited)
