"""Business rules of media: uploads, their JSON, settling processing results, discarding.

The state machine: uploaded → processing → ready | failed. A failed media keeps a reason code
(media/errors.py makes the sentence). When a media of a note settles, `notes.media_settled` is
queued in the same transaction; the notes feature publishes the note from there.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.db import utcnow
from redleaf.kit.jobs.queue import enqueue
from redleaf.kit.runtime import Runtime
from redleaf.media import repository
from redleaf.media.errors import error_out
from redleaf.media.models import Media
from redleaf.media.process import Outcome, token_of
from redleaf.media.storage import new_token, original_key, rendition_prefix, storage_for
from redleaf.media.upload import StagedUpload
from redleaf.settings import Settings

PROCESS = "media.process"
DELETE_FILES = "media.delete"
SWEEP = "media.sweep"
MEDIA_SETTLED = "notes.media_settled"  # handled by the notes feature
PROCESS_ATTEMPTS = 3  # then the media fails with "processing_failed"


# --- uploads --------------------------------------------------------------------------------------


async def do_upload(
    session: AsyncSession, runtime: Runtime, owner: Account, staged: StagedUpload
) -> Media:
    """Keep the staged file as the media's original and queue its processing."""
    storage = storage_for(runtime.settings)
    key = original_key(new_token())
    await asyncio.to_thread(storage.save_file, key, staged.path)
    media = Media(
        owner_id=owner.id,
        kind=staged.kind,
        state="uploaded",
        format=staged.format,
        original_key=key,
        original_size=staged.size,
    )
    session.add(media)
    await session.flush()
    await enqueue(
        session,
        PROCESS,
        {"media_id": str(media.id)},
        idempotency_key=f"media:{media.id}",
        max_attempts=PROCESS_ATTEMPTS,
    )
    # The first upload of a day queues that day's clean-up; later ones are no-ops.
    await enqueue(session, SWEEP, {}, idempotency_key=utcnow().date().isoformat())
    return media


# --- processing results ---------------------------------------------------------------------------


async def do_settle(session: AsyncSession, media_id: int, original: str, outcome: Outcome) -> bool:
    """Record a processing outcome once; False when the media was discarded or had settled.

    The original goes (after commit, by a job) whatever the outcome, and so does whatever a
    failed run left under the media's prefix; a discarded media's fresh renditions go too."""
    values: dict[str, Any] = {
        "state": outcome.state,
        "error_code": outcome.error_code,
        "original_key": None,
    }
    if outcome.state == "ready":
        values.update(
            width=outcome.width,
            height=outcome.height,
            duration_ms=outcome.duration_ms,
            placeholder_color=outcome.color,
            renditions=outcome.renditions,
        )
    prefix = rendition_prefix(token_of(original)) if original else None
    changed, note_id = await repository.settle(session, media_id, values)
    if not changed:
        if not await repository.exists_id(session, media_id):
            await _delete_files(
                session,
                [original, *outcome.keys()],
                f"discarded:{media_id}",
                [prefix] if prefix else None,
            )
        return False
    leftovers = [prefix] if prefix and outcome.state == "failed" else None
    await _delete_files(session, [original], f"original:{media_id}", leftovers)
    if note_id is not None:
        await enqueue(
            session,
            MEDIA_SETTLED,
            {"note_id": str(note_id)},
            idempotency_key=f"media-settled:{media_id}",
        )
    return True


async def _delete_files(
    session: AsyncSession,
    keys: list[str],
    idempotency_key: str,
    prefixes: list[str] | None = None,
) -> None:
    """Queue the deletion of files; `prefixes` stand for every key processing may write there."""
    keys = sorted({key for key in keys if key})
    if keys or prefixes:
        payload = {"keys": keys, "prefixes": sorted(set(prefixes or []))}
        await enqueue(session, DELETE_FILES, payload, idempotency_key=idempotency_key)


def stored_files(media: Media) -> tuple[list[str], list[str]]:
    """(keys, prefixes) of every file of a media, including what an unfinished processing run
    may have written."""
    keys = {r["key"] for r in (media.renditions or {}).values() if r.get("key")}
    prefixes = []
    if media.original_key:
        keys.add(media.original_key)
        if media.state in repository.UNSETTLED:
            prefixes.append(rendition_prefix(token_of(media.original_key)))
    return sorted(keys), prefixes


async def do_discard(session: AsyncSession, media_list: list[Media]) -> None:
    """Delete media rows now and their files after commit (by a job, so a crash loses nothing).

    The notes feature calls this when a note is deleted or drops a photo."""
    if not media_list:
        return
    keys: list[str] = []
    prefixes: list[str] = []
    for media in media_list:
        media_keys, media_prefixes = stored_files(media)
        keys += media_keys
        prefixes += media_prefixes
        await session.delete(media)
    await session.flush()
    ids = sorted(media.id for media in media_list)
    await _delete_files(session, keys, f"discard:{ids[0]}:{len(ids)}", prefixes)


# --- as JSON --------------------------------------------------------------------------------------


def media_out(media: Media, settings: Settings) -> dict[str, Any]:
    storage = storage_for(settings)
    ready = media.state == "ready"
    renditions = media.renditions or {}
    return {
        "id": str(media.id),
        "kind": media.kind,
        # The API promises processing | ready | failed: waiting for a worker is processing too.
        "state": "processing" if media.state == "uploaded" else media.state,
        "error": error_out(media.error_code, settings) if media.state == "failed" else None,
        "width": media.width if ready else None,
        "height": media.height if ready else None,
        "color": media.placeholder_color if ready else None,
        "duration_ms": media.duration_ms if ready else None,
        "urls": {label: storage.url(r["key"]) for label, r in renditions.items()} if ready else {},
    }


COVER_LABEL = "720"


def cover_of(media: Media, settings: Settings) -> dict[str, Any]:
    """The grid card of a note whose first media this is: the 720-wide rendition (or the
    nearest there is), its size and placeholder colour."""
    renditions = media.renditions or {}
    if media.state != "ready" or not renditions:
        return {}
    widths = sorted(int(label) for label in renditions if label.isdigit())
    if not widths:
        return {}
    label = (
        COVER_LABEL
        if COVER_LABEL in renditions
        else str(min(widths, key=lambda w: abs(w - int(COVER_LABEL))))
    )
    chosen = renditions[label]
    return {
        "url": storage_for(settings).url(chosen["key"]),
        "width": chosen["width"],
        "height": chosen["height"],
        "color": media.placeholder_color,
        "video": media.kind == "video",
    }
