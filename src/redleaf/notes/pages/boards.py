"""Boards: a board's page, and creating, renaming and deleting boards with plain forms."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from redleaf.accounts.auth import require_viewer, viewer
from redleaf.accounts.limits import write_limit
from redleaf.accounts.models import Account
from redleaf.accounts.pages.common import login_redirect
from redleaf.kit.errors import AppError
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.notes import access, service
from redleaf.notes.models import Board
from redleaf.notes.pages.common import GRID_PAGE
from redleaf.web.forms import checked, csrf_form, field_errors, page, redirect, text, undo

router = APIRouter(route_class=UnitOfWorkRoute)

WRITE = [Depends(csrf_form), Depends(write_limit)]
FIELDS = ("name", "description")


async def _board_page(
    request: Request,
    session: AsyncSession,
    me: Account | None,
    board: Board,
    cursor: str | None = None,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    settings = get_runtime(request).settings
    data = await service.board_out(session, settings, me, board)
    notes, next_cursor = await service.board_notes_page(
        session, settings, me, board, cursor, GRID_PAGE
    )
    context = {
        "board": data,
        "notes": notes,
        "next_cursor": next_cursor,
        "is_owner": me is not None and me.id == board.owner_id,
        "values": values
        or {"name": data["name"], "description": data["description"], "private": data["private"]},
        "errors": errors or {},
        "limits": settings,
    }
    return page(request, "notes/board.html", context, status_code=status)


@router.get("/boards/new")
async def new_board_form(request: Request, me: Account | None = Depends(viewer)) -> Response:
    if me is None:
        return login_redirect(request)
    return _new_board_page(request, {}, {})


def _new_board_page(
    request: Request, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Response:
    context = {"values": values, "errors": errors, "limits": get_runtime(request).settings}
    return page(request, "notes/board_new.html", context, status_code=status)


@router.post("/boards", dependencies=WRITE)
async def create_board(
    request: Request,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    name, description, private = (
        text(form, "name"),
        text(form, "description"),
        checked(form, "private"),
    )
    values = {"name": name, "description": description, "private": private}
    try:
        board = await service.do_create_board(
            session, get_runtime(request), me, name, description, private
        )
    except AppError as error:
        await undo(session, me)
        return _new_board_page(request, values, field_errors(error, FIELDS), error.status)
    return redirect(request, f"/boards/{board.id}")


@router.get("/boards/{board_id}")
async def board_page(
    request: Request,
    board_id: str,
    cursor: str | None = Query(default=None, max_length=500),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    board = await access.load_board(session, me, board_id)
    return await _board_page(request, session, me, board, cursor)


@router.post("/boards/{board_id}/edit", dependencies=WRITE)
async def edit_board(
    request: Request,
    board_id: str,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    board = await access.load_own_board(session, me, board_id)
    name, description, private = (
        text(form, "name"),
        text(form, "description"),
        checked(form, "private"),
    )
    values = {"name": name, "description": description, "private": private}
    try:
        await service.do_update_board(
            session,
            get_runtime(request),
            me,
            board,
            name=name,
            description=description,
            private=private,
        )
    except AppError as error:
        await undo(session, me, board)
        errors = field_errors(error, FIELDS)
        return await _board_page(
            request, session, me, board, values=values, errors=errors, status=error.status
        )
    return redirect(request, f"/boards/{board.id}", notice="saved")


@router.post("/boards/{board_id}/delete", dependencies=WRITE)
async def delete_board(
    request: Request,
    board_id: str,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    board = await access.load_own_board(session, me, board_id)
    await service.do_delete_board(session, get_runtime(request), board)
    return redirect(request, f"/u/{me.username}?tab=boards", notice="board_deleted")
