"""Lists of notes: Explore (newest first until ranking arrives), a member's notes, their
collects and a board's notes. Each is a cursor page of note JSON that the viewer may see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.i18n import get_locale
from redleaf.kit.pagination import decode_cursor, encode_cursor
from redleaf.kit.responses import ORJSONResponse
from redleaf.kit.runtime import Runtime
from redleaf.notes import repository, withheld
from redleaf.notes.cache import ExplorePage, explore_pages
from redleaf.notes.models import Board, Note, NoteTag
from redleaf.notes.service.boards import boards_of_owner
from redleaf.notes.service.present import boards_out, notes_out, viewer_flags
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
    """Public notes, newest first, without authors the viewer blocked, was blocked by, or muted,
    nor notes withheld from readers of the request's locale."""
    viewer_id = viewer.id if viewer else None
    where = [
        Note.state == "published",
        Note.visibility == "public",
        Note.moderation_state == "visible",
        withheld.readable(Note.withheld_in),
        repository.not_muted(viewer_id),
    ]
    if viewer_id is not None:
        where.append(~repository.blocked_either_way(viewer_id, Note.author_id))
    if tag:
        where.append(Note.id.in_(select(NoteTag.note_id).where(NoteTag.tag == tag)))
    return await _page(session, settings, viewer, where, cursor, limit)


async def cached_explore_page(
    session: AsyncSession,
    runtime: Runtime,
    viewer: Account | None,
    cursor: str | None,
    limit: int,
    tag: str | None = None,
) -> tuple[PageOut, bytes | None]:
    """`explore_page` through the shared cache of anonymous pages (notes/cache.py), with the
    API's JSON body when the answer is that shared page as it is.

    A member gets the shared page with their own likes and collects laid over it, unless one of
    its authors is someone they blocked, were blocked by, or muted: then their page is made for
    them alone, so it stays full and in order."""
    cache = explore_pages(runtime)
    if not cache.enabled:
        return await explore_page(session, runtime.settings, viewer, cursor, limit, tag), None
    key = (tag, cursor, limit, get_locale())
    shared = cache.get(key)
    if shared is None:
        items, next_cursor = await explore_page(session, runtime.settings, None, cursor, limit, tag)
        body = bytes(ORJSONResponse({"items": items, "next_cursor": next_cursor}).body)
        shared = ExplorePage(items, next_cursor, body)
        cache.put(key, shared)
    if viewer is None:
        return (shared.items, shared.next_cursor), shared.body
    mine = await _as_seen_by(session, viewer, shared.items)
    if mine is None:
        return await explore_page(session, runtime.settings, viewer, cursor, limit, tag), None
    return (mine, shared.next_cursor), None


async def _as_seen_by(
    session: AsyncSession, viewer: Account, shared: list[dict[str, Any]]
) -> list[dict[str, Any]] | None:
    """The shared anonymous items with the viewer's flags, or None if any is hidden from them."""
    authors = {int(item["author"]["id"]) for item in shared}
    if await repository.hides_any(session, viewer.id, authors):
        return None
    ids = [int(item["id"]) for item in shared]
    liked, collected = await repository.viewer_state(session, viewer.id, ids)
    mine: list[dict[str, Any]] = []
    for item in shared:
        note_id, author_id = int(item["id"]), int(item["author"]["id"])
        flags = viewer_flags(viewer.id, note_id, author_id, liked, collected)
        mine.append({**item, "viewer": flags})
    return mine


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
