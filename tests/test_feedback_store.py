"""The feedback store: answers and ratings in SQLite (WAL) and in a real PostgreSQL (Debian's, started
by the test), one rating per answer, retention, CSV, concurrent writer processes and a restart."""

import csv
import datetime as dt

import pytest
from sqlalchemy import inspect, text, update

from bot.serve.feedback_store import CSV_COLUMNS, FeedbackStore, answers, utcnow


def public(question="When was the first BRISMIS held?", language="en", answer="In November 2017 [1].", **extra):
    return {"id": None, "question": question, "language": language, "answer": answer, "grounded": True,
            "citations": [{"n": 1, "doc_id": "d", "title": "Letter", "url": "http://www.brismis.org/x",
                           "date": "2018-01-01", "text": "In November 2017 ...", "highlights": [[0, 16]]}],
            "path": "extractive", "timings_ms": {"total": 12.5}, **extra}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sub' / 'brismis.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(database_url):
    s = FeedbackStore(database_url)
    yield s
    s.close()


def test_schema_creation_is_idempotent(database_url):
    first = FeedbackStore(database_url)
    first.record_answer("a1", public())
    again = FeedbackStore(database_url)  # a second process starting on the same database
    assert again.counts() == {"answers": 1, "feedback": 0}
    first.close(), again.close()


def test_tables_hold_no_ip_address_and_sqlite_runs_in_wal_mode(store):
    if not store.is_sqlite:
        assert store.engine.dialect.name == "postgresql"
    names = {t: {c["name"] for c in inspect(store.engine).get_columns(t)} for t in ("answers", "feedback")}
    assert names["answers"] == {"answer_id", "created_at", "question", "language", "answer", "path", "grounded",
                                "citations", "timings", "rejected"}
    assert names["feedback"] == {"answer_id", "rating", "comment", "created_at", "updated_at"}
    assert not any("ip" in n.split("_") or "addr" in n for cols in names.values() for n in cols)
    if not store.is_sqlite:
        return
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_database_from_before_the_rejected_column_gets_it(tmp_path):
    import sqlalchemy

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:  # the answers table as it was created before
        conn.execute(text("CREATE TABLE answers (answer_id VARCHAR(64) PRIMARY KEY, created_at DATETIME NOT NULL, "
                          "question TEXT NOT NULL, language VARCHAR(16) NOT NULL, answer TEXT NOT NULL, "
                          "path VARCHAR(32) NOT NULL, grounded BOOLEAN NOT NULL, citations JSON NOT NULL, "
                          "timings JSON NOT NULL)"))
    engine.dispose()
    store = FeedbackStore(url)
    store.record_answer("a1", public(), ["draft stated '24' without a passage that says it"])
    assert store.get_answer("a1")["rejected"] == ["draft stated '24' without a passage that says it"]
    FeedbackStore(url).close()  # and again: nothing to add
    store.close()


def test_answer_is_kept_with_citations_and_timings(store):
    store.record_answer("a1", public())
    row = store.get_answer("a1")
    assert row["question"] == "When was the first BRISMIS held?" and row["grounded"] is True
    assert row["citations"][0]["url"] == "http://www.brismis.org/x" and row["timings"] == {"total": 12.5}


def test_rating_again_updates_never_duplicates(store):
    store.record_answer("a1", public())
    assert store.rate("a1", "up") is True
    first = store.get_feedback("a1")
    assert store.rate("a1", "down", "wrong year") is True
    assert store.rate("a1", "down") is True  # no comment given: the earlier one stays
    row = store.get_feedback("a1")
    assert row["rating"] == "down" and row["comment"] == "wrong year"
    assert row["created_at"] == first["created_at"] and row["updated_at"] >= first["updated_at"]
    assert store.counts() == {"answers": 1, "feedback": 1}
    assert store.rate("a1", "up", "") and store.get_feedback("a1")["comment"] == ""


