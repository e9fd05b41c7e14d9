"""Where staff-verified answers are kept: the same database as the answers and ratings
(``feedback_store.py``; SQLAlchemy Core, so SQLite and PostgreSQL work alike).

Two tables, created if missing (idempotent):

* ``verified_answers``: one row per verified answer: the question as staff wrote it, other wordings
  (``alternatives``), the answer per language (``answers``), the languages staff approved
  (``approved``; only those are ever shown to a visitor), the question per language (proposed with
  the answer's translations; an approved language's question is matched too), the source documents
  (``sources``, doc_ids; none for a policy answer) with the cited passages as they were
  (``passages``: doc_id, title, url, date, text) and the documents' content hashes at save time
  (``source_hashes``, from the index manifest), the status (``active``, ``disabled``,
  ``under_review``) and ``keep_serving`` (serve it while under review), who saved it (the name typed
  in the console, or given to ``brismis verified import --by``) and when, and translations the guard
  rejected (``rejected``: language -> text and reasons; never shown to visitors).
* ``verified_events``: what happened to each (saved, approved, flagged, disabled...), who and when.

``check_sources`` compares every verified answer's sources with the index manifest after a build:
a changed or vanished document puts the answer under review. ``to_verified`` gives the answers that
may serve as ``bot.verified.VerifiedAnswer`` objects. ``export_jsonl`` / ``import_jsonl``: JSON lines
of at least ``{"question", "answers": {"en": ...}, "approved": [...], "sources": [doc_id, ...]}``.
Times are UTC.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    select,
    update,
)
from sqlalchemy.engine import Engine, make_url

from ..language import SUPPORTED
from .feedback_store import _sqlite_pragmas, utcnow

log = logging.getLogger(__name__)

STATUSES = ("active", "disabled", "under_review")
PASSAGE_FIELDS = ("doc_id", "title", "url", "date", "text", "chunk_id")
MAX_NAME = 120

metadata = MetaData()

verified_answers = Table(
    "verified_answers",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("question", Text, nullable=False),
    Column("alternatives", JSON, nullable=False),
    Column("language", String(16), nullable=False),  # the language it was written in
    Column("answers", JSON, nullable=False),
    Column("questions", JSON, nullable=False),
    Column("approved", JSON, nullable=False),
    Column("rejected", JSON, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("passages", JSON, nullable=False),
    Column("source_hashes", JSON, nullable=False),
    Column("status", String(16), CheckConstraint("status IN ('active', 'disabled', 'under_review')",
                                                 name="verified_status"), nullable=False, index=True),
    Column("keep_serving", Boolean, nullable=False),
    Column("review_reason", Text, nullable=True),
    Column("from_answer_id", String(64), nullable=True),
    Column("created_by", String(MAX_NAME), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_by", String(MAX_NAME), nullable=False),
    Column("updated_at", DateTime, nullable=False, index=True),
)

verified_events = Table(
    "verified_events",
    metadata,
    Column("n", Integer, primary_key=True, autoincrement=True),
    Column("verified_id", String(40), nullable=False, index=True),
    Column("at", DateTime, nullable=False),
    Column("by", String(MAX_NAME), nullable=False),
    Column("action", Text, nullable=False),
)


class VerifiedProblem(ValueError):
    """A verified answer cannot be saved as given; the message says why and what to do."""


@dataclass
class Verified:
    """One verified answer as stored (``record`` turns a row into one)."""

    id: str
    question: str
    answers: dict[str, str]
    approved: list[str]
    language: str = "en"
    alternatives: list[str] = field(default_factory=list)
    questions: dict[str, str] = field(default_factory=dict)
    rejected: dict[str, dict] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    passages: list[dict] = field(default_factory=list)
    source_hashes: dict[str, str | None] = field(default_factory=dict)
    status: str = "active"
    keep_serving: bool = False
    review_reason: str | None = None
    from_answer_id: str | None = None
    created_by: str = ""
    created_at: dt.datetime | None = None
    updated_by: str = ""
    updated_at: dt.datetime | None = None

    @property
    def serving(self) -> bool:
        """Shown to visitors: active, or under review when staff chose to keep serving it."""
        return self.status == "active" or (self.status == "under_review" and self.keep_serving)

    def approved_texts(self) -> dict[str, str]:
        return {lang: self.answers[lang] for lang in self.approved if (self.answers.get(lang) or "").strip()}

    def wordings(self) -> list[str]:
        """The question, its other wordings, and its translations in the approved languages."""
        out: list[str] = []
        for text in [self.question, *self.alternatives,
                     *(self.questions.get(lang, "") for lang in self.approved)]:
            text = (text or "").strip()
            if text and text not in out:
                out.append(text)
        return out

    def to_verified(self):
        from ..verified import VerifiedAnswer

        wordings = self.wordings()
        return VerifiedAnswer(
            id=self.id, question=wordings[0], answers=self.approved_texts(),
            approved=frozenset(self.approved_texts()), sources=tuple(self.sources),
            alternatives=tuple(wordings[1:]), serving=self.serving,
            source_passages=tuple({k: p.get(k, "") for k in ("doc_id", "title", "url", "date", "text")}
                                  for p in self.passages),
        )

    def public(self) -> dict:
        """The exported JSON object (``import_jsonl`` reads it back)."""
        return {
            "id": self.id, "question": self.question, "alternatives": self.alternatives,
            "language": self.language, "answers": self.answers, "approved": sorted(self.approved),
            "questions": self.questions, "sources": self.sources, "passages": self.passages,
            "source_hashes": self.source_hashes, "status": self.status,
            "keep_serving_while_under_review": self.keep_serving, "review_reason": self.review_reason,
            "from_answer_id": self.from_answer_id,
            "saved_by": self.updated_by, "saved_at": _iso(self.updated_at),
            "created_by": self.created_by, "created_at": _iso(self.created_at),
        }


def _iso(value: dt.datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


def _name(by: str | None) -> str:
    name = " ".join(str(by or "").split())[:MAX_NAME]
    if not name:
        raise VerifiedProblem("type your name: every verified answer records who saved it")
    return name


def _texts(values: dict | None) -> dict[str, str]:
    out = {}
    for lang, text in (values or {}).items():
        if lang not in SUPPORTED:
            raise VerifiedProblem(f"unknown language {lang!r}: use one of {', '.join(SUPPORTED)}")
        text = str(text or "").strip()
        if text:
            out[lang] = text
    return out


def _passage(p: dict) -> dict:
    return {k: str(p.get(k) or "") for k in PASSAGE_FIELDS}


def manifest_documents(settings) -> dict[str, str]:
    """doc_id -> content hash of every document in the index in use (empty when there is none)."""
    from ..index import _read_manifest, _state_dir

    return dict(_read_manifest(_state_dir(settings)).get("documents") or {})


class VerifiedStore:
    """The verified answers in a database; ``VerifiedStore(url)`` or ``VerifiedStore(engine=...)``
    (the feedback store's engine: one pool for both)."""

    def __init__(self, url: str | None = None, *, engine: Engine | None = None):
        if engine is None:
            if url is None:
                raise ValueError("give a database URL or an engine")
            parsed = make_url(url)
            is_sqlite = parsed.get_backend_name() == "sqlite"
            if is_sqlite and parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, pool_pre_ping=not is_sqlite)
            if is_sqlite:
                event.listen(engine, "connect", _sqlite_pragmas)
            self._own_engine = True
        else:
            self._own_engine = False
        self.engine = engine
        metadata.create_all(self.engine)  # checkfirst: only the missing tables

    def close(self) -> None:
        if self._own_engine:
            self.engine.dispose()

    # ------------------------------------------------------------------ reading

    @staticmethod
    def record(row) -> Verified:
        r = dict(row)
        return Verified(
            id=r["id"], question=r["question"], answers=dict(r["answers"] or {}), approved=list(r["approved"] or []),
            language=r["language"], alternatives=list(r["alternatives"] or []), questions=dict(r["questions"] or {}),
            rejected=dict(r["rejected"] or {}), sources=list(r["sources"] or []), passages=list(r["passages"] or []),
            source_hashes=dict(r["source_hashes"] or {}), status=r["status"], keep_serving=bool(r["keep_serving"]),
            review_reason=r["review_reason"], from_answer_id=r["from_answer_id"], created_by=r["created_by"],
            created_at=r["created_at"], updated_by=r["updated_by"], updated_at=r["updated_at"],
        )

    def get(self, verified_id: str) -> Verified | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(verified_answers).where(verified_answers.c.id == verified_id)).mappings().first()
        return self.record(row) if row else None

    def list(self, status: str | None = None) -> list[Verified]:
        """Every verified answer (or those of one status), latest change first."""
        query = select(verified_answers).order_by(verified_answers.c.updated_at.desc(), verified_answers.c.id)
        if status:
            query = query.where(verified_answers.c.status == status)
        with self.engine.connect() as conn:
            return [self.record(r) for r in conn.execute(query).mappings()]

    def to_verified(self) -> list:
        """The answers that may serve (active, or under review with "keep serving"), as
        ``bot.verified.VerifiedAnswer``; those with no approved text are left out."""
        out = []
        for v in self.list():
            if v.serving and v.approved_texts():
                out.append(v.to_verified())
        return out

    def events(self, verified_id: str) -> list[dict]:
        query = (select(verified_events).where(verified_events.c.verified_id == verified_id)
                 .order_by(verified_events.c.n))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    # ------------------------------------------------------------------ writing

    def save(self, *, by: str, question: str, answers: dict[str, str], language: str | None = None,
             approved: Iterable[str] | None = None, verified_id: str | None = None,
             alternatives: Iterable[str] = (), questions: dict[str, str] | None = None,
             sources: Iterable[str] | None = None, passages: Iterable[dict] = (),
             manifest: dict[str, str] | None = None, status: str | None = None, keep_serving: bool | None = None,
             rejected: dict[str, dict] | None = None, from_answer_id: str | None = None,
             source_hashes: dict[str, str | None] | None = None, action: str | None = None) -> Verified:
        """Create (no ``verified_id``, or an unknown one) or replace a verified answer; returns it.

        ``language``: the one it was written in (default: English if given, else the first); its
        text counts as approved (staff wrote it) unless ``approved`` is given. ``sources`` default to
        the passages' documents; their content hashes are taken from ``manifest`` (the index's
        ``manifest_documents``) unless ``source_hashes`` are given. Saving a changed text in the
        written language withdraws the approval of the translations not changed with it (they
        translated the old text). Saving ends a review: the status becomes active unless given."""
        by = _name(by)
        question = " ".join(str(question or "").split())
        if not question:
            raise VerifiedProblem("write the question this answer is for")
        answers = _texts(answers)
        if not answers:
            raise VerifiedProblem("write the answer (in at least one language)")
        language = language or ("en" if "en" in answers else next(iter(answers)))
        if language not in answers:
            raise VerifiedProblem(f"there is no text in {language}, the language it is written in")
        passages = [_passage(p) for p in passages or []]
        sources = list(dict.fromkeys(sources if sources is not None else [p["doc_id"] for p in passages if p["doc_id"]]))
        if status is not None and status not in STATUSES:
            raise VerifiedProblem(f"status must be one of {', '.join(STATUSES)}")
        now = utcnow()
        old = self.get(verified_id) if verified_id else None
        approved = set(approved) if approved is not None else ({language} | (set(old.approved) if old else set()))
        notes = []
        if old is not None and old.answers.get(language) != answers.get(language):
            stale = {lang for lang in approved - {language} if old.answers.get(lang) == answers.get(lang)}
            if stale:
                approved -= stale
                notes.append(f"approval withdrawn for {', '.join(sorted(stale))} (the {language} text changed)")
        approved &= set(answers)
        if source_hashes is None:
            manifest = manifest or {}
            source_hashes = {doc: manifest.get(doc) for doc in sources}
        values = dict(
            question=question, alternatives=[a for a in dict.fromkeys(" ".join(str(a).split()) for a in alternatives) if a],
            language=language, answers=answers, questions=_texts(questions), approved=sorted(approved),
            rejected={k: v for k, v in (rejected if rejected is not None else (old.rejected if old else {})).items()
                      if k not in approved},
            sources=sources, passages=passages, source_hashes=source_hashes,
            status=status or "active", keep_serving=bool(keep_serving if keep_serving is not None
                                                         else (old.keep_serving if old else False)),
            review_reason=None if (status or "active") != "under_review" else (old.review_reason if old else None),
            updated_by=by, updated_at=now,
        )
        with self.engine.begin() as conn:
            if old is None:
                verified_id = verified_id or uuid.uuid4().hex[:12]
                conn.execute(verified_answers.insert().values(id=verified_id, created_by=by, created_at=now,
                                                              from_answer_id=from_answer_id, **values))
                what = action or "created"
            else:
                if from_answer_id:
                    values["from_answer_id"] = from_answer_id
                conn.execute(update(verified_answers).where(verified_answers.c.id == verified_id).values(**values))
                what = action or "saved"
            detail = f"{what}; approved: {', '.join(sorted(approved)) or 'none'}"
            conn.execute(verified_events.insert().values(verified_id=verified_id, at=now, by=by,
                                                         action="; ".join([detail, *notes])))
        return self.get(verified_id)

    def set_status(self, verified_id: str, status: str, by: str, keep_serving: bool | None = None,
                   reason: str | None = None) -> Verified:
        """Disable, re-activate (a review done) or put under review by hand."""
        if status not in STATUSES:
            raise VerifiedProblem(f"status must be one of {', '.join(STATUSES)}")
        by = _name(by)
        values: dict[str, Any] = {"status": status, "updated_by": by, "updated_at": utcnow()}
        if keep_serving is not None:
            values["keep_serving"] = bool(keep_serving)
        values["review_reason"] = reason if status == "under_review" else None
        self._update(verified_id, values, by, f"status {status}" + (f" ({reason})" if reason else ""))
        return self.get(verified_id)

    def set_keep_serving(self, verified_id: str, keep: bool, by: str) -> Verified:
        by = _name(by)
        self._update(verified_id, {"keep_serving": bool(keep), "updated_by": by, "updated_at": utcnow()}, by,
                     "keep serving while under review" if keep else "not served while under review")
        return self.get(verified_id)

    def confirm_sources(self, verified_id: str, by: str, manifest: dict[str, str]) -> Verified:
        """Staff checked the answer against its changed sources: the new content hashes are
        recorded and the answer is active again."""
        v = self._must(verified_id)
        by = _name(by)
        hashes = {doc: manifest.get(doc) for doc in v.sources}
        self._update(verified_id, {"source_hashes": hashes, "status": "active", "review_reason": None,
                                   "updated_by": by, "updated_at": utcnow()}, by, "reviewed: still true")
        return self.get(verified_id)

    def set_translations(self, verified_id: str, by: str, *, answers: dict[str, str] | None = None,
                         questions: dict[str, str] | None = None, approve: Iterable[str] = (),
                         unapprove: Iterable[str] = (), rejected: dict[str, dict] | None = None) -> Verified:
        """Store proposed or edited texts (``answers``/``questions``, not approved unless listed in
        ``approve``), approve or withdraw languages, record rejected proposals. The written
        language's text is changed with ``save`` only."""
        v = self._must(verified_id)
        by = _name(by)
        answers, questions = _texts(answers), _texts(questions)
        if v.language in answers and answers[v.language] != v.answers.get(v.language):
            raise VerifiedProblem(f"edit the {v.language} text (the one it is written in) with Save")
        texts = {**v.answers, **answers}
        new_questions = {**v.questions, **questions}
        approved = set(v.approved)
        changed = {lang for lang, text in answers.items() if v.answers.get(lang) != text}
        approved -= changed  # an edited text must be approved again, explicitly
        approved |= set(approve)
        approved -= set(unapprove) - {v.language}
        missing = sorted(lang for lang in approved if not (texts.get(lang) or "").strip())
        if missing:
            raise VerifiedProblem(f"no text to approve in {', '.join(missing)}")
        rejected_now = {lang: r for lang, r in v.rejected.items() if lang not in set(answers) | approved}
        rejected_now.update({lang: r for lang, r in (rejected or {}).items() if lang not in approved})
        parts = []
        if answers:
            parts.append(f"texts for {', '.join(sorted(answers))}")
        if set(approve):
            parts.append(f"approved {', '.join(sorted(set(approve)))}")
        if set(unapprove):
            parts.append(f"withdrew {', '.join(sorted(set(unapprove)))}")
        if rejected:
            parts.append(f"rejected proposals for {', '.join(sorted(rejected))}")
        self._update(verified_id, {"answers": texts, "questions": new_questions, "approved": sorted(approved),
                                   "rejected": rejected_now, "updated_by": by, "updated_at": utcnow()},
                     by, "translations: " + ("; ".join(parts) or "unchanged"))
        return self.get(verified_id)

    def set_passages(self, verified_id: str, passages: list[dict], by: str = "index") -> None:
        """The cited passages of an answer imported with doc_ids only, taken from the index."""
        with self.engine.begin() as conn:
            conn.execute(update(verified_answers).where(verified_answers.c.id == verified_id)
                         .values(passages=[_passage(p) for p in passages]))
            conn.execute(verified_events.insert().values(verified_id=verified_id, at=utcnow(), by=by,
                                                         action="source passages taken from the index"))

    def delete(self, verified_id: str, by: str) -> bool:
        by = _name(by)
        with self.engine.begin() as conn:
            gone = conn.execute(delete(verified_answers).where(verified_answers.c.id == verified_id)).rowcount
            if gone:
                conn.execute(verified_events.insert().values(verified_id=verified_id, at=utcnow(), by=by,
                                                             action="deleted"))
        return bool(gone)

    def _must(self, verified_id: str) -> Verified:
        v = self.get(verified_id)
        if v is None:
            raise VerifiedProblem(f"no verified answer {verified_id!r}")
        return v

    def _update(self, verified_id: str, values: dict, by: str, action: str) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(update(verified_answers).where(verified_answers.c.id == verified_id).values(**values))
            if not done.rowcount:
                raise VerifiedProblem(f"no verified answer {verified_id!r}")
            conn.execute(verified_events.insert().values(verified_id=verified_id, at=values.get("updated_at", utcnow()),
                                                         by=by, action=action))

    # ------------------------------------------------------------------ staying true

    def check_sources(self, manifest: dict[str, str], by: str = "index build") -> list[tuple[str, str]]:
        """After an index build: every answer (not disabled) whose source documents changed or left
        the index is put under review (served only with "keep serving"). Returns (id, reason)
        for each answer flagged now."""
        flagged = []
        for v in self.list():
            if v.status == "disabled" or not v.sources:
                continue
            reasons = []
            for doc in v.sources:
                if doc not in manifest:
                    reasons.append(f"source {doc} is no longer in the index")
                elif v.source_hashes.get(doc) != manifest[doc]:
                    reasons.append(f"source {doc} changed" if v.source_hashes.get(doc)
                                   else f"source {doc} was not in the index when the answer was saved")
            if not reasons:
                continue
            reason = "; ".join(reasons)
            if v.status == "under_review" and v.review_reason == reason:
                continue
            now = utcnow()
            self._update(v.id, {"status": "under_review", "review_reason": reason, "updated_at": now},
                         by, f"under review: {reason}")
            flagged.append((v.id, reason))
            log.warning("verified answer %s is under review: %s", v.id, reason)
        return flagged

    # ------------------------------------------------------------------ JSON lines

    def export_jsonl(self, path: Path | str) -> int:
        rows = sorted(self.list(), key=lambda v: (v.created_at or utcnow(), v.id))
        with open(path, "w", encoding="utf-8") as f:
            for v in rows:
                f.write(json.dumps(v.public(), ensure_ascii=False) + "\n")
        return len(rows)

    def import_jsonl(self, path: Path | str, by: str, manifest: dict[str, str] | None = None) -> dict[str, int]:
        """Create or update the answers of a JSON-lines file (``export_jsonl``'s, or written by
        hand: at least question, answers, approved, sources). A line with a known ``id`` (or,
        without one, the same question as a stored answer) updates it; the languages listed in
        ``approved`` are approved. Nothing is written if any line is bad (VerifiedProblem names it)."""
        by = _name(by)
        items = []
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except ValueError as exc:
                    raise VerifiedProblem(f"line {lineno}: not JSON ({exc})") from None
                items.append((lineno, _import_item(obj, lineno)))
        by_question = {v.question: v.id for v in self.list()}
        counts = {"created": 0, "updated": 0}
        for lineno, item in items:
            vid = item.pop("verified_id") or by_question.get(item["question"])
            existed = vid is not None and self.get(vid) is not None
            try:
                saved = self.save(by=by, verified_id=vid, manifest=manifest, action="imported", **item)
            except VerifiedProblem as exc:
                raise VerifiedProblem(f"line {lineno}: {exc}") from None
            by_question[saved.question] = saved.id
            counts["updated" if existed else "created"] += 1
        return counts


