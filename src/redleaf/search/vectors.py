"""The vector index of notes: nearest neighbours of a query embedding, in every process, written
by one.

Design
------
*Truth and copy.* `note_embeddings` (models.py) is the durable record, written by the embedding
jobs in their own transaction in any process. The index under `var/search/vectors/` is a copy
of that table made for fast search, and can always be rebuilt from it
(`semantic_jobs.rebuild_from_table`). So embedding, the expensive part (5-20 notes/s here),
runs in every worker at once, while only the cheap part, applying rows to the index, is
single-threaded.

*One writer.* A process becomes the writer by taking `writer.lock` with a non-blocking
`fcntl.flock`; it keeps it until it closes the index or dies (the kernel drops the lock even on
SIGKILL), and another process takes over at its next try. The writer holds a writable copy in
memory, applies table changes to it (`semantic_jobs.sync_from_table`: rows whose `updated_at`
moved since its last pass, and, when the row count and the index disagree, a full comparison
of ids, which is how deletions made elsewhere are found), and saves it. Its own searches see
changes at once.

*Saves and readers.* A save writes a new generation of files (`g000042.usearch`, or
`g000042.keys.npy` + `g000042.i8.npy` while the index is small), then replaces `current.json`
(atomic rename), then deletes generations older than the previous one. Readers stat
`current.json` at most every `RELOAD_CHECK_SECONDS` and open the new generation when it changed:
an HNSW file memory-mapped (`usearch` view, shared page cache, nothing copied), a small exact
one read whole. A reader that still maps an older, deleted file keeps working (POSIX unlink).
Saves cost time proportional to the index (a full write), so the writer saves at most every
`SAVE_MIN_SECONDS` and spends at most 1/`SAVE_COST_FACTOR` of its time saving; readers in other
processes therefore lag the table by a few seconds, more at a million notes.

*Two shapes.* Up to `EXACT_MAX_VECTORS` vectors the index is a plain matrix searched exactly
with numpy (a fresh install and the tests never build a graph); past it, the writer builds a
usearch HNSW graph (cosine on int8) and keeps it from then on.

*Vectors* are int8, scaled per vector (`embeddings.quantize`), in a named space (the model and
its calibration, `embeddings.SearchSpace`): the table keeps the model's raw vectors, the index
the calibrated ones, and a save from another space is treated as no index at all. Scores are
cosine similarities, higher is closer. Keys are note ids (positive 63-bit).

Needs a local file system (flock, mmap): not NFS.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from redleaf.search.embeddings import EMBED_DIM, dequantize, quantize

log = logging.getLogger(__name__)

FORMAT = 1
# Tunables, named so they can move to settings (search_vectors_*) as they are.
EXACT_MAX_VECTORS = 10_000  # above this the writer builds an HNSW graph (exact: ~1 ms here)
RELOAD_CHECK_SECONDS = 2.0  # readers look for a newer save at most this often
SAVE_MIN_SECONDS = 2.0  # the writer saves at most this often...
SAVE_COST_FACTOR = 10.0  # ...and waits 10x the last save's duration before the next
HNSW_CONNECTIVITY = 16
HNSW_EXPANSION_ADD = 128
HNSW_EXPANSION_SEARCH = 64  # raised to the asked count when a search wants more

LOCK_NAME = "writer.lock"
CURRENT_NAME = "current.json"


class WriterBusy(RuntimeError):
    """Another process (or another index object) holds the writer lock."""


class NotWriter(RuntimeError):
    """A change was asked of an index opened for reading."""


def _as_keys(ids: Iterable[int]) -> np.ndarray:
    keys = np.fromiter((int(i) for i in ids), dtype=np.int64)
    if keys.size and (keys <= 0).any():
        raise ValueError("note ids must be positive")
    return keys


def _as_packed(vectors: np.ndarray, dim: int) -> np.ndarray:
    array = np.asarray(vectors)
    if array.ndim == 1:
        array = array.reshape(1, -1)
    if array.shape[1] != dim:
        raise ValueError(f"vectors have {array.shape[1]} dimensions, the index {dim}")
    return array if array.dtype == np.int8 else quantize(array)


# --- the two shapes ------------------------------------------------------------------------------


class _Exact:
    """A matrix of unit vectors searched with one matrix-vector product."""

    def __init__(self, dim: int, keys: np.ndarray | None = None, packed: np.ndarray | None = None):
        self.dim = dim
        n = 0 if keys is None else len(keys)
        capacity = max(64, n)
        self.keys = np.zeros(capacity, dtype=np.int64)
        self.packed = np.zeros((capacity, dim), dtype=np.int8)
        self.unit = np.zeros((capacity, dim), dtype=np.float32)
        self.n = 0
        self.pos: dict[int, int] = {}
        if n:
            assert keys is not None and packed is not None
            self.upsert(keys, packed)

    def __len__(self) -> int:
        return self.n

    def _grow(self, need: int) -> None:
        capacity = len(self.keys)
        if need <= capacity:
            return
        while capacity < need:
            capacity *= 2
        for name in ("keys", "packed", "unit"):
            old = getattr(self, name)
            new = np.zeros((capacity, *old.shape[1:]), dtype=old.dtype)
            new[: self.n] = old[: self.n]
            setattr(self, name, new)

    def upsert(self, keys: np.ndarray, packed: np.ndarray) -> None:
        self._grow(self.n + len(keys))
        unit = dequantize(packed)
        for key, row, vector in zip(keys.tolist(), packed, unit, strict=True):
            at = self.pos.get(key)
            if at is None:
                at = self.n
                self.n += 1
                self.pos[key] = at
                self.keys[at] = key
            self.packed[at] = row
            self.unit[at] = vector

    def remove(self, keys: np.ndarray) -> int:
        removed = 0
        for key in keys.tolist():
            at = self.pos.pop(key, None)
            if at is None:
                continue
            last = self.n - 1
            if at != last:  # the last row fills the hole
                moved = int(self.keys[last])
                self.keys[at], self.packed[at], self.unit[at] = (
                    moved,
                    self.packed[last],
                    self.unit[last],
                )
                self.pos[moved] = at
            self.n -= 1
            removed += 1
        return removed

    def vector(self, key: int) -> np.ndarray | None:
        at = self.pos.get(key)
        return None if at is None else self.packed[at]

    def ids(self) -> np.ndarray:
        return self.keys[: self.n].copy()

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return self.keys[: self.n].copy(), self.packed[: self.n].copy()

    def search(self, query: np.ndarray, count: int) -> list[tuple[int, float]]:
        if not self.n or count <= 0:
            return []
        scores = self.unit[: self.n] @ dequantize(query)
        count = min(count, self.n)
        top = np.argpartition(-scores, count - 1)[:count] if count < self.n else np.arange(self.n)
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.keys[i]), float(scores[i])) for i in top]


class _Graph:
    """A usearch HNSW graph (cosine on int8), in memory for the writer or a view for readers."""

    def __init__(self, dim: int, index: Any = None) -> None:
        from usearch.index import Index

        self.dim = dim
        self.index = index or Index(
            ndim=dim,
            metric="cos",
            dtype="i8",
            connectivity=HNSW_CONNECTIVITY,
            expansion_add=HNSW_EXPANSION_ADD,
            expansion_search=HNSW_EXPANSION_SEARCH,
        )

    def __len__(self) -> int:
        return len(self.index)

    def upsert(self, keys: np.ndarray, packed: np.ndarray) -> None:
        keys = keys.astype(np.uint64)
        present = np.asarray(self.index.contains(keys), dtype=bool).reshape(-1)
        if present.any():
            self.index.remove(keys[present])
        self.index.add(keys, packed)

    def remove(self, keys: np.ndarray) -> int:
        keys = keys.astype(np.uint64)
        present = np.asarray(self.index.contains(keys), dtype=bool).reshape(-1)
        if not present.any():
            return 0
        self.index.remove(keys[present])
        return int(present.sum())

    def vector(self, key: int) -> np.ndarray | None:
        if not self.index.contains(key):
            return None
        found = self.index.get(key, dtype="i8")
        return None if found is None else np.asarray(found, dtype=np.int8).reshape(self.dim)

    def ids(self) -> np.ndarray:
        return np.asarray(self.index.keys, dtype=np.uint64).astype(np.int64)

    def search(self, query: np.ndarray, count: int) -> list[tuple[int, float]]:
        if not len(self.index) or count <= 0:
            return []
        wanted = max(HNSW_EXPANSION_SEARCH, count)  # the graph walk must keep `count` candidates
        if self.index.expansion_search != wanted:
            self.index.expansion_search = wanted  # type: ignore[misc]  # settable; the stub lags
        matches = self.index.search(query, count)
        return [
            (int(k), 1.0 - float(d))
            for k, d in zip(matches.keys.tolist(), matches.distances.tolist(), strict=True)
        ]


# --- the index -----------------------------------------------------------------------------------


@dataclass
class Meta:
    space: str
    dim: int
    generation: int = 0
    kind: str = "exact"  # or "hnsw"
    count: int = 0
    synced_to: str | None = None  # ISO time: table rows updated up to here are in the index

    def files(self) -> list[str]:
        stem = f"g{self.generation:06d}"
        if self.kind == "hnsw":
            return [f"{stem}.usearch"]
        return [f"{stem}.keys.npy", f"{stem}.i8.npy"]


class VectorIndex:
    """One process's handle on the index directory: a reader, until `try_become_writer()`."""

    def __init__(
        self,
        directory: Path,
        *,
        space: str,
        dim: int = EMBED_DIM,
        exact_max: int = EXACT_MAX_VECTORS,
        reload_check_seconds: float = RELOAD_CHECK_SECONDS,
    ) -> None:
        self.directory = Path(directory)
        self.space = space
        self.dim = dim
        self.exact_max = exact_max
        self.reload_check_seconds = reload_check_seconds
        self.synced_to: datetime | None = None  # writer only
        self._store: _Exact | _Graph = _Exact(dim)
        self._meta: Meta | None = None  # of the generation loaded
        self._seen: tuple[int, int] | None = None  # (inode, mtime) of current.json loaded
        self._checked_at = -1e9
        self._lock_file: Any = None
        self._mutex = threading.RLock()
        self._dirty = False
        self._saved_at = 0.0
        self._save_seconds = 0.0

    # -- roles

    @property
    def is_writer(self) -> bool:
        return self._lock_file is not None

    def try_become_writer(self) -> bool:
        """Take the writer lock if free (never waits) and load the saved index writable."""
        if self.is_writer:
            return True
        self.directory.mkdir(parents=True, exist_ok=True)
        handle = open(self.directory / LOCK_NAME, "a+b")  # noqa: SIM115 (held for our lifetime)
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        with self._mutex:
            self._lock_file = handle
            meta = self._read_meta()
            self._store, self._meta = _Exact(self.dim), None
            self.synced_to = None
            if meta is not None and meta.space == self.space and meta.dim == self.dim:
                try:
                    self._store = self._open(meta, writable=True)
                    self._meta = meta
                    self.synced_to = (
                        datetime.fromisoformat(meta.synced_to) if meta.synced_to else None
                    )
                except (OSError, ValueError, RuntimeError):
                    log.exception("vector index %s unreadable: starting empty", self.directory)
            self._dirty = False
            self._saved_at = time.monotonic()
        log.info(
            "vector index writer",
            extra={"directory": str(self.directory), "vectors": len(self._store)},
        )
        return True

    def acquire_writer(self) -> None:
        if not self.try_become_writer():
            raise WriterBusy(f"another process writes {self.directory}")

    def close(self, *, save: bool = True) -> None:
        """Save what changed (writer) and let go of the lock; the object stays a reader."""
        with self._mutex:
            if self.is_writer:
                if save:
                    self.save()
                handle, self._lock_file = self._lock_file, None
                with contextlib.suppress(OSError):
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
                handle.close()
                self._seen, self._checked_at = None, -1e9

    # -- reading

    def __len__(self) -> int:
        self.refresh()
        return len(self._store)

    def ids(self) -> np.ndarray:
        self.refresh()
        with self._mutex:
            return self._store.ids()

    def vector(self, note_id: int) -> np.ndarray | None:
        """The int8 vector stored for a note, or None."""
        self.refresh()
        with self._mutex:
            found = self._store.vector(int(note_id))
            return None if found is None else np.array(found, dtype=np.int8)

    def search(
        self, vector: np.ndarray, k: int, exclude_ids: Iterable[int] = ()
    ) -> list[tuple[int, float]]:
        """The `k` nearest notes to a unit query vector as (note_id, cosine), best first."""
        if k <= 0:
            return []
        excluded = {int(i) for i in exclude_ids}
        query = _as_packed(vector, self.dim)[0]
        self.refresh()
        if self.is_writer:  # the store changes under its mutex
            with self._mutex:
                found = self._store.search(query, k + len(excluded))
        else:  # a reader's store is never changed, only replaced: no lock, searches in parallel
            found = self._store.search(query, k + len(excluded))
        return [(key, score) for key, score in found if key not in excluded][:k]

    def refresh(self, *, force: bool = False) -> bool:
        """Reader: open the newest save if there is one (at most every few seconds unless
        forced); whether anything was loaded. A writer has the newest state already."""
        if self.is_writer:
            return False
        now = time.monotonic()
        if not force and now - self._checked_at < self.reload_check_seconds:
            return False
        self._checked_at = now
        try:
            stat = os.stat(self.directory / CURRENT_NAME)
        except FileNotFoundError:
            return False
        seen = (stat.st_ino, stat.st_mtime_ns)
        if seen == self._seen:
            return False
        meta = self._read_meta()
        if meta is None:
            return False
        if meta.space != self.space or meta.dim != self.dim:
            log.warning(
                "vector index %s holds %s vectors; this process searches %s: empty until the "
                "writer rebuilds it",
                self.directory,
                meta.space,
                self.space,
            )
            with self._mutex:
                self._store, self._meta, self._seen = _Exact(self.dim), meta, seen
            return True
        try:
            store = self._open(meta, writable=False)
        except (OSError, ValueError, RuntimeError):
            # Most likely replaced while we opened it; the next check sees the newer one.
            log.warning("vector index generation %s not readable yet", meta.generation)
            return False
        with self._mutex:
            self._store, self._meta, self._seen = store, meta, seen
        return True

    def _read_meta(self) -> Meta | None:
        try:
            raw = json.loads((self.directory / CURRENT_NAME).read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            log.warning("vector index %s: unreadable %s", self.directory, CURRENT_NAME)
            return None
        if raw.get("format") != FORMAT:
            return None
        return Meta(
            space=str(raw["space"]),
            dim=int(raw["dim"]),
            generation=int(raw["generation"]),
            kind=str(raw["kind"]),
            count=int(raw["count"]),
            synced_to=raw.get("synced_to"),
        )

    def _open(self, meta: Meta, *, writable: bool) -> _Exact | _Graph:
        paths = [self.directory / name for name in meta.files()]
        if meta.kind == "hnsw":
            from usearch.index import Index

            index = Index.restore(str(paths[0]), view=not writable)
            if index is None:
                raise ValueError(f"{paths[0]} is not a usearch index")
            return _Graph(self.dim, index)
        keys = np.load(paths[0], allow_pickle=False)
        packed = np.load(paths[1], allow_pickle=False)
        if packed.dtype != np.int8 or packed.shape != (len(keys), self.dim):
            raise ValueError(f"{paths[1]}: unexpected shape {packed.shape}")
        return _Exact(self.dim, keys.astype(np.int64), packed)

    # -- writing

    def _writable(self) -> None:
        if not self.is_writer:
            raise NotWriter(f"{self.directory} is open for reading; try_become_writer() first")

    def upsert(self, ids: Sequence[int], vectors: np.ndarray) -> None:
        """Add or replace the vectors of these notes (float unit vectors or packed int8)."""
        self._writable()
        keys = _as_keys(ids)
        if not keys.size:
            return
        packed = _as_packed(vectors, self.dim)
        if len(packed) != len(keys):
            raise ValueError(f"{len(keys)} ids for {len(packed)} vectors")
        # The last vector given for an id wins, as it would one call at a time.
        _, last = np.unique(keys[::-1], return_index=True)
        chosen = len(keys) - 1 - last
        keys, packed = keys[chosen], packed[chosen]
        with self._mutex:
            store = self._store
            if isinstance(store, _Exact) and len(store) + len(keys) > self.exact_max:
                self._store = store = self._to_graph(store)
            store.upsert(keys, packed)
            self._dirty = True

    def remove(self, ids: Iterable[int]) -> int:
        self._writable()
        keys = _as_keys(ids)
        with self._mutex:
            removed = self._store.remove(keys) if keys.size else 0
            self._dirty = self._dirty or removed > 0
        return removed

    def reset(self, ids: Sequence[int] = (), vectors: np.ndarray | None = None) -> None:
        """Replace everything (a rebuild); the shape follows the size."""
        self._writable()
        keys = _as_keys(ids)
        with self._mutex:
            self._store = _Exact(self.dim)
            self.synced_to = None
            self._dirty = True
        if keys.size:
            assert vectors is not None
            self.upsert(keys.tolist(), vectors)

    def _to_graph(self, exact: _Exact) -> _Graph:
        graph = _Graph(self.dim)
        keys, packed = exact.arrays()
        if len(keys):
            graph.index.add(keys.astype(np.uint64), packed)
        log.info("vector index: %s vectors, switched to an HNSW graph", len(keys))
        return graph

    @property
    def dirty(self) -> bool:
        return self._dirty

    def save_due(self) -> bool:
        wait = max(SAVE_MIN_SECONDS, SAVE_COST_FACTOR * self._save_seconds)
        return self._dirty and time.monotonic() - self._saved_at >= wait

    def save(self) -> bool:
        """Write a new generation if anything changed (writer only); whether it wrote."""
        self._writable()
        with self._mutex:
            if not self._dirty and self._meta is not None:
                return False
            started = time.monotonic()
            previous = self._meta.generation if self._meta else (self._read_generation())
            meta = Meta(
                space=self.space,
                dim=self.dim,
                generation=previous + 1,
                kind="hnsw" if isinstance(self._store, _Graph) else "exact",
                count=len(self._store),
                synced_to=self.synced_to.isoformat() if self.synced_to else None,
            )
            paths = [self.directory / name for name in meta.files()]
            if isinstance(self._store, _Graph):
                self._store.index.save(str(paths[0]))
            else:
                keys, packed = self._store.arrays()
                for path, array in zip(paths, (keys, packed), strict=True):
                    with path.open("wb") as handle:
                        np.save(handle, array, allow_pickle=False)
            for path in paths:
                _fsync(path)
            current = self.directory / CURRENT_NAME
            temporary = current.with_suffix(".tmp")
            temporary.write_text(
                json.dumps({"format": FORMAT, **meta.__dict__, "files": meta.files()})
            )
            _fsync(temporary)
            os.replace(temporary, current)
            self._meta, self._dirty = meta, False
            self._saved_at = time.monotonic()
            self._save_seconds = self._saved_at - started
        self._delete_old(meta.generation - 1)
        return True

    def _read_generation(self) -> int:
        meta = self._read_meta()
        return meta.generation if meta else 0

    def _delete_old(self, keep_from: int) -> None:
        for path in self.directory.glob("g*.*"):
            stem = path.name.split(".", 1)[0]
            if stem[1:].isdigit() and int(stem[1:]) < keep_from:
                with contextlib.suppress(OSError):
                    path.unlink()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
