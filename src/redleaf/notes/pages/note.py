"""The note page and everything done on it without JavaScript: like, collect, comment, reply,
delete. Each form posts here with its CSRF token and comes back with a 303; note.js does the same
through the JSON API without leaving the page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from redleaf.accounts import repository as accounts_repository
from redleaf.accounts.auth import require_viewer, viewer
from redleaf.accounts.limits import write_limit
from redleaf.accounts.models import Account
from redleaf.kit.errors import AppError
from redleaf.kit.i18n import get_locale
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.notes import access, service
from redleaf.notes.cache import NotePage, note_pages
from redleaf.notes.limits import comment_limit
from redleaf.notes.models import Note
from redleaf.notes.pages.common import COMMENTS_PAGE, REPLIES_PAGE
from redleaf.notes.pages.composer import edit_failed
from redleaf.notes.schemas import NoteUpdate
from redleaf.notes.service.comments import comments_out
from redleaf.web.forms import NOTICE_COOKIE, csrf_form, page, redirect, safe_next, text, undo
from redleaf.web.templating import render_shared, respond_shared

router = APIRouter(route_class=UnitOfWorkRoute)

WRITE = [Depends(csrf_form), Depends(write_limit)]


async def _note_context(
    request: Request,
    session: AsyncSession,
    me: Account | None,
    note: Note,
    *,
    cursor: str | None = None,
    reply_to: str | None = None,
    comment_value: str = "",
    comment_error: str | None = None,
) -> dict[str, Any]:
    settings = get_runtime(request).settings
    data = await service.note_out(session, settings, me, note)
    comments, comments_next = await service.comments_page(
        session, settings, me, note, cursor, COMMENTS_PAGE
    )
    reply_target: dict[str, Any] | None = None
    if me is not None and reply_to:
        try:
            target, target_note = await access.load_comment(session, me, reply_to)
        except AppError:
            target = None  # a stale or foreign link: just comment on the note
        if target is not None and target_note.id == note.id:
            author = await accounts_repository.by_id(session, target.author_id)
            reply_target = {
                "id": str(target.id),
                "author": service.person_out(author) if author else None,
            }
    relation = None
    if me is not None and me.id != note.author_id:
        relation = await accounts_repository.relationship(session, me.id, note.author_id)
    boards = None
    if data["viewer"] and data["viewer"]["collected"]:
        boards = await service.boards_of(session, settings, me, me)  # type: ignore[arg-type]
    return {
        "note": data,
        "comments": comments,
        "comments_next": comments_next,
        "reply_target": reply_target,
        "relation": relation,
        "boards": boards,
        "comment_value": comment_value,
        "comment_error": comment_error,
        "limits": settings,
    }


async def _note_page(
    request: Request,
    session: AsyncSession,
    me: Account | None,
    note: Note,
    *,
    cursor: str | None = None,
    reply_to: str | None = None,
    comment_value: str = "",
    comment_error: str | None = None,
    status: int = 200,
) -> Response:
    context = await _note_context(
        request,
        session,
        me,
        note,
        cursor=cursor,
        reply_to=reply_to,
        comment_value=comment_value,
        comment_error=comment_error,
    )
    return page(request, "notes/note.html", context, status_code=status)


def _shareable(request: Request, me: Account | None, note: Note) -> bool:
    """Whether this request gets the page every anonymous reader of the note gets: no viewer,
    the note's own address with nothing after it, no one-shot notice to show."""
    return (
        me is None
        and not request.url.query
        and request.url.path == f"/notes/{note.id}"
        and NOTICE_COOKIE not in request.cookies
    )


async def _shared_note_page(request: Request, session: AsyncSession, note: Note) -> Response:
    """The anonymous page from the cache while the note's row is unchanged (notes/cache.py)."""
    key = (note.id, get_locale())
    cache = note_pages(get_runtime(request))
    found = cache.get(key)
    if found is None or found.updated_at != note.updated_at:
        context = await _note_context(request, session, None, note)
        found = NotePage(note.updated_at, render_shared(request, "notes/note.html", context))
        cache.put(key, found)
    return respond_shared(request, found.html)


