"""Which sentence answers (bot/evidence.py), with the real e5 model."""

import dataclasses

import pytest
from fakes import FakeEmbedder, passage

from bot.chunking import Span
from bot.evidence import Sentence, SentenceEvidence, is_heading
from bot.question_type import asked_for

pytestmark = pytest.mark.integration

OPENING = passage("On the morning of November 27, 2017, the First International Symposium on the Development of "
                  "Natural Science Museums under the Belt and Road Initiative opened at the Beijing Museum of Natural "
                  "History.", 0, "opening", title="First BRISMIS opens in Beijing", date="2017-11-27")
CONTACT = passage("BRISMIS Secretariat, Chinese Association of Natural Science Museums. E-mail: secretariat@brismis.org "
                  "(general enquiries, participation in the symposium). Office hours: Monday to Friday, 9:00–12:00 and "
                  "13:30–17:00 (Beijing time), except Chinese public holidays.", 0, "contact",
                  title="About BRISMIS and contact information", date="2019-01-10")


@pytest.mark.parametrize("question", ["When is the BRISMIS secretariat office open?", "秘书处的办公时间是什么？",
                                      "À quelle heure ouvre le secrétariat ?", "Какие часы работы у секретариата?"])
def test_office_hours_are_answered_by_a_time_of_day_not_by_an_opening_date(embeddings, question):
    """"open" draws the sentence on the day the symposium opened (eval/dev: it was quoted)."""
    passages = [dataclasses.replace(p, lang="en", dense_score=0.87) for p in (OPENING, CONTACT)]
    ranked = SentenceEvidence(embeddings).rank(question, passages, asked_for(question))
    assert ranked[0].text.startswith("Office hours"), [s.text[:40] for s in ranked]


FOOTER = passage("BRISMIS - Belt and Road Initiative Science Museum International Symposium\n"
                 "Add: No. 5 Beichen East Road, Chaoyang District, Beijing, 100012, P.R. CHINA\n"
                 "E-mail: secretariat@brismis.org; brismis@163.com", 0, "footer", title="BRISMIS", date="2018-06-24")


@pytest.mark.parametrize("question", ["whats the adress of the brismis secretariat", "BRISMIS秘书处的地址是什么？",
                                      "Quelle est l'adresse postale du secrétariat de BRISMIS ?",
                                      "Какой почтовый адрес у секретариата BRISMIS?"])
def test_the_address_is_answered_by_the_address_line_not_the_e_mail_line(embeddings, question):
    """e5 puts the e-mail line 0.05-0.10 above the address line (golden: four languages quoted it)."""
    passages = [dataclasses.replace(FOOTER, lang="en", dense_score=0.8)]
    ranked = SentenceEvidence(embeddings).rank(question, passages, asked_for(question))
    assert ranked[0].text.startswith("Add:"), [s.text[:40] for s in ranked]


def test_a_contact_question_is_judged_by_the_line_that_gives_the_contact(embeddings):
    """The footer passage as a whole is diluted by the menu and the address; its e-mail line is not."""
    evidence = SentenceEvidence(embeddings)
    q = embeddings.encode_queries(["What is the secretariat's email?"])[0]
    footer = dataclasses.replace(FOOTER, lang="en")
    line = evidence.best_line(q, [footer, OPENING], "email")
    assert line == pytest.approx(float(embeddings.encode_passages([FOOTER.text.splitlines()[-1]])[0] @ q), abs=1e-5)
    assert line > float(embeddings.encode_passages([FOOTER.text])[0] @ q)
    assert evidence.best_line(q, [OPENING], "email") == 0.0


def _sentence(text: str, score: float, typed: bool) -> Sentence:
    return Sentence(0, Span(0, len(text)), text, score, score, typed)


