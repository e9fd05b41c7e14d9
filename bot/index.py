"""The persistent Chroma index: built incrementally, switched atomically, one builder at a time.

Local layout (index/): ``CURRENT`` names the active generation folder ``gen-*`` holding Chroma's
files, langchain's record manager (``records.sqlite``) and ``manifest.json`` (the documents it
holds, by content hash). A build that changes anything copies the active generation, updates the
copy with langchain's ``index()`` (which adds only new chunks and deletes stale ones, so there are
never duplicates) and then replaces ``CURRENT`` in one rename. A crash or kill at any point leaves
the previous generation answering. An unchanged corpus is recognised from the manifest without
loading the embedding model, and without reading it: the manifest also records each corpus file's
size and mtime, and when none has changed (and none was written within ``RACY_NS`` of the scan
that recorded it, when a change could hide in the same clock tick) ``update_index`` is done after
one ``stat`` per file. A changed mtime with the same content is found unchanged after hashing.

With a Chroma server (``CHROMA_HOST``) the same scheme runs on the server, for several API processes
at once: a build that changes anything writes a new collection ``<collection>-<stamp>`` (a copy of
the active one, updated by ``index()``), then moves the pointer, one record in the collection
``<collection>-pointer``, in one write. Every API process checks the pointer every
``index_poll_seconds`` (``active_version``) and switches to the new collection by building a new
assistant; questions in flight finish on the old one, which is removed after
``index_grace_seconds``. The record manager and manifest of each server collection stay in
``index/server-<host>-<port>-<collection>-<stamp>/`` on the machine that builds.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from filelock import FileLock, Timeout
from langchain_core.embeddings import Embeddings

from .chunking import chunk_document
from .corpus import CorpusLoad, Document, Problem
from .settings import Settings

RACY_NS = 2_000_000_000  # a file changed this close to the scan that recorded it is read again
CHUNKER_VERSION = 2  # 2: each chunk is embedded under its announcement's title and date
Progress = Callable[[str, int, int], None]
SPACE = "cosine"  # the collection's distance (the retriever scores unit vectors by dot product itself)


class IndexProblem(RuntimeError):
    """The index cannot be used or built; the message names the problem and the fix."""


class IndexBusy(IndexProblem):
    pass


class IndexMissing(IndexProblem):
    pass


@dataclass
class IndexSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # metadata guessed (bot.corpus)
    chunks_added: int = 0
    chunks_deleted: int = 0
    chunks_total: int = 0
    rebuilt: str | None = None  # why everything was re-embedded, if it was
    location: str = ""
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.deleted or self.rebuilt)

    def lines(self) -> list[str]:
        out = [
            f"added {len(self.added)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}, "
            f"deleted {len(self.deleted)}, skipped {len(self.skipped)} "
            f"(chunks: +{self.chunks_added} -{self.chunks_deleted}, {self.chunks_total} in index) "
            f"in {self.seconds:.1f}s -> {self.location}"
        ]
        if self.rebuilt:
            out.append(f"rebuilt from nothing: {self.rebuilt}")
        for label, ids in (("added", self.added), ("updated", self.updated), ("deleted", self.deleted)):
            out += [f"  {label}: {i}" for i in ids]
        out += [f"  skipped: {p}" for p in self.skipped]
        out += [f"  warning: {p}" for p in self.warnings]
        return out


def fingerprint(settings: Settings) -> dict:
    """What, if changed, makes every stored vector or chunk stale."""
    return {
        "embedding_model": settings.embedding_model,
        "query_prompt": settings.query_prompt,
        "passage_prompt": settings.passage_prompt,
        "chunk_tokens": settings.chunk_tokens,
        "chunk_overlap_sentences": settings.chunk_overlap_sentences,
        "chunker_version": CHUNKER_VERSION,
    }


# ---------------------------------------------------------------- where the index lives


POINTER_ID = "active"


def _pointer(settings: Settings, client):
    return client.get_or_create_collection(f"{settings.collection}-pointer", embedding_function=None)


def _server_active(settings: Settings) -> str | None:
    """The collection the pointer names on the Chroma server, or None before the first build."""
    try:
        got = _pointer(settings, _chroma_client(settings, None)).get(ids=[POINTER_ID])
    except Exception as exc:
        raise IndexProblem(f"cannot read the index pointer on the Chroma server at {settings.chroma_host}:"
                           f"{settings.chroma_port} ({type(exc).__name__}: {exc}); check it is reachable") from exc
    return got["metadatas"][0]["collection"] if got["ids"] else None


def _server_state(settings: Settings, collection: str) -> Path:
    return settings.index_dir / f"server-{settings.chroma_host}-{settings.chroma_port}-{collection}"


def active_version(settings: Settings) -> str | None:
    """Which index answers now: the generation (local) or the collection (server) in use. A server
    process compares it every ``index_poll_seconds`` to switch when another process rebuilt."""
    if settings.chroma_server:
        return _server_active(settings)
    current = settings.index_dir / "CURRENT"
    try:
        return current.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _state_dir(settings: Settings) -> Path | None:
    """The folder holding records + manifest of the index in use, or None if there is none."""
    if settings.chroma_server:
        active = _server_active(settings)
        return _server_state(settings, active) if active else None
    current = settings.index_dir / "CURRENT"
    if not current.exists():
        return None
    gen = settings.index_dir / current.read_text(encoding="utf-8").strip()
    if not (gen / "manifest.json").exists():
        raise IndexProblem(
            f"{current} points to {gen.name}, which is missing or incomplete; "
            "run `brismis index --rebuild` to build the index again"
        )
    return gen


def _read_manifest(state: Path | None) -> dict:
    if state is None or not (state / "manifest.json").exists():
        return {}
    try:
        return json.loads((state / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexProblem(
            f"{state / 'manifest.json'} is unreadable ({exc}); run `brismis index --rebuild`"
        ) from exc


def _write_json_atomic(path: Path, data) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _chroma_client(settings: Settings, state: Path):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_server:
        return chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
        )
    return chromadb.PersistentClient(path=str(state / "chroma"), settings=chroma_settings)


def open_vector_store(settings: Settings, embeddings: Embeddings, state: Path | None = None,
                      collection: str | None = None):
    """The langchain ``Chroma`` store of the active index (or of ``state`` / ``collection`` while building)."""
    from langchain_chroma import Chroma

    if settings.chroma_server:
        collection = collection or _server_active(settings)
        state = state or (_server_state(settings, collection) if collection else None)
        missing = collection is None
    else:
        state = state or _state_dir(settings)
        missing = state is None
    if missing:
        raise IndexMissing(
            f"no index in {settings.index_dir}; run `brismis index` to build it from {settings.corpus_dir}"
        )
    try:
        client = _chroma_client(settings, state)
        return Chroma(
            collection_name=collection or settings.collection,
            embedding_function=embeddings,
            client=client,
            collection_configuration={"hnsw": {"space": SPACE}},
        )
    except Exception as exc:
        where = (
            f"the Chroma server at {settings.chroma_host}:{settings.chroma_port}"
            if settings.chroma_server
            else str(state)
        )
        raise IndexProblem(
            f"cannot open the index in {where} ({exc}); check it is reachable, "
            "or run `brismis index --rebuild`"
        ) from exc


def index_status(settings: Settings) -> dict:
    """What the index holds, for health checks and the console, without loading models."""
    state = _state_dir(settings)
    manifest = _read_manifest(state)
    return {
        "location": str(state) if state else None,
        "documents": len(manifest.get("documents", {})),
        "chunks": manifest.get("chunks", 0),
        "built_at": manifest.get("built_at"),
        "skipped": manifest.get("skipped", []),
    }


# ---------------------------------------------------------------- building


def _lock(settings: Settings) -> FileLock:
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    return FileLock(str(settings.index_dir / ".lock"), timeout=0)


def _new_generation(settings: Settings, previous: Path | None) -> Path:
    gen = settings.index_dir / f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9:09d}"
    try:
        if previous is not None:
            shutil.copytree(previous, gen)
            (gen / "manifest.json").unlink()  # present again only once this generation is complete
        else:
            gen.mkdir(parents=True)
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise
    return gen


def _activate(settings: Settings, gen: Path) -> None:
    tmp = settings.index_dir / "CURRENT.tmp"
    tmp.write_text(gen.name + "\n", encoding="utf-8")
    os.replace(tmp, settings.index_dir / "CURRENT")


def _remove_old_generations(settings: Settings, keep: set[str]) -> None:
    """Keep the active and the previous generation (a running server may still read it)."""
    for gen in settings.index_dir.glob("gen-*"):
        if gen.name not in keep:
            shutil.rmtree(gen, ignore_errors=True)


def contextual_header(title: str, date: str) -> str:
    """What each chunk is embedded (and lexically indexed) under: a passage saying "adopted the
    Chengdu Initiative" must be found by "what did the SECOND symposium adopt?", which only its
    announcement's title says. The header is not part of the passage shown or quoted."""
    return f"{title} ({date})\n"


