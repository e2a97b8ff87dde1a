"""HTML routes of accounts, one module per area: sign-in and onboarding, home, profiles, settings.

Every route runs in the request's unit of work (committed at the edge) and loads rows through
`access`, `service` and `repository`; every POST checks its CSRF token through `csrf_form`.
"""

from __future__ import annotations

from fastapi import APIRouter

from redleaf.accounts import avatar
from redleaf.accounts.pages import home, profile, session, settings
from redleaf.kit.uow import UnitOfWorkRoute
from redleaf.web.templating import environment

router = APIRouter(route_class=UnitOfWorkRoute, include_in_schema=False)
for _module in (home, session, profile, settings):
    router.include_router(_module.router)

# Every page shows avatars (the header, lists, profiles), so the URL helper is a template global.
environment().globals["avatar_url"] = avatar.url
