"""Reports that disagree (bot/disagreement.py): which sentences of other announcements are the same
statement with another figure, and which are not. The cross-language cases use the real e5 model."""

import dataclasses

import pytest
from fakes import FakeEmbedder, passage

from bot.disagreement import counts, disagreement, quote_reports, same_event
from bot.evidence import SentenceEvidence

HOW_MANY = frozenset({"how_many"})


def report(text, doc_id, date="2017-11-28", lang="en", title="Report", edition=0, n=0):
    p = dataclasses.replace(passage(text, n, doc_id, title=title, date=date), lang=lang)
    p.extra["edition"] = edition
    return p


def find(evidence, question, best, others, kinds=HOW_MANY):
    ranked = evidence.rank(question, [best], kinds)
    return disagreement(evidence, question, [best], ranked, kinds, others)


def test_the_days_of_a_date_range_are_no_counts():
    assert counts("The symposium will be held from 5 to 7 November 2019 in Chengdu.", "en") == set()
    assert counts("2017年11月27日至28日举行", "zh") == set()
    assert counts("С 27 по 30 ноября 2017 года прошёл симпозиум.", "ru") == set()
    assert counts("During the three-day symposium, 28 agreements were signed.", "en") == {"3", "28"}
    assert counts("On 27 November 2017, 44 curators came.", "en") == {"44"}


def test_a_date_question_is_no_count_question():
    """Malay "tarikh berapa" ("which date") also reads as "how many"."""
    evidence = SentenceEvidence(FakeEmbedder())
    best = report("The symposium was held on 27-28 November 2017 with 44 curators.", "a", edition=1)
    other = report("The symposium was held on 27-28 November 2017 with 46 curators.", "b", "2017-11-30", edition=1)
    assert find(evidence, "Berapa?", best, [other]) is not None
    assert find(evidence, "Tarikh berapa?", best, [other], frozenset({"how_many", "when"})) is None


def test_same_event_is_one_year_and_edition_or_a_later_untitled_announcement_recalling_it():
    opening = report("x", "opening", "2017-11-27", edition=1)
    assert same_event(opening, report("x", "closing", "2017-11-30", edition=1)) == "same year"
    assert same_event(opening, report("x", "agreement", "2018-06-24", title="CANSM and UNESCO sign")) == "recalled"
    assert same_event(opening, report("x", "third", "2023-12-01", title="BRISMIS 2023 closes", edition=1)) is None
    assert same_event(opening, report("x", "second", "2017-12-01", edition=-1)) is None


LIST_24 = ("The symposium brought together 44 curators and directors of 24 science related museums from 19 "
           "countries and more than 140 Chinese curators.")


def test_a_list_of_figures_restated_with_one_changed_is_a_rival_in_any_language():
    evidence = SentenceEvidence(FakeEmbedder())
    best = report(LIST_24, "opening", "2017-11-27", edition=1)
    zh = report("来自19个国家的24家科学类博物馆和机构的44位馆长，国内130余位馆长参加了会议。", "zh-review", "2017-12-04", "zh",
                edition=1)
    agreement = report("The symposium brought together 44 curators and directors of 22 science related museums and "
                       "more than 140 Chinese curators.", "agreement", "2018-06-24", title="CANSM and UNESCO sign")
    found = find(evidence, "How many curators came to the first symposium?", best, [zh, agreement])
    assert [r.passage.doc_id for r in found] == ["opening", "zh-review", "agreement"]
    text, citations = quote_reports("en", found)
    assert text.startswith("The announcements give different figures:") and "130余位" in text and "22 science" in text
    assert [c.n for c in citations] == [1, 2, 3] and all(c.highlights for c in citations)


def test_the_count_that_differs_must_be_the_side_asked_about():
    evidence = SentenceEvidence(FakeEmbedder())
    best = report(LIST_24, "opening", "2017-11-27", edition=1)
    chinese_only = report("The symposium brought together 44 curators and directors of 24 science related museums "
                          "from 19 countries and more than 130 Chinese curators.", "other", "2017-11-29", edition=1)
    assert find(evidence, "How many Chinese curators came?", best, [chinese_only]) is not None
    assert find(evidence, "How many foreign museums came?", best, [chinese_only]) is None
    # the sentence says which count is Chinese (140): another number changed is no answer to "how many Chinese"
    other_countries = report("The symposium brought together 44 curators and directors of 24 science related museums "
                             "from 21 countries and more than 140 Chinese curators.", "other", "2017-11-29", edition=1)
    assert find(evidence, "How many Chinese curators came?", best, [other_countries]) is None
    assert find(evidence, "From how many countries?", best, [other_countries]) is not None


def test_other_editions_and_unrelated_sentences_are_no_rivals():
    evidence = SentenceEvidence(FakeEmbedder())
    best = report("During the symposium, Chinese and foreign museums signed 21 cooperation agreements and letters of intent.", "second", "2019-11-08", edition=1)
    third = report("During the symposium, Chinese and foreign museums signed 28 cooperation agreements and letters of intent.", "third", "2023-12-01",
                   title="BRISMIS 2023 closes")
    recalled = report("During the symposium, Chinese and foreign museums signed 23 cooperation agreements and letters of intent.", "later", "2020-03-01")
    exhibitors = report("26 companies showed their products at the symposium.", "expo", "2019-11-09", edition=1)
    assert find(evidence, "How many agreements were signed in 2019?", best, [third, recalled, exhibitors]) is None
    same_year = report("During the symposium, Chinese and foreign museums signed 23 cooperation agreements and letters of intent.", "later", "2019-11-20",
                       edition=1)
    found = find(evidence, "How many agreements were signed in 2019?", best, [same_year])
    assert [r.passage.doc_id for r in found] == ["second", "later"]
    # one figure differs: the answer is the figures, in the visitor's language; the sentences are highlighted
    text, citations = quote_reports("fr", found)
    assert text == "Les annonces donnent des chiffres différents : 21 [1] (2019-11-08); 23 [2] (2019-11-20)."
    assert [len(c.highlights) for c in citations] == [1, 1]
    assert find(evidence, "Where was the second symposium?", best, [same_year], frozenset({"where"})) is None


