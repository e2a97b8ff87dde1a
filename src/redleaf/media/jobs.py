"""Background work of media: processing an upload, deleting files, the daily clean-up."""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.kit.cpu import BoundedPool
from redleaf.kit.db import commit, utcnow
from redleaf.kit.jobs.queue import enqueue
from redleaf.kit.jobs.registry import JobContext, job_handler
from redleaf.kit.runtime import Runtime
from redleaf.media import repository, service
from redleaf.media.errors import PROCESSING_FAILED
from redleaf.media.process import Outcome, output_keys, process_upload, remove_keys, token_of
from redleaf.media.storage import rendition_prefix, storage_for

log = logging.getLogger(__name__)

SWEEP_BATCH = 200
# A media still processing this long after its job took it lost that job (its worker kept dying,
# say on a video that exhausts memory), and one never taken this long after its upload had its
# job dead-lettered: it fails, and its note hears of it.
STUCK_PROCESSING = timedelta(hours=6)
STUCK_UPLOADED = timedelta(hours=24)
STAGING_MAX_AGE_SECONDS = 24 * 3600.0  # half-written temporary files of dead processes
_POOL = "media_pool"


def media_pool(runtime: Runtime) -> BoundedPool:
    """The process's threads for processing: CPU work stays off the event loop, and at most
    `media_thread_count` photos or videos are processed at once."""
    pool = runtime.extras.get(_POOL)
    if not isinstance(pool, BoundedPool):
        pool = BoundedPool(runtime.settings.media_thread_count, queue_max=10_000, name="media")
        runtime.extras[_POOL] = pool
    return pool


def _media_id(payload: dict[str, Any]) -> int | None:
    raw = str(payload.get("media_id", ""))
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 19 else None


@job_handler(service.PROCESS)
async def process(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    """uploaded → processing → ready | failed. Safe to run again: a settled media is left
    alone, and a run cut short rewrites the same files."""
    media_id = _media_id(payload)
    if media_id is None:
        return
    runtime = ctx.runtime
    settings, storage = runtime.settings, storage_for(runtime.settings)
    # "processing" is committed at once (clients poll for it) in a short transaction of its
    # own: no database lock or connection is held while the file is worked on.
    async with runtime.sessions() as short:
        media = await repository.get(short, media_id)
        if media is None or media.state not in repository.UNSETTLED or not media.original_key:
            return
        kind, fmt, original = media.kind, media.format or "", media.original_key
        await repository.mark_processing(short, media_id)
        await commit(short)
    stop = threading.Event()
    work = functools.partial(
        process_upload, storage, settings, kind=kind, fmt=fmt, original_key=original, stop=stop
    )
    try:
        outcome = await media_pool(runtime).run(work)
    except asyncio.CancelledError:
        stop.set()  # the worker is stopping: end the thread's transcode too, not just our wait
        raise
    except Exception:
        if ctx.attempt < service.PROCESS_ATTEMPTS:
            raise  # retried with back-off
        log.exception("media %s: processing failed on its last attempt", media_id)
        prefix = rendition_prefix(token_of(original))
        await asyncio.to_thread(remove_keys, storage, output_keys(prefix, settings))
        outcome = Outcome.failed(PROCESSING_FAILED)
    await service.do_settle(session, media_id, original, outcome)


@job_handler(service.DELETE_FILES)
async def delete_files(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    settings = ctx.runtime.settings
    keys = [str(key) for key in payload.get("keys") or []]
    for prefix in payload.get("prefixes") or []:
        keys += output_keys(str(prefix), settings)
    await asyncio.to_thread(remove_keys, storage_for(settings), keys)


@job_handler(service.SWEEP)
async def sweep(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    """Once a day: fail media stuck in processing, delete uploads no note took within
    `media_unattached_hours`, and files nothing refers to."""
    settings = ctx.runtime.settings
    storage = storage_for(settings)
    now = utcnow()
    stuck = await repository.stuck(
        session, now - STUCK_PROCESSING, now - STUCK_UPLOADED, SWEEP_BATCH
    )
    for media in stuck:
        original = media.original_key or ""
        await service.do_settle(session, media.id, original, Outcome.failed(PROCESSING_FAILED))
    keep = timedelta(hours=settings.media_unattached_hours)
    unattached = await repository.unattached_before(session, now - keep, SWEEP_BATCH)
    await service.do_discard(session, unattached)
    # An upload whose transaction failed after its file was kept leaves an original no row
    # names; dead processes leave temporary files.
    await asyncio.to_thread(storage.sweep_staging, STAGING_MAX_AGE_SECONDS)
    stale = await asyncio.to_thread(storage.stale_keys, "uploads", keep.total_seconds())
    orphans: list[str] = []
    for start in range(0, len(stale), 500):
        batch = stale[start : start + 500]
        referenced = await repository.referenced_originals(session, batch)
        orphans += [key for key in batch if key not in referenced]
    await asyncio.to_thread(remove_keys, storage, orphans)
    if len(stuck) == SWEEP_BATCH or len(unattached) == SWEEP_BATCH:
        await enqueue(session, service.SWEEP, {}, idempotency_key=f"more:{ctx.job_id}")
