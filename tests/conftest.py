"""Shared fixtures: a real database (SQLite, or PostgreSQL when REDLEAF_TEST_DATABASE_URL is set),
real Redis when REDLEAF_TEST_REDIS_URL is set, and the app driven through httpx.

The test database is created once per run under a unique name, migrated with Alembic, and dropped
at the end; every test starts from empty tables and a fresh Redis key prefix.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.engine import make_url

from redleaf.app import create_app
from redleaf.kit.db import make_engine
from redleaf.kit.migrate import upgrade
from redleaf.kit.runtime import Runtime
from redleaf.models import metadata
from redleaf.settings import Settings
from tests.live_server import SHARED_CACHE

PG_ADMIN_URL = os.environ.get("REDLEAF_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("REDLEAF_TEST_REDIS_URL")


def _pg_admin(url: str, statement: str) -> None:
    async def run() -> None:
        engine = make_engine(url)
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text(statement))
        await engine.dispose()

    asyncio.run(run())


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if PG_ADMIN_URL:
        name = f"redleaf_test_{os.getpid()}_{secrets.token_hex(3)}"
        url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        _pg_admin(PG_ADMIN_URL, f'CREATE DATABASE "{name}"')
        try:
            upgrade(url)
            yield url
        finally:
            _pg_admin(PG_ADMIN_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path_factory.mktemp("db") / "redleaf-test.db"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        var_dir=tmp_path / "var",
        cache_dir=SHARED_CACHE,
        redis_url=REDIS_URL,
        redis_prefix=f"redleaf_test_{uuid.uuid4().hex[:10]}:",
        secret_key="test-secret-key",
        inprocess_worker=False,
        log_format="text",
        job_poll_seconds=0.05,
    )


async def _empty_tables(runtime: Runtime) -> None:
    async with runtime.engine.begin() as connection:
        if runtime.settings.is_sqlite:
            for table in reversed(metadata.sorted_tables):
                await connection.execute(table.delete())
        else:
            names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            await connection.execute(text(f"TRUNCATE {names} CASCADE"))
    if runtime.redis is not None:
        keys = [
            key async for key in runtime.redis.scan_iter(match=runtime.settings.redis_prefix + "*")
        ]
        if keys:
            await runtime.redis.delete(*keys)


@contextlib.asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        try:
            yield application
        finally:
            await _empty_tables(application.state.runtime)


def http_client(application: FastAPI, ip: str = "203.0.113.10") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=application, client=(ip, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    async with running_app(settings) as application:
        yield application


@pytest.fixture
def app_with(settings: Settings):  # type: ignore[no-untyped-def]
    """`async with app_with(surge_signup_rate="2/second") as (app, client):` for tuned settings."""

    @contextlib.asynccontextmanager
    async def make(**overrides: object) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
        tuned = settings.model_copy(update={k: _coerce(k, v) for k, v in overrides.items()})
        async with running_app(tuned) as application, http_client(application) as http:
            yield application, http

    return make


def _coerce(name: str, value: object) -> object:
    from redleaf.kit.rates import Rate

    is_rate = Settings.model_fields[name].annotation is Rate
    return Rate.parse(value) if is_rate and isinstance(value, str) else value


@pytest.fixture
def runtime(app: FastAPI) -> Runtime:
    return app.state.runtime  # type: ignore[no-any-return]


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with http_client(app) as http:
        yield http
