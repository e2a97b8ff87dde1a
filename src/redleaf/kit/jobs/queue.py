"""Enqueueing and the SQL of a job's life: claim, lease renewal, done, retry, dead.

A job row is written in the caller's transaction (the transactional outbox): it exists exactly when
the change that needs it was committed. Workers claim due rows in their own short transaction
(`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serialises writers, and the claim is one UPDATE
statement, so it takes the write lock before it reads) and hold a lease; a worker that dies leaves
a lease that expires, and the job is claimed again.
"""

from __future__ import annotations

import random
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

import orjson
from sqlalchemy import Table, and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.dml import Update

from redleaf.kit.db import new_id, on_commit, utcnow
from redleaf.kit.jobs.models import DEAD, DONE, QUEUED, RUNNING, Job

jobs = cast(Table, Job.__table__)

# Stored when the caller gives no max_attempts: the worker's `job_max_attempts` then applies, so
# an operator can change it for jobs already queued.
DEFAULT_MAX_ATTEMPTS = 0
ERROR_MAX_CHARS = 4000


class Wakeable(Protocol):
    def wake(self) -> None: ...


# Workers running in this process; a commit that enqueued work pokes them so the job starts now
# rather than at the next poll. Weak, so a forgotten worker does not live for ever.
_local_workers: weakref.WeakSet[Any] = weakref.WeakSet()


def add_local_worker(worker: Wakeable) -> None:
    _local_workers.add(worker)


def remove_local_worker(worker: Wakeable) -> None:
    _local_workers.discard(worker)


async def _wake_local_workers() -> None:
    for worker in list(_local_workers):
        worker.wake()


def _json_payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    if payload is None:
        return {}
    if not isinstance(payload, dict):
        raise TypeError(f"job payload must be a dict, not {type(payload).__name__}")
    try:
        # Round-trip so the stored value is plain JSON (datetimes become ISO strings) and the
        # handler sees exactly what a worker in another process would see.
        loaded: dict[str, Any] = orjson.loads(orjson.dumps(payload))
    except orjson.JSONEncodeError as exc:  # a TypeError subclass
        raise TypeError(f"job payload is not JSON-serialisable: {exc}") from exc
    return loaded


async def enqueue(
    session: AsyncSession,
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    delay: float = 0,
    run_at: datetime | None = None,
    priority: int = 0,
    idempotency_key: str | None = None,
    max_attempts: int | None = None,
) -> int | None:
    """Add a job in the caller's transaction; return its id, or None when (kind, key) exists."""
    if max_attempts is not None and max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    now = utcnow()
    values = {
        "id": new_id(),
        "kind": kind,
        "payload": _json_payload(payload),
        "state": QUEUED,
        "priority": priority,
        "run_at": run_at if run_at is not None else now + timedelta(seconds=delay),
        "attempts": 0,
        "max_attempts": max_attempts if max_attempts is not None else DEFAULT_MAX_ATTEMPTS,
        "idempotency_key": idempotency_key,
        "created_at": now,
    }
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(jobs).values(values)
    elif dialect == "sqlite":
        stmt = sqlite.insert(jobs).values(values)
    else:
        raise NotImplementedError(f"job queue does not support {dialect}")
    if idempotency_key is not None:
        stmt = stmt.on_conflict_do_nothing()
    job_id = (await session.execute(stmt.returning(jobs.c.id))).scalar_one_or_none()
    if job_id is None:
        return None
    # Registered once per transaction; `kit.db.commit` runs it only if the commit succeeds.
    if _wake_local_workers not in session.info.get("after_commit", ()):
        on_commit(session, _wake_local_workers)
    return int(job_id)


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    id: int
    kind: str
    payload: dict[str, Any]
    priority: int
    run_at: datetime
    attempts: int  # already counting this run
    max_attempts: int  # 0: the worker's default


