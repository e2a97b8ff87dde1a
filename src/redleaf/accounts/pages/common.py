"""Helpers the account pages share: the session cookie and the way back to the login page."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from redleaf.accounts.auth import SESSION_COOKIE
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


def start_session(request: Request, response: Response, secret: str) -> None:
    days = get_runtime(request).settings.session_days
    set_cookie(request, response, SESSION_COOKIE, secret, max_age=days * 86400)
    _rotate_csrf(request, response)


def end_session(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    _rotate_csrf(request, response)
