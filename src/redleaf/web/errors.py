"""Every error a person can see, in their language: JSON for the API, a friendly page otherwise."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from redleaf.kit.errors import AppError, NotFound, SurgeQueued, Unavailable
from redleaf.kit.i18n import gettext, lazy
from redleaf.kit.middleware import is_api_path
from redleaf.kit.responses import ORJSONResponse
from redleaf.web.templating import render

log = logging.getLogger(__name__)

_HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", lazy("The request could not be processed.")),
    401: ("not_authenticated", lazy("Please log in first.")),
    403: ("forbidden", lazy("You are not allowed to do that.")),
    404: ("not_found", lazy("We could not find that.")),
    405: ("method_not_allowed", lazy("This address does not accept that method.")),
    413: ("payload_too_large", lazy("The request is too large.")),
    415: ("unsupported_media_type", lazy("This kind of content is not accepted here.")),
}
INTERNAL = lazy("Something went wrong on our side. It has been logged; please try again.")


def _page_or_json(request: Request, error: AppError) -> Response:
    if is_api_path(request.url.path):
        return ORJSONResponse(error.body(), status_code=error.status, headers=error.headers)
    template = "surge.html" if isinstance(error, SurgeQueued) else "error.html"
    return render(
        request,
        template,
        {"error": error, "message": error.translated(), "status": error.status},
        status_code=error.status,
        headers=error.headers,
    )


async def app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    return _page_or_json(request, exc)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code, message = _HTTP_ERRORS.get(exc.status_code, ("error", AppError.message))
    error = AppError(message, code=code, status=exc.status_code, headers=dict(exc.headers or {}))
    return _page_or_json(request, error)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    location = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
    error = AppError(
        "This field is missing or has the wrong type.",
        code="malformed_request",
        status=422,
        field=".".join(location) or None,
    )
    return _page_or_json(request, error)


async def database_busy(request: Request, exc: Exception) -> Response:
    """No database connection came free in time: an overload, answered like one (503 and when to
    come back) instead of a 500 after a long hang."""
    log.warning("database connection pool exhausted", extra={"path": request.url.path})
    error = Unavailable(retry_after=5)
    return _page_or_json(request, error)


async def database_error(request: Request, exc: Exception) -> Response:
    """A lost database connection (a restart, a failover) is a brief outage: say so with 503.
    Any other database error is a bug and gets the 500 page."""
    assert isinstance(exc, DBAPIError)
    if not exc.connection_invalidated:
        return await unexpected_error(request, exc)
    log.warning("database connection lost", extra={"path": request.url.path})
    return _page_or_json(request, Unavailable(retry_after=1))


async def unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", exc_info=exc)
    error = AppError(INTERNAL, code="internal_error", status=500)
    return _page_or_json(request, error)


class UnexpectedErrorMiddleware:
    """Turns an unhandled exception into the 500 page inside the other middleware.

    Starlette runs `Exception` handlers in its outermost layer, after the request context and
    security headers have been left: the page would lose the member's language and the CSP.
    Added first, this layer sits innermost and answers before those are gone.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            response = await unexpected_error(Request(scope), exc)
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, app_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(PoolTimeout, database_busy)
    app.add_exception_handler(DBAPIError, database_error)
    app.add_exception_handler(Exception, unexpected_error)
    # Called before create_app adds its middleware, so this one is the innermost.
    app.add_middleware(UnexpectedErrorMiddleware)


__all__ = ["install_error_handlers", "NotFound", "gettext"]
