"""Background work of translation: popular notes translated ahead of their readers, and old cache
rows pruned."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.kit.db import utcnow
from redleaf.kit.errors import AppError
from redleaf.kit.jobs.queue import enqueue
from redleaf.kit.jobs.registry import JobContext, job_handler
from redleaf.translation.models import Translation

log = logging.getLogger("redleaf.translation")

PRETRANSLATE_NOTE = "translation.pretranslate_note"
PRUNE = "translation.prune"


async def schedule_pretranslation(
    session: AsyncSession, settings: Any, note_id: int, likes: int
) -> None:
    """Called when a like takes a note to `likes`: at each configured count, one job."""
    if likes in settings.translation_pretranslate_at_likes:
        await enqueue(
            session, PRETRANSLATE_NOTE, {"note_id": note_id}, idempotency_key=f"{note_id}:{likes}"
        )


async def schedule_pruning(session: AsyncSession) -> None:
    await enqueue(session, PRUNE, {}, idempotency_key=utcnow().date().isoformat())


@job_handler(PRETRANSLATE_NOTE)
async def pretranslate_note(
    session: AsyncSession, payload: dict[str, Any], ctx: JobContext
) -> None:
    from redleaf.notes import access
    from redleaf.translation import service

    try:
        # As an anonymous reader: only what everyone may read is worth translating ahead.
        note = await access.load_note(session, None, payload.get("note_id"))
    except AppError:
        return
    for target in ctx.runtime.settings.translation_pretranslate_languages:
        if service.offers_translation(note.lang, None, languages=[target]):
            try:
                await service.translate_content(
                    ctx.runtime, note.lang, target, note.title, note.body
                )
            except AppError as error:  # no engine for the pair, or all down: readers will retry
                log.info("pretranslation of note %s into %s skipped: %s", note.id, target, error)


@job_handler(PRUNE)
async def prune(session: AsyncSession, payload: dict[str, Any], ctx: JobContext) -> None:
    cutoff = utcnow() - timedelta(days=ctx.runtime.settings.translation_keep_days)
    await session.execute(delete(Translation).where(Translation.used_at < cutoff))
