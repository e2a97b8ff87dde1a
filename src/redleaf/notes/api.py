"""JSON routes of notes (/api/v1): notes, likes, collects, views, comments, boards, lists."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.auth import require_viewer, viewer
from redleaf.accounts.limits import write_limit
from redleaf.accounts.models import Account
from redleaf.kit.pagination import page_params
from redleaf.kit.ratelimit import client_ip, enforce
from redleaf.kit.responses import ORJSONResponse
from redleaf.kit.runtime import Runtime, get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.notes import access, lists_api, service
from redleaf.notes.jobs import schedule_view_pruning
from redleaf.notes.limits import comment_limit, note_limit
from redleaf.notes.models import Comment
from redleaf.notes.schemas import (
    CollectIn,
    CommentCreate,
    CommentOut,
    NoteCreate,
    NoteOut,
    NoteUpdate,
)

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute, tags=["notes"])
# First: Explore is the busiest route, and FastAPI tries a request against each route in turn
# (~10 µs a route here), so a route's place in the list costs it.
router.include_router(lists_api.router)

NO_CONTENT = {"status_code": 204, "response_class": Response}


def _page(items: list[dict[str, Any]], next_cursor: str | None) -> ORJSONResponse:
    return ORJSONResponse({"items": items, "next_cursor": next_cursor})


# --- notes ---------------------------------------------------------------------------------------


@router.post("/notes", status_code=201, response_model=NoteOut, dependencies=[Depends(note_limit)])
async def create_note(
    body: NoteCreate,
    request: Request,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, Any]:
    runtime = get_runtime(request)
    note = await service.do_create_note(session, runtime, me, body)
    return await service.note_out(session, runtime.settings, me, note)


@router.get("/notes/{note_id}", response_model=NoteOut)
async def get_note(
    note_id: str,
    request: Request,
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> ORJSONResponse:
    note = await access.load_note(session, me, note_id)
    return ORJSONResponse(await service.note_out(session, get_runtime(request).settings, me, note))


@router.patch("/notes/{note_id}", response_model=NoteOut, dependencies=[Depends(write_limit)])
async def update_note(
    note_id: str,
    body: NoteUpdate,
    request: Request,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, Any]:
    runtime = get_runtime(request)
    note = await access.load_own_note(session, me, note_id)
    await service.do_update_note(session, runtime, me, note, body)
    return await service.note_out(session, runtime.settings, me, note)


@router.delete("/notes/{note_id}", dependencies=[Depends(write_limit)], **NO_CONTENT)  # type: ignore[arg-type]
async def delete_note(
    note_id: str,
    request: Request,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    note = await access.load_own_note(session, me, note_id)
    await service.do_delete_note(session, get_runtime(request), note)
    return Response(status_code=204)


@router.post("/notes/{note_id}/collect", dependencies=[Depends(write_limit)], **NO_CONTENT)  # type: ignore[arg-type]
async def collect_note(
    note_id: str,
    request: Request,
    body: CollectIn | None = None,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    note = await access.load_note(session, me, note_id)
    board_id = body.board_id if body else None
    await service.do_collect(session, get_runtime(request), me, note, board_id)
    return Response(status_code=204)


@router.post("/notes/{note_id}/view", **NO_CONTENT)  # type: ignore[arg-type]
async def view_note(
    note_id: str,
    request: Request,
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    """Count a view (once per viewer per day). Visitors may call it: limited per address."""
    runtime = get_runtime(request)
    await enforce(request, "write-ip", runtime.settings.rate_write_per_ip, client_ip(request))
    note = await access.load_note(session, me, note_id)
    key = service.viewer_key(
        runtime.settings.resolved_secret_key,
        me,
        client_ip(request),
        request.headers.get("user-agent", "")[:300],
    )
    if await service.do_record_view(session, note, key):
        await schedule_view_pruning(session)
    return Response(status_code=204)


# --- comments ------------------------------------------------------------------------------------


@router.get("/notes/{note_id}/comments", response_model=dict[str, Any])
async def list_comments(
    note_id: str,
    request: Request,
    page: tuple[str | None, int] = Depends(page_params),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> ORJSONResponse:
    note = await access.load_note(session, me, note_id)
    cursor, limit = page
    settings = get_runtime(request).settings
    return _page(*await service.comments_page(session, settings, me, note, cursor, limit))


@router.post(
    "/notes/{note_id}/comments",
    status_code=201,
    response_model=CommentOut,
    dependencies=[Depends(comment_limit)],
)
async def create_comment(
    note_id: str,
    body: CommentCreate,
    request: Request,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> dict[str, Any]:
    note = await access.load_note(session, me, note_id)
    runtime = get_runtime(request)
    comment = await service.do_comment(session, runtime, me, note, body.body, body.reply_to)
    return (await service.comments_out(session, me, note, [comment]))[0]


@router.get("/comments/{comment_id}/replies", response_model=dict[str, Any])
async def list_replies(
    comment_id: str,
    page: tuple[str | None, int] = Depends(page_params),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> ORJSONResponse:
    comment, note = await access.load_comment(session, me, comment_id)
    cursor, limit = page
    return _page(*await service.replies_page(session, me, comment, note, cursor, limit))


@router.delete("/comments/{comment_id}", dependencies=[Depends(write_limit)], **NO_CONTENT)  # type: ignore[arg-type]
async def delete_comment(
    comment_id: str,
    request: Request,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    comment, note = await access.load_comment(session, me, comment_id)
    await service.do_delete_comment(session, get_runtime(request), me, comment, note)
    return Response(status_code=204)


# --- toggles: like, unlike, uncollect; comment like and unlike -----------------------------------

CommentAction = Callable[[AsyncSession, Runtime, Account, Comment], Awaitable[None]]


def _on_note(action: service.NoteAction) -> Callable[..., Awaitable[Response]]:
    async def route(
        note_id: str,
        request: Request,
        me: Account = Depends(require_viewer),
        session: AsyncSession = Depends(db),
    ) -> Response:
        note = await access.load_note(session, me, note_id)
        await action(session, get_runtime(request), me, note)
        return Response(status_code=204)

    return route


def _on_comment(action: CommentAction) -> Callable[..., Awaitable[Response]]:
    async def route(
        comment_id: str,
        request: Request,
        me: Account = Depends(require_viewer),
        session: AsyncSession = Depends(db),
    ) -> Response:
        comment, _note = await access.load_comment(session, me, comment_id)
        await action(session, get_runtime(request), me, comment)
        return Response(status_code=204)

    return route


for _path, _method, _route, _name in (
    ("/notes/{note_id}/like", "POST", _on_note(service.do_like), "like_note"),
    ("/notes/{note_id}/like", "DELETE", _on_note(service.do_unlike), "unlike_note"),
    ("/notes/{note_id}/collect", "DELETE", _on_note(service.do_uncollect), "uncollect_note"),
    ("/comments/{comment_id}/like", "POST", _on_comment(service.do_like_comment), "like_comment"),
    (
        "/comments/{comment_id}/like",
        "DELETE",
        _on_comment(service.do_unlike_comment),
        "unlike_comment",
    ),
):
    router.add_api_route(
        _path,
        _route,
        methods=[_method],
        name=_name,
        status_code=204,
        response_class=Response,
        dependencies=[Depends(write_limit)],
    )
