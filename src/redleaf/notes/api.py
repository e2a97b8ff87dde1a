"""Routes of this feature (being written)."""

from fastapi import APIRouter

from redleaf.kit.uow import UnitOfWorkRoute

router = APIRouter(route_class=UnitOfWorkRoute)
