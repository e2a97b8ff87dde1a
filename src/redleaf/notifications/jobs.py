"""Background work of notifications: the daily prune that keeps grouping cheap.

Grouping reads all of a member's notifications, so their number is bounded by age: rows older
than `NOTIFICATIONS_KEEP_DAYS` go, read or not (nobody acts on a three-month-old like).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.kit.db import utcnow
from redleaf.kit.jobs.queue import enqueue
from redleaf.kit.jobs.registry import JobContext, job_handler
from redleaf.notifications import repository

PRUNE = "notifications.prune"


async def schedule_prune(session: AsyncSession, day: str) -> None:
    """Queue the prune of `day` once: the date is the idempotency key."""
    await enqueue(session, PRUNE, {}, idempotency_key=day)


@job_handler(PRUNE)
async def prune(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    keep = timedelta(days=ctx.runtime.settings.notifications_keep_days)
    await repository.prune_before(session, utcnow() - keep)
