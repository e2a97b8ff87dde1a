"""Who is asking: the bearer token or session cookie of a request, resolved once per request.

`viewer` is the optional dependency, `require_viewer` the one that answers 401, and
`require_role(...)` the staff gate. The account's UI language becomes the request's locale when
the request named none itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts import service
from redleaf.accounts.models import Account
from redleaf.kit import csrf
from redleaf.kit.errors import Forbidden, Unauthenticated
from redleaf.kit.i18n import set_locale
from redleaf.kit.middleware import is_api_path
from redleaf.kit.runtime import get_runtime
from redleaf.kit.uow import db

SESSION_COOKIE = "redleaf_session"


def bearer_secret(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


async def viewer(request: Request, session: AsyncSession = Depends(db)) -> Account | None:
    if hasattr(request.state, "viewer"):
        return request.state.viewer  # type: ignore[no-any-return]
    account: Account | None = None
    request.state.token = None
    request.state.auth_kind = None
    if secret := bearer_secret(request):
        found = await service.get_token_account(session, secret, "api")
        if found is None:
            raise Unauthenticated("This API token is not valid.", code="invalid_token")
        account, request.state.token = found
        request.state.auth_kind = "api"
    elif secret := request.cookies.get(SESSION_COOKIE):
        found = await service.get_token_account(session, secret, "session")
        if found is not None:
            account, request.state.token = found
            request.state.auth_kind = "session"
            if is_api_path(request.url.path) and request.method not in csrf.SAFE_METHODS:
                # Cookie-authenticated API writes come from our own scripts with the token.
                csrf.check(
                    request,
                    get_runtime(request).settings.resolved_secret_key,
                    request.headers.get(csrf.CSRF_HEADER),
                )
    request.state.viewer = account
    if account is not None and not request.state.locale_explicit:
        set_locale(account.ui_language)
    return account


async def require_viewer(account: Account | None = Depends(viewer)) -> Account:
    if account is None:
        raise Unauthenticated()
    return account


def require_role(*roles: str) -> Callable[..., Awaitable[Account]]:
    async def check(account: Account = Depends(require_viewer)) -> Account:
        if account.role not in roles:
            raise Forbidden()
        return account

    return check
