"""The job table's own upkeep: finished jobs are pruned once a day.

Workers started for real (`redleaf worker`, the in-process worker of `redleaf serve`) schedule
the prune at most once a day: the day's date is its idempotency key, so however many processes
try, one job runs. Dead jobs are kept: they wait for an operator.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.kit.db import commit, utcnow
from redleaf.kit.jobs.models import DONE, Job
from redleaf.kit.jobs.queue import enqueue
from redleaf.kit.jobs.registry import JobContext, job_handler
from redleaf.kit.runtime import Runtime

PRUNE_FINISHED = "jobs.prune_finished"


async def schedule_daily(runtime: Runtime) -> None:
    async with runtime.sessions() as session:
        await enqueue(session, PRUNE_FINISHED, {}, idempotency_key=utcnow().date().isoformat())
        await commit(session)


@job_handler(PRUNE_FINISHED)
async def prune_finished(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    keep = timedelta(days=ctx.runtime.settings.job_keep_done_days)
    await session.execute(delete(Job).where(Job.state == DONE, Job.finished_at < utcnow() - keep))
