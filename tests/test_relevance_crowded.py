"""Declines over several announcements with the real model: a question tied to them only by the
names they all share ("BRISMIS 2023") is declined; one asking what they say is answered."""

import shutil

import pytest
from conftest import write_doc

pytestmark = pytest.mark.integration

OPENS = ("BRISMIS 2023 opened on 29 November 2023 at the China Science and Technology Museum in Beijing. "
         "BRISMIS 2023 has attracted 96 curators and directors of 65 science museums, science centres and related "
         "institutions from 42 countries, and more than 300 Chinese participants. The theme of BRISMIS 2023 is "
         "\"Science Museums for a Shared Future: Innovation, Inclusion and Sustainability\".")
CLOSES = ("BRISMIS 2023 closed on 30 November 2023. The participants adopted the Beijing Consensus on Science Museums "
          "and Sustainable Development, and CANSM announced that 15 cooperation agreements were signed during the "
          "symposium.")


@pytest.fixture(scope="module")
def crowded(tmp_path_factory, settings, models, embeddings):
    from bot.answer import build_assistant
    from bot.corpus import load_corpus
    from bot.index import build_index
    from bot.retrieval import open_retriever

    base = tmp_path_factory.mktemp("crowded")
    corpus = base / "corpus"
    shutil.copytree(settings.corpus_dir, corpus)
    write_doc(corpus, "brismis-2023-opens", OPENS, title="BRISMIS 2023 opens in Beijing", date="2023-11-29")
    write_doc(corpus, "brismis-2023-closes", CLOSES, title="BRISMIS 2023 closes with the Beijing Consensus",
              date="2023-11-30")
    local = settings.model_copy(update={"corpus_dir": corpus, "index_dir": base / "index"})
    build_index(local, load_corpus(corpus), lambda: embeddings)
    return build_assistant(local, models, open_retriever(local, embeddings))


@pytest.mark.parametrize("question, declined", [
    ("Hotel mana yang disyorkan untuk peserta BRISMIS 2023?", True),
    ("Можно ли получить письмо-приглашение для визы на BRISMIS 2023?", True),
    ("Which hotel should BRISMIS 2023 participants book?", True),
    ("Combien de pays ont participé au BRISMIS 2023 ?", False),
    ("BRISMIS 2023通过了什么文件？", False),
    ("What is BRISMIS?", False),  # too little is left without the name to judge
])
def test_a_question_tied_only_by_shared_names_is_declined(crowded, question, declined):
    a = crowded.ask(question)
    assert (a.path == "declined") is declined, (a.path, a.answer[:120], a.rejected, crowded.relevance.focus(question))
    if declined:
        assert "share" in a.rejected[0], a.rejected
