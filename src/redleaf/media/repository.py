"""All SQL of media. Nothing here commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.kit.db import utcnow
from redleaf.media.models import Media
from redleaf.notes import withheld
from redleaf.notes.models import Note

UNSETTLED = ("uploaded", "processing")


async def get(session: AsyncSession, media_id: int) -> Media | None:
    return await session.get(Media, media_id)


async def mark_processing(session: AsyncSession, media_id: int) -> None:
    await session.execute(
        update(Media)
        .where(Media.id == media_id, Media.state == "uploaded")
        .values(state="processing", updated_at=utcnow())
    )


async def settle(
    session: AsyncSession, media_id: int, values: dict[str, Any]
) -> tuple[bool, int | None]:
    """Move an unsettled media to ready or failed in one statement; (changed, its note id).

    The statement takes the row's lock, so a note attaching the media at the same moment is
    ordered with it: either the note's transaction sees the media settled, or this statement
    sees (and returns) the note id, and the note hears of it."""
    row = (
        await session.execute(
            update(Media)
            .where(Media.id == media_id, Media.state.in_(UNSETTLED))
            .values(**values, updated_at=utcnow())
            .returning(Media.note_id)
        )
    ).one_or_none()
    return (row is not None, row[0] if row is not None else None)


async def exists_id(session: AsyncSession, media_id: int) -> bool:
    return bool(await session.scalar(select(exists().where(Media.id == media_id))))


async def lock_for_attach(session: AsyncSession, owner_id: int, ids: list[int]) -> list[Media]:
    """The owner's media among `ids`, locked until the transaction ends (FOR UPDATE on
    PostgreSQL; on SQLite a no-op UPDATE takes the single writer's lock first)."""
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(
            update(Media)
            .where(Media.id.in_(ids), Media.owner_id == owner_id)
            .values(position=Media.position, updated_at=Media.updated_at)
            .execution_options(synchronize_session=False)
        )
        query = select(Media)
    else:
        query = select(Media).with_for_update()
    query = query.where(Media.id.in_(ids), Media.owner_id == owner_id)
    result = await session.execute(query.execution_options(populate_existing=True))
    return list(result.scalars())


async def on_public_note(session: AsyncSession, note_id: int) -> bool:
    """Whether the note is one anybody may read: published, public, not held by moderation nor
    withheld from readers of the request's locale."""
    return bool(
        await session.scalar(
            select(
                exists().where(
                    Note.id == note_id,
                    Note.state == "published",
                    Note.visibility == "public",
                    Note.moderation_state == "visible",
                    withheld.readable(Note.withheld_in),
                )
            )
        )
    )


async def unattached_before(session: AsyncSession, cutoff: datetime, limit: int) -> list[Media]:
    result = await session.execute(
        select(Media)
        .where(Media.note_id.is_(None), Media.created_at < cutoff)
        .order_by(Media.created_at)
        .limit(limit)
    )
    return list(result.scalars())


async def stuck(
    session: AsyncSession, processing_before: datetime, uploaded_before: datetime, limit: int
) -> list[Media]:
    """Media whose processing started before the first time, or that waited since the second
    for a job to take them."""
    result = await session.execute(
        select(Media)
        .where(
            or_(
                and_(Media.state == "processing", Media.updated_at < processing_before),
                and_(Media.state == "uploaded", Media.updated_at < uploaded_before),
            )
        )
        .order_by(Media.updated_at)
        .limit(limit)
    )
    return list(result.scalars())


async def referenced_originals(session: AsyncSession, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    result = await session.execute(select(Media.original_key).where(Media.original_key.in_(keys)))
    return {key for key in result.scalars() if key}