def _chunks(docs: list[Document], settings: Settings, embeddings) -> Iterator:
    from langchain_core.documents import Document as LCDocument

    for doc in docs:
        header = contextual_header(doc.title, doc.date.isoformat())
        for chunk in chunk_document(
            doc, settings.chunk_tokens, embeddings.count_tokens, settings.chunk_overlap_sentences
        ):
            meta = {**chunk.metadata, "header_len": len(header)}
            yield LCDocument(page_content=header + chunk.text, metadata=meta, id=chunk.chunk_id)


def build_index(
    settings: Settings,
    corpus: CorpusLoad,
    load_embeddings: Callable[[], Embeddings],
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> IndexSummary:
    """Bring the index in line with ``corpus``. ``load_embeddings`` is only called when there
    is something to embed, so an unchanged corpus is checked in well under a second."""
    started = time.monotonic()
    try:
        with _lock(settings):
            summary = _build_locked(settings, corpus, load_embeddings, rebuild, progress)
    except Timeout:
        raise IndexBusy(
            f"another `brismis index` is updating {settings.index_dir} right now "
            f"(lock {settings.index_dir / '.lock'}); wait for it to finish and run again"
        ) from None
    except IndexProblem:
        raise
    except Exception as exc:
        problem = _storage_problem(settings, exc)
        if problem is None:
            raise
        raise problem from exc
    summary.skipped = list(corpus.problems)
    summary.warnings = list(corpus.warnings)
    summary.seconds = time.monotonic() - started
    return summary


def _problems_record(problems) -> list:
    return [[str(p.path), p.line, p.message] for p in problems]


def _corpus_record(corpus: CorpusLoad) -> dict:
    """What the manifest keeps of the corpus read, to recognise it unchanged without reading it."""
    return {
        "corpus_dir": getattr(corpus, "corpus_dir", None),
        "files": getattr(corpus, "files", {}) or {},
        "scanned_ns": getattr(corpus, "scanned_ns", 0),
        "problems": _problems_record(corpus.problems),
        "warnings": _problems_record(getattr(corpus, "warnings", [])),
    }


def _trusted_files(manifest: dict) -> bool:
    """Whether the recorded sizes and mtimes can vouch for the files' content: all were last
    changed well before the scan that recorded them."""
    files, scanned = manifest.get("files") or {}, manifest.get("scanned_ns") or 0
    return bool(files) and all(mtime < scanned - RACY_NS for _, mtime in files.values())


def unchanged_without_reading(settings: Settings) -> IndexSummary | None:
    """The summary of an unchanged corpus when every file's size and mtime are as the index's
    manifest recorded them (no file is read, no model loaded); None when it must be read."""
    from .corpus import scan_corpus

    started = time.monotonic()
    try:
        with _lock(settings):
            state = _state_dir(settings)
            old = _read_manifest(state)
            if (state is None or not old or old.get("fingerprint") != fingerprint(settings)
                    or old.get("corpus_dir") != str(Path(settings.corpus_dir).resolve())
                    or not _trusted_files(old) or scan_corpus(settings.corpus_dir) != old["files"]):
                return None
    except Timeout:
        raise IndexBusy(
            f"another `brismis index` is updating {settings.index_dir} right now "
            f"(lock {settings.index_dir / '.lock'}); wait for it to finish and run again"
        ) from None
    summary = IndexSummary(unchanged=list(old.get("documents", {})), chunks_total=old.get("chunks", 0),
                           location=str(state))
    summary.skipped = [Problem(Path(p), line, message) for p, line, message in old.get("problems", [])]
    summary.warnings = [Problem(Path(p), line, message) for p, line, message in old.get("warnings", [])]
    summary.seconds = time.monotonic() - started
    return summary


def _storage_problem(settings: Settings, exc: BaseException) -> IndexProblem | None:
    """A full disk or a folder we may not write to, told as what to do (Chroma and SQLite wrap the
    OSError in their own errors, so their messages are read too)."""
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    if code == errno.ENOSPC or "no space left" in text or "disk is full" in text:
        fix = "free disk space (or set BRISMIS_INDEX_DIR to a disk with room) and run `brismis index` again"
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM) or "read-only" in text or "readonly" in text:
        fix = (f"make {settings.index_dir} writable (or set BRISMIS_INDEX_DIR to a writable folder) "
               "and run `brismis index` again")
    else:
        return None
    kept = ("the index in use was not changed" if not settings.chroma_server
            else "the next successful run repairs the server's collection")
    return IndexProblem(f"could not write the index in {settings.index_dir} ({type(exc).__name__}: {exc}): "
                        f"{fix}; {kept}")


