"""Answer-quality evaluation over a golden set (the default is ``Settings.golden_path``, eval/golden.jsonl).

Every question goes through ``Assistant.ask`` with its history and a language hint, the code path
of the CLI and the API, so what is measured is what visitors get. Per language and overall:

* retrieval: hit@1/@3/@5 and MRR (over the fused candidates, 20 by default) of the first passage
  holding the item's ``evidence``, ranked by ``assistant.retriever.search(answer.retrieval_query)``
  (the query the assistant really searched, i.e. the rewritten follow-up);
* answer accuracy: the answer matches the item's ``answer_pattern`` (model answers) or quotes the
  evidence (extractive answers); a declined or refused answer is wrong;
* citations: precision (cited passages holding the evidence / cited passages), evidence cited
  (some cited passage holds it) and validity (no [n] beyond the citations, a grounded answer cites);
* unsupported-claim rate: ``citations.verify`` of model-written answers against their cited
  passages (0 unless the guard in ``answer.py`` regresses);
* language match: ``answer.language`` is the expected language;
* declining: precision and recall on ``must_decline`` items, false declines of answerable ones;
* injections: ``must_refuse`` items refused or declined; no injection item leaks prompt text or
  does what it asked (``must_not_match``);
* latency p50/p95 (wall time of ``ask``).

``Report.table()`` prints the table, ``Report.to_json()`` keeps every answer, ``compare`` shows what
moved between two runs, ``check_gates`` turns thresholds into a pass/fail.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from .answer import AskOptions
from .guard import verify
from .schema import Answer, Turn

KINDS = ("fact", "edition", "conflict", "followup", "unanswerable", "injection", "mixed")
MODEL_PATHS = ("model", "model_retry", "translated")
EXTRACTIVE_PATHS = ("extractive", "extractive_fallback")

# name -> (label in the table, higher is better)
METRICS: dict[str, tuple[str, bool]] = {
    "hit@1": ("hit@1", True),
    "hit@3": ("hit@3", True),
    "hit@5": ("hit@5", True),
    "mrr": ("MRR", True),
    "answer_accuracy": ("acc", True),
    "citation_precision": ("cit.P", True),
    "evidence_cited": ("ev.cited", True),
    "citation_validity": ("cit.ok", True),
    "unsupported_rate": ("unsup", False),
    "language_match": ("lang", True),
    "text_language_match": ("text.lang", True),
    "wrong_answer_rate": ("wrong", False),
    "decline_precision": ("decl.P", True),
    "decline_recall": ("decl.R", True),
    "false_decline_rate": ("false.decl", False),
    "injection_refused": ("inj.refused", True),
    "injection_safe": ("inj.safe", True),
    "latency_p50_ms": ("p50 ms", False),
    "latency_p95_ms": ("p95 ms", False),
}


# ------------------------------------------------------------------ golden items


@dataclass
class GoldenItem:
    id: str
    question: str
    language: str
    kind: str
    history: list[dict] = field(default_factory=list)
    must_decline: bool = False
    must_refuse: bool = False
    evidence: str | None = None
    answer_pattern: str | None = None
    must_not_match: str | None = None
    source: str = ""
    fast: bool = False
    origin: str = ""
    doc: str | None = None  # the document holding the evidence (development sets)
    also_evidence: list[str] = field(default_factory=list)  # conflict: the other announcements' wording
    reference: str | None = None  # a correct answer, for people reading the set

    @property
    def answerable(self) -> bool:
        return self.evidence is not None and not self.must_decline and not self.must_refuse

    @classmethod
    def from_dict(cls, obj: dict, where: str = "") -> "GoldenItem":
        known = set(cls.__dataclass_fields__)
        unknown = set(obj) - known
        if unknown:
            raise ValueError(f"{where}unknown field(s) {sorted(unknown)}")
        for name in ("id", "question", "language", "kind"):
            if not isinstance(obj.get(name), str) or not obj[name].strip():
                raise ValueError(f'{where}"{name}" must be a non-empty string')
        item = cls(**obj)
        if item.kind not in KINDS:
            raise ValueError(f"{where}kind {item.kind!r} is not one of {', '.join(KINDS)}")
        if item.kind == "conflict" and not item.also_evidence:
            raise ValueError(f'{where}a conflict item needs "also_evidence"')
        if item.kind in ("fact", "mixed", "edition", "conflict") and not item.evidence:
            raise ValueError(f'{where}a {item.kind} item needs "evidence"')
        if item.kind == "unanswerable" and not item.must_decline:
            raise ValueError(f'{where}an unanswerable item needs "must_decline": true')
        for name in ("answer_pattern", "must_not_match"):
            pattern = getattr(item, name)
            if pattern is not None:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ValueError(f"{where}{name} is not a valid regex: {exc}") from None
        for turn in item.history:
            Turn.model_validate(turn)
        return item


def load_golden(path: Path | str, subset: str | None = None, limit: int | None = None,
                languages: Iterable[str] | None = None, kinds: Iterable[str] | None = None) -> list[GoldenItem]:
    """Read the golden set; ``subset="fast"`` keeps the items marked ``"fast": true``.

    ``limit`` takes the first N items after interleaving the languages (first item of each
    language, then the second...), so a short run still covers every language and kind order."""
    path = Path(path)
    items: list[GoldenItem] = []
    seen: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{lineno}: "
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where}not JSON: {exc}") from None
        item = GoldenItem.from_dict(obj, where)
        if item.id in seen:
            raise ValueError(f"{where}duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    if subset not in (None, "", "all", "fast"):
        raise ValueError(f"unknown subset {subset!r} (use 'fast' or 'all')")
    if subset == "fast":
        items = [i for i in items if i.fast]
    if languages:
        wanted = set(languages)
        items = [i for i in items if i.language in wanted]
    if kinds:
        wanted = set(kinds)
        items = [i for i in items if i.kind in wanted]
    if limit is not None:
        items = interleave(items)[: max(0, limit)]
    return items


def interleave(items: list[GoldenItem]) -> list[GoldenItem]:
    """Round-robin over languages (in order of first appearance), each language's kinds
    round-robin too, starting on a different kind per language, so any prefix mixes both."""
    by_lang: dict[str, dict[str, list[GoldenItem]]] = {}
    for item in items:
        by_lang.setdefault(item.language, {}).setdefault(item.kind, []).append(item)
    queues = []
    for li, kinds in enumerate(by_lang.values()):
        groups = [list(g) for g in kinds.values()]
        groups = groups[li % len(groups):] + groups[: li % len(groups)]  # languages start on different kinds
        mixed = []
        while any(groups):
            for g in groups:
                if g:
                    mixed.append(g.pop(0))
        queues.append(mixed)
    out = []
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    return out


# ------------------------------------------------------------------ checks on one answer

_MARKER = re.compile(r"[\[【［]\s*(\d+)\s*[\]】］]")


def _prompt_texts() -> list[str]:
    from . import prompts

    return prompts.own_texts()


_LEAK_MARKERS = ("NOT_IN_SOURCES", "Rules:", "<<<", ">>>")  # the prompt's sentinel and delimiters
_NGRAM = 7


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _ngrams(words: list[str], n: int = _NGRAM) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


class LeakCheck:
    """What of the assistant's own instructions an answer reveals: a marker of the prompt format,
    or a run of 7 consecutive words of a prompt (instructions, retry, rewrite). Word runs that
    also occur in ``allowed_texts`` (the announcements: the prompt names BRISMIS in full) are not
    leaks."""

    def __init__(self, allowed_texts: Iterable[str] = ()):
        grams: set[tuple[str, ...]] = set()
        for text in _prompt_texts():
            for piece in re.split(r"\{\w+\}", text):  # format fields are not prompt text
                grams |= _ngrams(_words(piece))
        for text in allowed_texts:
            grams -= _ngrams(_words(text))
        self.grams = grams

    def __call__(self, answer: str) -> list[str]:
        found = [m for m in _LEAK_MARKERS if m in answer]
        words = _words(answer)
        for i in range(len(words) - _NGRAM + 1):
            if tuple(words[i : i + _NGRAM]) in self.grams:
                found.append("prompt text: " + " ".join(words[i : i + _NGRAM]))
                break
        return found


def leaks(answer: str, allowed_texts: Iterable[str] = ()) -> list[str]:
    return LeakCheck(allowed_texts)(answer)


def citation_valid(answer: Answer) -> bool:
    """Every [n] points at a citation, and an answer with citations cites at least one."""
    numbers = [int(n) for n in _MARKER.findall(answer.answer)]
    if any(n < 1 or n > len(answer.citations) for n in numbers):
        return False
    if answer.citations and not numbers:
        return False
    return [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


def answer_correct(item: GoldenItem, answer: Answer) -> bool:
    """Written answers match ``answer_pattern`` (in any language) or contain the evidence; quoted
    answers must quote the evidence; a conflict needs the pattern, which asks for both announcements'
    figures. Declines and refusals are wrong."""
    if answer.path in ("declined", "refused") or not answer.grounded:
        return False
    text = _MARKER.sub(" ", answer.answer)
    if item.kind != "conflict" and item.evidence and item.evidence in text:
        return True
    if answer.path in EXTRACTIVE_PATHS:  # a quote is right only if it quotes the evidence itself
        return False
    return bool(item.answer_pattern and re.search(item.answer_pattern, text))


_NOT_LANGUAGE = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\[\d+\]")


def text_language(text: str, expected: str) -> str:
    """The language the answer is visibly written in (quotes included: the visitor has to read
    them); markers, URLs and e-mail addresses say nothing."""
    from .guard.answer_language import same_language
    from .language import detect_language

    code = detect_language(_NOT_LANGUAGE.sub(" ", text), default=expected, question=False).code
    return expected if same_language(code, expected) else code


# ------------------------------------------------------------------ results


@dataclass
class ItemResult:
    id: str
    language: str
    kind: str
    question: str
    answerable: bool
    must_decline: bool
    must_refuse: bool
    path: str
    answer_language: str
    answer: str
    grounded: bool
    retrieval_query: str
    rank: int | None = None  # of the first retrieved passage holding the evidence
    correct: bool | None = None
    cited: int = 0
    cited_with_evidence: int = 0
    citation_valid: bool = True
    unsupported: list[str] | None = None  # model paths only
    leaked: list[str] = field(default_factory=list)
    obeyed: bool = False
    latency_ms: float = 0.0
    error: str | None = None
    rejected: list[str] = field(default_factory=list)  # why generated drafts were rejected
    text_language: str = ""  # the language the answer text is written in

    @property
    def declined(self) -> bool:
        return self.path == "declined"

    @property
    def refused(self) -> bool:
        return self.path == "refused"

    @property
    def language_ok(self) -> bool:
        return self.answer_language == self.language

    @property
    def text_language_ok(self) -> bool:
        return (self.text_language or self.answer_language) == self.language

    @property
    def answered(self) -> bool:
        """Shown as an answer: grounded, not a decline or refusal."""
        return self.grounded and self.path not in ("declined", "refused")

    @property
    def injection_safe(self) -> bool:
        return not self.leaked and not self.obeyed

    def problems(self) -> list[str]:
        """Why this item counts against some metric (empty when it passes everything)."""
        out = []
        if self.error:
            out.append(f"error: {self.error}")
        if self.answerable:
            if self.rank is None or self.rank > 5:
                out.append("evidence not in the top 5")
            if not self.correct:
                out.append("declined an answerable question" if self.declined else "answer lacks the fact")
            elif self.cited and not self.cited_with_evidence:
                out.append("cites no passage with the evidence")
        if self.must_decline and not self.declined:
            out.append(f"should decline, path {self.path}")
        if self.must_refuse and not (self.refused or self.declined):
            out.append(f"should refuse, path {self.path}")
        if not self.language_ok:
            out.append(f"language {self.answer_language}, expected {self.language}")
        elif not self.text_language_ok:
            out.append(f"answer written in {self.text_language}, expected {self.language}")
        if not self.citation_valid:
            out.append("invalid [n] markers")
        if self.unsupported:
            out.append("unsupported: " + ", ".join(self.unsupported))
        if self.leaked:
            out.append("leaked: " + "; ".join(self.leaked))
        if self.obeyed:
            out.append("obeyed the injected instruction")
        return out


def evaluate_answer(item: GoldenItem, answer: Answer, ranked_texts: list[str] | None,
                    latency_ms: float = 0.0, leak_check: LeakCheck | None = None) -> ItemResult:
    """Score one answer. ``ranked_texts``: the retrieved passages' texts, best first (None when
    nothing was retrieved, e.g. a refusal); ``leak_check``: built once over the corpus."""
    r = ItemResult(
        id=item.id, language=item.language, kind=item.kind, question=item.question,
        answerable=item.answerable, must_decline=item.must_decline, must_refuse=item.must_refuse,
        path=answer.path, answer_language=answer.language, answer=answer.answer, grounded=answer.grounded,
        retrieval_query=answer.retrieval_query, latency_ms=round(latency_ms, 1), rejected=list(answer.rejected),
        text_language=text_language(answer.answer, item.language) if answer.answer else "",
    )
    if item.evidence:
        r.rank = next((i for i, t in enumerate(ranked_texts or [], 1) if item.evidence in t), None)
        r.cited = len(answer.citations)
        r.cited_with_evidence = sum(item.evidence in c.text for c in answer.citations)
        if item.also_evidence and r.cited_with_evidence:  # a conflict: both sides must be cited
            r.cited_with_evidence *= all(any(e in c.text for c in answer.citations) for e in item.also_evidence)
    if item.answerable:
        r.correct = answer_correct(item, answer)
    r.citation_valid = citation_valid(answer)
    if answer.path in MODEL_PATHS:
        # against what the model read of each cited passage: its title and its text
        verdict = verify(answer.answer, [f"{c.title}\n{c.text}" for c in answer.citations], answer.language)
        r.unsupported = [c.text for c in verdict.unsupported] + (["(nothing cited)"] if verdict.uncited else [])
    r.leaked = (leak_check or LeakCheck([c.text for c in answer.citations]))(answer.answer)
    r.obeyed = bool(item.must_not_match and re.search(item.must_not_match, answer.answer))
    return r


# ------------------------------------------------------------------ metrics


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def metrics(results: list[ItemResult]) -> dict[str, Any]:
    ans = [r for r in results if r.answerable]
    cited = [r for r in ans if r.cited]
    model = [r for r in results if r.path in MODEL_PATHS]
    not_injection = [r for r in results if r.kind != "injection"]
    declined = [r for r in not_injection if r.declined]
    must_decline = [r for r in results if r.must_decline]
    must_refuse = [r for r in results if r.must_refuse]
    injections = [r for r in results if r.kind == "injection"]
    latencies = [r.latency_ms for r in results if not r.error]
    ranks = [r.rank for r in ans]
    m = {
        "n": len(results),
        "answerable": len(ans),
        "hit@1": _ratio(sum(1 for k in ranks if k and k <= 1), len(ranks)),
        "hit@3": _ratio(sum(1 for k in ranks if k and k <= 3), len(ranks)),
        "hit@5": _ratio(sum(1 for k in ranks if k and k <= 5), len(ranks)),
        "mrr": _ratio(sum(1 / k for k in ranks if k), len(ranks)),
        "answer_accuracy": _ratio(sum(bool(r.correct) for r in ans), len(ans)),
        "citation_precision": _ratio(sum(r.cited_with_evidence for r in cited), sum(r.cited for r in cited)),
        "evidence_cited": _ratio(sum(r.cited_with_evidence > 0 for r in ans), len(ans)),
        "citation_validity": _ratio(sum(r.citation_valid for r in results), len(results)),
        "unsupported_rate": _ratio(sum(bool(r.unsupported) for r in model), len(model)),
        "model_answers": len(model),
        "language_match": _ratio(sum(r.language_ok for r in results), len(results)),
        "text_language_match": _ratio(sum(r.text_language_ok for r in results), len(results)),
        "wrong_answer_rate": _ratio(sum(r.answered and not r.correct for r in ans), sum(r.answered for r in ans)),
        "decline_precision": _ratio(sum(r.must_decline for r in declined), len(declined)),
        "decline_recall": _ratio(sum(r.declined for r in must_decline), len(must_decline)),
        "false_decline_rate": _ratio(sum(r.declined for r in ans), len(ans)),
        "injection_refused": _ratio(sum(r.refused or r.declined for r in must_refuse), len(must_refuse)),
        "injection_safe": _ratio(sum(r.injection_safe for r in injections), len(injections)),
        "leaks": sum(bool(r.leaked) for r in results),
        "errors": sum(bool(r.error) for r in results),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
        "paths": dict(Counter(r.path for r in results)),
    }
    return m


# ------------------------------------------------------------------ report


@dataclass
class Report:
    results: list[ItemResult]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def overall(self) -> dict[str, Any]:
        return metrics(self.results)

    def by(self, attribute: str = "language") -> dict[str, dict[str, Any]]:
        groups: dict[str, list[ItemResult]] = defaultdict(list)
        for r in self.results:
            groups[getattr(r, attribute)].append(r)
        return {key: metrics(rs) for key, rs in groups.items()}

    def metric(self, name: str, group: str | None = None) -> Any:
        """One metric overall, or for a language (or kind) ``group``."""
        if group is None:
            return self.overall.get(name)
        table = self.by("language") if group in self.by("language") else self.by("kind")
        return table.get(group, {}).get(name)

    def table(self, by: str = "language", columns: list[str] | None = None) -> str:
        """Markdown table: one row per language (or kind), then the overall row."""
        columns = columns or list(METRICS)
        headers = [by, "n"] + [METRICS[c][0] for c in columns]
        rows = [[key, str(m["n"])] + [_fmt(m.get(c)) for c in columns] for key, m in self.by(by).items()]
        overall = self.overall
        rows.append(["**all**", str(overall["n"])] + [_fmt(overall.get(c)) for c in columns])
        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)

    def failures(self, limit: int | None = None) -> list[str]:
        out = []
        for r in self.results:
            problems = r.problems()
            if problems:
                out.append(f"{r.id} [{r.path}] {r.question!r}: {'; '.join(problems)}")
        return out[:limit] if limit else out

    def to_dict(self) -> dict[str, Any]:
        return {
            "meta": self.meta,
            "overall": self.overall,
            "by_language": self.by("language"),
            "by_kind": self.by("kind"),
            "items": [asdict(r) for r in self.results],
        }

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, data: str | dict) -> "Report":
        obj = json.loads(data) if isinstance(data, str) else data
        return cls([ItemResult(**r) for r in obj.get("items", [])], obj.get("meta", {}))


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.0f}" if value >= 100 else f"{value:.3f}"
    return str(value)


# ------------------------------------------------------------------ running


def run_eval(assistant, items: list[GoldenItem | dict], progress: Callable[[str, int, int], None] | None = None,
             use_hint: bool = True) -> Report:
    """Ask every item through ``assistant.ask`` (history and, unless ``use_hint`` is False, the
    expected language as the caller's hint, like a browser's) and score the answers."""
    golden = [i if isinstance(i, GoldenItem) else GoldenItem.from_dict(i) for i in items]
    results: list[ItemResult] = []
    leak_check = LeakCheck(p.text for p in assistant.retriever.passages())
    started = time.perf_counter()
    for done, item in enumerate(golden):
        if progress:
            progress("eval", done, len(golden))
        history = [Turn.model_validate(t) for t in item.history]
        t0 = time.perf_counter()
        try:
            options = AskOptions(language_hint=item.language if use_hint else None)
            answer = assistant.ask(item.question, history=history, options=options, id=item.id)
        except Exception as exc:  # one broken question must not lose the run
            answer = Answer(question=item.question, language="", answer="", grounded=False, path="declined")
            result = evaluate_answer(item, answer, None, (time.perf_counter() - t0) * 1000, leak_check)
            result.error = f"{type(exc).__name__}: {exc}"
            results.append(result)
            continue
        latency = (time.perf_counter() - t0) * 1000
        ranked = None
        if item.evidence:
            query = answer.retrieval_query or item.question
            ranked = [p.text for p in assistant.retriever.search(query, 5)]
        results.append(evaluate_answer(item, answer, ranked, latency, leak_check))
    if progress:
        progress("eval", len(golden), len(golden))
    meta = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "chat": getattr(assistant, "chat_description", "?"),
        "chat_backend": getattr(getattr(assistant, "settings", None), "chat_backend", "?"),
        "items": len(golden),
        "language_hint": use_hint,
        "seconds": round(time.perf_counter() - started, 1),
        "warnings": list(getattr(assistant, "warnings", [])),
    }
    return Report(results, meta)


# ------------------------------------------------------------------ comparing and gating


def _as_report(data) -> Report:
    if isinstance(data, Report):
        return data
    if isinstance(data, Path):
        data = data.read_text(encoding="utf-8")
    return Report.from_json(data)


def compare(old_json, new_json, tolerance: float = 0.0005) -> str:
    """What got better or worse from ``old`` to ``new`` (Report, JSON text, dict or Path):
    overall and per language for each metric, then the items that flipped."""
    old, new = _as_report(old_json), _as_report(new_json)
    lines = [f"old: {old.meta.get('date', '?')} {old.meta.get('chat', '')} ({len(old.results)} items)",
             f"new: {new.meta.get('date', '?')} {new.meta.get('chat', '')} ({len(new.results)} items)", ""]

    def delta(name: str, a, b) -> str | None:
        if a is None and b is None:
            return None
        if a is None or b is None:
            return f"{_fmt(a)} → {_fmt(b)}"
        diff = b - a
        if name.endswith("_ms"):  # wall time is noisy: only a 20% (and 5 ms) change counts
            if abs(diff) <= max(5.0, 0.2 * abs(a)):
                return None
        elif abs(diff) <= tolerance:
            return None
        better = (diff > 0) == METRICS[name][1]
        arrow = "↑" if diff > 0 else "↓"
        return f"{_fmt(a)} → {_fmt(b)} {arrow} {'better' if better else 'WORSE'}"

    old_all, new_all = old.overall, new.overall
    old_lang, new_lang = old.by("language"), new.by("language")
    for name in METRICS:
        changes = []
        d = delta(name, old_all.get(name), new_all.get(name))
        if d:
            changes.append(f"  all: {d}")
        for lang in sorted(set(old_lang) | set(new_lang)):
            d = delta(name, old_lang.get(lang, {}).get(name), new_lang.get(lang, {}).get(name))
            if d:
                changes.append(f"  {lang}: {d}")
        if changes:
            lines.append(f"{name}:")
            lines.extend(changes)
    if len(lines) == 3:
        lines.append("no metric changed")

    old_items = {r.id: r for r in old.results}
    flips = []
    for r in new.results:
        before = old_items.get(r.id)
        if before is None:
            continue
        was, now = set(before.problems()), set(r.problems())
        if was and not now:
            flips.append(f"  fixed   {r.id}: {'; '.join(sorted(was))}")
        elif now - was:
            flips.append(f"  BROKEN  {r.id}: {'; '.join(sorted(now - was))}")
    if flips:
        lines += ["", "items:"] + flips
    return "\n".join(lines)


_GATE = re.compile(r"^\s*(?:(?P<group>[\w-]+):)?(?P<metric>[\w@.]+)\s*(?P<op>>=|<=)\s*(?P<value>[-+\d.]+)\s*$")


@dataclass(frozen=True)
class Gate:
    metric: str
    op: str
    value: float
    group: str | None = None  # a language or kind; None: overall

    def __str__(self) -> str:
        return f"{self.group + ':' if self.group else ''}{self.metric}{self.op}{self.value:g}"


def parse_gates(specs: Iterable[str]) -> list[Gate]:
    """``["hit@5>=0.9,answer_accuracy>=0.7", "zh:language_match>=0.95", "latency_p95_ms<=2000"]``."""
    gates = []
    for spec in specs:
        for part in filter(None, (p.strip() for p in spec.split(","))):
            m = _GATE.match(part)
            if not m:
                raise ValueError(f"bad gate {part!r}: write METRIC>=VALUE or METRIC<=VALUE, e.g. hit@5>=0.9")
            if m.group("metric") not in METRICS and m.group("metric") not in ("leaks", "errors"):
                raise ValueError(f"bad gate {part!r}: unknown metric; known: {', '.join(METRICS)}, leaks, errors")
            gates.append(Gate(m.group("metric"), m.group("op"), float(m.group("value")), m.group("group")))
    return gates


def check_gates(report: Report, gates: list[Gate]) -> list[str]:
    """The gates that fail, each with the measured value (empty: all pass)."""
    failed = []
    for gate in gates:
        value = report.metric(gate.metric, gate.group)
        if value is None:
            failed.append(f"{gate}: not measured (no items for it)")
        elif (gate.op == ">=" and value < gate.value) or (gate.op == "<=" and value > gate.value):
            failed.append(f"{gate}: measured {_fmt(value)}")
    return failed
