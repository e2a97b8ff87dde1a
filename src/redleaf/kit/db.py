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
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from functools import partial
from typing import Any

import aiosqlite
import orjson
from sqlalchemy import BigInteger, DateTime, Insert, MetaData, event
from sqlalchemy.dialects import postgresql, sqlite
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
    rather than left hanging: under overload a fast "come back later" beats a slow timeout.

    JSON columns are read with orjson (a 20-note Explore page reads 40 of them; the standard
    library's parser took 0.1 ms of it); they are still written by the standard one."""
    if database_url.startswith("sqlite"):
        engine = create_async_engine(
            database_url,
            echo=echo,
            json_deserializer=orjson.loads,
            # Reads run on the event loop, writes and commits on aiosqlite's thread: see
            # InlineReadConnection and docs/adr/0002-sqlite-reads-on-the-event-loop.md.
            connect_args={"timeout": 30, "async_creator_fn": _inline_read_connect},
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_timeout=pool_timeout,
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        database_url,
        echo=echo,
        json_deserializer=orjson.loads,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=pool_timeout,
        # No pre-ping, a round trip on every checkout (dropping it, with hash threads matched to
        # cores, took the CPU a sign-up spends outside its hash from 7.3 to 3.5 ms in
        # bench/signup.py). A connection that died is found on use; SQLAlchemy then drops the
        # whole pool and web/errors.py answers that one request 503 + Retry-After.
        pool_recycle=1800,
    )


# --- SQLite: reads on the event loop --------------------------------------------------------------


def _is_read(sql: str) -> bool:
    return sql.lstrip()[:6].upper() == "SELECT"


class _InlineReadCursor:
    """An aiosqlite-shaped cursor whose SELECTs run right here on the event loop.

    aiosqlite sends every call to the connection's own thread: four round trips per query
    (cursor, execute, fetchall, close), each a thread wake-up and a GIL handover that cost more
    than the query itself (0.8 ms of CPU per ORM select against 0.3 ms without them, measured in
    bench/read_paths.py's corpus). A SELECT in WAL mode never waits for a lock, so it runs inline.
    Anything else (INSERT, UPDATE, DELETE, DDL, PRAGMA, a CTE) may wait for the write lock
    (`busy_timeout`) and still goes to the thread, in one trip that also fetches its rows.
    """

    __slots__ = ("_conn", "_cursor", "_rows", "arraysize")

    def __init__(self, conn: InlineReadConnection, cursor: sqlite3.Cursor) -> None:
        self._conn = conn
        self._cursor = cursor
        self._rows: list[Any] | None = None
        self.arraysize = 1

    async def __aenter__(self) -> _InlineReadCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    def _run(self, sql: str, parameters: Any) -> None:
        self._cursor.execute(sql, parameters)
        self._rows = self._cursor.fetchall() if self._cursor.description else None

    async def execute(self, sql: str, parameters: Any = None) -> _InlineReadCursor:
        self._rows = None
        await self._conn.run(_is_read(sql), self._run, sql, parameters or ())
        return self

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> _InlineReadCursor:
        self._rows = None
        await self._conn.run(False, self._cursor.executemany, sql, parameters)
        return self

    def _take(self, size: int | None) -> list[Any]:
        if self._rows is None:  # nothing fetched yet: a statement without rows
            return self._cursor.fetchall() if size is None else self._cursor.fetchmany(size)
        if size is None:
            rows, self._rows = self._rows, []
            return rows
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    async def fetchall(self) -> list[Any]:
        return self._take(None)

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._take(size or self.arraysize)

    async def fetchone(self) -> Any:
        rows = self._take(1)
        return rows[0] if rows else None

    async def close(self) -> None:
        self._rows = None
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid


class InlineReadConnection(aiosqlite.Connection):
    """aiosqlite's connection with `_InlineReadCursor`s, and COMMIT/ROLLBACK skipped when no
    transaction is open (sqlite3 opens one only before a write, so a read-only request costs
    no trip to the thread at all). A lock keeps the loop and the thread off the connection at
    the same time; if the thread holds it (a cancelled call still running), the read queues
    behind it in the thread instead of waiting here."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._busy = threading.Lock()

    def _locked(self, function: Callable[..., Any], *args: Any) -> Any:
        with self._busy:
            return function(*args)

    async def run(self, inline: bool, function: Callable[..., Any], *args: Any) -> Any:
        if inline and self._busy.acquire(blocking=False):
            try:
                return function(*args)
            finally:
                self._busy.release()
        return await self._execute(self._locked, function, *args)

    def cursor(self) -> _InlineReadCursor:  # type: ignore[override]
        return _InlineReadCursor(self, self._conn.cursor())

    async def commit(self) -> None:
        if self._conn.in_transaction:
            await self.run(False, self._conn.commit)

    async def rollback(self) -> None:
        if self._conn.in_transaction:
            await self.run(False, self._conn.rollback)


def _inline_read_connect(database: str, **kwargs: Any) -> InlineReadConnection:
    # The loop thread and aiosqlite's thread share the connection (never at once: see above).
    kwargs["check_same_thread"] = False
    connection = InlineReadConnection(partial(sqlite3.connect, database, **kwargs))
    connection._thread.daemon = True  # as SQLAlchemy does for aiosqlite's own connections
    return connection


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


def insert_ignore(session: AsyncSession, table: Any, **values: object) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING in the session's dialect. Add `.returning(...)` to learn
    whether the row was new: the race-free way to make "like once" and its counter agree."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).values(**values).on_conflict_do_nothing()  # type: ignore[no-any-return]