CHENGDU_ZH = ("研讨会期间，中外场馆共签署合作协议和意向书23项，内容涵盖巡回展览、人员交流、联合研究和数字资源共享等。"
              "会议期间，26家国内科普企业在会场举办了科普展品展示活动。")


AGREEMENTS = "During the symposium, Chinese and foreign museums signed 21 cooperation agreements and letters of intent."
ABSTRACTS = "Abstracts of no more than 500 words, written in English or Chinese, should reach the secretariat."


@pytest.mark.parametrize("best_text, other_text, rival", [(AGREEMENTS, ABSTRACTS, "23项"), (ABSTRACTS, AGREEMENTS, None)])
def test_across_languages_a_one_figure_rival_is_the_translation_both_ways(embeddings, best_text, other_text, rival):
    """e5 scores an unrelated Chinese sentence about as high as the translation: only a sentence that
    is the best one's closest, and has it as its own closest, is taken for the same statement."""
    evidence = SentenceEvidence(embeddings)
    best = report(best_text, "best", "2019-11-08", edition=1)
    other = report(other_text, "other", "2019-03-18", edition=1)
    zh = report(CHENGDU_ZH, "zh-second", "2019-11-09", "zh", edition=1)
    found = find(evidence, "How many agreements were signed at the second symposium?", best, [zh, other])
    if rival is None:
        assert found is None
    else:
        assert [r.passage.doc_id for r in found] == ["best", "zh-second"] and rival in found[1].text


DAYS = frozenset({"when", "days"})


def test_ranges_of_days_with_one_end_moved_are_rivals_in_any_language_and_single_days_are_not():
    evidence = SentenceEvidence(FakeEmbedder())
    best = report("The two-day symposium is held from 27 to 28 November 2017 in Beijing.", "opening", "2017-11-27", edition=1)
    ru = report("С 27 по 30 ноября 2017 года в Пекине прошёл симпозиум.", "ru-review", "2017-12-08", "ru", edition=1)
    same = report("The symposium was held on 27-28 November 2017.", "closing", "2017-11-28", edition=1)
    opening_day = report("On 27 November 2017 the symposium opened in Beijing.", "news", "2017-11-29", edition=1)
    other_edition = report("The symposium runs from 27 to 30 November 2023.", "third", "2023-11-27", edition=-1)
    found = find(evidence, "What were the dates of the first symposium?", best, [ru, same, opening_day, other_edition], DAYS)
    assert [r.passage.doc_id for r in found] == ["opening", "ru-review"]
    text, citations = quote_reports("en", found)
    assert text == ("The announcements give different dates: November 27, 2017 – November 28, 2017 [1] (2017-11-27); "
                    "November 27, 2017 – November 30, 2017 [2] (2017-12-08).")
    assert [len(c.highlights) for c in citations] == [1, 1]
    assert find(evidence, "What were the dates?", best, [same, opening_day], DAYS) is None


SECOND = "Second BRISMIS held in Chengdu"
SECOND_ZH = "第二届“一带一路”自然科学博物馆发展国际研讨会在成都举行"


def test_a_count_of_the_same_kind_in_another_report_of_the_edition_is_a_rival_whatever_else_it_says():
    """"21 cooperation agreements" and "合作协议和意向书23项" share no other figure and are not each
    other's translation; both announcements name the second edition in their titles."""
    evidence = SentenceEvidence(FakeEmbedder())
    best = report(AGREEMENTS, "second", "2019-11-08", title=SECOND, edition=1)
    zh = report("研讨会期间，中外场馆共签署合作协议和意向书23项，内容涵盖巡回展览和人员交流。", "zh-second", "2019-11-09", "zh",
                title=SECOND_ZH, edition=1)
    found = find(evidence, "How many agreements were signed at the second symposium?", best, [zh])
    assert [r.passage.doc_id for r in found] == ["second", "zh-second"]
    text, _ = quote_reports("en", found)
    assert text == "The announcements give different figures: 21 [1] (2019-11-08); 23 [2] (2019-11-09)."


@pytest.mark.parametrize("best_text, other_title, other_text", [
    # another event the same year, its title naming the year and another city
    ("The symposium brought together 36 science related museums and institutions.",
     "CANSM holds its 2019 Annual Meeting in Hangzhou", "The meeting approved the admission of 34 new member institutions."),
    # a title naming no edition: a training workshop reports its own counts
    ("The symposium brought together 48 curators.",
     "Training Workshop for Natural History Museum Professionals", "The workshop was attended by 40 curators."),
    # professionals are not museums; small counts (4 and 5 sessions) are two things, not two reports
    ("The youth forum gathered 45 young museum professionals.", SECOND_ZH, "来自20个国家的37家博物馆参加了研讨会。"),
    ("The symposium held 4 parallel sessions.", SECOND, "The symposium held 5 parallel sessions on green development."),
])
def test_counts_of_other_events_other_kinds_or_small_ones_are_no_rivals(best_text, other_title, other_text):
    evidence = SentenceEvidence(FakeEmbedder())
    best = report(best_text, "second", "2019-11-08", title=SECOND, edition=1)
    other = report(other_text, "other", "2019-11-20", "zh" if "家" in other_text else "en", title=other_title, edition=1)
    assert find(evidence, "How many were there at the second symposium?", best, [other]) is None
