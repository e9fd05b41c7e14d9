"""The relevance gate: off-topic anchors, and the question without the names every announcement shares."""

import numpy as np
import pytest
from fakes import passage

from bot.relevance import RelevanceGate, shared_names


class _NoAnchors:
    def encode_passages(self, texts):
        return np.zeros((len(texts), 4))


def _gate(names=frozenset({"BRISMIS", "CANSM"}), focus_margin=-0.025):
    return RelevanceGate(_NoAnchors(), 0.0, focus_margin, names)


def test_shared_names_are_the_acronyms_most_announcements_name():
    docs = {"a": ["BRISMIS 2023 opens.", "CANSM hosts it with UNESCO."], "b": ["The BRISMIS forum, CANSM said."],
            "c": ["BRISMIS in Chengdu.", "ICOM attends."], "d": ["A workshop of CANSM."]}
    chunks = [passage(text, n, doc) for doc, texts in docs.items() for n, text in enumerate(texts)]
    assert shared_names(chunks) == {"BRISMIS", "CANSM"}  # UNESCO and ICOM: fewer than half
    assert shared_names([passage("BRISMIS 2023", 0, "a")]) == frozenset()  # one announcement shares nothing


@pytest.mark.parametrize("question, focus", [
    ("Dans quel hôtel logent les participants du BRISMIS 2023 ?", "Dans quel hôtel logent les participants du ?"),
    ("BRISMIS 2023的论文投稿截止日期是哪天？", "的论文投稿截止日期是哪天？"),
    ("参加2023年研讨会的代表住哪家酒店？", "参加 年研讨会的代表住哪家酒店？"),
    ("Колико је жена учествовало на BRISMIS-у 2023?", "Колико је жена учествовало на ?"),
    ("BRISMIS'ning kotibiyati telefon raqami qanday?", "kotibiyati telefon raqami qanday?"),
])
def test_the_focus_drops_shared_names_with_their_endings_and_years(question, focus):
    assert _gate().focus(question) == focus


@pytest.mark.parametrize("question", [
    "What is BRISMIS?", "什么是BRISMIS？", "Что такое BRISMIS?", "BRISMIS คืออะไร", "BRISMIS nima?",  # the name itself
    "How do I reset my password?",  # no shared name: the plain gate judges it
    "What is BRISMISX 12023?",  # not the name, not a year
])
def test_no_focus_when_nothing_or_too_little_is_left(question):
    assert _gate().focus(question) is None


def test_no_focus_check_when_it_is_turned_off():
    assert _gate(focus_margin=None).focus("Dans quel hôtel logent les participants du BRISMIS 2023 ?") is None


def test_the_focus_is_held_to_its_own_margin():
    gate = _gate(focus_margin=-0.025)
    assert gate.relevant(np.ones(4), -0.01, focused=True) and not gate.relevant(np.ones(4), -0.01)
    assert not gate.relevant(np.ones(4), -0.03, focused=True)
