"""Settings: profile, password, API tokens, data export and account deletion, each its own form."""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from babel import Locale
from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from redleaf.accounts import repository, service
from redleaf.accounts.auth import viewer
from redleaf.accounts.export import export_download
from redleaf.accounts.limits import write_limit
from redleaf.accounts.models import Account
from redleaf.accounts.pages.common import end_session, login_redirect
from redleaf.accounts.vocab import INTERESTS, LANGUAGES
from redleaf.kit.errors import AppError
from redleaf.kit.i18n import LOCALES, get_locale
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import UnitOfWorkRoute, db
from redleaf.web.forms import (
    choices,
    csrf_form,
    field_errors,
    page,
    redirect,
    remember_language,
    text,
    undo,
)

router = APIRouter(route_class=UnitOfWorkRoute)

# Each settings form posts here; all of them need a member, a CSRF token and the write limit.
WRITE = [Depends(csrf_form), Depends(write_limit)]
SECTION_FIELDS = {
    "profile": (
        "display_name",
        "bio",
        "ui_language",
        "region",
        "languages",
        "interests",
        "auto_translate",
    ),
    "password": ("current_password", "new_password"),
    "tokens": ("name",),
    "delete": ("password",),
}
# Offered first: where most of our members live.
COMMON_REGIONS = ("CN", "HK", "TW", "MO", "SG", "MY", "US", "CA", "GB", "AU", "NZ", "JP", "KR")
RegionChoices = tuple[tuple[str, str], ...]


def region_choices() -> tuple[RegionChoices, RegionChoices]:
    """(the common regions, all the others by name), as (code, name) in the page's language."""
    return _region_choices(get_locale())


@cache
def _region_choices(locale: str) -> tuple[RegionChoices, RegionChoices]:
    names = Locale.parse(LOCALES[locale]).territories
    english = Locale("en").territories
    named = {code: names.get(code) or english[code] for code in service.region_codes()}
    key = _pinyin_key if locale == "zh-Hans" else _latin_key
    common = tuple((code, named[code]) for code in COMMON_REGIONS)
    others = [(code, name) for code, name in named.items() if code not in COMMON_REGIONS]
    return common, tuple(sorted(others, key=lambda item: key(item[1])))


def _latin_key(name: str) -> str:
    """Accents set aside: "Åland Islands" among the A."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def _pinyin_key(name: str) -> str:
    """Chinese names in pinyin order, as a Chinese reader looks for them (else by code point)."""
    try:
        from pypinyin import lazy_pinyin  # imported when first needed: its dictionary is large
    except ImportError:
        return name
    return " ".join(lazy_pinyin(name)).casefold()


async def _settings_page(
    request: Request,
    me: Account,
    session: AsyncSession,
    *,
    section: str | None = None,
    error: AppError | None = None,
    values: dict[str, Any] | None = None,
    new_token: str | None = None,
) -> Response:
    tokens = [t for t in await repository.tokens_of(session, me.id) if t.kind == "api"]
    errors = field_errors(error, SECTION_FIELDS[section]) if error and section else {}
    context = {
        "me": me,
        "values": values or {},
        "section": section,
        "errors": errors,
        "tokens": tokens,
        "new_token": new_token,
        "interest_choices": INTERESTS,
        "language_choices": LANGUAGES,
        "region_choices": region_choices(),
        "limits": get_runtime(request).settings,
    }
    return page(
        request,
        "accounts/settings.html",
        context,
        status_code=error.status if error else 200,
        headers=error.headers if error else None,
    )


@router.get("/settings")
async def settings_page(
    request: Request, me: Account | None = Depends(viewer), session: AsyncSession = Depends(db)
) -> Response:
    if me is None:
        return login_redirect(request)
    return await _settings_page(request, me, session)


@router.post("/settings/profile", dependencies=WRITE)
async def save_profile(
    request: Request,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    values: dict[str, Any] = {
        "display_name": text(form, "display_name"),
        "bio": text(form, "bio"),
        "ui_language": text(form, "ui_language"),
        "languages": choices(form, "languages"),
        "interests": choices(form, "interests"),
        "auto_translate": form.get("auto_translate") == "on",
    }
    if "region" in form:  # a form without the field leaves the region as it is
        values["region"] = text(form, "region")
    try:
        runtime = get_runtime(request)
        await service.do_update_profile(session, runtime.settings, me, runtime=runtime, **values)
    except AppError as error:
        await undo(session, me)
        return await _settings_page(
            request, me, session, section="profile", error=error, values=values
        )
    response = redirect(request, "/settings", notice="saved")
    remember_language(request, response, me.ui_language)
    return response


@router.post("/settings/password", dependencies=WRITE)
async def change_password(
    request: Request,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    try:
        await service.do_change_password(
            session,
            get_runtime(request),
            me,
            current=text(form, "current_password"),
            new=text(form, "new_password"),
            current_token=request.state.token,
        )
    except AppError as error:
        await undo(session, me)
        return await _settings_page(request, me, session, section="password", error=error)
    return redirect(request, "/settings", notice="password_changed")


@router.post("/settings/tokens", dependencies=WRITE)
async def create_token(
    request: Request,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    name = text(form, "name")
    try:
        _token, secret = await service.do_create_token(
            session,
            get_runtime(request).settings,
            me,
            kind="api",
            name=name,
            user_agent=request.headers.get("user-agent", ""),
        )
    except AppError as error:
        await undo(session, me)
        return await _settings_page(
            request, me, session, section="tokens", error=error, values={"name": name}
        )
    # Shown on this response only: the secret is never stored, so no redirect can show it again.
    return await _settings_page(request, me, session, section="tokens", new_token=secret)


@router.post("/settings/tokens/{token_id}/revoke", dependencies=WRITE)
async def revoke_token(
    request: Request,
    token_id: str,
    me: Account = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    await service.do_revoke_token(session, me, token_id)
    return redirect(request, "/settings", notice="token_revoked")


@router.get("/settings/export")
async def export(
    request: Request, me: Account | None = Depends(viewer), session: AsyncSession = Depends(db)
) -> Response:
    if me is None:
        return login_redirect(request)
    return await export_download(session, me)


@router.post("/settings/delete", dependencies=WRITE)
async def delete_account(
    request: Request,
    form: FormData = Depends(csrf_form),
    me: Account = Depends(viewer),
    session: AsyncSession = Depends(db),
) -> Response:
    try:
        await service.do_delete_account(session, get_runtime(request), me, text(form, "password"))
    except AppError as error:
        await undo(session, me)
        return await _settings_page(request, me, session, section="delete", error=error)
    response = redirect(request, "/", notice="account_deleted")
    end_session(request, response)
    return response
