from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from redleaf.kit.db import commit, utcnow
from redleaf.kit.jobs.maintenance import PRUNE_FINISHED
from redleaf.kit.jobs.models import DEAD, DONE, QUEUED, Job
from redleaf.kit.jobs.worker import Worker
from redleaf.kit.runtime import Runtime


async def _kinds(runtime: Runtime) -> list[tuple[str, str]]:
    async with runtime.sessions() as session:
        rows = await session.execute(select(Job.kind, Job.state).order_by(Job.kind))
        return [(kind, state) for kind, state in rows.all()]


async def test_finished_jobs_are_pruned_daily_and_dead_ones_kept(runtime: Runtime) -> None:
    old = utcnow() - timedelta(days=runtime.settings.job_keep_done_days + 1)
    async with runtime.sessions() as session:
        session.add_all(
            [
                Job(kind="old.done", state=DONE, finished_at=old),
                Job(kind="recent.done", state=DONE, finished_at=utcnow()),
                Job(kind="old.dead", state=DEAD, finished_at=old),
                Job(kind="later", state=QUEUED, run_at=utcnow() + timedelta(days=1)),
            ]
        )
        await commit(session)
    # Two real workers start: today's upkeep is queued once, and runs.
    workers = [Worker(runtime, maintenance=True) for _ in range(2)]
    tasks = [asyncio.create_task(w.run()) for w in workers]
    try:
        for _ in range(100):
            kinds = dict(await _kinds(runtime))
            if kinds.get(PRUNE_FINISHED) == DONE:
                break
            await asyncio.sleep(0.05)
    finally:
        for worker in workers:
            await worker.stop()
        await asyncio.gather(*tasks, return_exceptions=True)
    remaining = await _kinds(runtime)
    assert ("old.done", DONE) not in remaining
    assert {("recent.done", DONE), ("old.dead", DEAD), ("later", QUEUED)} <= set(remaining)
    async with runtime.sessions() as session:
        prunes = await session.scalar(select(func.count()).where(Job.kind == PRUNE_FINISHED))
    assert prunes == 1
