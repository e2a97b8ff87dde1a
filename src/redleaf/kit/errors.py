"""Named, narrow errors. Each carries its HTTP status, a snake_case code and an English message id
that is translated when the error is shown (`{"error": {"code", "message", "field"}}`).
"""

from __future__ import annotations

from redleaf.kit.i18n import gettext


class AppError(Exception):
    status = 400
    code = "bad_request"
    message = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        **params: object,
    ) -> None:
        self.message = message or type(self).message
        self.code = code or type(self).code
        self.status = status or type(self).status
        self.field = field
        self.params = params
        self.headers = headers or {}
        super().__init__(self.message % params if params else self.message)

    def translated(self) -> str:
        return gettext(self.message, **self.params)

    def body(self) -> dict[str, object]:
        error: dict[str, object] = {"code": self.code, "message": self.translated()}
        if self.field:
            error["field"] = self.field
        return {"error": error}


class InvalidInput(AppError):
    status = 400
    code = "invalid_input"
    message = "This value is not valid."


class Unauthenticated(AppError):
    status = 401
    code = "not_authenticated"
    message = "Please log in first."


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    message = "You are not allowed to do that."


class CsrfFailed(AppError):
    status = 403
    code = "csrf_failed"
    message = "This form has expired. Please reload the page and try again."


class NotFound(AppError):
    status = 404
    code = "not_found"
    message = "We could not find that."


class Conflict(AppError):
    status = 409
    code = "conflict"
    message = "That conflicts with something that already exists."


class PayloadTooLarge(AppError):
    status = 413
    code = "payload_too_large"
    message = "The request is too large."


class UnsupportedMediaType(AppError):
    status = 415
    code = "unsupported_media_type"
    message = "This kind of content is not accepted here."


class RateLimited(AppError):
    message_position = 2  # RateLimited(retry_after, message)
    status = 429
    code = "rate_limited"
    message = "You are going a little fast. Please try again in %(seconds)s seconds."

    def __init__(self, retry_after: float, message: str | None = None, **kwargs: object) -> None:
        seconds = max(1, int(retry_after + 0.999))
        super().__init__(
            message,
            headers={"Retry-After": str(seconds)},
            seconds=seconds,
            **kwargs,  # type: ignore[arg-type]
        )
        self.retry_after = seconds


class SurgeQueued(AppError):
    message_position = 2
    status = 503
    code = "surge_queued"
    message = (
        "So many people are joining right now that you are in line. "
        "Please try again in %(seconds)s seconds; nothing you typed is lost."
    )

    def __init__(self, retry_after: float, **kwargs: object) -> None:
        seconds = max(1, int(retry_after + 0.999))
        super().__init__(headers={"Retry-After": str(seconds)}, seconds=seconds, **kwargs)  # type: ignore[arg-type]
        self.retry_after = seconds


class Unavailable(AppError):
    status = 503
    code = "unavailable"
    message = "Redleaf is briefly unavailable. Please try again soon."

    def __init__(self, retry_after: int | None = None, **kwargs: object) -> None:
        headers = {"Retry-After": str(retry_after)} if retry_after else None
        super().__init__(headers=headers, **kwargs)  # type: ignore[arg-type]
