"""Media made the way members make them: uploaded through the API, processed by the real job."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

import redleaf.media.jobs  # noqa: F401  (registers the media job handlers)
from redleaf.kit.jobs.models import Job
from redleaf.kit.jobs.worker import Worker
from redleaf.kit.runtime import Runtime
from tests.media import samples


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    data: bytes | None = None,
    name: str = "photo.jpg",
    content_type: str = "image/jpeg",
) -> httpx.Response:
    payload = samples.jpeg() if data is None else data
    return await client.post(
        "/api/v1/media", files={"file": (name, payload, content_type)}, headers=headers
    )


async def uploaded(
    client: httpx.AsyncClient, headers: dict[str, str], data: bytes | None = None
) -> dict[str, Any]:
    response = await upload(client, headers, data)
    assert response.status_code == 202, response.text
    return response.json()  # type: ignore[no-any-return]


async def process_all(runtime: Runtime) -> int:
    """Run every due job (processing, file deletion, the clean-up) as a worker would."""
    return await Worker(runtime).run_until_idle()


async def ready_media(
    runtime: Runtime, client: httpx.AsyncClient, headers: dict[str, str], data: bytes | None = None
) -> dict[str, Any]:
    """An uploaded and processed media, as GET /api/v1/media/{id} shows it."""
    body = await uploaded(client, headers, data)
    await process_all(runtime)
    response = await client.get(f"/api/v1/media/{body['id']}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def jobs_of(runtime: Runtime, kind: str) -> list[Job]:
    async with runtime.sessions() as session:
        result = await session.execute(select(Job).where(Job.kind == kind).order_by(Job.id))
        return list(result.scalars())
