"""An unchanged corpus is recognised from each file's size and mtime, before any file is read.

200 announcements, indexed with a small deterministic fake embedding (no model is loaded here):
the unchanged re-index reads no file; a changed mtime with the same content is found unchanged
after hashing (and recorded, so the next run is fast again); an edit, a new file, a deleted file and
a new sidecar are all seen.
"""

from __future__ import annotations

import builtins
import hashlib
import math
import os
import pathlib
import time
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from bot.index import RACY_NS, update_index
from bot.settings import Settings

N = 200
HOUR_AGO = time.time() - 3600


class FakeEmbeddings(Embeddings):
    """Unit vectors from a hash of the text; tokens are words."""

    def _vector(self, text: str) -> list[float]:
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        values = [b - 127.5 for b in digest[:16]]
        norm = math.sqrt(sum(v * v for v in values))
        return [v / norm for v in values]

    def embed_documents(self, texts):
        return [self._vector(t) for t in texts]

    def embed_query(self, text):
        return self._vector(text)

    def count_tokens(self, text: str) -> int:
        return len(text.split())


def write(corpus: Path, i: int, body: str | None = None, when: float = HOUR_AGO) -> Path:
    path = corpus / f"batch-{i // 50}" / f"announcement-{i:03d}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = body or f"Workshop {i} on museum education took place in city number {i} with {i + 3} speakers."
    path.write_text(f"---\ntitle: Workshop {i}\ndate: 2020-01-01\nurl: https://www.brismis.org/w/{i}\nlang: en\n"
                    f"---\n{body}\n", encoding="utf-8")
    os.utime(path, (when, when))
    return path


@pytest.fixture
def local(tmp_path, monkeypatch) -> Settings:
    corpus = tmp_path / "corpus"
    for i in range(N):
        write(corpus, i)
    fake = FakeEmbeddings()
    monkeypatch.setattr("bot.models.embeddings.load_embeddings", lambda settings, progress=None: fake)
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index")


@pytest.fixture
def reads(monkeypatch, local):
    """Records every read of a file inside the corpus (Path.read_*, Path.open, open): its path."""
    seen: list[str] = []
    root = str(local.corpus_dir.resolve())

    def counting(original, name):
        def wrapper(self_or_path, *args, **kwargs):
            target = os.fspath(self_or_path) if isinstance(self_or_path, (str, os.PathLike)) else ""
            if target and os.path.abspath(target).startswith(root):
                seen.append(target)
            return original(self_or_path, *args, **kwargs)
        return wrapper

    for name in ("read_bytes", "read_text", "open"):
        monkeypatch.setattr(pathlib.Path, name, counting(getattr(pathlib.Path, name), f"Path.{name}"))
    monkeypatch.setattr(builtins, "open", counting(builtins.open, "open"))
    return seen


def no_model(monkeypatch):
    def refuse(settings, progress=None):
        raise AssertionError("the embedding model must not be loaded for an unchanged corpus")

    monkeypatch.setattr("bot.models.embeddings.load_embeddings", refuse)


def test_unchanged_corpus_is_told_without_reading_a_file(local, reads, monkeypatch):
    first = update_index(local)
    assert len(first.added) == N and first.chunks_total == N
    reads.clear()
    no_model(monkeypatch)
    started = time.perf_counter()
    again = update_index(local)
    took = time.perf_counter() - started
    assert reads == []
    assert (again.added, again.updated, again.deleted, again.skipped) == ([], [], [], [])
    assert sorted(again.unchanged) == sorted(first.added) and again.chunks_total == N
    assert took < 1.0, took  # 200 stats and one manifest
    assert "unchanged 200" in again.lines()[0]


def test_new_mtime_same_content_is_unchanged_after_hashing_and_fast_again_next_time(local, reads, monkeypatch):
    update_index(local)
    no_model(monkeypatch)
    touched = local.corpus_dir / "batch-1" / "announcement-060.md"
    os.utime(touched, (HOUR_AGO + 60, HOUR_AGO + 60))
    reads.clear()
    summary = update_index(local)
    assert summary.unchanged and not summary.changed
    assert len(set(reads)) == N  # every file was read and hashed (the corpus is read whole)
    reads.clear()
    assert not update_index(local).changed and reads == []  # the new mtime was recorded


def test_edits_new_deleted_files_and_sidecars_are_seen(local, monkeypatch):
    update_index(local)
    write(local.corpus_dir, 7, body="Workshop 7 moved to the Shanghai Science and Technology Museum.")
    assert update_index(local).updated == ["batch-0/announcement-007"]
    write(local.corpus_dir, N)
    assert update_index(local).added == [f"batch-{N // 50}/announcement-{N:03d}"]
    (local.corpus_dir / "batch-0" / "announcement-001.md").unlink()
    assert update_index(local).deleted == ["batch-0/announcement-001"]
    sidecar = local.corpus_dir / "batch-0" / "announcement-002.md.yaml"
    sidecar.write_text("title: ignored\n", encoding="utf-8")  # front matter wins: a warning, same document
    os.utime(sidecar, (HOUR_AGO, HOUR_AGO))
    summary = update_index(local)
    assert not summary.changed and any("front matter is used" in str(w) for w in summary.warnings)
    no_model(monkeypatch)
    fast = update_index(local)  # read from the manifest: the same warnings, without reading
    assert [str(w) for w in fast.warnings] == [str(w) for w in summary.warnings]


def test_files_changed_just_before_the_scan_are_read_again(local, reads, monkeypatch):
    """A change within the same clock tick as the recorded mtime would not show in the stats: files
    written less than RACY_NS before the scan that recorded them are not trusted."""
    fresh = write(local.corpus_dir, 3, when=time.time())
    update_index(local)
    reads.clear()
    no_model(monkeypatch)
    update_index(local)
    assert len(set(reads)) == N and RACY_NS >= 1_000_000_000
    os.utime(fresh, (HOUR_AGO, HOUR_AGO))
    update_index(local)
    reads.clear()
    update_index(local)
    assert reads == []


def test_skipped_files_are_reported_the_same_by_the_fast_path(local, monkeypatch):
    bad = local.corpus_dir / "broken.md"
    bad.write_text("no front matter\n", encoding="utf-8")
    os.utime(bad, (HOUR_AGO, HOUR_AGO))
    first = update_index(local)
    no_model(monkeypatch)
    again = update_index(local)
    assert [str(p) for p in again.skipped] == [str(p) for p in first.skipped] and len(first.skipped) == 1
    assert "missing front matter" in str(again.skipped[0])


def test_brismis_index_prints_the_warnings_and_still_exits_0(local, capsys):
    from bot.cli import EXIT_OK, main

    page = local.corpus_dir / "notes.md"
    page.write_text("# Volunteers wanted\n\nThe museum needs guides for the Museum Night in May.\n", encoding="utf-8")
    (local.corpus_dir / "notes.md.yaml").write_text("url: https://www.brismis.org/volunteers\ndate: 2024-04-01\n",
                                                    encoding="utf-8")
    args = ["index", "--quiet", "--corpus-dir", str(local.corpus_dir), "--index-dir", str(local.index_dir)]
    assert main(args) == EXIT_OK
    captured = capsys.readouterr()
    assert f"warning: {page.as_posix()}: no title given: took the first heading ('Volunteers wanted')" in captured.err
    assert "no lang given: detected from the text (en)" in captured.err
    assert f"added {N + 1}, updated 0" in captured.out and "  warning: " in captured.out
