"""Background work of notes: publishing when media settle, and pruning old view rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.kit.db import utcnow
from redleaf.kit.jobs.queue import enqueue
from redleaf.kit.jobs.registry import JobContext, job_handler
from redleaf.notes import repository
from redleaf.notes.access import parse_id
from redleaf.notes.service import do_settle_media

MEDIA_SETTLED = "notes.media_settled"  # enqueued by the media pipeline
PRUNE_VIEWS = "notes.prune_views"


@job_handler(MEDIA_SETTLED)
async def media_settled(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    note_id = parse_id(payload.get("note_id"))
    if note_id is not None:
        await do_settle_media(session, ctx.runtime, note_id)


async def schedule_view_pruning(session: AsyncSession) -> None:
    """Once a day (the first view of a day enqueues it; later ones are no-ops)."""
    await enqueue(session, PRUNE_VIEWS, {}, idempotency_key=utcnow().date().isoformat())


@job_handler(PRUNE_VIEWS)
async def prune_views(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    # Yesterday's rows still de-duplicate views across midnight for late readers; older ones
    # serve nothing.
    cutoff = (utcnow() - timedelta(days=1)).date().isoformat()
    await repository.prune_views(session, cutoff)
