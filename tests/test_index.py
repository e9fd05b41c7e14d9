"""The index with the real embedding model: incremental updates, no duplicates, locking,
crash safety, and a Chroma server."""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from filelock import FileLock

from bot.corpus import load_corpus
from bot.index import IndexBusy, IndexProblem, build_index, index_status, open_vector_store
from bot.retrieval import open_retriever
from bot.settings import Settings

from conftest import SEED_DOC, free_port, wait_for_http, write_doc

pytestmark = pytest.mark.integration


@pytest.fixture
def local(tmp_path, settings):
    """A private corpus (the seed) and an empty index folder for one test."""
    corpus = tmp_path / "corpus"
    shutil.copytree(settings.corpus_dir, corpus)
    return settings.model_copy(update={"corpus_dir": corpus, "index_dir": tmp_path / "index"})


def build(s, embeddings, **kw):
    return build_index(s, load_corpus(s.corpus_dir), lambda: embeddings, **kw)


def no_model():
    raise AssertionError("the embedding model must not be loaded for an unchanged corpus")


def ids_in_store(s, embeddings):
    got = open_vector_store(s, embeddings).get(include=["metadatas"])
    return sorted(m["chunk_id"] for m in got["metadatas"])


def test_second_run_is_unchanged_without_loading_the_model(local, embeddings):
    first = build(local, embeddings)
    assert first.added == [SEED_DOC] and first.chunks_added == first.chunks_total > 5
    second = build_index(local, load_corpus(local.corpus_dir), no_model)
    assert (second.added, second.updated, second.deleted) == ([], [], [])
    assert second.unchanged == [SEED_DOC]
    assert second.chunks_total == first.chunks_total
    assert "unchanged 1" in second.lines()[0]


def test_add_edit_delete_are_reflected_without_duplicates(local, embeddings):
    base = build(local, embeddings)
    write_doc(local.corpus_dir, "brismis-2023", "BRISMIS 2023 opened at the China Science and Technology Museum.")
    s1 = build(local, embeddings)
    assert s1.added == ["brismis-2023"] and s1.unchanged == [SEED_DOC]
    assert s1.chunks_added == 1 and s1.chunks_total == base.chunks_total + 1

    write_doc(local.corpus_dir, "brismis-2023", "BRISMIS 2023 opened on 29 November 2023 in Beijing.")
    s2 = build(local, embeddings)
    assert s2.updated == ["brismis-2023"] and s2.chunks_added == 1 and s2.chunks_deleted == 1
    ids = ids_in_store(local, embeddings)
    assert len(ids) == len(set(ids)) == base.chunks_total + 1

    retriever = open_retriever(local, embeddings)
    top = retriever.search("When did BRISMIS 2023 open?")[0]
    assert top.doc_id == "brismis-2023" and "29 November 2023" in top.text

    (local.corpus_dir / "brismis-2023.md").unlink()
    s3 = build(local, embeddings)
    assert s3.deleted == ["brismis-2023"] and s3.chunks_deleted == 1
    assert ids_in_store(local, embeddings) == ids_in_store(local, embeddings)
    assert all(not i.startswith("brismis-2023") for i in ids_in_store(local, embeddings))


