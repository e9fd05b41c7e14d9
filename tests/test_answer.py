"""Extractive answers and declines with the real model."""

import pytest

from bot.answer import AskOptions, Turn

pytestmark = pytest.mark.integration


def test_english_answer_cites_the_november_2017_passage(assistant):
    a = assistant.ask("When was the first BRISMIS symposium held?")
    assert a.grounded and a.language == "en" and a.path == "extractive"
    assert any("In November 2017" in c.text for c in a.citations)
    assert "November 2017" in a.answer and "[1]" in a.answer
    assert [c.n for c in a.citations] == list(range(1, len(a.citations) + 1))


def test_chinese_answer_has_chinese_lead_in_and_cites_the_passage(assistant):
    a = assistant.ask("第一届BRISMIS研讨会是什么时候举办的？")
    assert a.language == "zh" and a.grounded
    assert a.answer.startswith("根据")
    assert any("In November 2017" in c.text for c in a.citations)


def test_highlights_point_at_quoted_sentences(assistant):
    a = assistant.ask("Who signed the agreement on behalf of UNESCO?")
    for c in a.citations:
        assert c.highlights
        for start, end in c.highlights:
            assert c.text[start:end] in a.answer
    assert "Flavia Schlegel" in a.answer


def test_unrelated_question_is_declined_with_contact_from_corpus(assistant):
    a = assistant.ask("Quelle est la capitale du Japon ?")
    assert not a.grounded and a.citations == [] and a.path == "declined"
    assert a.language == "fr"
    assert "secretariat@brismis.org" in a.answer  # taken from the announcement's footer
    assert assistant.contact == "secretariat@brismis.org"


@pytest.mark.parametrize("question", ["What is the secretariat's email?", "Quelle est l'adresse e-mail du secrétariat ?",
                                      "¿Cuál es el correo electrónico de la secretaría?", "秘书处的电子邮箱是什么？"])
def test_a_contact_question_not_naming_brismis_is_answered_not_declined(assistant, question):
    """Judged by its footer passage, it scored below the off-topic anchor about a password e-mail
    and was declined by a reply that itself gave the address."""
    a = assistant.ask(question)
    assert a.path != "declined" and "secretariat@brismis.org" in a.answer, (a.path, a.answer)


@pytest.mark.parametrize("question", ["How do I reset my email password?", "What is the weather in Beijing tomorrow?"])
def test_off_topic_questions_about_e_mail_are_still_declined(assistant, question):
    assert assistant.ask(question).path == "declined"


@pytest.mark.parametrize("question", ["Where is the BRISMIS secretariat?", "Где находится секретариат BRISMIS?",
                                      "สำนักเลขาธิการ BRISMIS อยู่ที่ไหน", "BRISMIS秘书处在哪里？"])
def test_where_the_secretariat_is_is_its_address(assistant, question):
    """The e-mail lines were quoted for it in every language (eval/dev tune-th-fact-04)."""
    a = assistant.ask(question)
    assert "Beichen East Road" in a.answer and not a.answer.split("[1]")[0].count("@"), a.answer


def test_the_postal_address_is_quoted_for_an_address_question(assistant):
    a = assistant.ask("What is the postal address of the secretariat?")
    assert "Beichen East Road" in a.answer and "@" not in a.answer, a.answer


def test_follow_up_uses_history(assistant):
    history = [
        Turn(role="user", content="Who signed the Letter of Agreement between CANSM and UNESCO?"),
        Turn(role="assistant", content="Dr. Cheng Donghong and Dr. Flavia Schlegel [1]"),
    ]
    a = assistant.ask("And where was it signed?", history=history)
    assert a.grounded
    assert "Shanghai Science and Technology Museum" in a.answer


def test_language_hint_used_for_very_short_questions(assistant):
    assert assistant.ask("UNESCO?", options=AskOptions(language_hint="ru")).language == "ru"
    assert assistant.ask("UNESCO?").language == "en"


def test_public_json_shape_is_stable(assistant):
    out = assistant.ask("What is BRISMIS?", id=7).public()
    assert {"id", "question", "language", "answer", "grounded", "citations", "timings_ms"} <= set(out)
    assert out["id"] == 7
    assert set(out["citations"][0]) >= {"n", "doc_id", "title", "url", "date", "text"}
    assert out["timings_ms"]["total"] > 0


def test_top_k_reaches_extractive_answers(assistant):
    """The number of passages (BRISMIS_TOP_K, the console's switch) bounds what is quoted."""
    question = "What did the participants of the symposium exchange?"
    one = assistant.ask(question, options=AskOptions(passages=1))
    assert one.grounded and len(one.citations) == 1
    top = assistant.retriever.search(question)[0]
    assert one.citations[0].chunk_id == top.chunk_id
    wide = assistant.ask(question, options=AskOptions(passages=8))
    assert {c.chunk_id for c in wide.citations} <= {p.chunk_id for p in assistant.retriever.search(question)[:8]}


def test_a_count_of_something_else_is_not_shown(embeddings):
    """Every number of the sentence is in the passage, so only what it counts tells "96" from "8"
    (tune run, 2026-12-03: 26 of the model's 43 count answers on golden and tune were wrong)."""
    import dataclasses

    from fakes import AlwaysRelevant, FakeRetriever, passage, scripted

    from bot.answer import build_assistant
    from bot.models import Models
    from bot.settings import Settings

    report = [passage("BRISMIS 2023 has attracted 96 curators and directors of 65 science museums from 42 countries, "
                      "representatives of 8 international organizations, and more than 300 Chinese participants.",
                      0, "b2023", title="BRISMIS 2023 opens in Beijing", date="2023-11-28")]
    question = "Simpoziumda nechta xalqaro tashkilot vakillari bor edi?"

    def ask(draft):
        models = Models(embedder=embeddings, chat=scripted([draft, "8 tashkilot. [1]"]), description="fake")
        assistant = build_assistant(Settings(relation_min=0.0), models, FakeRetriever(report, embeddings))
        return dataclasses.replace(assistant, relevance=AlwaysRelevant()).ask(question)

    wrong = ask("Simpoziumda 96 xalqaro tashkilot vakillari bor edi. [1]")
    assert wrong.path != "model" and "counts something else" in wrong.rejected[0], wrong.rejected
    right = ask("Simpoziumda 8 ta xalqaro tashkilot vakillari bor edi. [1]")
    assert right.path == "model", right.rejected


@pytest.mark.parametrize("question, count", [
    ("Combien d'agences gouvernementales ont participé au premier symposium ?", "9"),
    ("Berapa muzium sains yang menyertai simposium pertama?", "22"),
])
def test_the_count_asked_for_is_given_in_the_visitors_language_when_what_it_counts_is_clear(assistant, question, count):
    """"9 government agencies and organizations, 44 curators and directors of 22 science related
    museums…": the English sentence is in the citation, the answer is the figure."""
    a = assistant.ask(question)
    assert a.path == "fact" and a.answer.endswith(f" {count} [1]"), a.answer
