"""JSON routes of boards and lists of notes (/api/v1): boards, a member's notes and collects,
and the Explore feed (newest first until ranking arrives)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts import access as accounts_access
from redleaf.accounts.auth import require_viewer, viewer
from redleaf.accounts.limits import write_limit
from redleaf.accounts.models import Account
from redleaf.kit.pagination import page_params
from redleaf.kit.responses import ORJSONResponse
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.notes import access, service
from redleaf.notes.schemas import BoardCreate, BoardNoteIn, BoardOut, BoardUpdate
from redleaf.notes.service.reads import cached_explore_page
from redleaf.notes.text import fold_tag

router = APIRouter(route_class=UnitOfWorkRoute, tags=["notes"])

Paging = tuple[str | None, int]


def _page(items: list[dict[str, Any]], next_cursor: str | None) -> ORJSONResponse:
    return ORJSONResponse({"items": items, "next_cursor": next_cursor})


@router.get("/feeds/explore", response_model=dict[str, Any])
async def explore(
    request: Request,
    channel: str | None = Query(default=None, max_length=40),
    tag: str | None = Query(default=None, max_length=60),
    page: Paging = Depends(page_params),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    """Public notes, newest first. `tag` (or a `channel` named after a tag) narrows them."""
    cursor, limit = page
    wanted = fold_tag(tag or channel or "") or None
    runtime = get_runtime(request)
    (items, next_cursor), body = await cached_explore_page(
        session, runtime, me, cursor, limit, tag=wanted
    )
    if body is not None:  # the shared anonymous page, serialised once for every reader
        return Response(body, media_type=ORJSONResponse.media_type)
    return _page(items, next_cursor)


@router.get("/users/{username}/notes", response_model=dict[str, Any])
async def notes_of_member(
    username: str,
    request: Request,
    page: Paging = Depends(page_params),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> ORJSONResponse:
    author = await accounts_access.load_account(session, me, username)
    cursor, limit = page
    settings = get_runtime(request).settings
    return _page(*await service.notes_page_by(session, settings, me, author, cursor, limit))


@router.get("/users/{username}/collects", response_model=dict[str, Any])
async def collects_of_member(
    username: str,
    request: Request,
    page: Paging = Depends(page_params),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> ORJSONResponse:
    owner = await accounts_access.load_account(session, me, username)
    cursor, limit = page
    settings = get_runtime(request).settings
    return _page(*await service.collects_page(session, settings, me, owner, cursor, limit))


@router.get("/users/{username}/boards", response_model=dict[str, Any])
async def boards_of_member(
    username: str,
    request: Request,
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> ORJSONResponse:
    owner = await accounts_access.load_account(session, me, username)
    settings = get_runtime(request).settings
    return _page(await service.boards_of(session, settings, me, owner), None)


@router.get("/me/boards", response_model=dict[str, Any])
async def my_boards(
    request: Request, me: Account = Depends(require_viewer), session: AsyncSession = Depends(db)
) -> ORJSONResponse:
    settings = get_runtime(request).settings
    return _page(await service.boards_of(session, settings, me, me), None)


@router.post(
    "/boards", status_code=201, response_model=BoardOut, dependencies=[Depends(write_limit)]
)
async def create_board(
    body: BoardCreate,
    request: Request,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, Any]:
    runtime = get_runtime(request)
    board = await service.do_create_board(
        session, runtime, me, body.name, body.description, body.private
    )
    return await service.board_out(session, runtime.settings, me, board)


@router.get("/boards/{board_id}", response_model=BoardOut)
async def get_board(
    board_id: str,
    request: Request,
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, Any]:
    board = await access.load_board(session, me, board_id)
    return await service.board_out(session, get_runtime(request).settings, me, board)


@router.patch("/boards/{board_id}", response_model=BoardOut, dependencies=[Depends(write_limit)])
async def update_board(
    board_id: str,
    body: BoardUpdate,
    request: Request,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, Any]:
    runtime = get_runtime(request)
    board = await access.load_own_board(session, me, board_id)
    await service.do_update_board(
        session, runtime, me, board, body.name, body.description, body.private
    )
    return await service.board_out(session, runtime.settings, me, board)


@router.delete(
    "/boards/{board_id}",
    status_code=204,
    response_class=Response,
    dependencies=[Depends(write_limit)],
)
async def delete_board(
    board_id: str,
    request: Request,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    board = await access.load_own_board(session, me, board_id)
    await service.do_delete_board(session, get_runtime(request), board)
    return Response(status_code=204)


@router.get("/boards/{board_id}/notes", response_model=dict[str, Any])
async def board_notes(
    board_id: str,
    request: Request,
    page: Paging = Depends(page_params),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> ORJSONResponse:
    board = await access.load_board(session, me, board_id)
    cursor, limit = page
    settings = get_runtime(request).settings
    return _page(*await service.board_notes_page(session, settings, me, board, cursor, limit))


@router.post(
    "/boards/{board_id}/notes",
    status_code=201,
    response_class=Response,
    dependencies=[Depends(write_limit)],
)
async def add_to_board(
    board_id: str,
    body: BoardNoteIn,
    request: Request,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    """Collect the note into this board, or move it here if it is collected elsewhere."""
    board = await access.load_own_board(session, me, board_id)
    note = await access.load_note(session, me, body.note_id)
    await service.do_collect(session, get_runtime(request), me, note, board.id)
    return Response(status_code=201)


@router.delete(
    "/boards/{board_id}/notes/{note_id}",
    status_code=204,
    response_class=Response,
    dependencies=[Depends(write_limit)],
)
async def remove_from_board(
    board_id: str,
    note_id: str,
    request: Request,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    """Uncollect the note (it was in this board)."""
    await access.load_own_board(session, me, board_id)
    note = await access.load_note(session, me, note_id)
    await service.do_uncollect(session, get_runtime(request), me, note)
    return Response(status_code=204)