@router.get("/notes/{note_id}")
async def note_page(
    request: Request,
    note_id: str,
    cursor: str | None = Query(default=None, max_length=500),
    reply_to: str | None = Query(default=None, max_length=30),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    note = await access.load_note(session, me, note_id)
    if _shareable(request, me, note) and note_pages(get_runtime(request)).enabled:
        return await _shared_note_page(request, session, note)
    return await _note_page(request, session, me, note, cursor=cursor, reply_to=reply_to)


def _back(form: FormData, note: Note) -> str:
    return safe_next(text(form, "next"), f"/notes/{note.id}")


@router.post("/notes/{note_id}/collect", dependencies=WRITE)
async def collect(
    request: Request,
    note_id: str,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    """Collect the note, or move it to the chosen board when it is collected already."""
    note = await access.load_note(session, me, note_id)
    board_id = text(form, "board_id") or None
    await service.do_collect(session, get_runtime(request), me, note, board_id)
    return redirect(request, _back(form, note))


def _toggle(action: service.NoteAction) -> Callable[..., Awaitable[Response]]:
    """A plain-form twin of the API's like, unlike and uncollect: act, then go back."""

    async def route(
        request: Request,
        note_id: str,
        form: FormData = Depends(csrf_form),
        me: Account = Depends(require_viewer),
        session: AsyncSession = Depends(db),
    ) -> Response:
        note = await access.load_note(session, me, note_id)
        await action(session, get_runtime(request), me, note)
        return redirect(request, _back(form, note))

    return route


for _verb, _note_action in (
    ("like", service.do_like),
    ("unlike", service.do_unlike),
    ("uncollect", service.do_uncollect),
):
    router.add_api_route(
        f"/notes/{{note_id}}/{_verb}", _toggle(_note_action), methods=["POST"], dependencies=WRITE
    )


# The same per-account comment limit as the API (it includes the write limit).
@router.post("/notes/{note_id}/comments", dependencies=[Depends(csrf_form), Depends(comment_limit)])
async def comment(
    request: Request,
    note_id: str,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    note = await access.load_note(session, me, note_id)
    body, reply_to = text(form, "body"), text(form, "reply_to") or None
    try:
        made = await service.do_comment(session, get_runtime(request), me, note, body, reply_to)
    except AppError as error:
        await undo(session, me, note)
        return await _note_page(
            request,
            session,
            me,
            note,
            reply_to=reply_to,
            comment_value=body,
            comment_error=error.translated(),
            status=error.status,
        )
    return redirect(request, f"/notes/{note.id}#comment-{made.id}")


@router.post("/notes/{note_id}/publish", dependencies=WRITE)
async def publish(
    request: Request,
    note_id: str,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    """Publish a draft (or try a failed note again) from its page."""
    note = await access.load_own_note(session, me, note_id)
    try:
        await service.do_update_note(
            session, get_runtime(request), me, note, NoteUpdate(draft=False)
        )
    except AppError as error:
        # The draft cannot go out as it is (an empty note, a failed photo): the editor says why.
        return await edit_failed(request, session, me, note, error)
    return redirect(request, f"/notes/{note.id}")


@router.post("/notes/{note_id}/delete", dependencies=WRITE)
async def delete_note(
    request: Request,
    note_id: str,
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    note = await access.load_own_note(session, me, note_id)
    await service.do_delete_note(session, get_runtime(request), note)
    return redirect(request, f"/u/{me.username}", notice="note_deleted")


# --- comments ------------------------------------------------------------------------------------


@router.get("/notes/{note_id}/comments/{comment_id}")
async def thread(
    request: Request,
    note_id: str,
    comment_id: str,
    cursor: str | None = Query(default=None, max_length=500),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    """A comment with all its replies, page by page: "show more replies" without JavaScript."""
    parent, note = await access.load_comment(session, me, comment_id)
    if str(note.id) != note_id or parent.parent_id is not None:
        return redirect(request, f"/notes/{note.id}#comment-{parent.id}")
    settings = get_runtime(request).settings
    note_data = await service.note_out(session, settings, me, note)
    head = (await comments_out(session, me, note, [parent]))[0]
    replies, replies_next = await service.replies_page(
        session, me, parent, note, cursor, REPLIES_PAGE
    )
    context = {
        "note": note_data,
        "parent": head,
        "replies": replies,
        "replies_next": replies_next,
        "limits": settings,
    }
    return page(request, "notes/thread.html", context)


async def _comment_action(
    request: Request,
    session: AsyncSession,
    me: Account,
    comment_id: str,
    action: str,
    form: FormData,
) -> Response:
    comment, note = await access.load_comment(session, me, comment_id)
    runtime = get_runtime(request)
    if action == "like":
        await service.do_like_comment(session, runtime, me, comment)
    elif action == "unlike":
        await service.do_unlike_comment(session, runtime, me, comment)
    else:
        await service.do_delete_comment(session, runtime, me, comment, note)
    anchor = f"#comment-{comment.id}" if action != "delete" else "#comments"
    return redirect(request, safe_next(text(form, "next"), f"/notes/{note.id}{anchor}"))


def _comment_route(action: str):  # type: ignore[no-untyped-def]
    async def comment_action(
        request: Request,
        comment_id: str,
        form: FormData = Depends(csrf_form),
        me: Account = Depends(require_viewer),
        session: AsyncSession = Depends(db),
    ) -> Response:
        return await _comment_action(request, session, me, comment_id, action, form)

    return comment_action


for _action in ("like", "unlike", "delete"):
    router.add_api_route(
        f"/comments/{{comment_id}}/{_action}",
        _comment_route(_action),
        methods=["POST"],
        dependencies=WRITE,
    )
