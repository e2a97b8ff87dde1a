"""Database engine, the ORM base, and the unit of work.

One request or one job is one transaction. Services and repositories only flush; the edge
(`UnitOfWorkRoute`, the job runner, a CLI command) calls `commit()`, which runs the callbacks that
were registered with `on_commit()` only after the commit succeeded and drops them on rollback.
That is how events and job wake-ups never escape a transaction that did not happen.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, MetaData, event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)

AfterCommit = Callable[[], Awaitable[None]]

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both SQLite (which stores naive text) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), int: BigInteger()}


def utcnow() -> datetime:
    return datetime.now(UTC)


class _IdGenerator:
    """64-bit, time-ordered ids: milliseconds since 2025-01-01 (41 bits) then 22 random-ish bits.

    Ordered ids make cursors and indexes cheap; the per-process random start plus a counter keeps
    several processes from colliding within one millisecond (1 in 4 million per pair).
    """

    EPOCH_MS = 1_735_689_600_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ms = 0
        self._sequence = 0
        self._pid = os.getpid()

    def __call__(self) -> int:
        with self._lock:
            now_ms = int(time.time() * 1000) - self.EPOCH_MS
            if os.getpid() != self._pid or now_ms != self._last_ms:
                self._pid = os.getpid()
                self._last_ms = max(now_ms, self._last_ms)
                self._sequence = secrets.randbits(22)
            else:
                self._sequence = (self._sequence + 1) & ((1 << 22) - 1)
            return (self._last_ms << 22) | self._sequence


new_id = _IdGenerator()


def make_engine(
    database_url: str,
    *,
    pool_size: int = 10,
    max_overflow: int = 20,
    pool_timeout: float = 10.0,
    echo: bool = False,
) -> AsyncEngine:
    """A request that gets no connection within `pool_timeout` is answered 503 (web/errors.py)
    rather than left hanging: under overload a fast "come back later" beats a slow timeout."""
    if database_url.startswith("sqlite"):
        engine = create_async_engine(
            database_url,
            echo=echo,
            connect_args={"timeout": 30},
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_timeout=pool_timeout,
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        database_url,
        echo=echo,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=pool_timeout,
        # No pre-ping, a round trip on every checkout (dropping it, with hash threads matched to
        # cores, took the CPU a sign-up spends outside its hash from 7.3 to 3.5 ms in
        # bench/signup.py). A connection that died is found on use; SQLAlchemy then drops the
        # whole pool and web/errors.py answers that one request 503 + Retry-After.
        pool_recycle=1800,
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the one writer; busy_timeout makes a second process wait
    # instead of failing with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def on_commit(session: AsyncSession, callback: AfterCommit) -> None:
    """Run `callback` after this session's transaction commits; forget it on rollback."""
    session.info.setdefault("after_commit", []).append(callback)


async def commit(session: AsyncSession) -> None:
    await session.commit()
    callbacks: list[AfterCommit] = session.info.pop("after_commit", [])
    for callback in callbacks:
        # The data is committed: a failed side effect (Redis down) is logged, never turned into
        # an error for a change that did happen. Durable work goes through the job table.
        try:
            await callback()
        except Exception:
            log.exception("after-commit callback failed")


async def rollback(session: AsyncSession) -> None:
    session.info.pop("after_commit", None)
    await session.rollback()
