"""The search results page (/search): the header's box lands here. Notes with filters (photos or
videos, time) and sorts, as plain links that work without scripts; grid.js loads further pages
from the same query through the API."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from redleaf.accounts.auth import viewer
from redleaf.accounts.models import Account
from redleaf.kit.errors import AppError
from redleaf.kit.i18n import lazy
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.search.api import QUERY_MAX_LENGTH
from redleaf.search.service import SINCE_DAYS, TYPES, SearchRequest, search_notes
from redleaf.web.forms import page

router = APIRouter(route_class=UnitOfWorkRoute, include_in_schema=False)
PAGE_SIZE = 20

SORT_LABELS = (
    ("relevance", lazy("Best match")),
    ("latest", lazy("Latest")),
    ("likes", lazy("Most liked")),
    ("collects", lazy("Most collected")),
    ("comments", lazy("Most commented")),
)
TYPE_LABELS = ((None, lazy("All")), ("image", lazy("Photos")), ("video", lazy("Videos")))
SINCE_LABELS = (
    (None, lazy("Any time")),
    ("day", lazy("Past day")),
    ("week", lazy("Past week")),
    ("half_year", lazy("Past six months")),
)


def _known(value: str | None, allowed: object) -> str | None:
    return value if value and value in allowed else None  # type: ignore[operator]


@router.get("/search")
async def search_page(
    request: Request,
    q: str = Query(default="", max_length=QUERY_MAX_LENGTH),
    sort: str = Query(default="relevance", max_length=20),
    type: str | None = Query(default=None, max_length=10),  # noqa: A002
    since: str | None = Query(default=None, max_length=12),
    cursor: str | None = Query(default=None, max_length=500),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    # Unknown filter values are dropped rather than refused: they come from links and typing.
    wanted = SearchRequest(
        q=q.strip(),
        sort=sort if sort in dict(SORT_LABELS) else "relevance",
        type=_known(type, TYPES),
        since=_known(since, SINCE_DAYS),
        cursor=cursor,
        limit=PAGE_SIZE,
    )
    notes: list[dict[str, object]] = []
    next_cursor = None
    error = None
    if wanted.q:
        try:
            notes, next_cursor = await search_notes(session, get_runtime(request), me, wanted)
        except AppError as problem:
            error = problem.translated()
    params = {"q": wanted.q, "sort": wanted.sort, "type": wanted.type, "since": wanted.since}
    kept = {key: value for key, value in params.items() if value and value != "relevance"}

    def link(**change: str | None) -> str:
        merged = {**kept, **change}
        return "/search?" + urlencode({k: v for k, v in merged.items() if v})

    return page(
        request,
        "search/results.html",
        {
            "query": wanted.q,
            "wanted": wanted,
            "notes": notes,
            "next_cursor": next_cursor,
            "error": error,
            "feed": "/api/v1/search/notes?" + urlencode({k: v for k, v in params.items() if v}),
            "more_href": link() + "&cursor=",
            "link": link,
            "sorts": SORT_LABELS,
            "types": TYPE_LABELS,
            "times": SINCE_LABELS,
        },
    )
