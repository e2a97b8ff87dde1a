"""Permission-checked loaders: the only way routes load notes, comments and boards.

A note is seen by its author in every state. Anyone else sees it only when it is published and
not held or removed by moderation, its visibility admits them (public; followers: they follow
the author; private: nobody), and neither has blocked the other. A note or comment withheld
from readers of the request's locale (notes/withheld.py) is hidden from them like held content.
Whatever the viewer may not see is answered 404, so its existence does not leak.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts import repository as accounts_repository
from redleaf.accounts.models import Account
from redleaf.kit.errors import NotFound
from redleaf.notes import repository, withheld
from redleaf.notes.models import Board, Comment, Note


def parse_id(raw: object) -> int | None:
    """An id from a path or a body ("123"), or None when it cannot be one."""
    text = str(raw)
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value < 2**63 else None


def note_not_found() -> NotFound:
    return NotFound("We could not find that note.", code="note_not_found")


async def can_see(session: AsyncSession, viewer: Account | None, note: Note) -> bool:
    if viewer is not None and viewer.id == note.author_id:
        return True
    if note.state != "published" or note.moderation_state != "visible":
        return False
    if withheld.is_withheld(note.withheld_in):
        return False
    if note.visibility == "private":
        return False
    if viewer is None:
        return note.visibility == "public"
    if await accounts_repository.blocked_either_way(session, viewer.id, note.author_id):
        return False
    if note.visibility == "followers":
        return await repository.is_following(session, viewer.id, note.author_id)
    return True


async def load_note(session: AsyncSession, viewer: Account | None, note_id: object) -> Note:
    key = parse_id(note_id)
    note = await repository.note_by_id(session, key) if key else None
    if note is None or not await can_see(session, viewer, note):
        raise note_not_found()
    return note


async def load_own_note(session: AsyncSession, viewer: Account, note_id: object) -> Note:
    """A note the viewer wrote (to edit or delete it); 404 for anyone else's."""
    key = parse_id(note_id)
    note = await repository.note_by_id(session, key) if key else None
    if note is None or note.author_id != viewer.id:
        raise note_not_found()
    return note


async def load_comment(
    session: AsyncSession, viewer: Account | None, comment_id: object
) -> tuple[Comment, Note]:
    """A comment the viewer may see, with its note (seeing a comment needs seeing its note)."""
    missing = NotFound("We could not find that comment.", code="comment_not_found")
    key = parse_id(comment_id)
    comment = await session.get(Comment, key) if key else None
    if comment is None:
        raise missing
    note = await repository.note_by_id(session, comment.note_id)
    if note is None or not await can_see(session, viewer, note):
        raise missing
    hidden = comment.moderation_state != "visible" or withheld.is_withheld(comment.withheld_in)
    is_author = viewer is not None and viewer.id == comment.author_id
    if hidden and not is_author:
        raise missing
    if (
        viewer is not None
        and not is_author
        and await accounts_repository.blocked_either_way(session, viewer.id, comment.author_id)
    ):
        raise missing
    return comment, note


async def load_board(session: AsyncSession, viewer: Account | None, board_id: object) -> Board:
    """A board the viewer may see: a private one only by its owner."""
    missing = NotFound("We could not find that board.", code="board_not_found")
    key = parse_id(board_id)
    board = await session.get(Board, key) if key else None
    if board is None:
        raise missing
    if viewer is not None and viewer.id == board.owner_id:
        return board
    if board.private:
        raise missing
    if viewer is not None and await accounts_repository.blocked_either_way(
        session, viewer.id, board.owner_id
    ):
        raise missing
    return board


async def load_own_board(session: AsyncSession, viewer: Account, board_id: object) -> Board:
    board = await load_board(session, viewer, board_id)
    if board.owner_id != viewer.id:
        raise NotFound("We could not find that board.", code="board_not_found")
    return board
