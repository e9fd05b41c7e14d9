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


def test_every_candidate_is_ranked_in_both_lists(retriever, monkeypatch):
    """A candidate either list found gets its rank in the other however far down it is: cut at the
    candidate count, a passage just past the cut got nothing from that list."""
    question = "How many bilateral cooperation agreements were signed?"
    monkeypatch.setattr(retriever, "candidates", 2)
    found = retriever.search(question, k=2)
    dense = [i for i, _, _ in retriever.dense(question, retriever.size)]
    lexical = [i for i, _ in retriever.lexical(question, retriever.size)]
    assert len(found) > 2  # the two lists' tops differ
    for p in found:
        row = retriever._by_id[p.chunk_id]
        assert p.dense_rank == dense.index(row) + 1
        assert p.lexical_rank == (lexical.index(row) + 1 if row in lexical else None)
    assert any(p.dense_rank > 2 for p in found) and any((p.lexical_rank or 0) > 2 for p in found)


@pytest.fixture(scope="module")
def editions_retriever(tmp_path_factory, settings, embeddings):
    """Two look-alike reports of two editions, each naming its city only in its title and text."""
    import shutil

    from conftest import write_doc

    from bot.corpus import load_corpus
    from bot.index import build_index
    from bot.retrieval import open_retriever

    base = tmp_path_factory.mktemp("editions")
    corpus = base / "corpus"
    shutil.copytree(settings.corpus_dir, corpus)
    write_doc(corpus, "second", "The symposium was held at the Sichuan Science and Technology Museum in Chengdu. "
              "During the symposium, 23 cooperation agreements were signed between the museums.",
              title="Second symposium held in Chengdu", date="2019-11-08")
    write_doc(corpus, "annual", "The annual meeting took place at the Zhejiang Science and Technology Museum. "
              "During the meeting, 31 cooperation agreements were signed between the museums.",
              title="CANSM annual meeting held in Hangzhou", date="2019-04-20")
    local = settings.model_copy(update={"corpus_dir": corpus, "index_dir": base / "index"})
    build_index(local, load_corpus(corpus), lambda: embeddings)
    return open_retriever(local, embeddings)


@pytest.fixture(scope="module")
def passing_retriever(tmp_path_factory, settings, embeddings):
    """The seed announcement (its lead names the First BRISMIS; the chunk after it counts the
    curators, naming no edition) and a look-alike naming "the first BRISMIS" only in passing."""
    import shutil

    from conftest import write_doc

    from bot.corpus import load_corpus
    from bot.index import build_index
    from bot.retrieval import open_retriever

    base = tmp_path_factory.mktemp("passing")
    corpus = base / "corpus"
    shutil.copytree(settings.corpus_dir, corpus)
    write_doc(corpus, "lookalike", "Representatives of CANSM, the embassy of Kenya and several museums attended the "
              "ceremony. It is one of the bilateral cooperation agreements signed since the first BRISMIS in 2017.",
              title="Tianjin Natural History Museum signs a memorandum with the National Museums of Kenya",
              date="2021-02-12")
    local = settings.model_copy(update={"corpus_dir": corpus, "index_dir": base / "index"})
    build_index(local, load_corpus(corpus), lambda: embeddings)
    return open_retriever(local, embeddings)


@pytest.mark.parametrize("question", [
    "How many foreign curators attended the first symposium?",
    "首届研讨会有多少位外国馆长参加？",
    "Сколько иностранных кураторов участвовало в первом симпозиуме?",
])
def test_a_chunk_speaks_of_the_edition_its_announcement_named_before(passing_retriever, question):
    """"The symposium brought together … 44 curators" follows "the First International Symposium":
    it is about the first edition, and a look-alike that names it in passing does not outrank it."""
    found = passing_retriever.search(question)
    curators = next(p for p in found if "44 curators" in p.text and p.doc_id != "lookalike")
    lookalike = next(p for p in found if p.doc_id == "lookalike")
    assert curators.extra["edition"] == 1 == lookalike.extra["edition"]
    assert curators.rank < lookalike.rank


@pytest.mark.parametrize("question", [
    "How many agreements were signed at the chengdu meeting?",
    "成都那届签了几项合作协议？",
    "Πόσες συμφωνίες συνεργασίας υπογράφηκαν στο Τσενγκντού;",
    "2019-yilda Chengduda nechta hamkorlik shartnomasi imzolangan?",
    "ที่เฉิงตูลงนามข้อตกลงความร่วมมือกี่ฉบับ",
])
def test_an_edition_named_by_its_city_lifts_its_announcement(editions_retriever, question):
    """The city is written in the visitor's script; the passages say "Chengdu" and "Hangzhou"."""
    found = {p.doc_id: p for p in editions_retriever.search(question)}
    assert found["second"].extra["edition"] == 1
    assert found["annual"].extra["edition"] == (0 if "2019" in question else -1)  # the year fits, the city not
    assert found["second"].rank < found["annual"].rank


def test_a_city_no_title_names_tells_no_edition(editions_retriever):
    """"China" is one of Qinzhou's names in GeoNames, and Paris is named by no title: no weighing."""
    for question in ["How many agreements were signed in China?", "Were agreements signed in Paris?"]:
        assert all("edition" not in p.extra for p in editions_retriever.search(question))