def _build_locked(settings, corpus, load_embeddings, rebuild, progress) -> IndexSummary:
    state = _state_dir(settings)
    old = _read_manifest(state)
    summary = IndexSummary()
    if rebuild:
        summary.rebuilt = "--rebuild was asked for"
    elif old and old.get("fingerprint") != fingerprint(settings):
        summary.rebuilt = "the embedding model or chunking settings changed"
    elif state is not None and not old:
        summary.rebuilt = "no manifest from an earlier build"
    old_docs = {} if summary.rebuilt else old.get("documents", {})

    new_docs = {d.doc_id: d.content_hash for d in corpus.documents}
    for doc_id, digest in new_docs.items():
        if doc_id not in old_docs:
            summary.added.append(doc_id)
        elif old_docs[doc_id] != digest:
            summary.updated.append(doc_id)
        else:
            summary.unchanged.append(doc_id)
    summary.deleted = sorted(set(old_docs) - set(new_docs))

    if state is not None and not summary.changed:
        summary.chunks_total = old.get("chunks", 0)
        summary.location = str(state)
        record = _corpus_record(corpus)
        if record["files"] and any(old.get(k) != v for k, v in record.items() if k != "scanned_ns") \
                or record["files"] and not _trusted_files(old):
            # same content, but new mtimes (or problems): recorded, so the next run needs no reading
            _write_json_atomic(state / "manifest.json", {**old, **record, "skipped": [str(p) for p in corpus.problems]})
        return summary

    embeddings = load_embeddings()
    collection = None
    if settings.chroma_server:
        previous = _server_active(settings)
        collection = f"{settings.collection}-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**6:06d}"
        target = _server_state(settings, collection)
        target.mkdir(parents=True, exist_ok=True)
        if previous and not summary.rebuilt:
            _copy_server_collection(settings, previous, collection, state, target)
    else:
        _remove_old_generations(settings, keep={state.name} if state else set())
        target = _new_generation(settings, None if summary.rebuilt else state)

    fresh = None if summary.rebuilt else set(summary.added) | set(summary.updated)
    try:
        stats = _run_langchain_index(settings, corpus.documents, embeddings, target, progress, fresh, collection)
        _write_json_atomic(
            target / "manifest.json",
            {
                "fingerprint": fingerprint(settings),
                "documents": new_docs,
                "chunks": stats["total"],
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "skipped": [str(p) for p in corpus.problems],
                **_corpus_record(corpus),
            },
        )
    except BaseException:  # the half-written copy is never used: give its space back now
        if settings.chroma_server:
            _drop_server_collection(settings, collection)
        shutil.rmtree(target, ignore_errors=True)
        raise
    summary.chunks_added = stats["num_added"]
    summary.chunks_deleted = stats["num_deleted"]
    summary.chunks_total = stats["total"]
    summary.location = str(target)
    if settings.chroma_server:
        _point_to(settings, collection, previous)
        _remove_old_server_collections(settings, keep={collection, previous})
    else:
        _activate(settings, target)
        _remove_old_generations(settings, keep={target.name} | ({state.name} if state else set()))
    return summary


