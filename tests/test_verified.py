"""Staff-verified answers: matched before the chain (no model call), approved texts only, the nearest
language a visitor reads, review when a source changes, JSON-lines export and import from the CLI."""

from __future__ import annotations

import dataclasses
import json

import pytest

from bot.answer import build_assistant
from bot.cli import main
from bot.models import Models
from bot.serve.verified_store import VerifiedProblem, VerifiedStore
from bot.settings import Settings
from bot.verified import VerifiedAnswer, VerifiedIndex, reading_order

from fakes import AlwaysRelevant, FakeEmbedder, FakeRetriever, passage, scripted

Q = "Are tickets sold by the symposium?"
POLICY = VerifiedAnswer(id="v1", question=Q, answers={"en": "Tickets are sold by each museum.",
                                                      "ru": "Билеты продаёт каждый музей.", "fr": "pas encore relu"},
                        approved=frozenset({"en", "ru"}))


def chain(verified, threshold=0.9):
    embedder = FakeEmbedder()
    chat = scripted(["The model should not be asked."])
    assistant = build_assistant(Settings(), Models(embedder=embedder, chat=chat, description="fake"),
                                FakeRetriever([passage("BRISMIS 2017 was held in Beijing.")], embedder))
    index = VerifiedIndex(verified, embedder, threshold)
    return dataclasses.replace(assistant, relevance=AlwaysRelevant(), verified=index), chat


def test_a_matching_question_is_answered_from_the_verified_answer_without_the_model():
    assistant, chat = chain([POLICY])
    a = assistant.ask("Are tickets sold by the symposium")
    assert a.path == "verified" and a.answer == "Tickets are sold by each museum." and a.grounded
    assert chat.seen == []  # no model call
    assert assistant.ask("Where was BRISMIS 2017 held?").path != "verified"  # below the threshold: the chain


def test_only_approved_texts_are_shown_and_the_nearest_language_read_otherwise():
    assert POLICY.text_for("ru") == ("ru", "Билеты продаёт каждый музей.")
    assert POLICY.text_for("uz") == ("ru", "Билеты продаёт каждый музей.")  # Uzbek readers read Russian
    assert POLICY.text_for("fr") == ("en", "Tickets are sold by each museum.")  # never the unapproved text
    assert reading_order("sr")[:2] == ["sr", "ru"] and reading_order("en") == ["en"]
    disabled = dataclasses.replace(POLICY, serving=False)
    assert len(VerifiedIndex([disabled], FakeEmbedder(), 0.9)) == 0


def test_a_visitor_in_another_language_gets_a_note_with_the_approved_text():
    ru_question = "Продаёт ли симпозиум билеты на выставку?"
    only_en = dataclasses.replace(POLICY, approved=frozenset({"en"}), alternatives=(ru_question,))
    assistant, chat = chain([only_en])
    a = assistant.ask(ru_question)
    assert a.path == "verified" and a.language == "ru" and chat.seen == []
    note, text = a.answer.split("\n", 1)
    assert text == "Tickets are sold by each museum."
    assert note == "Этот проверенный ответ пока недоступен на вашем языке; вот он на языке: English."


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def store(request, tmp_path):
    if request.param == "sqlite":
        return VerifiedStore(f"sqlite:///{tmp_path / 'v.sqlite'}")
    return VerifiedStore(request.getfixturevalue("postgres_url"))


def test_an_answer_whose_source_changes_goes_under_review_and_is_served_only_if_kept(store):
    v = store.save(by="Alice", question="When was BRISMIS 2017?", answers={"en": "In November 2017."},
                   sources=["seed"], manifest={"seed": "hash-1"})
    assert v.serving and v.created_by == "Alice" and v.created_at is not None
    assert store.check_sources({"seed": "hash-1"}) == []
    flagged = store.check_sources({"seed": "hash-2"})
    assert flagged == [(v.id, "source seed changed")]
    v = store.get(v.id)
    assert v.status == "under_review" and not v.serving and not v.to_verified().serving
    store.set_keep_serving(v.id, True, by="Bob")
    assert store.get(v.id).serving
    assert store.check_sources({}) and "no longer in the index" in store.get(v.id).review_reason
    events = [e["action"] for e in store.events(v.id)]
    assert events[0].startswith("created") and any("under review" in e for e in events)