def test_a_second_sentence_is_quoted_only_if_it_states_the_kind_of_fact_the_best_states():
    """"When was the first symposium held?" was answered by its date and then by a dateless sentence."""
    evidence = SentenceEvidence(embedder=None, sentences=2)
    dated = _sentence("In November 2017, CANSM hosted the First Symposium.", 1.20, typed=True)
    dateless = _sentence("The two parties shall support the biennial Symposium.", 1.19, typed=False)
    also_dated = _sentence("It opened on 27 November 2017.", 1.19, typed=True)
    assert evidence.quoted([dated, dateless]) == [dated]
    assert evidence.quoted([dated, also_dated]) == [dated, also_dated]
    assert evidence.quoted([dateless, also_dated]) == [dateless, also_dated]  # nothing typed asked: both
    assert evidence.quoted([dated, _sentence("Far below.", 1.0, typed=True)]) == [dated]


@pytest.mark.parametrize("line", ["Copyright 2017 Chinese Association of Natural Science Museums (CANSM)",
                                  "© 2023 CANSM. All rights reserved.", "PowerBy: Beijing POONSOFT CO., LTD.",
                                  "版权所有 中国自然科学博物馆学会", "Powered by WordPress"])
def test_a_footer_line_is_not_a_sentence_that_answers(line):
    assert is_heading(line)


def test_a_sentence_mentioning_copyright_is_still_one():
    assert not is_heading("The agreement protects the copyright of shared exhibits from 2019.")


@pytest.mark.parametrize("line", ["What is BRISMIS?", "BRISMIS是什么？", "ما هي ندوة BRISMIS؟", "Who can take part? ",
                                  "How do I register?”"])
def test_a_question_in_an_announcement_is_not_a_sentence_that_answers(line):
    """An FAQ's "What is BRISMIS?" was quoted for "Where was BRISMIS 2021 held?": e5 puts a question
    closest to a question."""
    assert is_heading(line)


def test_an_faq_is_read_for_its_answers_not_its_questions(embeddings):
    faq = passage("What is BRISMIS? BRISMIS is a symposium of natural science museums held every two years. "
                  "Where was BRISMIS 2021 held? It was held in Xi'an and online.", 0, "faq", title="About BRISMIS")
    question = "Where was BRISMIS 2021 held?"
    ranked = SentenceEvidence(embeddings).rank(question, [dataclasses.replace(faq, lang="en", dense_score=0.85)],
                                               asked_for(question))
    assert sorted(s.text for s in ranked) == ["BRISMIS is a symposium of natural science museums held every two years.",
                                              "It was held in Xi'an and online."]


B2023 = passage("BRISMIS 2023 has attracted 96 curators and directors of 65 science museums, science centres and related "
                "institutions from 42 countries, representatives of 8 international organizations, and more than 300 "
                "Chinese participants from science and technology museums.", 0, "b2023",
                title="BRISMIS 2023 opens in Beijing", date="2023-11-28")


@pytest.mark.parametrize("question, counted", [
    ("BRISMIS 2023 da nechta xalqaro tashkilot vakillari bor edi?", "8"),
    ("Berapa pertubuhan antarabangsa hadir di BRISMIS 2023?", "8"),
    ("How many countries took part in BRISMIS 2023?", "42"),
    ("Πόσες χώρες συμμετείχαν στο BRISMIS 2023;", "42"),
    ("Сколько кураторов приехало на BRISMIS 2023?", "96"),
    ("BRISMIS 2023有多少位中国参会者？", "300"),
])
def test_a_count_is_told_by_the_words_it_counts(embeddings, question, counted):
    """The tune run's model answered "96 international organizations" and "42 institutions" from
    this sentence: every number in it is true, only one counts what is asked."""
    evidence = SentenceEvidence(embeddings)
    ranked = evidence.rank(question, [B2023], asked_for(question))
    counts = evidence.counts(question, ranked[:4], [B2023])
    assert max(counts, key=counts.get) == counted, counts