def update_index(settings: Settings, *, rebuild: bool = False, progress: Progress | None = None) -> IndexSummary:
    """Load the corpus and bring the index in line with it (the one call behind every entry). An
    unchanged corpus (every file's size and mtime as recorded) is told without reading it."""
    if not rebuild:
        unchanged = unchanged_without_reading(settings)
        if unchanged is not None:
            return unchanged
    from .corpus import load_corpus
    from .models.embeddings import load_embeddings

    corpus = load_corpus(settings.corpus_dir)
    return build_index(
        settings, corpus, lambda: load_embeddings(settings, progress), rebuild=rebuild, progress=progress
    )


def _record_manager(settings: Settings, target: Path):
    from langchain_classic.indexes import SQLRecordManager

    manager = SQLRecordManager(
        f"chroma/{settings.collection}", db_url=f"sqlite:///{target / 'records.sqlite'}"
    )
    manager.create_schema()
    return manager


def _copy_server_collection(settings: Settings, source: str, dest: str, source_state: Path | None,
                            target: Path) -> None:
    """The active server collection copied, vectors and all, as the start of the next generation
    (and its record manager with it, so ``index()`` only embeds what changed)."""
    client = _chroma_client(settings, None)
    old = client.get_collection(source, embedding_function=None)
    new = client.get_or_create_collection(dest, embedding_function=None, configuration={"hnsw": {"space": SPACE}})
    offset, batch = 0, 500
    while True:
        got = old.get(include=["embeddings", "documents", "metadatas"], limit=batch, offset=offset)
        if not got["ids"]:
            break
        new.add(ids=got["ids"], embeddings=got["embeddings"], documents=got["documents"], metadatas=got["metadatas"])
        offset += len(got["ids"])
    if source_state is not None and (source_state / "records.sqlite").exists():
        shutil.copy2(source_state / "records.sqlite", target / "records.sqlite")


