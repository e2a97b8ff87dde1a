"""SQLite's connection as the app uses it: SELECTs on the event loop, everything else on
aiosqlite's thread, COMMIT and ROLLBACK only when a write opened a transaction (kit/db.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from redleaf.kit.db import InlineReadConnection, make_engine


@pytest.fixture
async def engine(database_url: str, is_postgres: bool) -> AsyncIterator[AsyncEngine]:
    if is_postgres:
        pytest.skip("SQLite's connection only")
    made = make_engine(database_url, pool_size=2, max_overflow=0)
    async with made.begin() as connection:
        await connection.execute(text("DROP TABLE IF EXISTS inline_reads"))
        await connection.execute(text("CREATE TABLE inline_reads (id INTEGER PRIMARY KEY, v TEXT)"))
    try:
        yield made
    finally:
        async with made.begin() as connection:
            await connection.execute(text("DROP TABLE IF EXISTS inline_reads"))
        await made.dispose()


async def _driver(connection: object) -> InlineReadConnection:
    raw = await connection.get_raw_connection()  # type: ignore[attr-defined]
    driver = raw.driver_connection
    assert isinstance(driver, InlineReadConnection)
    return driver


async def test_reads_open_no_transaction_and_writes_commit(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        driver = await _driver(connection)
        count = await connection.scalar(text("SELECT count(*) FROM inline_reads"))
        assert count == 0
        assert not driver.in_transaction  # a read left nothing to commit or roll back
        await connection.execute(text("INSERT INTO inline_reads (v) VALUES ('a'), ('b')"))
        assert driver.in_transaction
        await connection.commit()
        assert not driver.in_transaction
    async with engine.connect() as connection:
        rows = (await connection.execute(text("SELECT v FROM inline_reads ORDER BY id"))).all()
        assert [row.v for row in rows] == ["a", "b"]


async def test_rollback_undoes_a_write(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("INSERT INTO inline_reads (v) VALUES ('gone')"))
        # Read inside the write's transaction: it sees its own row.
        assert await connection.scalar(text("SELECT count(*) FROM inline_reads")) == 1
        await connection.rollback()
        assert await connection.scalar(text("SELECT count(*) FROM inline_reads")) == 0


async def test_returning_and_executemany_go_through_the_thread(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        returned = await connection.execute(
            text("INSERT INTO inline_reads (v) VALUES ('r') RETURNING id, v")
        )
        row = returned.one()
        assert row.v == "r" and row.id > 0
        await connection.execute(
            text("INSERT INTO inline_reads (v) VALUES (:v)"), [{"v": "m1"}, {"v": "m2"}]
        )
    async with engine.connect() as connection:
        rows = (await connection.execute(text("SELECT v FROM inline_reads ORDER BY id"))).all()
        assert [row.v for row in rows] == ["r", "m1", "m2"]


async def test_a_reader_is_not_held_up_by_an_open_write(engine: AsyncEngine) -> None:
    """WAL: a SELECT never waits for the writer, which is why it may run on the event loop."""
    async with engine.connect() as writer, engine.connect() as reader:
        await writer.execute(text("INSERT INTO inline_reads (v) VALUES ('pending')"))
        seen = await asyncio.wait_for(
            reader.scalar(text("SELECT count(*) FROM inline_reads")), timeout=5
        )
        assert seen == 0  # the uncommitted row is not visible
        await writer.commit()
        assert await reader.scalar(text("SELECT count(*) FROM inline_reads")) == 1


async def test_rows_come_in_pieces_when_streamed(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO inline_reads (v) VALUES (:v)"), [{"v": str(i)} for i in range(10)]
        )
    async with engine.connect() as connection:
        result = await connection.stream(text("SELECT v FROM inline_reads ORDER BY id"))
        seen = [row.v async for row in result]
        assert seen == [str(i) for i in range(10)]
