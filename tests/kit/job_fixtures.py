"""Job handlers for tests/kit/test_jobs.py and the worker processes it starts.

Worker processes import this as `tests.kit.job_fixtures` (REDLEAF_JOB_MODULES); the test module
imports it relatively, so each process registers these kinds once.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.kit.jobs.models import Job
from redleaf.kit.jobs.registry import JobContext, job_handler

# A tiny table made with plain SQL in the test database, so no migration is needed.
CREATE_EFFECTS = (
    "CREATE TABLE job_effects (effect_key VARCHAR(100) NOT NULL, job_id BIGINT NOT NULL,"
    " attempt INTEGER NOT NULL)"
)

# What ran in this process: (kind, job id, attempt).
calls: list[tuple[str, int, int]] = []


async def _insert_effect(session: AsyncSession, key: str, ctx: JobContext) -> None:
    await session.execute(
        text("INSERT INTO job_effects (effect_key, job_id, attempt) VALUES (:k, :j, :a)"),
        {"k": key, "j": ctx.job_id, "a": ctx.attempt},
    )


@job_handler("tests.effect")
async def write_effect(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    """Write the effect in the job's transaction, say so on disk, and on the first attempt hang
    (so a test can kill the worker with the effect written but not committed)."""
    calls.append(("tests.effect", ctx.job_id, ctx.attempt))
    await _insert_effect(session, payload["key"], ctx)
    if marker := payload.get("marker"):
        await asyncio.to_thread(Path(f"{marker}.{ctx.attempt}").write_text, str(ctx.job_id))
    if ctx.attempt == 1 and (seconds := payload.get("first_attempt_sleep")):
        await asyncio.sleep(seconds)
    if payload.get("fail"):
        raise RuntimeError("failed after writing the effect")


@job_handler("tests.record")
async def record(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    calls.append(("tests.record", ctx.job_id, ctx.attempt))
    if seconds := payload.get("sleep"):
        await asyncio.sleep(seconds)


@job_handler("tests.fail")
async def fail(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    calls.append(("tests.fail", ctx.job_id, ctx.attempt))
    raise RuntimeError(payload.get("message", "boom"))


@job_handler("tests.stolen")
async def stolen(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    """Another worker takes the job over mid-run (as after an expired lease): our effect must
    not commit."""
    calls.append(("tests.stolen", ctx.job_id, ctx.attempt))
    async with ctx.runtime.sessions() as other:
        await other.execute(update(Job).where(Job.id == ctx.job_id).values(locked_by="thief"))
        await other.commit()
    await _insert_effect(session, payload["key"], ctx)
