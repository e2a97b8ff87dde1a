"""Keeping the lexical index in step with the notes, by jobs written after each change
(the transactional outbox; docs/adr/0004-embedded-search-backend.md).

    search.index {note_id}        a note changed (published, edited, deleted, made private,
                                  held, removed, withheld...): index it again, or delete it
                                  when it is no longer searchable (documents.searchable)
    search.refresh_counters       periodic: likes, collects and comments of notes whose row
                                  changed since the last run

One job names one note, and the handler does not trust the job's moment: it reads the note as
it is now. Batches: the handler of one `search.index` job, in the process that holds the
writer, also takes up to `BATCH - 1` other queued `search.index` jobs, applies all their notes
in one commit, then marks those jobs done in its own transaction, which the worker commits
with its own job's done mark. So a job is done only after its note is committed to the index;
a crash in between replays jobs, which is harmless (delete + add by id). Under load the queue
fills while a commit runs (~15 ms for one note, ~45 ms for fifty) and the next job takes
everything queued: batches form without waiting.

A process that cannot write (another holds Tantivy's writer lock) hands the job over: it is
done here and a copy is queued `HANDOFF_SECONDS` later, which the writer's next batch takes
(it takes queued copies before they are due). No retries, back-off or dead jobs come of it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.kit.db import commit, on_commit, utcnow
from redleaf.kit.jobs.models import DONE, QUEUED
from redleaf.kit.jobs.queue import enqueue, jobs
from redleaf.kit.jobs.registry import JobContext, job_handler
from redleaf.kit.runtime import Runtime
from redleaf.notes.access import parse_id
from redleaf.notes.models import Note
from redleaf.search.backends.select import backend_for
from redleaf.search.documents import load_documents, searchable_sql, stream_all

log = logging.getLogger("redleaf.search")

INDEX = "search.index"
REFRESH_COUNTERS = "search.refresh_counters"
# Defaults of the settings named in brackets.
BATCH = 500  # notes per index commit (search_index_batch)
BATCH_WAIT_SECONDS = 0.0  # wait for more jobs before a batch (search_index_batch_wait_seconds)
COUNTERS_INTERVAL_SECONDS = 300.0  # (search_counters_refresh_seconds)
HANDOFF_SECONDS = 1.0
COUNTERS_OVERLAP_SECONDS = 120.0  # transactions that commit after they wrote updated_at
COUNTERS_FIRST_WINDOW = timedelta(days=1)  # when no earlier refresh is on record
COUNTERS_CHUNK = 2000
REPLAY_MARGIN = timedelta(minutes=5)  # after a rebuild: changes that may have been missed
INFLIGHT_SECONDS = 120.0


def _setting(runtime: Runtime, name: str, default: Any) -> Any:
    value = getattr(runtime.settings, name, None)
    return default if value is None else value


# --- scheduling ------------------------------------------------------------------------------


async def schedule_index(session: AsyncSession, note_id: int) -> None:
    """Index `note_id` again after this transaction commits (or drop it from the index)."""
    await enqueue(session, INDEX, {"note_id": int(note_id)})


async def schedule_index_many(session: AsyncSession, note_ids: Iterable[int]) -> None:
    for note_id in dict.fromkeys(note_ids):
        await schedule_index(session, note_id)


async def schedule_author(session: AsyncSession, author_id: int) -> None:
    """Before an author's notes go at once (their account is deleted): drop them all."""
    ids = await session.scalars(
        select(Note.id).where(Note.author_id == author_id, searchable_sql())
    )
    await schedule_index_many(session, list(ids))


