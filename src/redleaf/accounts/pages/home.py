"""Home: the Explore grid (发现) for everyone, newest first until ranking arrives. Visitors also
get a short welcome; members who follow few people get suggestions of whom to follow."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from redleaf.accounts import repository
from redleaf.accounts.auth import viewer
from redleaf.accounts.models import Account
from redleaf.accounts.vocab import INTERESTS
from redleaf.kit.i18n import gettext
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.notes import service as notes_service
from redleaf.notes.pages.common import GRID_PAGE
from redleaf.notes.text import fold_tag
from redleaf.web.forms import page, redirect

router = APIRouter(route_class=UnitOfWorkRoute)

SUGGESTIONS = 12
# Below this many follows the first page suggests people: a newcomer's cold start.
SUGGEST_WHILE_FOLLOWING_FEWER = 5
CHANNELS = 8  # channel chips under the tabs: the first onboarding interests


def channels() -> list[tuple[str, str]]:
    """(tag, label) of each channel chip. A channel is the tag named by its label in the
    reader's language (旅行 for Chinese readers, travel for English ones) until the feeds
    feature maps a channel to its tags in every language."""
    labels = [gettext(label) for label in list(INTERESTS.values())[:CHANNELS]]
    return [(fold_tag(label), label) for label in labels]


@router.get("/")
async def home(
    request: Request,
    cursor: str | None = Query(default=None, max_length=500),
    channel: str = Query(default="", max_length=40),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    if me is not None and me.onboarded_at is None:
        # Only here, not on every page: a member who skipped it can still use the rest.
        return redirect(request, "/onboarding")
    tag = fold_tag(channel) or None
    settings = get_runtime(request).settings
    notes, next_cursor = await notes_service.explore_page(
        session, settings, me, cursor, GRID_PAGE, tag=tag
    )
    people: list[Account] = []
    if me is not None and cursor is None:
        follows = await repository.follow_counts(session, me.id)
        if follows["following"] < SUGGEST_WHILE_FOLLOWING_FEWER:
            people = await repository.suggested_members(session, me.id, SUGGESTIONS)
    context = {
        "notes": notes,
        "next_cursor": next_cursor,
        "people": people,
        "channel": tag or "",
        "channels": channels(),
        "first_page": cursor is None,
    }
    return page(request, "accounts/home.html", context)
