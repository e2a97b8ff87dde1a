"""The embedded lexical backend: a Tantivy index on local disk (docs/adr/0004).

Layout under `directory` (`var/search/notes/` by default):

    current          {"generation": "g…", "analyzer_version": "1", "schema_version": 1}
    g<hex time>-<hex>/   one generation: Tantivy's segment files
    .switch.lock     taken (flock) while `current` is created or switched

Readers in every process open the generation `current` names, with the `ws` (whitespace)
tokenizer registered on every open (Tantivy does not store it) and `OnCommit` reloads: another
process's commit is seen about 0.5 s later. Every search stats `current` (about a microsecond)
and reopens when a rebuild switched it.

Writing: at most one `IndexWriter` per generation across all processes (Tantivy's file lock).
`can_write()` takes it lazily and keeps it; `LockBusy` answers False and the caller leaves the
work to the holder (search/jobs.py). Writes run one at a time in a worker thread, commit, and
reload this process's reader before returning, so a write is durable and visible here when
`apply` returns. Counters are changed by re-adding the stored document (`update_counters`).

`rebuild()` writes a new generation beside the live one, then switches `current` atomically;
readers follow at their next search and writers at their next write; generations no writer
holds are removed after. Every text field is indexed with positions (phrases) and stored
(counters are rewritten from the stored document). Queries: tantivy_query.py.

Fields: `id`, `author_id`, `kind` (a code) indexed i64 and fast; `created_at` (Unix
microseconds, the unit of the `latest` keyset), `like_count`, `collect_count`, `comment_count`
i64 fast; `lat`, `lon` f64 fast; `title`, `body`, `tags` (the tags' analysed words), `place`
text; `tag` the folded tags, each one term, for `#tag`.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import secrets
import shutil
import threading
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from redleaf.search import analyze
from redleaf.search.backends import tantivy_query
from redleaf.search.backends.base import (
    BackendStats,
    Hit,
    IndexedNote,
    LexicalQuery,
    Progress,
    micros,
)
from redleaf.search.backends.tantivy_query import KIND_CODES, TEXT_FIELDS

__all__ = ["ANALYZER_VERSION", "POINTER", "TantivyBackend", "WriterBusy", "build_schema"]

log = logging.getLogger("redleaf.search")

# Bump when the analyzer changes what terms a text gives: an index written by another version
# asks for `redleaf reindex` (stats().details["needs_reindex"]). Taken from analyze.py once it
# defines ANALYZER_VERSION.
ANALYZER_VERSION = str(getattr(analyze, "ANALYZER_VERSION", "1"))
# Bump when the fields below change: an index of another schema is replaced by an empty one.
SCHEMA_VERSION = 1
POINTER = "current"
SWITCH_LOCK = ".switch.lock"
TOKENIZER = "ws"
WRITER_HEAP_BYTES = 64_000_000
REBUILD_HEAP_BYTES = 128_000_000
LOCK_PROBE_HEAP_BYTES = 15_000_000  # Tantivy's smallest writer, to test a generation's lock
REBUILD_BATCH = 1000


class WriterBusy(RuntimeError):
    """Another process holds this index's writer lock."""


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in ("id", "author_id", "kind"):
        builder.add_integer_field(name, stored=True, indexed=True, fast=True)
    for name in ("created_at", "like_count", "collect_count", "comment_count"):
        builder.add_integer_field(name, stored=True, fast=True)
    for name in ("lat", "lon"):
        builder.add_float_field(name, stored=True, fast=True)
    for name in (*TEXT_FIELDS, "tag"):
        builder.add_text_field(name, stored=True, tokenizer_name=TOKENIZER)
    return builder.build()


def _register(index: tantivy.Index) -> None:
    # Not stored with the index: every process registers it on every open.
    analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
    index.register_tokenizer(TOKENIZER, analyzer)