def _point_to(settings: Settings, collection: str, previous: str | None) -> None:
    """The switch every API process sees: one upsert of the pointer record."""
    _pointer(settings, _chroma_client(settings, None)).upsert(
        ids=[POINTER_ID], embeddings=[[1.0]], documents=[collection],
        metadatas=[{"collection": collection, "previous": previous or "", "switched_at": time.time()}])


def _drop_server_collection(settings: Settings, collection: str | None) -> None:
    if collection is None:
        return
    try:
        _chroma_client(settings, None).delete_collection(collection)
    except Exception:  # never created, or already gone
        pass


def _remove_old_server_collections(settings: Settings, keep: set) -> None:
    """Collections of earlier generations, once ``index_grace_seconds`` old: questions still running
    on them (in processes that have not switched yet) have finished by then."""
    prefix = f"{settings.collection}-"
    cutoff = time.time() - settings.index_grace_seconds
    for name in [c.name for c in _chroma_client(settings, None).list_collections()]:
        if not name.startswith(prefix) or name in keep or name == f"{settings.collection}-pointer":
            continue
        state = _server_state(settings, name)
        made = state.stat().st_mtime if state.exists() else 0.0
        if made < cutoff:
            _drop_server_collection(settings, name)
            shutil.rmtree(state, ignore_errors=True)


class _Counting(Embeddings):
    """Reports progress as chunks are embedded (the slow part), not as they are read."""

    def __init__(self, inner: Embeddings, progress: Progress | None, total: int):
        self.inner, self.progress, self.total, self.done = inner, progress, total, 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self.inner.embed_documents(texts)
        self.done += len(texts)
        if self.progress:
            self.progress("embedding new chunks", self.done, max(self.done, self.total))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def _run_langchain_index(settings, documents, embeddings, target: Path, progress, fresh: set | None,
                         collection: str | None = None) -> dict:
    """``fresh``: the documents whose chunks need embedding (None: all), for the progress total."""
    from langchain_core.indexing import index

    chunks = list(_chunks(documents, settings, embeddings))
    to_embed = sum(1 for c in chunks if fresh is None or c.metadata["doc_id"] in fresh)
    counting = _Counting(embeddings, progress, to_embed)
    store = open_vector_store(settings, counting, state=target, collection=collection)
    manager = _record_manager(settings, target)
    stats = index(
        chunks,
        manager,
        store,
        cleanup="full",
        source_id_key="source",
        key_encoder="sha256",
        batch_size=256,  # sentence-transformers sorts by length within a call: bigger calls pad less
    )
    if progress:
        progress("embedding new chunks", counting.done, counting.done)
    stats["total"] = _chroma_client(settings, target).get_collection(collection or settings.collection).count()
    return stats
