"""What a follow-up asks for: its own kind, the previous question's when it is elliptical, none when
it asks a question of its own (holdout-ru-followup-01 was answered with the delegation's leader)."""

import pytest

from bot.question_type import asked_for, inherited

WHO = frozenset({"who"})
COUNT = frozenset({"how_many"})


@pytest.mark.parametrize("question", [
    "And for UNESCO?", "What about UNESCO?", "А со стороны CANSM?", "А что насчёт ЮНЕСКО?", "وماذا عن اليونسكو؟",
    "Et pour la CANSM ?", "Qu'en est-il de l'UNESCO ?", "¿Y qué hay de la UNESCO?", "แล้ว UNESCO ล่ะ",
    "Dan bagi pihak UNESCO?", "Dan UNESCO pula?", "Και για την UNESCO;", "Τι γίνεται με την UNESCO;",
    "А у име UNESCO?", "A šta je sa UNESCO?", "UNESCO-chi?", "那联合国教科文组织呢？", "Còn phía UNESCO thì sao?",
])
def test_an_elliptical_follow_up_asks_what_the_question_before_it_asked(question):
    assert inherited(question, WHO) == WHO


@pytest.mark.parametrize("question, previous", [
    ("Какую выставку они договорились привезти в Белград?", WHO),
    ("With which countries?", COUNT), ("¿Con qué países?", COUNT), ("她担任什么职务？", WHO),
    ("Quel projet ont-ils lancé ?", WHO), ("وما المعرض الذي اتفقوا عليه؟", WHO), ("Ποιο έργο ξεκίνησαν;", WHO),
    ("Koju izložbu su dogovorili?", WHO), ("Qaysi ko'rgazma?", WHO), ("แล้วจัดนิทรรศการอะไร", WHO),
    ("Apa projek mereka?", WHO),
])
def test_a_follow_up_with_its_own_question_word_does_not_inherit_a_kind(question, previous):
    assert asked_for(question) == frozenset()
    assert inherited(question, previous) == frozenset()


def test_a_follow_up_with_a_kind_of_its_own_keeps_it():
    assert inherited("А где это было?", frozenset({"when"})) == frozenset({"where"})


def test_a_malay_word_is_not_read_as_uzbek_for_money():
    assert "price" not in asked_for("Dan UNESCO pula?")
    assert "price" in asked_for("Kirish pulli mi?")
