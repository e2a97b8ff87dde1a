"""Why a photo or video was refused, in words a person can read: every reason code maps to its
message here, in one place.

Processing stores only the code on the media row (`error_code`); the message is made when the
media is shown, in the reader's language and with the limits the server has then.
"""

from __future__ import annotations

from redleaf.kit.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from redleaf.kit.i18n import gettext, lazy, ngettext
from redleaf.settings import Settings

UNSUPPORTED = "unsupported"
DAMAGED = "damaged"
POLYGLOT = "polyglot"
IMAGE_TOO_LARGE = "image_too_large"
VIDEO_TOO_LONG = "video_too_long"
VIDEO_TOO_LARGE = "video_too_large"
PROCESSING_FAILED = "processing_failed"

_MESSAGES = {
    UNSUPPORTED: lazy("This file is not a photo or video we can use."),
    DAMAGED: lazy("This file seems damaged or incomplete."),
    POLYGLOT: lazy("This file contains something besides a photo or video, so we cannot use it."),
    PROCESSING_FAILED: lazy("We could not process this file. Please try another one."),
}


class MediaRefused(Exception):
    """Raised by processing: the upload is not usable for the reason `code` (a key above)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail  # for logs only; never shown


def megapixels(pixels: int) -> str:
    value = pixels / 1_000_000
    return f"{value:.0f}" if value >= 10 or value.is_integer() else f"{value:.1f}"


def error_message(code: str, settings: Settings) -> str:
    """The translated sentence for a reason code, with the server's current limits in it."""
    if code == IMAGE_TOO_LARGE:
        return gettext(
            "This photo is too large (over %(mp)s megapixels).",
            mp=megapixels(settings.image_max_pixels),
        )
    if code == VIDEO_TOO_LARGE:
        return gettext(
            "This video's picture is too large (over %(mp)s megapixels).",
            mp=megapixels(settings.video_max_pixels),
        )
    if code == VIDEO_TOO_LONG:
        return duration_limit_message(settings.video_max_seconds)
    return gettext(_MESSAGES.get(code, _MESSAGES[PROCESSING_FAILED]))


def duration_limit_message(limit_seconds: float) -> str:
    seconds = max(1, round(limit_seconds))
    if seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext(
            "This video is longer than %(num)s minute.",
            "This video is longer than %(num)s minutes.",
            minutes,
        )
    return ngettext(
        "This video is longer than %(num)s second.",
        "This video is longer than %(num)s seconds.",
        seconds,
    )


def error_out(code: str | None, settings: Settings) -> dict[str, str] | None:
    if not code:
        return None
    return {"code": code, "message": error_message(code, settings)}


# --- refused while uploading (HTTP errors) -------------------------------------------------------


class NotMedia(UnsupportedMediaType):
    code = UNSUPPORTED
    message = "This file is not a photo or video we can use."


class EmptyFile(InvalidInput):
    code = "empty_file"
    message = "This file is empty."


class NoFile(InvalidInput):
    code = "no_file"
    message = "Choose a photo or video to upload."


class BadUpload(InvalidInput):
    code = "invalid_upload"
    message = "Send one file as multipart/form-data in a field named “file”."


class PhotoTooBig(PayloadTooLarge):
    code = "photo_too_big"
    message = "This photo is larger than %(mb)s MB."


class VideoTooBig(PayloadTooLarge):
    code = "video_too_big"
    message = "This video is larger than %(mb)s MB."


def megabytes(size: int) -> str:
    value = size / 1_000_000
    return f"{value:.0f}" if value >= 10 or value.is_integer() else f"{value:.1f}"
