"""What the API remembers: the answers it gave and how visitors rated them.

Two tables (SQLAlchemy Core, so SQLite and PostgreSQL work alike):

* ``answers``: one row per answer given through the API (question, language, answer, path,
  grounded, citations, timings). No IP address, no conversation history, no visitor identifier.
* ``feedback``: at most one row per answer (``answer_id`` is the key): rating up/down and an
  optional comment; rating the same answer again updates the row.

Rows older than ``retention_days`` are deleted (``purge``: the server calls it at start and daily).
SQLite runs in WAL mode, so the API writes while the staff console reads. Times are UTC.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

log = logging.getLogger(__name__)

metadata = MetaData()

answers = Table(
    "answers",
    metadata,
    Column("answer_id", String(64), primary_key=True),
    Column("created_at", DateTime, nullable=False, index=True),
    Column("question", Text, nullable=False),
    Column("language", String(16), nullable=False, index=True),
    Column("answer", Text, nullable=False),
    Column("path", String(32), nullable=False),
    Column("grounded", Boolean, nullable=False),
    Column("citations", JSON, nullable=False),
    Column("timings", JSON, nullable=False),
    Column("rejected", JSON, nullable=True),  # the drafts the guard rejected, why (staff only)
)

feedback = Table(
    "feedback",
    metadata,
    Column("answer_id", String(64), ForeignKey("answers.answer_id", ondelete="CASCADE"), primary_key=True),
    Column("rating", String(8), CheckConstraint("rating IN ('up', 'down')", name="rating_up_or_down"),
           nullable=False),
    Column("comment", Text, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False, index=True),
)

CSV_COLUMNS = ["rated_at", "rating", "comment", "language", "question", "answer", "sources", "path", "grounded",
               "answered_at", "answer_id"]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers don't block the writer
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def sources_text(citations: list[dict]) -> str:
    return "; ".join(f"[{c.get('n')}] {c.get('title', '')} {c.get('url', '')}".strip() for c in citations or [])


def _csv_safe(value: Any) -> Any:
    """Spreadsheets run cells starting with = + - @ as formulas; visitors write questions and
    comments, so such cells are prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _add_missing_columns(engine) -> None:
    """Columns added since a database was created (``create_all`` makes only missing tables):
    added in place, idempotently, also when several processes start at once."""
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import DBAPIError

    have = {c["name"] for c in inspect(engine).get_columns("answers")}
    for column in answers.columns:
        if column.name in have:
            continue
        kind = column.type.compile(dialect=engine.dialect)
        try:
            with engine.begin() as conn:
                conn.execute(text(f'ALTER TABLE answers ADD COLUMN "{column.name}" {kind}'))
        except DBAPIError:  # another process added it meanwhile
            if column.name not in {c["name"] for c in inspect(engine).get_columns("answers")}:
                raise


class FeedbackStore:
    def __init__(self, url: str):
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(url, pool_pre_ping=not self.is_sqlite)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)
        _add_missing_columns(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    @property
    def location(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(select(1))

    # ------------------------------------------------------------------ writing

    def record_answer(self, answer_id: str, public: dict, rejected=()) -> None:
        """Keep an answer given to a visitor (``public`` = ``Answer.public()``), so it can be rated."""
        with self.engine.begin() as conn:
            conn.execute(
                answers.insert().values(
                    answer_id=answer_id,
                    created_at=utcnow(),
                    question=public["question"],
                    language=public["language"],
                    answer=public["answer"],
                    path=public["path"],
                    grounded=bool(public["grounded"]),
                    citations=public.get("citations") or [],
                    timings=public.get("timings_ms") or {},
                    rejected=list(rejected),
                )
            )

    def rate(self, answer_id: str, rating: str, comment: str | None = None) -> bool:
        """Store or update the rating of an answer; False when the answer is unknown. A comment
        left out (None) keeps the one given before; an empty one clears it."""
        if rating not in ("up", "down"):
            raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
        for _ in range(2):  # a concurrent first rating of the same answer makes the insert fail once
            now = utcnow()
            values: dict[str, Any] = {"rating": rating, "updated_at": now}
            if comment is not None:
                values["comment"] = comment
            try:
                with self.engine.begin() as conn:
                    if conn.execute(select(answers.c.answer_id).where(answers.c.answer_id == answer_id)).first() is None:
                        return False
                    done = conn.execute(update(feedback).where(feedback.c.answer_id == answer_id).values(**values))
                    if done.rowcount == 0:
                        conn.execute(feedback.insert().values(answer_id=answer_id, created_at=now,
                                                              comment=comment, rating=rating, updated_at=now))
                return True
            except IntegrityError:
                continue
        raise RuntimeError(f"could not store the rating of {answer_id}")  # pragma: no cover

    def purge(self, days: int) -> dict[str, int]:
        """Delete answers (and their ratings) older than ``days`` days."""
        cutoff = utcnow() - dt.timedelta(days=days)
        old = select(answers.c.answer_id).where(answers.c.created_at < cutoff)
        with self.engine.begin() as conn:
            rated = conn.execute(delete(feedback).where(feedback.c.answer_id.in_(old))).rowcount
            given = conn.execute(delete(answers).where(answers.c.created_at < cutoff)).rowcount
        if rated or given:
            log.info("retention: deleted %d answers and %d ratings older than %d days", given, rated, days)
        return {"answers": given, "feedback": rated}

    # ------------------------------------------------------------------ reading

    def get_answer(self, answer_id: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(answers).where(answers.c.answer_id == answer_id)).mappings().first()
        return dict(row) if row else None

    def get_feedback(self, answer_id: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(feedback).where(feedback.c.answer_id == answer_id)).mappings().first()
        return dict(row) if row else None

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                "answers": conn.execute(select(func.count()).select_from(answers)).scalar_one(),
                "feedback": conn.execute(select(func.count()).select_from(feedback)).scalar_one(),
            }

    def rated(self, rating: str | None = None, language: str | None = None, limit: int | None = 200) -> list[dict]:
        """Rated answers, latest rating first, optionally only one rating or one language."""
        query = (
            select(
                feedback.c.updated_at.label("rated_at"), feedback.c.rating, feedback.c.comment,
                answers.c.language, answers.c.question, answers.c.answer, answers.c.citations,
                answers.c.path, answers.c.grounded, answers.c.created_at.label("answered_at"), answers.c.answer_id,
            )
            .select_from(feedback.join(answers, feedback.c.answer_id == answers.c.answer_id))
            .order_by(feedback.c.updated_at.desc())
        )
        if rating:
            query = query.where(feedback.c.rating == rating)
        if language:
            query = query.where(answers.c.language == language)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(query).mappings()]
        for r in rows:
            r["sources"] = sources_text(r.pop("citations"))
        return rows

    def languages(self) -> list[str]:
        query = (select(answers.c.language).select_from(feedback.join(answers)).distinct()
                 .order_by(answers.c.language))
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(query)]

    def export_csv(self, path: Path, rating: str | None = None, language: str | None = None) -> Path:
        rows = self.rated(rating, language, limit=None)
        with open(path, "w", encoding="utf-8-sig", newline="") as f:  # BOM: spreadsheets then read UTF-8
            writer = csv.writer(f)
            writer.writerow(CSV_COLUMNS)
            for r in rows:
                writer.writerow([_csv_safe(_cell(r[c])) for c in CSV_COLUMNS])
        return path


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat() + "Z"
    if value is None:
        return ""
    return value