def test_metadata_edit_counts_as_update(local, embeddings):
    build(local, embeddings)
    path = local.corpus_dir / f"{SEED_DOC}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("tags: [", "tags: [signing, "), encoding="utf-8")
    s = build(local, embeddings)
    assert s.updated == [SEED_DOC]


def test_broken_file_is_skipped_and_the_rest_indexed(local, embeddings):
    (local.corpus_dir / "broken.md").write_bytes(b"---\ntitle: x\n---\n\xff\xfe bad bytes")
    s = build(local, embeddings)
    assert s.added == [SEED_DOC]
    assert len(s.skipped) == 1 and "broken.md" in str(s.skipped[0])
    assert index_status(local)["skipped"] == [str(s.skipped[0])]


def test_rebuild_starts_from_nothing(local, embeddings):
    first = build(local, embeddings)
    again = build(local, embeddings, rebuild=True)
    assert again.rebuilt and again.added == [SEED_DOC] and again.chunks_total == first.chunks_total
    assert len(list(local.index_dir.glob("gen-*"))) == 2  # the active one and the previous one


def test_changed_embedding_settings_rebuild_everything(local, embeddings):
    build(local, embeddings)
    changed = local.model_copy(update={"chunk_tokens": local.chunk_tokens - 40})
    s = build(changed, embeddings)
    assert s.rebuilt and "chunking" in s.rebuilt and s.added == [SEED_DOC]


def test_second_builder_gets_a_clear_message(local, embeddings):
    local.index_dir.mkdir(parents=True)
    with FileLock(str(local.index_dir / ".lock")):
        with pytest.raises(IndexBusy, match="another `brismis index`"):
            build(local, embeddings)


def test_crash_mid_build_leaves_previous_index_answering(local, embeddings):
    build(local, embeddings)
    before = ids_in_store(local, embeddings)
    write_doc(local.corpus_dir, "new", "A new announcement about a training workshop in Tashkent.")

    def crash(stage, done, total):
        raise KeyboardInterrupt("simulated crash while embedding")

    with pytest.raises(KeyboardInterrupt):
        build(local, embeddings, progress=crash)
    assert ids_in_store(local, embeddings) == before  # still the previous generation
    assert open_retriever(local, embeddings).search("When was the agreement signed?")

    s = build(local, embeddings)  # the next run completes
    assert s.added == ["new"]
    assert len(ids_in_store(local, embeddings)) == len(before) + 1


def test_kill_9_during_build_then_next_run_completes(local, embeddings, tmp_path):
    build(local, embeddings)
    before = ids_in_store(local, embeddings)
    for i in range(30):
        write_doc(local.corpus_dir, f"bulk-{i}", " ".join(f"Workshop {i} sentence {j} on science museums." for j in range(60)))
    env = dict(os.environ, BRISMIS_CORPUS_DIR=str(local.corpus_dir), BRISMIS_INDEX_DIR=str(local.index_dir),
               BRISMIS_CACHE_DIR=str(local.cache_dir))
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "index"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    # wait until the new generation exists (the model is loaded and embedding has begun)
    while time.time() < deadline and proc.poll() is None and len(list(local.index_dir.glob("gen-*"))) < 2:
        time.sleep(0.2)
    time.sleep(3)  # well inside embedding 30 documents
    assert proc.poll() is None, "the build finished before it could be killed; make the corpus bigger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert ids_in_store(local, embeddings) == before
    s = build(local, embeddings)
    assert len(s.added) == 30
    ids = ids_in_store(local, embeddings)
    assert len(ids) == len(set(ids)) == s.chunks_total


def test_missing_index_says_how_to_build(tmp_path, embeddings):
    s = Settings(corpus_dir=tmp_path / "c", index_dir=tmp_path / "i")
    with pytest.raises(IndexProblem, match="brismis index"):
        open_retriever(s, embeddings)


def test_chroma_server_index_and_query(local, embeddings, tmp_path):
    chroma = shutil.which("chroma", path=os.path.dirname(sys.executable))
    port = free_port()
    proc = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc)
        remote = local.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": port})
        first = build(remote, embeddings)
        assert first.added == [SEED_DOC] and first.chunks_total > 5
        assert build_index(remote, load_corpus(remote.corpus_dir), no_model).unchanged == [SEED_DOC]
        write_doc(remote.corpus_dir, "extra", "The secretariat moved to a new office in Beijing in 2024.")
        second = build(remote, embeddings)
        assert second.added == ["extra"] and second.chunks_total == first.chunks_total + 1
        retriever = open_retriever(remote, embeddings)
        assert sum(p.doc_id == "extra" for p in retriever.passages()) == 1  # read back through the server
        exact = retriever.search("The secretariat moved to a new office in Beijing in 2024.")[0]
        assert exact.doc_id == "extra" and exact.dense_rank == 1  # and found by its vector
        # this failed in 2 of ~30 runs (a seed chunk first, "extra" not among the dense hits although
        # read back above; not reproduced with chromadb alone): the check above tells a vector search
        # that misses the new chunk from a ranking problem
        found = retriever.search("Where did the secretariat move?")
        assert found[0].doc_id == "extra", [(p.doc_id, p.dense_rank, p.lexical_rank, p.text[:40]) for p in found[:3]]
        assert not (remote.index_dir / "CURRENT").exists()  # nothing local but records and manifest
        _two_processes_switch_together(remote, embeddings, retriever)
    finally:
        proc.terminate()
        proc.wait(10)


def _two_processes_switch_together(remote, embeddings, before):
    """A rebuild from one service (API process) on the Chroma server: the other switches to the new
    collection within its poll interval, with no failed question meanwhile; the old one still answers
    its questions in flight, and is removed after the grace period."""
    import threading
    import time

    from bot.answer import build_assistant
    from bot.index import active_version
    from bot.models import Models
    from bot.serve.service import Service

    remote = remote.model_copy(update={"index_poll_seconds": 0.3, "index_grace_seconds": 0.0})
    models = Models(embedder=embeddings)
    a = Service(remote, build_assistant(remote, models), models=models)
    b = Service(remote, build_assistant(remote, models), models=models)
    old_version = active_version(remote)
    failures, asked, stop = [], [0], threading.Event()

    def visitor():
        while not stop.is_set():
            try:
                assert b.assistant.ask("Where did the secretariat move?").citations
                asked[0] += 1
            except Exception as exc:  # noqa: BLE001 - any failure is what the test looks for
                failures.append(repr(exc))

    thread = threading.Thread(target=visitor)
    thread.start()
    try:
        write_doc(remote.corpus_dir, "moved", "In 2025 the secretariat moved again, to Hangzhou.")
        summary = a.rebuild()
        assert summary.added == ["moved"] and active_version(remote) != old_version
        deadline = time.time() + 20
        while not any(p.doc_id == "moved" for p in b.assistant.retriever.passages()):
            assert time.time() < deadline, "the other process did not switch to the new collection"
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(60)
        a.close(), b.close()
    assert failures == [] and asked[0] > 0
    # the retriever opened before (a question in flight) still reads its collection...
    assert before.search("Where did the secretariat move?")[0].doc_id == "extra"
    # ...until the next build, past the grace period, removes it
    write_doc(remote.corpus_dir, "third", "A third announcement about a workshop in Almaty.")
    build(remote, embeddings)
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.HttpClient(host=remote.chroma_host, port=remote.chroma_port,
                                 settings=ChromaSettings(anonymized_telemetry=False))
    names = sorted(c.name for c in client.list_collections())
    assert len([n for n in names if n != "brismis-pointer"]) == 2, names  # the active one and the previous


def _gens(s):
    return sorted(p.name for p in s.index_dir.glob("gen-*"))


def test_full_disk_while_writing_keeps_the_previous_index(local, embeddings, monkeypatch):
    import sqlite3

    from chromadb.api.models.Collection import Collection

    build(local, embeddings)
    before, gens = ids_in_store(local, embeddings), _gens(local)
    write_doc(local.corpus_dir, "new", "A new announcement about a training workshop in Tashkent.")

    def full(self, *args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    with monkeypatch.context() as m:
        m.setattr(Collection, "upsert", full)
        m.setattr(Collection, "add", full)
        with pytest.raises(IndexProblem) as problem:
            build(local, embeddings)
    message = str(problem.value)
    assert "disk is full" in message and "free disk space" in message and "not changed" in message
    assert ids_in_store(local, embeddings) == before and _gens(local) == gens  # nothing half-written left
    assert open_retriever(local, embeddings).search("When was the agreement signed?")
    assert build(local, embeddings).added == ["new"]  # with room again, the next run completes


def test_index_folder_not_writable_is_a_clear_error(local, embeddings, monkeypatch):
    import errno

    build(local, embeddings)
    write_doc(local.corpus_dir, "new", "A new announcement about a training workshop in Tashkent.")

    def refuse(src, dst, *args, **kwargs):
        os.makedirs(dst)  # partly done when the error comes
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    with monkeypatch.context() as m:
        m.setattr("bot.index.shutil.copytree", refuse)
        with pytest.raises(IndexProblem, match="make .* writable .*BRISMIS_INDEX_DIR") as problem:
            build(local, embeddings)
    assert "Permission denied" in str(problem.value)
    assert len(_gens(local)) == 1  # the partial copy was removed


def test_read_only_corpus_is_indexed_and_never_written(local, embeddings):
    def snapshot():
        return sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in local.corpus_dir.rglob("*"))

    write_doc(local.corpus_dir, "new", "A new announcement about a training workshop in Tashkent.")
    paths = [local.corpus_dir, *local.corpus_dir.rglob("*")]
    for p in paths:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        before = snapshot()
        s = build(local, embeddings)
        assert sorted(s.added) == sorted([SEED_DOC, "new"]) and not s.skipped
        assert snapshot() == before
    finally:
        for p in paths:
            p.chmod(0o755 if p.is_dir() else 0o644)


def test_cli_index_names_the_problem_and_fails(local, monkeypatch, capsys):
    import errno

    from bot.cli import main

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("bot.index._new_generation", full)
    code = main(["index", "--quiet", "--corpus-dir", str(local.corpus_dir), "--index-dir", str(local.index_dir)])
    err = capsys.readouterr().err
    assert code == 1 and "No space left on device" in err and "free disk space" in err
    assert "Traceback" not in err