def document_fields(note: IndexedNote) -> dict[str, Any]:
    """What one note is indexed as (tags twice: folded for `#tag`, analysed as words)."""
    words = " ".join(term for tag in note.tags.split() for term in analyze.analyze(tag))
    fields: dict[str, Any] = {
        "id": note.id,
        "author_id": note.author_id,
        "kind": KIND_CODES.get(note.kind, len(KIND_CODES)),
        "created_at": micros(note.created_at),
        "like_count": note.like_count,
        "collect_count": note.collect_count,
        "comment_count": note.comment_count,
        "title": note.title,
        "body": note.body,
        "tags": words,
        "place": note.place,
        "tag": note.tags,
    }
    if note.lat is not None and note.lon is not None:
        fields["lat"], fields["lon"] = float(note.lat), float(note.lon)
    return fields


@dataclass
class _Generation:
    name: str
    path: Path
    index: tantivy.Index
    analyzer_version: str


class TantivyBackend:
    """`LexicalBackend` on a Tantivy directory; one instance per process (backends/select.py)."""

    name = "tantivy"

    def __init__(
        self,
        directory: Path,
        *,
        writer_heap_bytes: int = WRITER_HEAP_BYTES,
        rebuild_heap_bytes: int = REBUILD_HEAP_BYTES,
    ) -> None:
        self.directory = Path(directory)
        self.writer_heap_bytes = writer_heap_bytes
        self.rebuild_heap_bytes = rebuild_heap_bytes
        self.schema = build_schema()
        self._gen: _Generation | None = None
        self._stamp: tuple[int, int, int] | None = None
        self._open_lock = threading.Lock()
        self._write_lock = threading.Lock()  # one writer operation at a time
        self._writer: tantivy.IndexWriter | None = None
        self._writer_gen: _Generation | None = None
        self._closed = False

    # --- generations and the pointer ----------------------------------------------------------

    def _pointer_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.directory / POINTER)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _read_pointer(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.directory / POINTER).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("generation") else None

    def _write_pointer(self, generation: str, analyzer_version: str) -> None:
        data = {
            "generation": generation,
            "analyzer_version": analyzer_version,
            "schema_version": SCHEMA_VERSION,
        }
        temporary = self.directory / f".{POINTER}.{os.getpid()}.{secrets.token_hex(4)}"
        with temporary.open("w", encoding="utf-8") as out:
            out.write(json.dumps(data))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.directory / POINTER)
        with contextlib.suppress(OSError):  # make the rename itself durable
            fd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    @contextlib.contextmanager
    def _switching(self) -> Iterator[None]:
        """Serialise creating and switching `current` across processes."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with (self.directory / SWITCH_LOCK).open("a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _new_generation(self) -> tuple[str, Path, tantivy.Index]:
        name = f"g{time.time_ns():016x}-{secrets.token_hex(3)}"
        path = self.directory / name
        path.mkdir(parents=True)
        index = tantivy.Index(self.schema, path=str(path), reuse=False)
        _register(index)
        return name, path, index

    def _open(self, name: str, analyzer_version: str) -> _Generation:
        path = self.directory / name
        index = tantivy.Index.open(str(path))
        _register(index)
        index.config_reader("OnCommit")
        return _Generation(name, path, index, analyzer_version)

    def _usable(self, pointer: dict[str, Any] | None) -> bool:
        return (
            pointer is not None
            and pointer.get("schema_version") == SCHEMA_VERSION
            and (self.directory / str(pointer["generation"])).is_dir()
        )

    def _current(self) -> _Generation:
        """The generation `current` names, reopened when it changed."""
        if self._closed:
            raise RuntimeError("the search index is closed")
        stamp = self._pointer_stamp()
        gen = self._gen
        if gen is not None and stamp is not None and stamp == self._stamp:
            return gen
        with self._open_lock:
            return self._reopen()

    def _reopen(self) -> _Generation:
        pointer = self._read_pointer()
        if not self._usable(pointer):
            with self._switching():
                pointer = self._read_pointer()  # another process may have done it meanwhile
                if not self._usable(pointer):
                    if pointer is not None:
                        log.error(
                            "search index %s: generation %s of schema %s is not usable here "
                            "(schema %s); starting an empty one: run `redleaf reindex`",
                            self.directory,
                            pointer.get("generation"),
                            pointer.get("schema_version"),
                            SCHEMA_VERSION,
                        )
                    name = self._new_generation()[0]
                    self._write_pointer(name, ANALYZER_VERSION)
                    pointer = self._read_pointer()
        assert pointer is not None
        stamp = self._pointer_stamp()
        name = str(pointer["generation"])
        version = str(pointer.get("analyzer_version", ""))
        gen = self._gen
        if gen is None or gen.name != name:
            gen = self._open(name, version)
            if version != ANALYZER_VERSION:
                log.warning(
                    "search index %s was built by analyzer %s, this is %s: run `redleaf reindex`",
                    self.directory,
                    version,
                    ANALYZER_VERSION,
                )
            self._gen = gen
        self._stamp = stamp
        return gen

    # --- the writer --------------------------------------------------------------------------

    def can_write(self) -> bool:
        gen = self._current()
        if self._writer is not None and self._writer_gen is gen:
            return True
        with self._write_lock:
            return self._take_writer(gen) is not None

    def _take_writer(self, gen: _Generation) -> tantivy.IndexWriter | None:
        """The writer of `gen`, taken if need be (the caller holds `_write_lock`); None when
        another process holds it."""
        if self._writer is not None and self._writer_gen is gen:
            return self._writer
        switched = self._writer is not None
        self._drop_writer()
        try:
            self._writer = gen.index.writer(self.writer_heap_bytes, 1)
        except ValueError as error:
            if "LockBusy" in str(error):
                return None
            raise
        self._writer_gen = gen
        log.info("search index: this process writes %s", gen.path)
        if switched:
            self._remove_stale()
        return self._writer

    def _drop_writer(self) -> None:
        writer, self._writer, self._writer_gen = self._writer, None, None
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.rollback()
            with contextlib.suppress(Exception):
                writer.wait_merging_threads()  # consumes it and releases the lock

    def _writing(self) -> tuple[_Generation, tantivy.IndexWriter]:
        gen = self._current()
        writer = self._take_writer(gen)
        if writer is None:
            raise WriterBusy(f"another process writes the search index {gen.path}")
        return gen, writer

    def _commit(self, gen: _Generation, writer: tantivy.IndexWriter) -> None:
        try:
            writer.commit()
        except Exception:
            self._drop_writer()  # a broken writer is retaken at the next write
            raise
        gen.index.reload()

    async def apply(self, upserts: Sequence[IndexedNote], deletes: Sequence[int]) -> None:
        if not upserts and not deletes:
            return
        await asyncio.to_thread(self._apply, list(upserts), list(deletes))

    def _apply(self, upserts: list[IndexedNote], deletes: list[int]) -> None:
        documents = {note.id: tantivy.Document(**document_fields(note)) for note in upserts}
        with self._write_lock:
            gen, writer = self._writing()
            for note_id in {*deletes, *documents}:
                writer.delete_documents_by_term("id", note_id)
            for document in documents.values():
                writer.add_document(document)
            self._commit(gen, writer)

    async def update_counters(self, rows: Sequence[tuple[int, int, int, int]]) -> None:
        if rows:
            await asyncio.to_thread(self._update_counters, {row[0]: row for row in rows})

    def _update_counters(self, rows: dict[int, tuple[int, int, int, int]]) -> None:
        with self._write_lock:
            gen, writer = self._writing()
            searcher = gen.index.searcher()
            changed = 0
            ids = list(rows)
            for start in range(0, len(ids), 1000):
                chunk = ids[start : start + 1000]
                query = tantivy.Query.term_set_query(self.schema, "id", chunk)
                hits = searcher.search(query, len(chunk), count=False).hits
                addresses = [address for _score, address in hits]
                columns = [
                    searcher.fast_field_values(name, addresses)
                    for name in ("id", "like_count", "collect_count", "comment_count")
                ]
                for address, note_id, *counts in zip(addresses, *columns, strict=True):
                    _id, likes, collects, comments = rows[note_id]
                    if counts == [likes, collects, comments]:
                        continue
                    fields = searcher.doc(address).to_dict()
                    fields["like_count"], fields["collect_count"] = [likes], [collects]
                    fields["comment_count"] = [comments]
                    writer.delete_documents_by_term("id", note_id)
                    writer.add_document(tantivy.Document.from_dict(fields, self.schema))
                    changed += 1
            if changed:
                self._commit(gen, writer)

    # --- rebuilding --------------------------------------------------------------------------

    async def rebuild(self, notes: AsyncIterator[IndexedNote], progress: Progress) -> int:
        await asyncio.to_thread(self.directory.mkdir, parents=True, exist_ok=True)
        name, path, index = await asyncio.to_thread(self._new_generation)
        count = 0
        try:
            writer = await asyncio.to_thread(index.writer, self.rebuild_heap_bytes, 1)

            def add(batch: list[IndexedNote]) -> None:
                for note in batch:
                    writer.add_document(tantivy.Document(**document_fields(note)))

            batch: list[IndexedNote] = []
            async for note in notes:
                batch.append(note)
                if len(batch) >= REBUILD_BATCH:
                    await asyncio.to_thread(add, batch)
                    count += len(batch)
                    batch = []
                    progress(count)
            if batch:
                await asyncio.to_thread(add, batch)
                count += len(batch)
                progress(count)
            await asyncio.to_thread(writer.commit)
            await asyncio.to_thread(writer.wait_merging_threads)
            del index
        except BaseException:
            await asyncio.to_thread(shutil.rmtree, path, True)
            raise
        await asyncio.to_thread(self._switch_to, name)
        return count

    def _switch_to(self, name: str) -> None:
        with self._switching():
            self._write_pointer(name, ANALYZER_VERSION)
        with self._open_lock:
            self._reopen()
        with self._write_lock:
            if self._writer is not None and self._writer_gen is not self._gen:
                self._drop_writer()
            self._remove_stale()

    def _remove_stale(self) -> None:
        """Remove generations older than the current one that no process writes."""
        gen = self._gen
        if gen is None:
            return
        for path in sorted(self.directory.glob("g*")):
            if not path.is_dir() or path.name >= gen.name:
                continue
            try:
                probe = tantivy.Index.open(str(path))
                probe.writer(LOCK_PROBE_HEAP_BYTES, 1).wait_merging_threads()
                del probe
            except ValueError as error:
                if "LockBusy" in str(error):
                    continue  # its writer has not moved on yet; it removes it when it does
            shutil.rmtree(path, ignore_errors=True)
            log.info("search index: removed the old generation %s", path)

    # --- searching ---------------------------------------------------------------------------

    async def search(self, query: LexicalQuery) -> list[Hit]:
        if query.is_empty or query.limit <= 0:
            return []
        if query.authors is not None and not query.authors:
            return []
        return await asyncio.to_thread(self._search, query)

    def _search(self, query: LexicalQuery) -> list[Hit]:
        searcher = self._current().index.searcher()
        return tantivy_query.search(searcher, self.schema, query)

    # --- the rest ----------------------------------------------------------------------------

    async def stats(self) -> BackendStats:
        return await asyncio.to_thread(self._stats)

    def _stats(self) -> BackendStats:
        gen = self._current()
        searcher = gen.index.searcher()
        size = sum(p.stat().st_size for p in gen.path.rglob("*") if p.is_file())
        return BackendStats(
            documents=searcher.num_docs,
            size_bytes=size,
            analyzer_version=gen.analyzer_version,
            details={
                "path": str(gen.path),
                "generation": gen.name,
                "segments": searcher.num_segments,
                "schema_version": SCHEMA_VERSION,
                "needs_reindex": gen.analyzer_version != ANALYZER_VERSION,
                "writer": self._writer is not None and self._writer_gen is gen,
            },
        )

    async def close(self) -> None:
        if self._closed:
            return
        await asyncio.to_thread(self._close)

    def _close(self) -> None:
        with self._write_lock:
            self._drop_writer()
            self._closed = True
            self._gen = None

    aclose = close  # Runtime.close() closes what hangs on runtime.extras through `aclose`
