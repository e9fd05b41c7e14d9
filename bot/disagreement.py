"""Reports that give different figures or days for the same thing: every version is given, cited.

Two reports of one event often disagree (22 or 24 foreign venues; 21 agreements in the English
report, 23 in the Chinese one; 27–28 or 27–30 November). A visitor must see every version, not
whichever ranked first. When one figure (or one range of days) differs, the answer is each
version of it, written in the visitor's language; otherwise each sentence is quoted.

A rival of the best sentence is a sentence of another announcement about the same event that
states the same thing with another figure:
- it shares at least two of the best sentence's figures and has one of its own (a list of
  participants with one count changed), in any language: numbers survive translation;
- or, in the same language, it shares much of the wording and is close in meaning (e5), with one
  figure changed;
- or, in another language, with one figure changed, it and the best sentence are each other's
  closest sentence (mutual nearest neighbours). Across languages e5 cannot tell a translation from
  an unrelated sentence by its score (0.87 for the translation of a sentence, 0.91 for an
  unrelated sentence of the same language), so only the order is trusted.
- or, published the same year with both titles naming the edition asked about, it gives a count
  of the same kind of thing (countries, museums, curators, agreements…; the words each count
  counts, bot/guard/data/counted_kinds.json, in any language) as the asked count, at least 10 and
  at most a third apart ("21 cooperation agreements" and "合作协议和意向书23项"), whatever else the
  two sentences say. Numbers and the names of what they count survive translation; e5 similarity
  of such short phrases does not tell "young museum professionals" from "museums".
A count the question qualifies (foreign / Chinese) must be the one that differs. For a date, a
rival states the best sentence's range of days with one end moved; a single day (the opening, the
closing) is no rival.

The rivals are looked for among the question's wider candidates (the reports of another language
are rarely among the first few), of the same event: published the same year and about no other
edition, or a later announcement whose title names no edition recalling it (the 2018 agreement
recalling the 2017 symposium, not the 2023 report recalling 2019), where only the first kind of
rival, a list of figures restated, is trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .chunking import Span, sentence_spans
from .editions import edition_of
from .evidence import Sentence, SentenceEvidence, edition_weighed, is_heading
from .facts import stated_dates, written_date
from .guard import extract_claims
from .guard.qualifiers import counted_kinds, number_sides, side_named
from .language import phrase
from .places import places_in
from .schema import Citation

FIGURE_KINDS = {"how_many"}  # counts; for dates, only ranges of days are compared (an opening day is no rival)
POOL = 100  # candidates searched for rivals (the question's own first 20 are mostly its language)
SHARED_FIGURES = 2
SAME_STATEMENT = 0.88  # same language: this close in meaning (e5)...
SAME_WORDS = 0.4  # ...and sharing this much of the wording (Jaccard of words)
PER_LANGUAGE = 3  # passages of each other language read for a one-figure rival
MAX_RIVALS = 2
NEAR_COUNT = 1 / 3  # two reports of one count differ by at most this share of the larger (22 / 24, 130 / 140)
MIN_COUNT = 10


@dataclass(frozen=True)
class Report:
    """One announcement's version: the passage, the sentence quoted from it and, when known, its
    figure for what was asked."""

    passage: object
    span: Span
    text: str
    figure: str | None = None


def asks_for_figure(kinds: frozenset[str]) -> bool:
    """A count, and not a date ("tarikh berapa", Malay "which date", reads as "how many" too)."""
    return bool(FIGURE_KINDS & kinds) and "when" not in kinds


def looks_for_rivals(kinds: frozenset[str]) -> bool:
    """Whether other reports of a figure or of the days are looked for (among ``POOL`` candidates)."""
    return asks_for_figure(kinds) or "when" in kinds


def same_event(a, b) -> str | None:
    """Whether two passages report one event (see the module's note): "same year" (published the
    same year, about no other edition), "recalled" (a later announcement, its title naming no
    edition, about no other edition: only a list of figures restated is trusted there), or None.
    Without this, two editions' figures ("200 curators" in 2019, "240" in 2023) would be shown as
    reports that disagree."""
    if edition_weighed(a) < 0 or edition_weighed(b) < 0:
        return None
    if (a.date or "")[:4] == (b.date or "")[:4]:
        return "same year" if edition_weighed(a) == edition_weighed(b) else None
    later = max((a, b), key=lambda p: p.date or "")
    return "recalled" if not edition_of(later.title) and max(edition_weighed(a), edition_weighed(b)) == 1 else None


def counts(text: str, lang: str) -> set[str]:
    """The counts ``text`` states (the days of a date range, "5 to 7 November", are the date's)."""
    return {c.normalized for c in extract_claims(text, lang) if c.kind == "number"}


def days(text: str, lang: str) -> tuple[str, str] | None:
    """The first and last day of the one range of days ``text`` states ("27–30 November 2017" ->
    ("2017-11-27", "2017-11-30")); None for a single day, or for two ranges."""
    found = [tuple(d) for d in stated_dates(text, lang)
             if len(d) == 2 and all(re.fullmatch(r"(?:\d{4}|-)-\d\d-\d\d", x) for x in d)]
    return found[0] if len(found) == 1 else None


def _other_days(mine: tuple[str, str], theirs: tuple[str, str]) -> bool:
    """The same range with one end moved ("27–28" and "27–30 November"); a year that only one of
    them gives does not count against it."""
    def day(d: str) -> tuple[str, str]:
        return d[:4], d[-5:]  # ("2017" or "--11-", "11-27")

    (y1, a1), (_, b1) = map(day, mine)
    (y2, a2), (_, b2) = map(day, theirs)
    same_year = y1 == y2 or "-" in y1 + y2
    return same_year and (a1 == a2) != (b1 == b2) and mine[0][-5:-3] == theirs[0][-5:-3]


def _one_changed(mine: set[str], theirs: set[str]) -> bool:
    """One figure replaced by another, and nothing else changed."""
    return len(mine - theirs) == 1 == len(theirs - mine)


def _shared_words(a: str, b: str) -> float:
    wa, wb = (set(re.findall(r"[^\W\d_]+", t.casefold())) for t in (a, b))
    return len(wa & wb) / max(1, len(wa | wb))


def disagreement(evidence: SentenceEvidence, question: str, passages: list, ranked: list[Sentence],
                 kinds: frozenset[str], pool: list = ()) -> list[Report] | None:
    """The best sentence of ``ranked`` and its rivals among ``passages`` and ``pool``, or None when no
    other report gives another figure (or, for "when", other days)."""
    if ranked and "when" in kinds:
        return _other_dates(passages, ranked, kinds, pool)
    if not asks_for_figure(kinds) or not ranked:
        return None
    first = ranked[0]
    here = passages[first.passage]
    lang = here.lang or "en"
    mine = counts(first.text, lang)
    if not mine:
        return None
    side = side_named(question)
    sides = number_sides(first.text, lang)

    def differs_in_asked(theirs: set[str]) -> bool:
        changed = mine - theirs
        if not changed or not theirs - mine:
            return False
        if side and side in sides.values():  # "Chinese participants" with "48 countries … 260 Chinese": the 260
            return any(sides.get(v) == side for v in changed)
        return not (side and all(sides.get(v) not in (None, side) for v in changed))

    seen = {p.chunk_id for p in passages}
    events = {p.chunk_id: same_event(here, p) for p in [*passages, *pool] if p.doc_id != here.doc_id}
    candidates = [p for p in [*passages, *(p for p in pool if p.chunk_id not in seen)] if events.get(p.chunk_id)]
    first_vector = evidence.vector_of(here, first.span)
    rivals: dict[str, Report] = {}  # one per announcement
    one_figure: dict[str, list] = {}  # language -> passages read for a one-figure rival
    for p in candidates:
        plang = p.lang or "en"
        if (plang != lang and events[p.chunk_id] == "same year"
                and len(one_figure.setdefault(plang, [])) < PER_LANGUAGE):
            one_figure[plang].append(p)
        if p.doc_id in rivals:
            continue
        for span in sentence_spans(p.text):
            text = p.text[span.start : span.end]
            if is_heading(text, p.title):
                continue
            theirs = counts(text, plang)
            if not theirs or not differs_in_asked(theirs):
                continue
            same = len(mine & theirs) >= SHARED_FIGURES or (
                events[p.chunk_id] == "same year" and plang == lang and _one_changed(mine, theirs)
                and _shared_words(first.text, text) >= SAME_WORDS
                and float(evidence.vector_of(p, span) @ first_vector) >= SAME_STATEMENT)
            if same:
                rivals[p.doc_id] = Report(p, span, text)
                break
    here_report = Report(here, first.span, first.text)
    own = [here, *[p for p in [*passages, *pool] if p.chunk_id != here.chunk_id and (p.lang or "en") == lang
                   and (p.doc_id == here.doc_id or events.get(p.chunk_id) == "same year")][:PER_LANGUAGE]]
    for plang, group in one_figure.items():
        found = _translation_of(evidence, group, own, here_report, first_vector)
        if found is None or found.passage.doc_id in rivals:
            continue
        theirs = counts(found.text, plang)
        if _one_changed(mine, theirs) and differs_in_asked(theirs):
            rivals[found.passage.doc_id] = found
    if not rivals:  # failing those: a count of the asked kind (its e5 call only for these questions)
        asked = _asked_count(evidence, question, first, passages, side)
        counted = _counted_rivals(asked, here, [p for p in candidates if events[p.chunk_id] == "same year"],
                                  side) if asked else []
        return [Report(here, first.span, first.text, asked[0]), *counted[:MAX_RIVALS]] if counted else None
    # the clearest first: one figure changed and nothing else (then the one asked for is the one that differs)
    def clear(r: Report) -> bool:
        return _one_changed(mine, counts(r.text, r.passage.lang or "en"))

    return [here_report, *sorted(rivals.values(), key=lambda r: (not clear(r), r.passage.date or ""))[:MAX_RIVALS]]


def _asked_count(evidence: SentenceEvidence, question: str, first: Sentence, passages: list,
                 side: str | None) -> tuple[str, str] | None:
    """The count of ``first`` the question asks for, with the kind of thing it counts; None when
    that kind is not known (bot/guard/data/counted_kinds.json)."""
    scores = evidence.counts(question, [first], passages, side)
    if not scores:
        return None
    value = max(scores, key=scores.get)
    kind = counted_kinds(first.text, passages[first.passage].lang or "en").get(value)
    return (value, kind) if kind else None


def _near(a: str, b: str) -> bool:
    """Two figures one of which may be a misreport of the other: different, neither small (2 and 3
    forums are two things, not two reports), at most ``NEAR_COUNT`` apart."""
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return x != y and min(x, y) >= MIN_COUNT and abs(x - y) <= NEAR_COUNT * max(x, y)


def _edition_titled(a, b) -> bool:
    """Both announcements say in their title which edition they report, it is the one asked about,
    and no city in their titles tells them apart: a training workshop held the year of a symposium,
    or "CANSM holds its 2019 Annual Meeting in Hangzhou" beside "Second BRISMIS held in Chengdu",
    report other counts."""
    if not all(edition_of(p.title) and edition_weighed(p) == 1 for p in (a, b)):
        return False
    cities = [places_in(p.title, confident=True) for p in (a, b)]
    return not all(cities) or bool(cities[0] & cities[1])


def _counted_rivals(asked: tuple[str, str], here, candidates: list, side: str | None) -> list[Report]:
    """Other announcements of the same edition giving a count of the asked count's kind with another
    figure near it (one per announcement, the earliest published first)."""
    value, kind = asked
    rivals: dict[str, Report] = {}
    for p in candidates:
        if p.doc_id in rivals or not _edition_titled(here, p):
            continue
        plang = p.lang or "en"
        for span in sentence_spans(p.text):
            text = p.text[span.start : span.end]
            kinds = counted_kinds(text, plang)
            if value in kinds or is_heading(text, p.title):
                continue  # a sentence that also gives the asked figure does not contradict it
            sides = number_sides(text, plang) if side else {}
            theirs = [v for v, k in kinds.items() if k == kind and _near(v, value) and sides.get(v) in (None, side)]
            if len(theirs) == 1:
                rivals[p.doc_id] = Report(p, span, text, theirs[0])
                break
    return sorted(rivals.values(), key=lambda r: r.passage.date or "")


def _other_dates(passages: list, ranked: list[Sentence], kinds: frozenset[str], pool: list) -> list[Report] | None:
    """The first of the best sentences stating a range of days, and the other announcements' of the
    same event stating that range with one end moved ("27–28 November" and "27–30 November 2017").
    A single day is no rival: the opening or the closing day is not the event's dates."""
    best = ranked[:3] if "days" in kinds else ranked[:1]  # asked for the dates: the first range among the best
    first = next((s for s in best if days(s.text, passages[s.passage].lang or "en")), None)
    if first is None:
        return None
    here = passages[first.passage]
    mine = days(first.text, here.lang or "en")
    seen = {p.chunk_id for p in passages}
    rivals: dict[tuple, Report] = {}  # one per other range: the first announcement giving it
    for p in [*passages, *(p for p in pool if p.chunk_id not in seen)]:
        if p.doc_id == here.doc_id or not same_event(here, p):
            continue
        for span in sentence_spans(p.text):
            text = p.text[span.start : span.end]
            theirs = days(text, p.lang or "en")
            if theirs and not is_heading(text, p.title) and _other_days(mine, theirs):
                key = tuple(d[-5:] for d in theirs)
                if key not in rivals or (p.date or "") < (rivals[key].passage.date or ""):
                    rivals[key] = Report(p, span, text)
                break
    if not rivals:
        return None
    return [Report(here, first.span, first.text), *sorted(rivals.values(), key=lambda r: r.passage.date or "")[:MAX_RIVALS]]


def _sentences(evidence: SentenceEvidence, group: list):
    for p in group:
        spans, vectors = evidence.split(p)
        for span, vector in zip(spans, vectors):
            text = p.text[span.start : span.end]
            if not is_heading(text, p.title):
                yield p, span, text, vector


def _translation_of(evidence: SentenceEvidence, group: list, own: list, first: Report,
                    first_vector: np.ndarray) -> Report | None:
    """The sentence of ``group`` (one other language) that states what ``first`` states: the closest
    to it, and it the closest to that sentence among its own language's (``own``): mutual nearest
    neighbours, as bitext mining aligns translations without trusting the scores themselves."""
    best = max(_sentences(evidence, group), key=lambda s: float(s[3] @ first_vector), default=None)
    if best is None:
        return None
    back = max(_sentences(evidence, own), key=lambda s: float(s[3] @ best[3]))
    if back[0].chunk_id != first.passage.chunk_id or back[1] != first.span:
        return None
    return Report(best[0], best[1], best[2])


def changed_figures(reports: list[Report]) -> list[str] | None:
    """Each report's version of the one figure that differs ("24", "22"), if every rival changes
    exactly one figure of the first report, the same one; else None (which of several changed
    figures was asked, nothing here can tell)."""
    first = counts(reports[0].text, reports[0].passage.lang or "en")
    figures, changed = [], set()
    for r in reports[1:]:
        theirs = counts(r.text, r.passage.lang or "en")
        if not _one_changed(first, theirs):
            return None
        changed |= first - theirs
        figures.append(next(iter(theirs - first)))
    return [*changed, *figures] if len(changed) == 1 else None


def quote_reports(lang: str, reports: list[Report]) -> tuple[str, list[Citation]]:
    """Every version cited, its sentence highlighted in the citation, after "The announcements give
    different figures:". When one figure differs, the answer is the figures, in the visitor's
    language ("… : 24 [1] (2017-11-30); 22 [2] (2017-12-02)"); else each sentence quoted with its
    announcement's title and date."""
    citations = []
    for n, r in enumerate(reports, 1):
        citation = Citation.of(n, r.passage)
        citation.highlights.append((r.span.start, r.span.end))
        citations.append(citation)
    figures, key = changed_figures(reports), "reports_differ"
    if not figures and all(r.figure for r in reports):
        figures = [r.figure for r in reports]
    ranges = [days(r.text, r.passage.lang or "en") for r in reports]
    if not figures and all(ranges):
        figures, key = [written_date(list(d), lang) for d in ranges], "reports_differ_dates"
    if figures and all(figures):
        versions = [f"{f} [{n}]" + (f" ({r.passage.date})" if r.passage.date else "")
                    for n, (f, r) in enumerate(zip(figures, reports), 1)]
        return f"{phrase(key, lang)} {'; '.join(versions)}.", citations
    quotes = []
    for n, r in enumerate(reports, 1):
        title = f"{r.passage.title} ({r.passage.date})" if r.passage.date else r.passage.title
        quotes.append(f"{title}: “{r.text}” [{n}]")
    return phrase("reports_differ", lang) + "\n" + "\n".join(quotes), citations
