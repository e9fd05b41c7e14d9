import datetime
from pathlib import Path

import pytest

from bot.chunking import chunk_document, sentence_spans
from bot.corpus import Document


def doc(text: str) -> Document:
    return Document(
        doc_id="d", path=Path("d.md"), title="T", date=datetime.date(2018, 6, 24),
        url="http://example.org/d", lang="en", tags=(), text=text, content_hash="x",
    )


def sentences(text):
    return [text[s.start : s.end] for s in sentence_spans(text)]


def words(text: str) -> int:  # a stand-in token counter: one token per word or CJK/Thai char
    import re

    return len(re.findall(r"[\u4e00-\u9fff\u0E00-\u0E7F]|\w+|[^\w\s]", text))


def test_latin_sentences_keep_abbreviations_together():
    text = "The agreement was signed by Dr. Cheng Donghong. Add: No. 5 Beichen East Road, P.R. CHINA. Done!"
    assert sentences(text) == [
        "The agreement was signed by Dr. Cheng Donghong.",
        "Add: No. 5 Beichen East Road, P.R. CHINA.",
        "Done!",
    ]


def test_cjk_sentences_split_without_spaces():
    assert sentences("第一届研讨会于2017年举行。共有44位馆长参加！为什么？") == [
        "第一届研讨会于2017年举行。", "共有44位馆长参加！", "为什么？",
    ]


def test_arabic_question_mark_and_thai_spaces():
    assert sentences("متى عقدت الندوة؟ في نوفمبر 2017.") == ["متى عقدت الندوة؟", "في نوفمبر 2017."]
    assert sentences("การประชุมจัดขึ้นที่ปักกิ่ง มีผู้เข้าร่วมมากกว่า 140 คน") == [
        "การประชุมจัดขึ้นที่ปักกิ่ง", "มีผู้เข้าร่วมมากกว่า 140 คน",
    ]


def test_line_breaks_end_sentences_and_blank_lines_vanish():
    assert sentences("• Current Events\n\n  • Letter of Agreement\nText here.") == [
        "• Current Events", "• Letter of Agreement", "Text here.",
    ]


def test_chunks_respect_budget_keep_offsets_and_overlap():
    text = " ".join(f"Sentence number {i} talks about museums and science." for i in range(40))
    d = doc(text)
    chunks = chunk_document(d, max_tokens=40, count_tokens=words, overlap_sentences=1)
    assert len(chunks) > 5
    for c in chunks:
        assert d.text[c.start : c.end] == c.text
        assert words(c.text) <= 40
        assert c.metadata["chunk_id"] == f"d#{c.position}"
        assert c.metadata["date"] == "2018-06-24" and c.metadata["url"] == d.url
    # each chunk after the first starts with the last sentence of the previous one
    for a, b in zip(chunks, chunks[1:]):
        assert b.start < a.end
    # together they cover every sentence
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_sentence_longer_than_budget_is_cut_at_clauses_without_losing_text():
    text = ", ".join(f"clause {i} with some words" for i in range(60)) + "."
    chunks = chunk_document(doc(text), max_tokens=30, count_tokens=words, overlap_sentences=0)
    assert len(chunks) > 3
    assert all(words(c.text) <= 30 for c in chunks)
    joined = "".join(c.text for c in chunks).replace(" ", "")
    assert joined == text.replace(" ", "")


def test_unbroken_text_is_cut_by_characters():
    text = "字" * 500
    chunks = chunk_document(doc(text), max_tokens=100, count_tokens=words, overlap_sentences=0)
    assert [len(c.text) for c in chunks] == [100] * 5


@pytest.mark.integration
def test_seed_chunks_fit_the_embedding_model(embeddings, settings):
    from bot.corpus import load_corpus

    corpus = load_corpus(settings.corpus_dir)
    seed = corpus.documents[0]
    chunks = chunk_document(seed, settings.chunk_tokens, embeddings.count_tokens, settings.chunk_overlap_sentences)
    assert len(chunks) >= 5
    for c in chunks:
        assert seed.text[c.start : c.end] == c.text
        # the budget plus prompt and special tokens stays inside the model's window
        assert embeddings.count_tokens(c.text) <= settings.chunk_tokens < embeddings.max_tokens - 8