def _import_item(obj: Any, lineno: int) -> dict:
    where = f"line {lineno}: "
    if not isinstance(obj, dict):
        raise VerifiedProblem(where + "each line must be a JSON object")
    for name, kind in (("question", str), ("answers", dict)):
        if not isinstance(obj.get(name), kind) or not obj[name]:
            raise VerifiedProblem(where + f'"{name}" is missing or empty')
    approved = obj.get("approved", [])
    sources = obj.get("sources", [])
    if not isinstance(approved, list) or not all(isinstance(a, str) for a in approved):
        raise VerifiedProblem(where + '"approved" must be a list of language codes')
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise VerifiedProblem(where + '"sources" must be a list of doc_ids')
    unknown = sorted(set(approved) - set(obj["answers"]))
    if unknown:
        raise VerifiedProblem(where + f'"approved" lists {", ".join(unknown)} without a text in "answers"')
    status = obj.get("status") or "active"
    if status not in STATUSES:
        raise VerifiedProblem(where + f'"status" must be one of {", ".join(STATUSES)}')
    try:
        _texts(obj["answers"]), _texts(obj.get("questions"))
    except VerifiedProblem as exc:
        raise VerifiedProblem(where + str(exc)) from None
    item = {
        "verified_id": obj.get("id") or None, "question": obj["question"], "answers": obj["answers"],
        "approved": approved, "language": obj.get("language"), "alternatives": obj.get("alternatives") or [],
        "questions": obj.get("questions") or {}, "sources": sources, "passages": obj.get("passages") or [],
        "status": status, "keep_serving": bool(obj.get("keep_serving_while_under_review", False)),
        "from_answer_id": obj.get("from_answer_id"),
    }
    if isinstance(obj.get("source_hashes"), dict):
        item["source_hashes"] = obj["source_hashes"]
    if item["language"] and item["language"] not in obj["answers"]:
        raise VerifiedProblem(where + f'"language" {item["language"]} has no text in "answers"')
    return item


def fill_passages(store: VerifiedStore, retriever, candidates: int = 20) -> int:
    """Give answers imported with doc_ids only (no passages) the passage of each source document
    that is closest to the question and the answer, from the index; returns how many got some."""
    done = 0
    for v in store.list():
        if not v.sources or v.passages:
            continue
        found: dict[str, Any] = {}
        for p in retriever.search(f"{v.question}\n{v.answers.get(v.language, '')}", max(candidates, 20)):
            if p.doc_id in v.sources and p.doc_id not in found:
                found[p.doc_id] = p
        if found:
            store.set_passages(v.id, [{k: getattr(found[doc], k, "") for k in PASSAGE_FIELDS}
                                      for doc in v.sources if doc in found])
            done += 1
    return done
