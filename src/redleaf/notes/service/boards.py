"""Boards: a member's named collections of collected notes, public or private."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.errors import Conflict, InvalidInput
from redleaf.kit.runtime import Runtime
from redleaf.notes.models import Board
from redleaf.settings import Settings


def check_board_fields(settings: Settings, name: str | None, description: str | None) -> None:
    if name is not None:
        if not name:
            raise InvalidInput("Give the board a name.", code="board_name_required", field="name")
        if len(name) > settings.board_name_max_length:
            raise InvalidInput(
                "A board name can be at most %(max)s characters.",
                code="board_name_too_long",
                field="name",
                max=settings.board_name_max_length,
            )
    if description is not None and len(description) > settings.board_description_max_length:
        raise InvalidInput(
            "A board description can be at most %(max)s characters.",
            code="board_description_too_long",
            field="description",
            max=settings.board_description_max_length,
        )


async def _check_name_free(
    session: AsyncSession, owner: Account, name: str, board_id: int | None = None
) -> None:
    query = select(Board.id).where(Board.owner_id == owner.id, Board.name == name)
    existing = await session.scalar(query)
    if existing is not None and existing != board_id:
        raise Conflict(
            "You already have a board with that name.", code="board_name_taken", field="name"
        )


async def do_create_board(
    session: AsyncSession,
    runtime: Runtime,
    owner: Account,
    name: str,
    description: str = "",
    private: bool = False,
) -> Board:
    settings = runtime.settings
    name, description = " ".join(name.split()), description.strip()
    check_board_fields(settings, name, description)
    count = await session.scalar(select(func.count()).where(Board.owner_id == owner.id)) or 0
    if count >= settings.boards_max:
        raise InvalidInput(
            "You can have at most %(max)s boards.", code="too_many_boards", max=settings.boards_max
        )
    await _check_name_free(session, owner, name)
    board = Board(owner_id=owner.id, name=name, description=description, private=private)
    session.add(board)
    await session.flush()
    return board


async def do_update_board(
    session: AsyncSession,
    runtime: Runtime,
    owner: Account,
    board: Board,
    name: str | None = None,
    description: str | None = None,
    private: bool | None = None,
) -> Board:
    if name is not None:
        name = " ".join(name.split())
    if description is not None:
        description = description.strip()
    check_board_fields(runtime.settings, name, description)
    if name is not None and name != board.name:
        await _check_name_free(session, owner, name, board.id)
        board.name = name
    if description is not None:
        board.description = description
    if private is not None:
        board.private = private
    await session.flush()
    return board


async def do_delete_board(session: AsyncSession, runtime: Runtime, board: Board) -> None:
    """The notes stay collected, outside any board."""
    await session.delete(board)
    await session.flush()


async def boards_of_owner(
    session: AsyncSession, viewer: Account | None, owner: Account
) -> list[Board]:
    query = select(Board).where(Board.owner_id == owner.id)
    if viewer is None or viewer.id != owner.id:
        query = query.where(Board.private.is_(False))
    return list((await session.scalars(query.order_by(Board.updated_at.desc()))).all())
