"""Likes, collects and views of notes. Each change of a counter happens only when its row really
changed (an insert that was not a duplicate, a delete that found a row), in the same
transaction, so a double tap or two concurrent taps count once."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.db import utcnow
from redleaf.kit.runtime import Runtime
from redleaf.notes import access, repository
from redleaf.notes.models import Board, Note
from redleaf.notifications import service as notifications
from redleaf.translation.jobs import schedule_pretranslation

# What a like, an unlike or an uncollect route calls.
NoteAction = Callable[[AsyncSession, Runtime, Account, Note], Awaitable[None]]


async def do_like(session: AsyncSession, runtime: Runtime, viewer: Account, note: Note) -> None:
    if await repository.add_like(session, viewer.id, note.id):
        await repository.bump_note(session, note.id, like_count=1)
        await schedule_pretranslation(session, runtime.settings, note.id, note.like_count + 1)
        await notifications.do_notify(
            session,
            runtime,
            recipient_id=note.author_id,
            kind="like",
            actor_id=viewer.id,
            note_id=note.id,
        )


async def do_unlike(session: AsyncSession, runtime: Runtime, viewer: Account, note: Note) -> None:
    if await repository.remove_like(session, viewer.id, note.id):
        await repository.bump_note(session, note.id, like_count=-1)
        await notifications.do_withdraw(
            session, recipient_id=note.author_id, kind="like", actor_id=viewer.id, note_id=note.id
        )


async def do_collect(
    session: AsyncSession,
    runtime: Runtime,
    viewer: Account,
    note: Note,
    board_id: object | None = None,
) -> None:
    """Collect the note (into a board of the viewer's), or move it there if already collected."""
    board: Board | None = None
    if board_id is not None:
        board = await access.load_own_board(session, viewer, board_id)
    target = board.id if board else None
    if await repository.add_collect(session, viewer.id, note.id, target):
        await repository.bump_note(session, note.id, collect_count=1)
        await repository.bump_board(session, target, 1)
        await notifications.do_notify(
            session,
            runtime,
            recipient_id=note.author_id,
            kind="collect",
            actor_id=viewer.id,
            note_id=note.id,
        )
        return
    existing = await repository.collect_of(session, viewer.id, note.id)
    if existing is not None and existing.board_id != target and board_id is not None:
        await repository.bump_board(session, existing.board_id, -1)
        await repository.bump_board(session, target, 1)
        existing.board_id = target
        await session.flush()


async def do_uncollect(
    session: AsyncSession, runtime: Runtime, viewer: Account, note: Note
) -> None:
    removed, board_id = await repository.remove_collect(session, viewer.id, note.id)
    if removed:
        await repository.bump_note(session, note.id, collect_count=-1)
        await repository.bump_board(session, board_id, -1)
        await notifications.do_withdraw(
            session,
            recipient_id=note.author_id,
            kind="collect",
            actor_id=viewer.id,
            note_id=note.id,
        )


def viewer_key(secret: str, viewer: Account | None, address: str, user_agent: str) -> str:
    """Who is viewing, for de-duplication: the account, or a keyed hash of a visitor's address
    and browser (never stored in the clear)."""
    if viewer is not None:
        return f"a:{viewer.id}"
    digest = hashlib.sha256(f"{secret}|{address}|{user_agent}".encode()).hexdigest()
    return f"v:{digest[:40]}"


async def do_record_view(session: AsyncSession, note: Note, viewer: str) -> bool:
    """Count a view once per viewer per UTC day; True when it counted."""
    day = utcnow().date().isoformat()
    if await repository.add_view(session, note.id, viewer, day):
        await repository.bump_note(session, note.id, view_count=1)
        return True
    return False
