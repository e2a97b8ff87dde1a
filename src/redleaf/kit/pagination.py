"""Cursor pagination: `{"items": [...], "next_cursor": "opaque or null"}` with `?cursor=&limit=`.

A cursor is the sort key of the last item, base64url-encoded JSON, so pages stay stable while
rows are inserted (no OFFSET). It is opaque to clients and validated when it comes back.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel

from redleaf.kit.errors import InvalidInput

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class PageParams(BaseModel):
    cursor: list[Any] | None
    limit: int


def encode_cursor(*key: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(key))).decode().rstrip("=")


def decode_cursor(cursor: str | None, arity: int) -> list[Any] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = orjson.loads(raw)
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        raise InvalidInput(
            "This page link is not valid.", code="invalid_cursor", field="cursor"
        ) from None
    if not isinstance(key, list) or len(key) != arity:
        raise InvalidInput("This page link is not valid.", code="invalid_cursor", field="cursor")
    return key


async def page_params(
    cursor: str | None = Query(default=None, max_length=500),
    limit: int = Query(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> tuple[str | None, int]:
    # async on purpose: FastAPI runs a plain `def` dependency in its thread pool.
    return cursor, limit
