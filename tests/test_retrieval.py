"""Hybrid retrieval with the real model over the seed announcement."""

import pytest

pytestmark = pytest.mark.integration

NOV_2017 = "In November 2017"

QUESTIONS = [  # (question, text that the right passage contains)
    ("When was the first BRISMIS symposium held?", NOV_2017),
    ("第一届BRISMIS研讨会是什么时候举办的？", NOV_2017),
    ("Когда прошёл первый симпозиум BRISMIS?", NOV_2017),
    ("متى عقدت الندوة الأولى لـ BRISMIS؟", NOV_2017),
    ("Quand le premier symposium BRISMIS a-t-il eu lieu ?", NOV_2017),
    ("¿Dónde se firmó la carta de acuerdo con la UNESCO?", "Shanghai Science and Technology Museum"),
    ("Who signed the agreement for UNESCO?", "Flavia Schlegel"),
    ("What is the e-mail address of the secretariat?", "secretariat@brismis.org"),
    ("How many bilateral cooperation agreements were signed?", "16 bilateral cooperation agreements"),
    ("การประชุมสัมมนาครั้งแรกมีหัวข้อว่าอะไร", "Collaborative Sharing and Reciprocation"),
]


@pytest.mark.parametrize("question,expected", QUESTIONS)
def test_right_passage_in_top_three(retriever, question, expected):
    top = retriever.search(question)[:3]
    assert any(expected in p.text for p in top), [p.text[:60] for p in top]


def test_candidates_carry_scores_ranks_and_offsets(retriever, settings):
    from bot.corpus import load_corpus

    doc = load_corpus(settings.corpus_dir).documents[0]
    results = retriever.search("secretariat@brismis.org")
    assert [p.rank for p in results] == list(range(1, len(results) + 1))
    assert all(a.fused_score >= b.fused_score for a, b in zip(results, results[1:]))
    top = results[0]
    assert "secretariat@brismis.org" in top.text
    assert top.lexical_rank == 1 and top.dense_rank is not None  # both signals found it
    assert doc.text[top.start : top.end] == top.text


def test_lexical_tokens_split_scripts_without_spaces(retriever):
    assert len(retriever._lexical_tokens(["第一届研讨会"])[0]) >= 2
    assert "," not in retriever._lexical_tokens(["museums, planetariums"])[0]


def test_is_a_langchain_retriever(retriever):
    docs = retriever.invoke("Who signed the agreement?")
    assert len(docs) == retriever.k and docs[0].metadata["chunk_id"]


def test_reload_reads_the_store_in_pages(retriever, monkeypatch):
    import bot.retrieval

    before = [(p.chunk_id, p.text) for p in retriever.passages()]
    ranking = [p.chunk_id for p in retriever.search("secretariat@brismis.org")]
    monkeypatch.setattr(bot.retrieval, "PAGE", 5)  # 18 chunks: four pages, the last one short
    try:
        retriever.reload()
        assert [(p.chunk_id, p.text) for p in retriever.passages()] == before
        assert [p.chunk_id for p in retriever.search("secretariat@brismis.org")] == ranking
    finally:
        monkeypatch.undo()
        retriever.reload()
