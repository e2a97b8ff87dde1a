"""API shapes of media (responses only: an upload is a multipart body, read by media/upload.py)."""

from __future__ import annotations

from pydantic import BaseModel


class MediaError(BaseModel):
    code: str
    message: str


class MediaOut(BaseModel):
    id: str
    kind: str  # "image" | "video"
    state: str  # "processing" | "ready" | "failed" (a stored "uploaded" reads as processing)
    error: MediaError | None
    width: int | None
    height: int | None
    color: str | None  # "#rrggbb", the placeholder while the picture loads
    duration_ms: int | None
    # "360", "720", "1080" (photo, or a video's poster), "poster" and "video" for a video
    urls: dict[str, str]
