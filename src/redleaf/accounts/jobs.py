"""Background work of accounts."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts import repository
from redleaf.kit.db import utcnow
from redleaf.kit.jobs.queue import enqueue
from redleaf.kit.jobs.registry import JobContext, job_handler

PURGE_EXPIRED_TOKENS = "accounts.purge_expired_tokens"


async def schedule_daily_purge(session: AsyncSession) -> None:
    """Enqueue today's purge once: the first sign-in of a day does it, later ones are no-ops."""
    await enqueue(session, PURGE_EXPIRED_TOKENS, {}, idempotency_key=utcnow().date().isoformat())


@job_handler(PURGE_EXPIRED_TOKENS)
async def purge_expired_tokens(
    session: AsyncSession, payload: dict[str, Any], ctx: JobContext
) -> None:
    await repository.delete_expired_tokens(session, utcnow())