async def claim(
    sessions: async_sessionmaker[AsyncSession], worker_id: str, limit: int, lease_seconds: float
) -> list[ClaimedJob]:
    """Lease up to `limit` due jobs to `worker_id` in one short transaction."""
    if limit < 1:
        return []
    now = utcnow()
    due = or_(
        and_(jobs.c.state == QUEUED, jobs.c.run_at <= now),
        and_(jobs.c.state == RUNNING, jobs.c.locked_until < now),  # its worker died
    )
    # A CTE, because PostgreSQL always materialises one with FOR UPDATE: a plain IN-subquery
    # may be re-evaluated by the planner and lock more rows than `limit`.
    picked = (
        select(jobs.c.id)
        .where(due)
        .order_by(jobs.c.priority.desc(), jobs.c.run_at, jobs.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # ignored on SQLite, whose writers take turns
        .cte("picked")
    )
    stmt = (
        update(jobs)
        .where(jobs.c.id.in_(select(picked.c.id)))
        .values(
            state=RUNNING,
            locked_by=worker_id,
            locked_until=now + timedelta(seconds=lease_seconds),
            attempts=jobs.c.attempts + 1,
        )
        .returning(
            jobs.c.id,
            jobs.c.kind,
            jobs.c.payload,
            jobs.c.priority,
            jobs.c.run_at,
            jobs.c.attempts,
            jobs.c.max_attempts,
        )
    )
    async with sessions() as session:
        rows = (await session.execute(stmt)).all()
        await session.commit()
    claimed = [ClaimedJob(*row) for row in rows]
    # RETURNING has no order; run the most urgent first.
    claimed.sort(key=lambda job: (-job.priority, job.run_at, job.id))
    return claimed


def _owned(job_id: int, worker_id: str) -> Update:
    # Every change a worker makes is conditional on still holding the lease: a worker whose lease
    # expired and was taken over must not overwrite the new owner's state.
    return update(jobs).where(
        jobs.c.id == job_id, jobs.c.locked_by == worker_id, jobs.c.state == RUNNING
    )


def mark_done(job_id: int, worker_id: str) -> Update:
    """The statement that completes a job; run it in the handler's own transaction."""
    return _owned(job_id, worker_id).values(state=DONE, finished_at=utcnow(), locked_until=None)


async def renew_lease(
    sessions: async_sessionmaker[AsyncSession], job_id: int, worker_id: str, lease_seconds: float
) -> bool:
    until = utcnow() + timedelta(seconds=lease_seconds)
    async with sessions() as session:
        result = await session.execute(_owned(job_id, worker_id).values(locked_until=until))
        await session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def backoff_seconds(attempts: int, base: float, cap: float, jitter: float | None = None) -> float:
    """base·2^(attempts-1), capped, times a jitter in 0.8..1.2 so failed jobs do not retry in
    lockstep."""
    factor = jitter if jitter is not None else random.uniform(0.8, 1.2)
    return min(base * 2 ** max(attempts - 1, 0), cap) * factor


async def settle_failure(
    sessions: async_sessionmaker[AsyncSession],
    job_id: int,
    worker_id: str,
    error: str,
    *,
    retry_in: float | None,
) -> bool:
    """Queue the job again after `retry_in` seconds, or make it dead when `retry_in` is None."""
    now = utcnow()
    error = error[-ERROR_MAX_CHARS:]  # the tail of a traceback says where it failed
    if retry_in is None:
        values: dict[str, Any] = {
            "state": DEAD,
            "last_error": error,
            "finished_at": now,
            "locked_until": None,
        }
    else:
        values = {
            "state": QUEUED,
            "last_error": error,
            "run_at": now + timedelta(seconds=retry_in),
            "locked_by": None,
            "locked_until": None,
        }
    async with sessions() as session:
        result = await session.execute(_owned(job_id, worker_id).values(**values))
        await session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def release(sessions: async_sessionmaker[AsyncSession], job_id: int, worker_id: str) -> None:
    """Hand a job back at once (a worker stopping mid-job) instead of waiting for its lease.

    The interrupted run is not counted: the operator stopped it, the job did not fail."""
    async with sessions() as session:
        await session.execute(
            _owned(job_id, worker_id).values(
                state=QUEUED,
                run_at=utcnow(),
                locked_by=None,
                locked_until=None,
                attempts=jobs.c.attempts - 1,
            )
        )
        await session.commit()
