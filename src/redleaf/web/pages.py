"""Pages that belong to no feature yet: language switch, guidelines, search, and the honest
placeholders for parts still being built (chat, the Following feed).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from redleaf.accounts import service
from redleaf.accounts.auth import viewer
from redleaf.accounts.models import Account
from redleaf.kit.i18n import LOCALES, gettext, lazy
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.web.forms import csrf_form, page, redirect, remember_language, safe_next, text

# Viewer-aware routes open a database session; the unit of work closes it.
router = APIRouter(route_class=UnitOfWorkRoute, include_in_schema=False)


@router.post("/lang")
async def switch_language(
    request: Request,
    form: FormData = Depends(csrf_form),
    me: Account | None = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    """Remember the chosen language on this device and, for a member, on the account."""
    target = safe_next(text(form, "next"))
    lang = text(form, "lang")
    if lang not in LOCALES:
        return redirect(request, target)
    if me is not None and me.ui_language != lang:
        settings = get_runtime(request).settings
        await service.do_update_profile(session, settings, me, ui_language=lang)
    response = redirect(request, target)
    remember_language(request, response, lang)
    return response


@router.get("/guidelines")
async def guidelines(request: Request, me: Account | None = Depends(viewer)) -> Response:
    return page(request, "guidelines.html")


# (path, page title, empty-state title, empty-state text, icon)
_PLACEHOLDERS = {
    "/following": (
        lazy("Following"),
        lazy("Nothing from people you follow yet"),
        lazy("When the people you follow post notes, they will show up here."),
        "following",
    ),
    "/chat": (
        lazy("Chat"),
        lazy("No chats yet"),
        lazy("Live rooms and direct messages are on their way."),
        "chat",
    ),
}


def _placeholder_route(path: str):  # type: ignore[no-untyped-def]
    title, empty_title, empty_text, icon = _PLACEHOLDERS[path]

    async def placeholder(request: Request, me: Account | None = Depends(viewer)) -> Response:
        return page(
            request,
            "placeholder.html",
            {
                "title": gettext(title),
                "empty_title": gettext(empty_title),
                "empty_text": gettext(empty_text),
                "icon_name": icon,
            },
        )

    return placeholder


for _path in _PLACEHOLDERS:
    router.add_api_route(_path, _placeholder_route(_path), methods=["GET"])
