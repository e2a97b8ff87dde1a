"""Routes of media: upload (POST /api/v1/media), state (GET /api/v1/media/{id}) and the files
themselves (GET /media/{key}, with HTTP Range for video seeking)."""

from __future__ import annotations

import asyncio
import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.auth import require_viewer, viewer
from redleaf.accounts.limits import write_limit
from redleaf.accounts.models import Account
from redleaf.kit.db import commit
from redleaf.kit.errors import NotFound
from redleaf.kit.ratelimit import enforce
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.media import access, service
from redleaf.media.schemas import MediaOut
from redleaf.media.storage import storage_for
from redleaf.media.upload import receive_upload

router = APIRouter(route_class=UnitOfWorkRoute, tags=["media"])

UPLOAD_PATH = "/api/v1/media"
# Only renditions are served: m/<shard>/<token>/<name>.<ext>. Originals (under uploads/) never.
_SERVABLE = re.compile(r"^m/[A-Za-z0-9_-]{2}/[A-Za-z0-9_-]{16,64}/[a-z0-9]{1,16}\.(webp|jpg|mp4)$")
_TYPES = {"webp": "image/webp", "jpg": "image/jpeg", "mp4": "video/mp4"}
# The key changes whenever the content would: cache for a year, never revalidate.
_CACHE = "public, max-age=31536000, immutable"


async def upload_limit(request: Request, account: Account = Depends(require_viewer)) -> None:
    settings = get_runtime(request).settings
    await enforce(request, "upload-account", settings.rate_upload_per_account, str(account.id))


@router.post(
    UPLOAD_PATH,
    status_code=202,
    response_model=MediaOut,
    dependencies=[Depends(write_limit), Depends(upload_limit)],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                }
            },
        }
    },
)
async def upload(
    request: Request,
    account: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, object]:
    """Accepted at once (202); processing runs as a job. Poll GET /api/v1/media/{id}."""
    runtime = get_runtime(request)
    # A slow phone may take minutes to send a video: end the sign-in's transaction first, so
    # no database connection (nor SQLite's write lock, if it touched the token) is held.
    await commit(session)
    storage = storage_for(runtime.settings)
    staged = await receive_upload(request, storage, runtime.settings)
    try:
        media = await service.do_upload(session, runtime, account, staged)
    finally:
        await asyncio.to_thread(staged.path.unlink, missing_ok=True)  # moved away on success
    return service.media_out(media, runtime.settings)


@router.get("/api/v1/media/{media_id}", response_model=MediaOut)
async def get_media(
    media_id: str,
    request: Request,
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, object]:
    media = await access.load_media(session, me, media_id)
    return service.media_out(media, get_runtime(request).settings)


@router.api_route("/media/{key:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def serve(key: str, request: Request) -> FileResponse:
    match = _SERVABLE.match(key)
    path = storage_for(get_runtime(request).settings).serve_path(key) if match else None
    if match is None or path is None:
        raise NotFound()
    return FileResponse(path, media_type=_TYPES[match.group(1)], headers={"Cache-Control": _CACHE})
