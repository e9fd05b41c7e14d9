"""The fact asked for, in the visitor's language (bot/facts.py): only the one fact the sentence
states, never a hedged count or one of several candidates."""

import pytest

from bot.facts import stated_fact

WHEN, HOW_MANY, EMAIL = frozenset({"when"}), frozenset({"how_many"}), frozenset({"email"})
CEREMONY = "On August 26, 2022, the awards ceremony of the 2022 video competition was held in Beijing."
WORKSHOP = "From October 15 to 26, 2018, the first Training Workshop for museum professionals was held in Beijing."
FORUM = "63 foreign delegates from 27 science centres in 15 countries, together with some 120 Chinese professionals, attended."


@pytest.mark.parametrize("lang, expected", [
    ("ru", "26 августа 2022\u202fг."), ("zh", "2022年8月26日"), ("fr", "26 août 2022"), ("el", "26 Αυγούστου 2022"),
    ("ar", "26 أغسطس 2022"), ("uz", "26-avgust, 2022"), ("xx", "August 26, 2022"),
])
def test_a_date_is_written_in_the_visitors_language(lang, expected):
    assert stated_fact(WHEN, CEREMONY, "en", "When?", lang) == expected


def test_a_range_gives_both_days_and_a_month_alone_stays_a_month():
    assert stated_fact(WHEN, WORKSHOP, "en", "¿Cuándo?", "es") == "15 de octubre de 2018 – 26 de octubre de 2018"
    assert stated_fact(WHEN, "In November 2017, CANSM hosted the symposium.", "en", "Quand ?", "fr") == "novembre 2017"
    assert stated_fact(WHEN, "The ceremony was on June 24.", "en", "Когда?", "ru") == "24 июня"


def test_the_dates_asked_for_are_a_range_and_a_range_may_cross_months():
    opening = "On the morning of November 29, 2023, the Third Symposium opened in Beijing."
    runs = "The symposium runs from 29 November to 1 December 2023 in Beijing."
    days = frozenset({"when", "days"})
    assert stated_fact(days, opening, "en", "Από πότε μέχρι πότε;", "el") is None  # the opening day is not the dates
    assert stated_fact(days, runs, "en", "Από πότε μέχρι πότε;", "el") == "29 Νοεμβρίου 2023 – 1 Δεκεμβρίου 2023"
    assert stated_fact(WHEN, opening, "en", "Πότε;", "el") == "29 Νοεμβρίου 2023"


def test_two_dates_of_different_months_are_no_single_answer():
    two = "Abstracts are due by 30 June 2019; authors will be told by 15 August 2019."
    assert stated_fact(WHEN, two, "en", "When?", "ru") is None


def test_the_count_of_the_side_asked_about():
    assert stated_fact(HOW_MANY, FORUM, "en", "Berapa ramai perwakilan asing hadir?", "ms") == "63"
    # several counts and no side named: which one is asked, only reading tells
    assert stated_fact(HOW_MANY, FORUM, "en", "Сколько человек пришло?", "ru") is None
    # the number the question already gives is not its answer
    assert stated_fact(HOW_MANY, "A delegation of 7 from Uzbekistan came in 2023.", "en", "Сколько человек?", "ru") == "7"


def test_of_several_counts_the_one_what_it_counts_makes_clearly_first():
    """``counts`` as evidence.counts gives them: each count's fit to the question."""
    b2023 = "It drew 96 curators from 42 countries and 8 international organizations."
    q = "Berapa pertubuhan antarabangsa hadir?"
    assert stated_fact(HOW_MANY, b2023, "en", q, "ms", {"8": 1.29, "42": 1.23, "96": 1.20}) == "8"
    assert stated_fact(HOW_MANY, b2023, "en", q, "ms", {"8": 1.29, "42": 1.26, "96": 1.20}) is None  # not clear
    # the clear first is in another sentence: this one's counts are none of them
    assert stated_fact(HOW_MANY, b2023, "en", q, "ms", {"12": 1.40, "8": 1.29}) is None


@pytest.mark.parametrize("sentence, lang", [
    ("The two parties shall support the biennial symposium.", "en"),  # a number word is rarely the count asked
    ("The symposium brought together more than 140 Chinese curators.", "en"),
    ("国内130余位馆长参加了会议。", "zh"),
    ("近300位代表参加了会议。", "zh"),
    ("Nearly 300 delegates attended.", "en"),
])
def test_a_hedged_count_is_quoted_not_stated_bare(sentence, lang):
    assert stated_fact(HOW_MANY, sentence, lang, "How many curators came?", "ru") is None


def test_addresses_are_listed_and_other_kinds_are_left_to_reading():
    contact = "E-mail: secretariat@brismis.org; brismis@163.com. Tel: +86 10 6837 1234."
    assert stated_fact(EMAIL, contact, "en", "Какой e-mail?", "ru") == "secretariat@brismis.org, brismis@163.com"
    assert stated_fact(frozenset({"phone"}), contact, "en", "Телефон?", "ru") == "+86 10 6837 1234"
    assert stated_fact(frozenset({"where"}), CEREMONY, "en", "Где?", "ru") is None
    assert stated_fact(frozenset({"when", "where"}), CEREMONY, "en", "Когда и где?", "ru") is None
    assert stated_fact(WHEN, "The symposium was a success.", "en", "Когда?", "ru") is None