async def schedule_counter_refresh(session: AsyncSession, interval: float) -> None:
    """The next periodic refresh, once per interval however often this is called."""
    slot = int(time.time() // interval) + 1
    await enqueue(
        session,
        REFRESH_COUNTERS,
        {},
        run_at=datetime.fromtimestamp(slot * interval, UTC),
        idempotency_key=f"{int(interval)}:{slot}",
    )


# --- indexing --------------------------------------------------------------------------------


@dataclass
class _Indexer:
    """This process's writer side: one batch at a time, and the jobs other batches have taken
    that are not committed yet (so two batches do not both take them)."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    inflight: dict[int, float] = field(default_factory=dict)  # job id → forget after

    def taken(self) -> list[int]:
        now = time.monotonic()
        for job_id in [job_id for job_id, until in self.inflight.items() if until < now]:
            del self.inflight[job_id]
        return list(self.inflight)


def _indexer(runtime: Runtime) -> _Indexer:
    indexer = runtime.extras.get("search.indexer")
    if not isinstance(indexer, _Indexer):
        indexer = runtime.extras["search.indexer"] = _Indexer()
    return indexer


async def _take_queued(
    session: AsyncSession, own_job: int, skip: list[int], limit: int
) -> dict[int, int]:
    """Other queued `search.index` jobs, due or not: job id → note id."""
    if limit <= 0:
        return {}
    statement = (
        select(jobs.c.id, jobs.c.payload)
        .where(jobs.c.state == QUEUED, jobs.c.kind == INDEX, jobs.c.id != own_job)
        .order_by(jobs.c.run_at, jobs.c.id)
        .limit(limit)
    )
    if skip:
        statement = statement.where(jobs.c.id.not_in(skip))
    taken: dict[int, int] = {}
    for job_id, payload in (await session.execute(statement)).all():
        note_id = parse_id((payload or {}).get("note_id"))
        if note_id is not None:
            taken[int(job_id)] = note_id
    return taken


async def index_batch(session: AsyncSession, runtime: Runtime, note_ids: Iterable[int]) -> int:
    """Index (or delete) these notes now in one commit; how many were indexed."""
    upserts, deletes = await load_documents(session, note_ids)
    await backend_for(runtime).apply(upserts, deletes)
    return len(upserts)


@job_handler(INDEX)
async def index_note(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    note_id = parse_id(payload.get("note_id"))
    if note_id is None:
        return
    runtime = ctx.runtime
    if not backend_for(runtime).can_write():
        await enqueue(session, INDEX, {"note_id": note_id}, delay=HANDOFF_SECONDS)
        return
    wait = float(_setting(runtime, "search_index_batch_wait_seconds", BATCH_WAIT_SECONDS))
    if wait > 0:
        await asyncio.sleep(wait)
    indexer = _indexer(runtime)
    batch = int(_setting(runtime, "search_index_batch", BATCH))
    async with indexer.lock:
        taken = await _take_queued(session, ctx.job_id, indexer.taken(), batch - 1)
        await index_batch(session, runtime, [note_id, *taken.values()])
        if taken:
            await session.execute(
                update(jobs)
                .where(jobs.c.id.in_(list(taken)), jobs.c.state == QUEUED)
                .values(state=DONE, finished_at=utcnow(), locked_until=None)
            )
            until = time.monotonic() + INFLIGHT_SECONDS
            indexer.inflight.update(dict.fromkeys(taken, until))

            async def settled() -> None:
                for job_id in taken:
                    indexer.inflight.pop(job_id, None)

            on_commit(session, settled)
    interval = float(
        _setting(runtime, "search_counters_refresh_seconds", COUNTERS_INTERVAL_SECONDS)
    )
    await schedule_counter_refresh(session, interval)


# --- counters --------------------------------------------------------------------------------


async def _last_refresh(session: AsyncSession, own_job: int) -> datetime | None:
    return await session.scalar(  # type: ignore[no-any-return]
        select(func.max(jobs.c.run_at)).where(
            jobs.c.kind == REFRESH_COUNTERS, jobs.c.state == DONE, jobs.c.id != own_job
        )
    )


async def refresh_counters_since(session: AsyncSession, runtime: Runtime, since: datetime) -> int:
    """Send the counts of searchable notes whose row changed since `since` (a like, a collect
    or a comment bumps `updated_at`) to the backend; how many rows were sent."""
    backend = backend_for(runtime)
    sent, after = 0, 0
    while True:
        rows = (
            await session.execute(
                select(Note.id, Note.like_count, Note.collect_count, Note.comment_count)
                .where(searchable_sql(), Note.updated_at >= since, Note.id > after)
                .order_by(Note.id)
                .limit(COUNTERS_CHUNK)
            )
        ).all()
        if not rows:
            return sent
        await backend.update_counters([(r[0], r[1], r[2], r[3]) for r in rows])
        sent += len(rows)
        after = rows[-1][0]


@job_handler(REFRESH_COUNTERS)
async def refresh_counters(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    runtime = ctx.runtime
    if not backend_for(runtime).can_write():
        await enqueue(session, REFRESH_COUNTERS, {}, delay=HANDOFF_SECONDS)
        return
    last = await _last_refresh(session, ctx.job_id)
    if last is not None:
        since = last - timedelta(seconds=COUNTERS_OVERLAP_SECONDS)
    else:
        since = utcnow() - COUNTERS_FIRST_WINDOW
    sent = await refresh_counters_since(session, runtime, since)
    log.info("search counters refreshed", extra={"notes": sent})
    interval = float(
        _setting(runtime, "search_counters_refresh_seconds", COUNTERS_INTERVAL_SECONDS)
    )
    await schedule_counter_refresh(session, interval)


# --- rebuilding ------------------------------------------------------------------------------


async def rebuild_index(runtime: Runtime, progress: Callable[[int], None]) -> int:
    """Index every searchable note into a fresh index and switch to it (`redleaf reindex`);
    then queue again the notes changed while it ran, which the live index may have taken
    instead. Searches keep answering from the old index until the switch."""
    started = utcnow()
    count = await backend_for(runtime).rebuild(stream_all(runtime.sessions), progress)
    async with runtime.sessions() as session:
        payloads = await session.scalars(
            select(jobs.c.payload).where(
                jobs.c.kind == INDEX, jobs.c.created_at >= started - REPLAY_MARGIN
            )
        )
        ids = [parse_id((payload or {}).get("note_id")) for payload in payloads]
        await schedule_index_many(session, [note_id for note_id in ids if note_id is not None])
        await commit(session)
    return count