def test_unknown_answer_cannot_be_rated(store):
    assert store.rate("nope", "up") is False
    assert store.counts()["feedback"] == 0
    with pytest.raises(ValueError):
        store.rate("nope", "meh")


def test_rated_filters_by_rating_and_language(store):
    store.record_answer("en1", public())
    store.record_answer("zh1", public(question="第一届是什么时候？", language="zh", answer="2017年11月 [1]。"))
    store.record_answer("unrated", public())
    store.rate("en1", "up")
    store.rate("zh1", "down", "太短")
    assert [r["answer_id"] for r in store.rated()] == ["zh1", "en1"]  # latest first
    assert [r["answer_id"] for r in store.rated(rating="up")] == ["en1"]
    assert [r["answer_id"] for r in store.rated(language="zh")] == ["zh1"]
    assert store.rated(rating="up", language="zh") == []
    assert store.languages() == ["en", "zh"]
    assert store.rated()[0]["sources"] == "[1] Letter http://www.brismis.org/x"


def test_retention_purges_old_answers_and_their_ratings(store):
    store.record_answer("old", public())
    store.record_answer("new", public())
    store.rate("old", "down")
    store.rate("new", "up")
    with store.engine.begin() as conn:
        conn.execute(update(answers).where(answers.c.answer_id == "old")
                     .values(created_at=utcnow() - dt.timedelta(days=91)))
    assert store.purge(90) == {"answers": 1, "feedback": 1}
    assert store.get_answer("old") is None and store.get_feedback("old") is None
    assert store.counts() == {"answers": 1, "feedback": 1}
    assert store.purge(90) == {"answers": 0, "feedback": 0}


def test_csv_export_contains_the_rated_answer_and_defuses_formulas(store, tmp_path):
    store.record_answer("a1", public(question="=HYPERLINK(\"http://evil\")"))
    store.record_answer("a2", public())
    store.rate("a1", "down", "@SUM(1+1) and, a \"quote\"\nnew line")
    path = store.export_csv(tmp_path / "out.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == CSV_COLUMNS and len(rows) == 1  # only rated answers
    row = rows[0]
    assert row["answer_id"] == "a1" and row["rating"] == "down"
    assert row["question"] == "'=HYPERLINK(\"http://evil\")"
    assert row["comment"] == "'@SUM(1+1) and, a \"quote\"\nnew line"
    assert row["answer"] == "In November 2017 [1]." and "http://www.brismis.org/x" in row["sources"]
    assert row["rated_at"].endswith("Z")


def _rate_many(url: str, worker: int, answer_ids: list[str]) -> int:
    """One writer process: rates every answer (several times, changing its mind), returns how many calls succeeded."""
    s = FeedbackStore(url)
    done = 0
    try:
        for round_ in range(3):
            for i, answer_id in enumerate(answer_ids):
                rating = "up" if (i + worker + round_) % 2 else "down"
                done += s.rate(answer_id, rating, f"worker {worker} round {round_}")
    finally:
        s.close()
    return done


def test_concurrent_writer_processes_lose_and_duplicate_nothing_and_survive_a_restart(database_url):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    url = database_url
    first = FeedbackStore(url)
    ids = [f"answer-{i:03d}" for i in range(40)]
    for answer_id in ids:
        first.record_answer(answer_id, public())
    first.close()
    with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("spawn")) as pool:
        done = list(pool.map(_rate_many, [url] * 4, range(4), [ids] * 4))
    assert done == [len(ids) * 3] * 4  # every write went through (none timed out on the lock)
    restarted = FeedbackStore(url)  # as after a server restart
    try:
        assert restarted.counts() == {"answers": len(ids), "feedback": len(ids)}  # one rating per answer
        for answer_id in ids:
            got = restarted.get_feedback(answer_id)
            assert got["rating"] in ("up", "down") and got["comment"].startswith("worker ")
    finally:
        restarted.close()
