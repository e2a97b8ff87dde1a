"""What every HTML form route shares: the CSRF-checked form, safe `next` targets, one-shot notices.

Form values are untrusted strings; routes hand them to the service, which validates them and
raises translated errors. Nothing here decides what a value may be beyond its type.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData, UploadFile
from starlette.responses import RedirectResponse, Response

from redleaf.kit import csrf
from redleaf.kit.db import rollback
from redleaf.kit.errors import AppError
from redleaf.kit.i18n import gettext, lazy
from redleaf.kit.middleware import LANG_COOKIE
from redleaf.kit.runtime import get_runtime
from redleaf.web.templating import render, set_cookie

NOTICE_COOKIE = "redleaf_notice"
LANG_COOKIE_MAX_AGE = 365 * 86400
# A notice is a key into this table, never free text: a planted cookie can at most show one of
# these harmless lines, so the cookie needs no signature.
NOTICES = {
    "saved": lazy("Saved."),
    "password_changed": lazy("Password changed. You have been signed out everywhere else."),
    "token_revoked": lazy("The token has been revoked."),
    "account_deleted": lazy("Your account and everything in it has been deleted. Take care!"),
    "logged_out": lazy("You have logged out. See you soon!"),
    "welcome": lazy("Welcome to Redleaf! Your account is ready."),
    "note_deleted": lazy("The note has been deleted."),
    "board_deleted": lazy("The board has been deleted. Its notes stay in your collects."),
    "reported": lazy("Thank you for telling us. Moderators will review it and let you know."),
    "appealed": lazy("Your appeal is sent. Another moderator will review it and let you know."),
}


async def csrf_form(request: Request) -> FormData:
    """The request's form, after checking its CSRF token (403 page otherwise).

    FastAPI shares one Request per request, so Starlette parses the body once; the form is also
    kept on `request.state.form` so the surge page can offer to send the same values again.
    """
    form = await request.form()
    request.state.form = form
    secret = get_runtime(request).settings.resolved_secret_key
    token = form.get(csrf.CSRF_FIELD)
    csrf.check(request, secret, token if isinstance(token, str) else None)
    return form


def text(form: FormData, name: str, default: str = "") -> str:
    value = form.get(name)
    return value if isinstance(value, str) else default


def choices(form: FormData, name: str) -> list[str]:
    return [value for value in form.getlist(name) if isinstance(value, str)]


def checked(form: FormData, name: str) -> bool:
    return text(form, name) in {"on", "true", "1", "yes"}


def repost_fields(form: FormData | None) -> list[tuple[str, str]]:
    """The text fields of a form to send again (the surge page), without the stale CSRF token."""
    if form is None:
        return []
    return [
        (key, value)
        for key, value in form.multi_items()
        if key != csrf.CSRF_FIELD and not isinstance(value, UploadFile)
    ]


def safe_next(value: object, default: str = "/") -> str:
    """`value` when it is a path on this site, else `default`: never an open redirect.

    Browsers treat `//host`, `/\\host` and URLs with tabs or newlines as other origins, so only a
    plain absolute path without a scheme or host passes.
    """
    if not isinstance(value, str) or not value.startswith("/") or len(value) > 2000:
        return default
    if value.startswith(("//", "/\\")) or any(ord(ch) < 0x21 or ch == "\\" for ch in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def current_path(request: Request) -> str:
    """Where a form on this page should send the member back to."""
    if request.method != "GET":
        return "/"
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def redirect(request: Request, target: str, notice: str | None = None) -> RedirectResponse:
    response = RedirectResponse(target, status_code=303)
    if notice is not None:
        set_cookie(request, response, NOTICE_COOKIE, notice, max_age=120)
    return response


def remember_language(request: Request, response: Response, lang: str) -> None:
    """The interface language for this browser, for a year (it wins over Accept-Language and the
    account's setting, so a shared device can be switched without touching the account)."""
    set_cookie(request, response, LANG_COOKIE, lang, max_age=LANG_COOKIE_MAX_AGE)


def page(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """`render()` plus the one-shot notice left by the redirect that led here."""
    key = request.cookies.get(NOTICE_COOKIE)
    values = {"notice": gettext(NOTICES[key]) if key in NOTICES else None, **(context or {})}
    response = render(request, template, values, status_code=status_code, headers=headers)
    if key is not None:
        response.delete_cookie(NOTICE_COOKIE, path="/")
    return response


async def undo(session: AsyncSession, *objects: object) -> None:
    """Forget a half-made change before showing the form again.

    The unit of work commits whatever a route leaves behind when it returns normally, so a route
    that catches a validation error and answers with the form must roll back first (a service may
    have set one field before refusing the next). Rows the page still shows are reloaded: after
    a rollback their attributes are expired, and async sessions cannot lazy-load.
    """
    await rollback(session)
    for obj in objects:
        if obj is not None:
            await session.refresh(obj)


def field_errors(error: AppError, fields: tuple[str, ...] = ()) -> dict[str, str]:
    """The error's message keyed by the form field it is about, or by "form" when the page has
    no such field (the template shows those above the form)."""
    key = error.field if error.field in fields else "form"
    return {key: error.translated()}
