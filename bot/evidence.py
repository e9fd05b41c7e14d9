"""The sentences an answer rests on, chosen from the retrieved passages.

Every stage after retrieval works on sentences: the generator reads the few that best answer the
question (a CPU model reads ~60 prompt tokens a second), the extractive answer quotes the best
one, a fallback translates it, and the guard checks that each sentence of a written answer says
what one sentence of its cited passage says. A sentence's score is its similarity to the question
(multilingual e5), plus a bonus when it holds the kind of fact asked for (a date for "when", a
number for "how many": question_type.py) and when its announcement names the edition the question
asks about (editions.py, weighed by the retriever).
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from .chunking import Span, sentence_spans
from .language import phrase
from .editions import without_edition
from .guard.qualifiers import counted_kinds, counted_phrases, kinds_named, kinds_of_people, number_sides
from .question_type import holds, names_agent, says_adopted
from .schema import Citation

TYPE_BONUS = 0.02  # e5 similarities are compressed (0.75-0.9): a small bonus reorders close sentences
EDITION_BONUS = 0.02
# a sentence is scored against the question mostly without its edition words ("Which film won in
# [2022]?"): e5 favours the sentence repeating the year or the edition's name, and the passage's own
# score and the edition bonus already weigh the edition. Some of the whole question stays ("Where was
# [the third] held?" says little without it). Evidence sentence first, eval/dev fact and edition
# questions: tune 0.61 -> 0.65, holdout 0.44 -> 0.54 (hit@3 0.87 -> 0.93); 0.5 and 1.0 did less.
WITHOUT_EDITION_WEIGHT = 0.8
# more for the kinds whose answer has a form few sentences have. "what dates?", "from when to
# when?": only a range of days answers, and the opening day's sentence scores as high as the one
# with the range (eval/dev: "29 November to 1 December 2023" fifth). "When is the office open?":
# "the symposium opened on the morning of 27 November" outscored the office hours by 0.077 (eval/dev)
# "What is the secretariat's address?": e5 puts the e-mail line 0.05-0.10 above the address line
# (golden, four languages). "What was the theme?": a sentence saying "theme" with a title (extractive,
# with the stricter theme form: golden 0.797 -> 0.805, tune 0.718 -> 0.726, holdout edition 0.45 -> 0.48)
FORM_BONUS = {"days": 0.05, "hours": 0.08, "postal": 0.15, "theme": 0.03}
PASSAGE_WEIGHT = 1.0  # weight of the whole passage's similarity (it holds the title: the edition, the event)
CLOSE_TO_BEST = 0.03  # quote a second sentence only if it is almost as good as the best
# what a count is of, told by meaning: the words a number counts ("countries", "international
# organizations") against the question, plus this much of its sentence's score. Measured on the
# model's answers to count questions of the stored embedded runs (golden and tune, 43 answers, 17
# right): 0.5 and a margin of 0.05 (COUNT_MARGIN) reject 16 of the 26 wrong and none right;
# 0.0 or 1.0 rejected right ones at any margin that caught as many wrong
COUNT_SENTENCE_WEIGHT = 0.5
COUNT_MARGIN = 0.05
# a count of the kind of thing the question names ("how many agreements": a count of agreements,
# bot/guard/data/counted_kinds.json; curators, participants and professionals are one kind here).
# Extractive, same machine: golden 0.805 -> 0.816 (+3, none lost), tune 0.744 -> 0.744 (one gained,
# one lost); 0.02 lost one on tune, 0.05 one on golden
KIND_BONUS = 0.03
ADOPTION_BONUS = 0.03  # a document asked for: the sentence saying it was adopted, not one naming it in passing
AGENT_BONUS = 0.03  # "who signed?": the sentence naming the signers, not the one on the ceremony


# page furniture that states nothing: breadcrumbs ("Home > Current Events"), view counters
_FURNITURE = re.compile(r"\s[>›»]\s|(?:views|浏览次数|阅读次数|просмотр\w*|مشاهدات|vues|visitas|lecturas|ยอดเข้าชม|"
                        r"dilihat|paparan|προβολές|прегледа|pregleda|ko['‘ʻ’]rishlar)\s*[:：]", re.IGNORECASE)
# a site's footer line: "Copyright 2017 CANSM" answered "When?" by its year (golden uz-followup-01)
_FOOTER = re.compile(r"(?:copyright\b|©|\(c\)\s*\d{4}|版权所有|power(?:ed)?\s*by\b)", re.IGNORECASE)


_QUESTION = re.compile(r"[?？؟][\s”\"»)）]*$")


def edition_weighed(passage) -> int:
    """+1 / -1 / 0: whether the retriever found the passage's announcement naming the edition asked
    about, another one, or none (``extra["edition"]``, set only when the question names one)."""
    extra = getattr(passage, "extra", None)
    return extra.get("edition", 0) if isinstance(extra, dict) else 0


def is_heading(text: str, title: str = "") -> bool:
    """A list bullet, a title line (the announcement's own title, or no sentence end, no number or
    address and mostly Capitalised), a breadcrumb, a view counter, a footer line, or a question (an
    FAQ's "What is BRISMIS?": e5 finds it closest to any question, and it states nothing)."""
    text = text.strip()
    if text.startswith(("•", "·", "-", "*")) or _FURNITURE.search(text) or _FOOTER.match(text):
        return True
    if _QUESTION.search(text):
        return True
    if title and " ".join(text.split()).casefold() == " ".join(title.split()).casefold():
        return True
    if re.search(r"[.!?。！？؟]$|\d|@", text):
        return False
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


@dataclass(frozen=True)
class Sentence:
    """One sentence of one of the passages given (``passage`` is its index there)."""

    passage: int
    span: Span
    text: str
    score: float
    similarity: float
    typed: bool = False  # holds every kind of fact the question asks for (a date, a count…)


@dataclass(frozen=True)
class Excerpt:
    """What the generator sees of a passage: its title, date and chosen sentences."""

    title: str
    date: str
    text: str
    sentences: tuple[Sentence, ...] = field(default=(), compare=False)


class SentenceEvidence:
    def __init__(self, embedder, sentences: int = 2, cache_size: int = 4096):
        self.embedder = embedder
        self.sentences = sentences
        self.cache_size = cache_size
        self._cache: OrderedDict[str, tuple[list[Span], np.ndarray]] = OrderedDict()

    def split(self, passage) -> tuple[list[Span], np.ndarray]:
        """A passage's sentence spans and their vectors. Keyed by the text itself: a chunk id
        ("doc#3") survives an edit of its document, its text does not."""
        key = hashlib.sha256(passage.text.encode("utf-8")).hexdigest()
        cached = self._cache.get(key)
        if cached is None:
            spans = sentence_spans(passage.text)
            vectors = self.embedder.encode_passages([passage.text[s.start : s.end] for s in spans])
            cached = self._cache[key] = (spans, np.asarray(vectors))
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return cached

    def rank(self, query: str, passages: list, kinds: frozenset[str] = frozenset()) -> list[Sentence]:
        """Every real sentence of ``passages`` (headings dropped, repeats of overlapping chunks
        once), best answer first."""
        asked = without_edition(query, [p.title for p in passages])
        both = np.asarray(self.embedder.encode_queries([query] if asked in ("", query) else [query, asked]))
        q = both[0] if len(both) == 1 else both[0] * (1 - WITHOUT_EDITION_WEIGHT) + both[1] * WITHOUT_EDITION_WEIGHT
        q = q / (np.linalg.norm(q) or 1.0)
        out: list[Sentence] = []
        seen: set[str] = set()
        named = kinds_of_people(kinds_named(query)) if "how_many" in kinds else frozenset()
        for pi, passage in enumerate(passages):
            spans, vectors = self.split(passage)
            edition = edition_weighed(passage)
            for span, vector in zip(spans, vectors):
                text = passage.text[span.start : span.end]
                if text in seen or is_heading(text, passage.title):
                    continue
                seen.add(text)
                similarity = float(vector @ q)
                score = similarity + EDITION_BONUS * edition + PASSAGE_WEIGHT * (passage.dense_score or 0.0)
                lang = getattr(passage, "lang", "") or "en"
                typed = bool(kinds) and all(holds(kind, text, lang) for kind in kinds)
                if typed:
                    score += TYPE_BONUS + sum(FORM_BONUS.get(kind, 0.0) for kind in kinds)
                    if named and named & kinds_of_people(counted_kinds(text, lang).values()):
                        score += KIND_BONUS
                    if "document" in kinds and says_adopted(text):
                        score += ADOPTION_BONUS
                    if "who" in kinds and names_agent(text):
                        score += AGENT_BONUS
                out.append(Sentence(pi, span, text, score, similarity, typed))
        out.sort(key=lambda s: -s.score)
        return out

    def best_line(self, query_vector, passages: list, kind: str) -> float:
        """The highest similarity to the question of a sentence stating a fact of ``kind`` (0 if
        none does). A contact question's answer is one short line of a footer or contact block, whose
        passage scores low against the question: the menu and the postal address dilute it."""
        v = np.asarray(query_vector)
        best = 0.0
        for passage in passages:
            lang = getattr(passage, "lang", "") or "en"
            if not holds(kind, passage.text, lang):
                continue
            spans, vectors = self.split(passage)
            for span, vector in zip(spans, vectors):
                if holds(kind, passage.text[span.start : span.end], lang):
                    best = max(best, float(vector @ v))
        return best

    def counts(self, query: str, sentences: list[Sentence], passages: list, side: str | None = None,
               asked: frozenset[str] = frozenset()) -> dict[str, float]:
        """How well each count stated in ``sentences`` answers a how-many question: the similarity of
        the words it counts to the question (without its edition words), plus part of its sentence's
        score. A count the passage gives to the other ``side`` (foreign / Chinese) than the one asked
        about is left out; so are the question's own numbers (``asked``)."""
        found: list[tuple[str, str, float]] = []
        for s in sentences:
            lang = getattr(passages[s.passage], "lang", "") or "en"
            sides = number_sides(s.text, lang) if side else {}
            found += [(value, words, s.score) for value, words in counted_phrases(s.text, lang)
                      if value not in asked and not (sides.get(value) and sides[value] != side)]
        if not found:
            return {}
        q = np.asarray(self.embedder.encode_queries([without_edition(query, [p.title for p in passages]) or query])[0])
        similarity = np.asarray(self.embedder.encode_passages([words for _, words, _ in found])) @ q
        out: dict[str, float] = {}
        for (value, _, score), sim in zip(found, similarity):
            out[value] = max(out.get(value, -np.inf), float(sim) + COUNT_SENTENCE_WEIGHT * score)
        return out

    def vector_of(self, passage, span: Span) -> np.ndarray:
        """The vector of one sentence of ``passage`` (split and embedded once)."""
        spans, vectors = self.split(passage)
        return vectors[spans.index(span)]

    def excerpts(self, ranked: list[Sentence], passages: list, n: int) -> dict[int, Excerpt]:
        """The ``n`` best sentences grouped by passage (key: its index), in document order."""
        chosen = ranked[:n]
        out = {}
        for pi in sorted({s.passage for s in chosen}):
            mine = tuple(sorted((s for s in chosen if s.passage == pi), key=lambda s: s.span.start))
            out[pi] = Excerpt(passages[pi].title, passages[pi].date, " ".join(s.text for s in mine), mine)
        return out

    def quoted(self, ranked: list[Sentence]) -> list[Sentence]:
        """The sentences an extractive answer quotes: the best, and the next if almost as good. When
        the best states the kind of fact asked for, the next must state one too: "When was the first
        symposium held?" was answered by its date and then by the agreement supporting the biennial
        symposium, a sentence without a date that scored close through its edition."""
        if not ranked:
            return []
        best = ranked[0]
        return [s for s in ranked[: self.sentences]
                if s.score >= best.score - CLOSE_TO_BEST and (s.typed or not best.typed)]

    def quote(self, lang: str, passages: list, ranked: list[Sentence]) -> tuple[str, list[Citation]]:
        """The extractive answer: the best sentence (and the next if almost as good), quoted after a
        lead-in in the asker's language."""
        if not ranked:
            return phrase("lead_in", lang), []
        picked = self.quoted(ranked)
        numbers: dict[int, int] = {}
        citations: list[Citation] = []
        quotes = []
        for s in picked:
            if s.passage not in numbers:
                numbers[s.passage] = len(numbers) + 1
                citations.append(Citation.of(numbers[s.passage], passages[s.passage]))
            citations[numbers[s.passage] - 1].highlights.append((s.span.start, s.span.end))
            quotes.append(f"“{s.text}” [{numbers[s.passage]}]")
        return phrase("lead_in", lang) + "\n" + "\n".join(quotes), citations

    def closest(self, text: str, passages: list, allowed: list[int], minimum: float = 0.8) -> int | None:
        """Index of the allowed passage holding the sentence closest in meaning to ``text``."""
        if not allowed:
            return None
        v = np.asarray(self.embedder.encode_passages([text])[0])
        scores = {}
        for i in allowed:
            spans, vectors = self.split(passages[i])
            if spans:
                scores[i] = float(np.max(vectors @ v))
        best = max(scores, key=scores.get, default=None)
        return best if best is not None and scores[best] >= minimum else None

    def best_match(self, text: str, passage) -> tuple[str, float]:
        """The sentence of ``passage`` closest in meaning to ``text`` (across languages), and how close."""
        spans, vectors = self.split(passage)
        if not spans:
            return "", 0.0
        scores = vectors @ np.asarray(self.embedder.encode_passages([text])[0])
        i = int(np.argmax(scores))
        return passage.text[spans[i].start : spans[i].end], float(scores[i])
