"""Home: the Explore placeholder. Visitors get the pitch; members get people to follow."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from redleaf.accounts import repository
from redleaf.accounts.auth import viewer
from redleaf.accounts.models import Account
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.web.forms import page, redirect

router = APIRouter(route_class=UnitOfWorkRoute)

SUGGESTIONS = 12


@router.get("/")
async def home(
    request: Request, me: Account | None = Depends(viewer), session: AsyncSession = Depends(db)
) -> Response:
    if me is None:
        return page(request, "accounts/home.html", {"people": []})
    if me.onboarded_at is None:
        # Only here, not on every page: a member who skipped it can still use the rest.
        return redirect(request, "/onboarding")
    people = await repository.suggested_members(session, me.id, SUGGESTIONS)
    return page(request, "accounts/home.html", {"people": people})
