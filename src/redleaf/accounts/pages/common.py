"""Helpers the account pages share: the session cookie and the way back to the login page."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import RedirectResponse, Response

from redleaf.accounts import service
from redleaf.accounts.auth import SESSION_COOKIE
from redleaf.accounts.models import Account
from redleaf.kit import csrf
from redleaf.kit.runtime import get_runtime
from redleaf.web.forms import current_path
from redleaf.web.templating import set_cookie


def login_redirect(request: Request) -> RedirectResponse:
    return RedirectResponse("/login?next=" + quote(current_path(request), safe="/"), 303)


def _rotate_csrf(request: Request, response: Response) -> None:
    # A new token at every change of identity, so a token seen before login is useless after.
    secret = get_runtime(request).settings.resolved_secret_key
    set_cookie(request, response, csrf.CSRF_COOKIE, csrf.new_token(secret), max_age=None)


async def new_session_secret(request: Request, session: AsyncSession, account: Account) -> str:
    """A browser session for `account` (sign-up and login): the secret its cookie will carry."""
    _token, secret = await service.do_create_token(
        session,
        get_runtime(request).settings,
        account,
        kind="session",
        user_agent=request.headers.get("user-agent", ""),
    )
    return secret


def start_session(request: Request, response: Response, secret: str) -> None:
    days = get_runtime(request).settings.session_days
    set_cookie(request, response, SESSION_COOKIE, secret, max_age=days * 86400)
    _rotate_csrf(request, response)


def end_session(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    _rotate_csrf(request, response)
