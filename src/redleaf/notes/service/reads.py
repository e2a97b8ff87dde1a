"""Lists of notes: Explore (newest first until ranking arrives), a member's notes, their
collects and a board's notes. Each is a cursor page of note JSON that the viewer may see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.pagination import decode_cursor, encode_cursor
from redleaf.notes import repository
from redleaf.notes.models import Board, Note, NoteTag
from redleaf.notes.service.boards import boards_of_owner
from redleaf.notes.service.present import boards_out, notes_out
from redleaf.settings import Settings

PageOut = tuple[list[dict[str, Any]], str | None]


async def _page(
    session: AsyncSession,
    settings: Settings,
    viewer: Account | None,
    where: list[ColumnElement[bool]],
    cursor: str | None,
    limit: int,
    order_column: Any = None,
) -> PageOut:
    column = order_column if order_column is not None else Note.published_at
    after = decode_cursor(cursor, 2)
    rows = await repository.list_notes(session, where, after, limit + 1, column)
    more = len(rows) > limit
    rows = rows[:limit]
    notes = [note for note, _author in rows]
    authors = {author.id: author for _note, author in rows}
    items = await notes_out(session, settings, viewer, notes, authors)
    next_cursor = None
    if more and notes:
        last = notes[-1]
        moment = getattr(last, column.key)
        next_cursor = encode_cursor(moment.isoformat(), str(last.id))
    return items, next_cursor


async def explore_page(
    session: AsyncSession,
    settings: Settings,
    viewer: Account | None,
    cursor: str | None,
    limit: int,
    tag: str | None = None,
) -> PageOut:
    """Public notes, newest first, without authors the viewer blocked, was blocked by, or muted."""
    viewer_id = viewer.id if viewer else None
    where = [
        Note.state == "published",
        Note.visibility == "public",
        Note.moderation_state == "visible",
        repository.not_muted(viewer_id),
    ]
    if viewer_id is not None:
        where.append(~repository.blocked_either_way(viewer_id, Note.author_id))
    if tag:
        where.append(Note.id.in_(select(NoteTag.note_id).where(NoteTag.tag == tag)))
    return await _page(session, settings, viewer, where, cursor, limit)


async def notes_page_by(
    session: AsyncSession,
    settings: Settings,
    viewer: Account | None,
    author: Account,
    cursor: str | None,
    limit: int,
) -> PageOut:
    """A member's notes as the viewer may see them; the author also sees drafts and the rest,
    ordered by when they were written."""
    viewer_id = viewer.id if viewer else None
    where = [Note.author_id == author.id, repository.visible_notes(viewer_id)]
    if viewer_id == author.id:
        return await _page(session, settings, viewer, where, cursor, limit, Note.created_at)
    return await _page(session, settings, viewer, where, cursor, limit)


async def _collect_page(
    session: AsyncSession,
    settings: Settings,
    viewer: Account | None,
    owner_id: int,
    board_id: int | None,
    cursor: str | None,
    limit: int,
) -> PageOut:
    after = decode_cursor(cursor, 2)
    rows = await repository.collected_notes(
        session, viewer.id if viewer else None, owner_id, board_id, after, limit + 1
    )
    more = len(rows) > limit
    rows = rows[:limit]
    authors = {author.id: author for _note, author, _at in rows}
    items = await notes_out(session, settings, viewer, [note for note, _a, _at in rows], authors)
    next_cursor = None
    if more and rows:
        note, _author, collected_at = rows[-1]
        next_cursor = encode_cursor(collected_at.isoformat(), str(note.id))
    return items, next_cursor


async def collects_page(
    session: AsyncSession,
    settings: Settings,
    viewer: Account | None,
    owner: Account,
    cursor: str | None,
    limit: int,
) -> PageOut:
    return await _collect_page(session, settings, viewer, owner.id, None, cursor, limit)


async def board_notes_page(
    session: AsyncSession,
    settings: Settings,
    viewer: Account | None,
    board: Board,
    cursor: str | None,
    limit: int,
) -> PageOut:
    return await _collect_page(session, settings, viewer, board.owner_id, board.id, cursor, limit)


async def boards_of(
    session: AsyncSession, settings: Settings, viewer: Account | None, owner: Account
) -> list[dict[str, Any]]:
    return await boards_out(
        session, settings, viewer, await boards_of_owner(session, viewer, owner)
    )
