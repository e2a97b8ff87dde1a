"""Pure ASGI middleware: request ids and access logs, the request's locale, security headers, and
a cap on request bodies. Pure ASGI (not BaseHTTPMiddleware) so WebSockets and streaming pass
through untouched and the per-request cost stays small.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Callable

import orjson
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from redleaf.kit.errors import PayloadTooLarge
from redleaf.kit.i18n import (
    DEFAULT_LOCALE,
    normalise_locale,
    parse_accept_language,
    reset_locale,
    set_locale,
)
from redleaf.kit.logs import request_id_var

access_log = logging.getLogger("redleaf.access")

LANG_COOKIE = "redleaf_lang"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI is an inline page that loads its script from a CDN; it gets its own, looser policy.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "frame-ancestors 'none'"
)


def is_api_path(path: str) -> bool:
    return path.startswith("/api/")


class RequestContextMiddleware:
    """Request id (kept from X-Request-ID when sane), the initial locale, and one access-log line.

    The locale chosen here is provisional: for the API, Accept-Language; for pages, the language
    cookie, then Accept-Language. The sign-in dependency refines it with the account's UI language
    when the request named none (`scope["state"]["locale_explicit"]`).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        incoming = headers.get("x-request-id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else secrets.token_hex(8)
        path: str = scope["path"]
        locale, explicit = self._locale(path, headers)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["locale_explicit"] = explicit
        id_token = request_id_var.set(request_id)
        locale_token = set_locale(locale)
        started = time.perf_counter()
        status_holder = {"status": 0}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                message.setdefault("headers", [])
                message["headers"].append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if scope["type"] == "http":
                access_log.info(
                    "%s %s %s",
                    scope["method"],
                    path,
                    status_holder["status"],
                    extra={
                        "method": scope["method"],
                        "path": path,
                        "status": status_holder["status"],
                        "ms": round((time.perf_counter() - started) * 1000, 2),
                    },
                )
            reset_locale(locale_token)
            request_id_var.reset(id_token)

    @staticmethod
    def _locale(path: str, headers: Headers) -> tuple[str, bool]:
        from_header = parse_accept_language(headers.get("accept-language"))
        if is_api_path(path):
            return (from_header or DEFAULT_LOCALE), from_header is not None
        cookie = _cookie(headers.get("cookie", ""), LANG_COOKIE)
        from_cookie = normalise_locale(cookie)
        if from_cookie:
            return from_cookie, True
        return (from_header or DEFAULT_LOCALE), False


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _sep, value = part.strip().partition("=")
        if key == name:
            return value
    return None


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"] == "/api/docs" else CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                headers.extend(
                    [
                        (b"content-security-policy", csp.encode()),
                        (b"x-content-type-options", b"nosniff"),
                        (b"referrer-policy", b"strict-origin-when-cross-origin"),
                        (b"x-frame-options", b"DENY"),
                        (b"permissions-policy", b"camera=(), microphone=(), geolocation=(self)"),
                        (b"cross-origin-opener-policy", b"same-origin"),
                    ]
                )
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimitMiddleware:
    """Refuse request bodies over a limit with 413, before a route reads them into memory.

    `limit_for(path, content_type)` picks the limit, so uploads can have their own setting.
    """

    def __init__(self, app: ASGIApp, limit_for: Callable[[str, str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.limit_for(scope["path"], headers.get("content-type", ""))
        declared = headers.get("content-length")
        if declared and declared.isascii() and declared.isdigit() and int(declared) > limit:
            await _send_too_large(scope, send)
            return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except PayloadTooLarge:
            if not response_started:
                await _send_too_large(scope, send)


async def _send_too_large(scope: Scope, send: Send) -> None:
    body = orjson.dumps(PayloadTooLarge().body())
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body})
