"""Whose count a number is (bot/guard/qualifiers.py), from the failures seen: "44位中国馆长" where 44
were the foreign curators, "96 Chinese participants" where 96 came from abroad."""

import pytest

from bot.guard.qualifiers import count_conflict, qualifier_conflict, side_asked

SEED = ("The symposium brought together 9 government agencies, 44 curators and directors of 22 science related "
        "museums from the countries involved in Belt and Road countries, more than 140 Chinese curators and directors.")
B2023 = ("BRISMIS 2023 has attracted 96 curators and directors of 65 science museums from 42 countries, and more "
         "than 300 Chinese participants from science and technology museums.")


@pytest.mark.parametrize("answer, lang, passage", [
    ("44位中国馆长参加了研讨会。", "zh", SEED),
    ("140 foreign curators attended.", "en", SEED),
    ("Asistieron 44 conservadores chinos.", "es", SEED),
    ("Присутствовали 44 китайских куратора.", "ru", SEED),
    ("96 kineskih učesnika je bilo na BRISMIS 2023.", "sr", B2023),
    ("Seramai 300 peserta asing hadir.", "ms", B2023),
])
def test_a_count_given_to_the_wrong_side_is_told(answer, lang, passage):
    assert qualifier_conflict(answer, lang, passage, "en")


@pytest.mark.parametrize("answer, lang, passage", [
    ("共有44位外国馆长参加。", "zh", SEED),
    ("有140多位中国馆长参加。", "zh", SEED),
    ("44 foreign curators attended.", "en", SEED),
    ("Asistieron más de 140 conservadores chinos.", "es", SEED),
    ("Присутствовали 44 иностранных куратора.", "ru", SEED),
    ("Više od 300 kineskih učesnika.", "sr", B2023),
    ("96 curators from 42 countries came.", "en", B2023),  # no side named: not judged
    ("44 Chinese curators attended.", "en", "44 curators attended the meeting."),  # the passage names none
])
def test_the_right_side_or_none_passes(answer, lang, passage):
    assert qualifier_conflict(answer, lang, passage, "en") is None


def test_a_chinese_passage_is_read_with_its_own_qualifiers():
    zh = "来自19个国家的24家科学类博物馆的44位外国馆长，以及130余位中国馆长出席。"
    assert qualifier_conflict("130 foreign curators attended.", "en", zh, "zh")
    assert qualifier_conflict("More than 130 Chinese curators attended.", "en", zh, "zh") is None


@pytest.mark.parametrize("question, side", [
    ("Koliko kineskih učesnika je bilo na BRISMIS 2023?", "chinese"),
    ("第一届有多少位外国馆长参加？", "foreign"),
    ("How many foreign and Chinese curators came?", None),  # both: no side
    ("How many curators came?", None),
])
def test_the_side_a_question_asks_about(question, side):
    assert side_asked(question) == side


def test_an_unqualified_number_counts_the_side_asked():
    assert qualifier_conflict("96", "sr", B2023, "en", asked="chinese")
    assert qualifier_conflict("300", "sr", B2023, "en", asked="chinese") is None
    assert qualifier_conflict("96", "sr", B2023, "en") is None  # nothing asked: not judged


def test_each_number_comes_with_the_words_it_counts():
    """What a question's count is of is told by meaning (evidence.counts); these are the words it reads."""
    from bot.guard.qualifiers import counted_phrases

    text = ("BRISMIS 2023 has attracted 96 curators and directors of 65 science museums, science centres and related "
            "institutions from 42 countries, representatives of 8 international organizations, and more than 300 "
            "Chinese participants in 2023.")
    assert counted_phrases(text, "en") == [("96", "curators and directors of"), ("65", "science museums"),
                                           ("42", "countries"), ("8", "international organizations"),
                                           ("300", "Chinese participants")]
    assert counted_phrases("来自42个国家的96位馆长，以及300余位中国参会者。", "zh")[0] == ("42", "个国家的")
    assert counted_phrases("No figures here, only the year 2019.", "en") == []


def test_a_chinese_count_ending_in_its_measure_word_counts_the_words_before_it():
    from bot.guard.qualifiers import counted_phrases

    assert counted_phrases("研讨会期间，中外场馆共签署合作协议和意向书23项。", "zh") == [("23", "中外场馆共签署合作协议和意向书项")]
    assert counted_phrases("来自42个国家的96位馆长。", "zh") == [("42", "个国家的"), ("96", "位馆长")]


def test_the_kind_a_count_counts_is_named_nearest_its_number_in_each_language():
    """Reports that disagree are told by kind (bot/disagreement.py): "young museum professionals"
    are professionals, not museums; "合作协议和意向书23项" are agreements, not the venues (场馆)
    named first; days and words are of no kind."""
    from bot.guard.qualifiers import counted_kinds

    assert counted_kinds("The symposium brought together 58 curators and directors of 36 science related museums "
                         "and institutions from 31 countries, representatives of 6 international organizations.",
                         "en") == {"58": "curators", "36": "museums", "31": "countries", "6": "organizations"}
    assert counted_kinds("The forum gathered 45 young museum professionals; 26 Chinese enterprises showed products "
                         "over 3 working days.", "en") == {"45": "professionals", "26": "enterprises"}
    assert counted_kinds("研讨会期间，中外场馆共签署合作协议和意向书23项。", "zh") == {"23": "agreements"}
    assert counted_kinds("来自19个国家的24家科学类博物馆和机构的44位馆长及负责人", "zh") == {
        "19": "countries", "24": "museums", "44": "curators"}
    assert counted_kinds("В работе симпозиума приняли участие 44 руководителя и директора научных музеев из 19 стран.",
                         "ru") == {"44": "curators", "19": "countries"}
    assert counted_kinds("Du 27 au 30 novembre 2017, 120 participants de 24 pays.", "fr") == {
        "120": "participants", "24": "countries"}


W2018 = "The workshop was attended by 32 curators and collection managers from 27 countries."


@pytest.mark.parametrize("answer, lang, passage", [
    ("Il y a 42 institutions étrangères présentes au BRISMIS 2023.", "fr", B2023),  # the 42 are countries
    ("42 foreign institutions took part.", "en", B2023),
    ("44 музеја и институција је учествовало на првом BRISMIS-у.", "sr", SEED),  # the 44 are curators
    ("2018-yilgi o'quv seminarida 27 ishtirokchi qatnashgan.", "uz", W2018),  # the 27 are countries
    ("27个博物馆参加了培训。", "zh", W2018),
])
def test_a_count_of_another_kind_of_thing_than_the_passage_counts_is_told(answer, lang, passage):
    """Answers seen in the embedded runs (tune): true numbers, each counting something else."""
    assert count_conflict(answer, lang, passage, "en")


@pytest.mark.parametrize("answer, lang, passage", [
    ("96 участников.", "ru", B2023),  # curators and participants are people alike
    ("65 institutions étrangères.", "fr", B2023),
    ("32 شخصاً شارك في ورشة التدريب.", "ar", W2018),  # "persons", then the workshop: only what follows the number
    ("来自27个国家。", "zh", W2018),
    ("Workshop itu dihadiri 32 orang.", "ms", W2018),  # a kind the data does not know: not checked
])
def test_a_count_of_the_same_kind_or_of_no_known_kind_passes(answer, lang, passage):
    assert count_conflict(answer, lang, passage, "en") is None
