"""`/healthz`: the process is up. `/readyz`: its database (and Redis, when configured) answer,
and what it loads at start (the language detector, the dictionary) is loaded."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from sqlalchemy import text

from redleaf.kit.responses import ORJSONResponse
from redleaf.kit.runtime import get_runtime

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz() -> ORJSONResponse:
    return ORJSONResponse({"status": "ok"})


async def probe(runtime) -> dict[str, str]:  # type: ignore[no-untyped-def]
    checks: dict[str, str] = {}
    try:
        async with runtime.engine.connect() as connection:
            await asyncio.wait_for(connection.execute(text("SELECT 1")), 3)
        checks["database"] = "ok"
    except Exception as exc:  # a readiness probe reports, it does not raise
        checks["database"] = f"error: {type(exc).__name__}"
    if runtime.redis is not None:
        try:
            await asyncio.wait_for(runtime.redis.ping(), 3)
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
    return checks


@router.get("/readyz")
async def readyz(request: Request) -> ORJSONResponse:
    runtime = get_runtime(request)
    checks = await probe(runtime)
    for name in sorted(runtime.warming):
        checks[name] = "warming up"
    ready = all(value == "ok" for value in checks.values())
    return ORJSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )
