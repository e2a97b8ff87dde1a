"""One upload through the pipeline, as plain blocking code (the job runs it in a thread; the
benchmark calls it directly): structure check → photo or video path → renditions.

Output keys depend only on the upload's token, so running this again after a crash rewrites
the same files (each write atomic) instead of leaving a second set behind.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from dataclasses import dataclass, field
from typing import Any

from redleaf.media.errors import PROCESSING_FAILED, MediaRefused
from redleaf.media.images import process_image
from redleaf.media.sniff import check_structure
from redleaf.media.storage import Storage, rendition_prefix
from redleaf.media.video import process_video
from redleaf.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    state: str  # "ready" | "failed"
    error_code: str | None = None
    width: int | None = None
    height: int | None = None
    duration_ms: int | None = None
    color: str | None = None
    renditions: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def failed(cls, code: str) -> Outcome:
        return cls(state="failed", error_code=code)

    def keys(self) -> set[str]:
        return {r["key"] for r in self.renditions.values() if r.get("key")}


def token_of(original_key: str) -> str:
    return original_key.rsplit("/", 1)[-1]


def output_keys(prefix: str, settings: Settings) -> list[str]:
    """Every key processing may write under `prefix` (to clean up after a failure or discard
    whatever a half-finished run left)."""
    keys = [f"{prefix}/{label}.{ext}" for label in settings.image_widths for ext in ("webp", "jpg")]
    return [*keys, f"{prefix}/video.mp4"]


def process_upload(
    storage: Storage,
    settings: Settings,
    *,
    kind: str,
    fmt: str,
    original_key: str,
    stop: threading.Event | None = None,
) -> Outcome:
    """Verify and render one upload. Refusals come back as a failed Outcome (nothing left on
    disk but the original); unexpected errors raise, for the job to retry. Setting `stop`
    abandons a video mid-way (`video.Interrupted`)."""
    prefix = rendition_prefix(token_of(original_key))
    try:
        if not storage.exists(original_key):
            raise MediaRefused(PROCESSING_FAILED, "original missing")
        with storage.local_path(original_key) as path:
            check_structure(path, fmt)
            if kind == "image":
                still = process_image(path, fmt, settings, storage, prefix)
                return Outcome(
                    state="ready",
                    width=still.width,
                    height=still.height,
                    color=still.color,
                    renditions=still.renditions,
                )
            threads = max(1, (os.cpu_count() or 1) // settings.media_thread_count)
            result = process_video(path, fmt, settings, storage, prefix, threads=threads, stop=stop)
            renditions = dict(result.still.renditions)
            renditions["poster"] = renditions[str(max(settings.image_widths))]
            renditions["video"] = result.video
            return Outcome(
                state="ready",
                width=result.still.width,
                height=result.still.height,
                duration_ms=result.duration_ms,
                color=result.still.color,
                renditions=renditions,
            )
    except MediaRefused as refused:
        log.info("media refused: %s", refused, extra={"key": original_key})
        remove_keys(storage, output_keys(prefix, settings))
        return Outcome.failed(refused.code)


def remove_keys(storage: Storage, keys: list[str] | set[str]) -> int:
    removed = 0
    for key in keys:
        with contextlib.suppress(ValueError):  # a malformed key names no file of ours
            removed += storage.delete(key)
    return removed
