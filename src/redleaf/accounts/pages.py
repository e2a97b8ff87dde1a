"""HTML routes of accounts."""

from __future__ import annotations

from fastapi import APIRouter

from redleaf.kit.uow import UnitOfWorkRoute

router = APIRouter(route_class=UnitOfWorkRoute, include_in_schema=False)
