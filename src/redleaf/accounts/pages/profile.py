"""Profiles: the page, follower and following lists, relation buttons, and the generated avatar."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from redleaf.accounts import access, avatar, repository, service
from redleaf.accounts.auth import require_viewer, viewer
from redleaf.accounts.limits import write_limit
from redleaf.accounts.models import Account
from redleaf.accounts.pages.common import login_redirect
from redleaf.kit.errors import InvalidInput
from redleaf.kit.pagination import decode_cursor, encode_cursor
from redleaf.kit.runtime import Runtime, get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.notes import service as notes_service
from redleaf.notes.pages.common import GRID_PAGE
from redleaf.web.forms import csrf_form, page, redirect, safe_next, text

router = APIRouter(route_class=UnitOfWorkRoute)

TABS = ("notes", "collects", "boards")
PEOPLE_PER_PAGE = 20


@router.get("/me")
async def me_page(request: Request, me: Account | None = Depends(viewer)) -> Response:
    """The "Me" tab: the member's own profile, or the login page for a visitor."""
    if me is None:
        return login_redirect(request)
    return redirect(request, f"/u/{me.username}")


@router.get("/u/{username}")
async def profile(
    request: Request,
    username: str,
    tab: str = Query(default="notes", max_length=20),
    cursor: str | None = Query(default=None, max_length=500),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    target = await access.load_account(session, me, username)
    tab = tab if tab in TABS else "notes"
    settings = get_runtime(request).settings
    notes: list[dict[str, object]] = []
    boards: list[dict[str, object]] = []
    next_cursor = None
    # Each tab is one of the notes feature's lists, drawn with its grid; the service decides
    # what this viewer may see (drafts for their author only, private boards for their owner).
    if tab == "notes":
        notes, next_cursor = await notes_service.notes_page_by(
            session, settings, me, target, cursor, GRID_PAGE
        )
    elif tab == "collects":
        notes, next_cursor = await notes_service.collects_page(
            session, settings, me, target, cursor, GRID_PAGE
        )
    else:
        boards = await notes_service.boards_of(session, settings, me, target)
    context = {
        "account": target,
        "profile": await service.get_profile(session, me, target),
        "tab": tab,
        "is_me": me is not None and me.id == target.id,
        "notes": notes,
        "boards": boards,
        "next_cursor": next_cursor,
        "limits": settings,
    }
    return page(request, "accounts/profile.html", context)


def _after(cursor: str | None) -> tuple[str, int] | None:
    key = decode_cursor(cursor, 2)
    if key is None:
        return None
    try:
        datetime.fromisoformat(str(key[0]))
        return str(key[0]), int(key[1])
    except (TypeError, ValueError):
        raise InvalidInput(
            "This page link is not valid.", code="invalid_cursor", field="cursor"
        ) from None


def _people_route(direction: str):  # type: ignore[no-untyped-def]
    async def people(
        request: Request,
        username: str,
        cursor: str | None = Query(default=None, max_length=500),
        me: Account | None = Depends(viewer),
        session: AsyncSession = Depends(db),
    ) -> Response:
        target = await access.load_account(session, me, username)
        rows = await repository.follow_page(
            session,
            target.id,
            direction=direction,
            viewer_id=me.id if me else None,
            after=_after(cursor),
            limit=PEOPLE_PER_PAGE + 1,
        )
        next_cursor = None
        if len(rows) > PEOPLE_PER_PAGE:
            last, since = rows[PEOPLE_PER_PAGE - 1]
            next_cursor = encode_cursor(since.isoformat(), last.id)
        context = {
            "account": target,
            "direction": direction,
            "people": [person for person, _since in rows[:PEOPLE_PER_PAGE]],
            "next_cursor": next_cursor,
        }
        return page(request, "accounts/people.html", context)

    return people


for _direction in ("followers", "following"):
    router.add_api_route(
        f"/u/{{username}}/{_direction}", _people_route(_direction), methods=["GET"]
    )


Action = Callable[[AsyncSession, Runtime, Account, Account], Awaitable[None]]
_ACTIONS: dict[str, Action] = {
    "follow": lambda s, rt, me, t: service.do_follow(s, rt, me, t),
    "unfollow": lambda s, rt, me, t: service.do_unfollow(s, me, t),
    "block": lambda s, rt, me, t: service.do_block(s, me, t),
    "unblock": lambda s, rt, me, t: service.do_unblock(s, me, t),
    "mute": lambda s, rt, me, t: service.do_mute(s, me, t),
    "unmute": lambda s, rt, me, t: service.do_unmute(s, me, t),
}


def _relation_route(action: Action):  # type: ignore[no-untyped-def]
    async def relation(
        request: Request,
        username: str,
        form: FormData = Depends(csrf_form),
        me: Account = Depends(require_viewer),
        session: AsyncSession = Depends(db),
    ) -> Response:
        target = await access.load_account(session, me, username)
        await action(session, get_runtime(request), me, target)
        return redirect(request, safe_next(text(form, "next"), f"/u/{target.username}"))

    return relation


for _name, _action in _ACTIONS.items():
    router.add_api_route(
        f"/u/{{username}}/{_name}",
        _relation_route(_action),
        methods=["POST"],
        dependencies=[Depends(csrf_form), Depends(write_limit)],
    )


@router.get("/u/{username}/avatar.svg")
async def avatar_svg(
    username: str,
    v: str = Query(default="", max_length=20),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    target = await access.load_account(session, me, username)
    # The versioned URL (what pages use) never changes content, so it may be kept for a year.
    cache = (
        "public, max-age=31536000, immutable"
        if v == avatar.version(target)
        else "public, max-age=3600"
    )
    return Response(
        avatar.svg(target), media_type="image/svg+xml", headers={"cache-control": cache}
    )
