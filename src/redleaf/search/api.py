"""JSON routes of search (API.md, Discovery): GET /api/v1/search/notes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import ORJSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.auth import viewer
from redleaf.accounts.models import Account
from redleaf.kit.pagination import page_params
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.search.service import SearchRequest, search_notes

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute, tags=["search"])
QUERY_MAX_LENGTH = 1000  # longer input is refused by FastAPI (422); the parser caps what it reads


@router.get("/search/notes", response_model=dict[str, Any])
async def search(
    request: Request,
    q: str = Query(default="", max_length=QUERY_MAX_LENGTH),
    sort: str = Query(default="relevance", max_length=20),
    type: str | None = Query(default=None, max_length=10),  # noqa: A002 (API.md's name)
    since: str | None = Query(default=None, max_length=12),
    page: tuple[str | None, int] = Depends(page_params),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> ORJSONResponse:
    """Notes matching `q` (words, "phrases", -exclusions, #tags), each with `highlight`: the
    matched words marked in the title and in a snippet of the body."""
    cursor, limit = page
    wanted = SearchRequest(q=q, sort=sort, type=type, since=since, cursor=cursor, limit=limit)
    items, next_cursor = await search_notes(session, get_runtime(request), me, wanted)
    return ORJSONResponse({"items": items, "next_cursor": next_cursor})