def test_changing_the_written_text_withdraws_stale_translations(store):
    v = store.save(by="A", question=Q, answers={"en": "Each museum.", "ru": "Каждый музей."}, approved=["en", "ru"])
    v = store.save(by="A", verified_id=v.id, question=Q, answers={"en": "Each museum sells them.", "ru": "Каждый музей."})
    assert v.approved == ["en"]


def test_cli_export_and_import_round_trip_with_approvals(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BRISMIS_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    monkeypatch.setenv("BRISMIS_INDEX_DIR", str(tmp_path / "no-index"))
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"question": Q, "answers": {"en": "Each museum.", "fr": "Chaque musée."},
                                  "approved": ["en", "fr"], "sources": []}, ensure_ascii=False) + "\n\n",
                      encoding="utf-8")
    assert main(["verified", "import", str(source), "--by", "Staff Name"]) == 0
    assert "1 created, 0 updated" in capsys.readouterr().out
    assert main(["verified", "import", str(source)]) == 0  # the same question again: updated, not doubled
    assert "0 created, 1 updated" in capsys.readouterr().out
    out = tmp_path / "out.jsonl"
    assert main(["verified", "export", str(out)]) == 0
    (row,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["question"] == Q and row["approved"] == ["en", "fr"] and row["answers"]["fr"] == "Chaque musée."
    assert row["created_by"] == "Staff Name" and row["saved_by"] == "import" and row["saved_at"].endswith("Z")

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "x", "answers": {"en": "y"}}\n{"question": "z"}\n', encoding="utf-8")
    assert main(["verified", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "line 2" in err and '"answers" is missing' in err
    main(["verified", "list"])
    assert capsys.readouterr().out.count("\n") == 1  # the bad file imported nothing, not even its line 1
    assert main(["verified", "import", str(tmp_path / "missing.jsonl")]) == 1


def test_import_refuses_approval_without_a_text(store, tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"question": Q, "answers": {"en": "a"}, "approved": ["en", "zh"]}) + "\n")
    with pytest.raises(VerifiedProblem, match="zh without a text"):
        store.import_jsonl(path, by="x")


def test_proposed_translations_pass_the_guard_or_are_recorded_as_rejected(tmp_path):
    from bot.serve.feedback_store import FeedbackStore
    from bot.serve.service import Service

    embedder = FakeEmbedder()
    chat = scripted(["Билеты продаёт каждый музей дважды в год.", "Продаёт ли симпозиум билеты?",
                     "每个博物馆每年出售3次门票。"])
    assistant = build_assistant(Settings(), Models(embedder=embedder, chat=chat, description="fake"),
                                FakeRetriever([passage("BRISMIS 2017 was held in Beijing.")], embedder))
    service = Service(Settings(), assistant, None, FeedbackStore(f"sqlite:///{tmp_path / 'db.sqlite'}"))
    v = service.verified.save(by="Alice", question=Q, answers={"en": "Tickets are sold by each museum, twice a year."})
    v = service.propose_translations(v.id, "Alice", languages=["ru", "zh"])
    assert v.answers["ru"].startswith("Билеты") and v.questions["ru"] == "Продаёт ли симпозиум билеты?"
    assert v.approved == ["en"]  # proposed, not approved: never shown to a visitor yet
    assert "zh" not in v.answers and "3" in v.rejected["zh"]["reasons"]  # a number the English text lacks
    v = service.verified.set_translations(v.id, "Bob", approve=["ru"])
    service.refresh_verified()
    answer = service.assistant.ask("Продаёт ли симпозиум билеты?")  # matched on the approved Russian wording
    assert answer.path == "verified" and answer.answer.startswith("Билеты")
    service.close()