def test_a_count_of_the_kind_of_thing_the_question_names_is_preferred():
    """"How many agreements?" prefers "21 agreements" to "30 countries" by KIND_BONUS; a question
    about participants is answered by curators too (one kind of people here)."""
    from bot.evidence import KIND_BONUS

    evidence = SentenceEvidence(FakeEmbedder())
    text = "Museums signed 21 cooperation agreements. Curators came from 30 countries. 58 curators attended."

    def bonus(question):
        ranked = evidence.rank(question, [passage(text, 0, "a")], frozenset({"how_many"}))
        return {s.text.split()[2]: round(s.score - s.similarity, 6) for s in ranked}

    got = bonus("How many agreements were signed?")
    assert got["21"] - got["from"] == pytest.approx(KIND_BONUS) and got["from"] == got["attended."]
    got = bonus("Сколько участников приехало?")
    assert got["attended."] - got["21"] == pytest.approx(KIND_BONUS)
    got = bonus("How many were there?")
    assert len(set(got.values())) == 1


SECOND = ("The symposium is hosted by the Chinese Association of Natural Science Museums (CANSM) and organized by the "
          "Sichuan Science and Technology Museum, in accordance with the Letter of Agreement signed between CANSM and "
          "UNESCO in Shanghai in June 2018. At the closing ceremony on November 7, the participants adopted the Chengdu "
          "Initiative on Green Science Communication.")
SIGNING = ("In the morning of June 24, the signing ceremony of the bilateral Letter of Agreement between the Chinese "
           "Association of Natural Science Museums (CANSM) and the United Nations Educational, Scientific and Cultural "
           "Organization (UNESCO) was held at Shanghai Science and Technology Museum. The agreement was signed by "
           "Dr. Cheng Donghong, President of CANSM, and Dr. Flavia Schlegel, Assistant Director-General of UNESCO.")


@pytest.mark.parametrize("text, adopted", [
    ("At the closing ceremony, the participants adopted the Chengdu Initiative.", True),
    ("会议通过了《成都倡议》。", True), ("Участники приняли Пекинский консенсус.", True),
    ("in accordance with the Letter of Agreement signed between CANSM and UNESCO", False),
])
def test_a_sentence_saying_a_document_was_adopted_is_told(text, adopted):
    from bot.question_type import says_adopted

    assert says_adopted(text) is adopted


@pytest.mark.parametrize("text, agent", [
    ("The agreement was signed by Dr. Cheng Donghong, President of CANSM.", True),
    ("The symposium is hosted by the Chinese Association of Natural Science Museums.", True),
    ("研讨会由中国自然科学博物馆协会主办。", True),
    ("The signing ceremony was held at Shanghai Science and Technology Museum.", False),
    ("It was organised by the museum and attended by many.", False),  # "by" a common noun names nobody
])
def test_a_sentence_naming_who_did_it_is_told(text, agent):
    from bot.question_type import names_agent

    assert names_agent(text) is agent


@pytest.mark.parametrize("question, text, first", [
    # both sentences name a document (eval/dev tune-en-edition-02 quoted the first); the second says what was adopted
    ("What did the second symposium adopt at its closing?", SECOND, "At the closing ceremony"),
    # issue 11: "Who signed the agreement?" got the ceremony sentence while the next one names the signers
    # (golden zh-fact-10, es-fact-11, sr-fact-02 quoted it)
    ("联合国教科文组织方面是谁签的字？", SIGNING, "The agreement was signed by"),
    ("¿Quién firmó el acuerdo por parte de la UNESCO?", SIGNING, "The agreement was signed by"),
    ("Ко је потписао споразум у име CANSM?", SIGNING, "The agreement was signed by"),
])
def test_the_sentence_that_gives_what_is_asked_outranks_one_about_its_topic(embeddings, question, text, first):
    ranked = SentenceEvidence(embeddings).rank(question, [dataclasses.replace(passage(text), lang="en")],
                                               asked_for(question))
    assert ranked[0].text.startswith(first), [s.text[:40] for s in ranked]
