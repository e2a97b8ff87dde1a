"""CSRF defence for cookie-authenticated requests: a signed double-submit token, an Origin check.

Every page visitor gets an HttpOnly `redleaf_csrf` cookie holding `random.signature`. Forms carry
the same value in a hidden `csrf_token` field; scripts send it in `X-CSRF-Token` (read from the
page's `<meta name="csrf-token">`). A cross-site page can neither read nor forge it, and the
signature stops a cookie planted from a sibling domain. Bearer-token API calls carry no ambient
authority and need no token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection

from redleaf.kit.errors import CsrfFailed

CSRF_COOKIE = "redleaf_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _sign(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), f"csrf:{nonce}".encode(), hashlib.sha256).hexdigest()[:32]


def new_token(secret: str) -> str:
    nonce = secrets.token_urlsafe(18)
    return f"{nonce}.{_sign(secret, nonce)}"


def is_valid(secret: str, token: str | None) -> bool:
    if not token or token.count(".") != 1:
        return False
    nonce, signature = token.split(".")
    return hmac.compare_digest(signature, _sign(secret, nonce))


def token_for(connection: HTTPConnection, secret: str) -> str:
    """The visitor's token: from the cookie when it is valid, else a new one (set on the response
    by the page renderer through `connection.state.new_csrf`)."""
    existing = connection.cookies.get(CSRF_COOKIE)
    if is_valid(secret, existing):
        return existing  # type: ignore[return-value]
    fresh: str | None = getattr(connection.state, "new_csrf", None)
    if fresh is None:
        fresh = new_token(secret)
        connection.state.new_csrf = fresh
    return fresh


def same_origin(connection: HTTPConnection) -> bool:
    """True when the Origin (or Referer) header, if any, names this host."""
    origin = connection.headers.get("origin") or connection.headers.get("referer")
    if not origin or origin == "null":
        return origin is None
    host = connection.headers.get("host", "")
    return urlsplit(origin).netloc.lower() == host.lower()


def check(connection: HTTPConnection, secret: str, submitted: str | None) -> None:
    cookie = connection.cookies.get(CSRF_COOKIE)
    if not same_origin(connection):
        raise CsrfFailed()
    if not (
        cookie and submitted and is_valid(secret, cookie) and hmac.compare_digest(cookie, submitted)
    ):
        raise CsrfFailed()
