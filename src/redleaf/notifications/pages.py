"""The notifications page: grouped lines under RedNote's tabs, and "mark as read" as a plain
form so it works without JavaScript (notifications.js adds live lines and the nav badge)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from redleaf.accounts.auth import require_viewer, viewer
from redleaf.accounts.limits import write_limit
from redleaf.accounts.models import Account
from redleaf.kit.i18n import lazy, ngettext
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.notifications import service
from redleaf.web.forms import csrf_form, page, redirect, safe_next, text

router = APIRouter(route_class=UnitOfWorkRoute, include_in_schema=False)

# (tab, label, empty-state title, empty-state text, icon)
TAB_LABELS = (
    (
        "all",
        lazy("All"),
        lazy("No notifications yet"),
        lazy("Likes, comments, mentions and new followers will appear here."),
        "bell",
    ),
    (
        "likes",
        lazy("Likes and collects"),
        lazy("No likes or collects yet"),
        lazy("When someone likes or collects your notes, you will see it here."),
        "collect",
    ),
    (
        "comments",
        lazy("Comments and mentions"),
        lazy("No comments or mentions yet"),
        lazy("Comments on your notes, replies and @mentions will appear here."),
        "chat",
    ),
    (
        "follows",
        lazy("New followers"),
        lazy("No new followers yet"),
        lazy("When someone follows you, you will see it here."),
        "following",
    ),
)


@router.get("/notifications")
async def notifications_page(
    request: Request,
    tab: str = Query(default="all", max_length=20),
    cursor: str | None = Query(default=None, max_length=500),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    if me is None:  # what the tab is for, and the way in
        return page(request, "notifications/visitor.html")
    tab = tab if tab in service.TABS else "all"
    settings = get_runtime(request).settings
    items, next_cursor = await service.get_page(
        session, me, tab=tab, cursor=cursor, limit=settings.notifications_page_size
    )
    unread = await service.get_unread(session, me)
    context = {
        "moderation_unread": unread["count"] - sum(unread["by_kind"].values()),
        "tab": tab,
        "tabs": TAB_LABELS,
        "tab_kinds": " ".join(service.TABS[tab]),
        "kinds_of": {key: " ".join(kinds) for key, kinds in service.TABS.items()},
        "items": items,
        "next_cursor": next_cursor,
        "unread": unread["count"],
        "notifications_unread": unread["count"],  # the nav badge, before the script fills it
        "tab_unread": service.tab_counts(unread["by_kind"]),
        "first_page": cursor is None,
        # The live count's wording for notifications.js, with "{n}" where the number goes.
        "unread_wording": {
            "one": ngettext("%(num)s unread", "%(num)s unread", 1, num="{n}"),
            "other": ngettext("%(num)s unread", "%(num)s unread", 2, num="{n}"),
        },
    }
    return page(request, "notifications/list.html", context)


@router.post("/notifications/read", dependencies=[Depends(write_limit)])
async def mark_read(
    request: Request,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(require_viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    """Mark everything read, or one group (`group`), then go back to where the form was."""
    group = text(form, "group")
    await service.do_mark_read(
        session,
        get_runtime(request),
        me,
        groups=[group] if group else None,
        everything=not group,
    )
    return redirect(request, safe_next(text(form, "next"), "/notifications"))
