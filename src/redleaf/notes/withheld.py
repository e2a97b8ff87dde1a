"""Regional withholding, the read side: a note or comment that a policy rule scoped to readers'
locales holds (moderation's `Engine.withheld_locales`, run once on posting) carries those
interface locales in `withheld_in`, comma-wrapped (",zh-Hans," or ""). Readers of a listed
locale (the request's, `get_locale()`) do not see it: 404 from the loaders, absent from lists.
Its author and readers of other locales see it as usual.

Everything that decides it comes from here: `is_withheld` in Python, `readable` as SQL (a
`NOT LIKE`, the same on SQLite and PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import BindParameter, ColumnElement, String, bindparam
from sqlalchemy.orm import QueryableAttribute

from redleaf.kit.i18n import get_locale

# For statements built once and reused (comments_repository): the pattern is a parameter,
# `reader_values()` gives its value per request.
READER_PATTERN: BindParameter[str] = bindparam("withheld_pattern", type_=String)


def encode(locales: Iterable[str]) -> str:
    """What `withheld_in` holds for these locales: ",en,zh-Hans," or "" for none."""
    found = list(dict.fromkeys(locales))
    return f",{','.join(found)}," if found else ""


def reader_pattern(locale: str | None = None) -> str:
    """The LIKE pattern of a row withheld from `locale` (the reader's by default). Locales are
    our interface codes ("en", "zh-Hans"): no LIKE wildcards to escape."""
    return f"%,{locale or get_locale()},%"


def reader_values(locale: str | None = None) -> dict[str, str]:
    return {READER_PATTERN.key: reader_pattern(locale)}


def readable(
    column: QueryableAttribute[str], pattern: str | BindParameter[str] | None = None
) -> ColumnElement[bool]:
    """SQL: the row (`column` is its `withheld_in`) is not withheld from the reader's locale."""
    return column.not_like(reader_pattern() if pattern is None else pattern)


def is_withheld(withheld_in: str | None, locale: str | None = None) -> bool:
    """Python: a row whose `withheld_in` is this is withheld from `locale` (the reader's)."""
    if not withheld_in:
        return False
    return f",{locale or get_locale()}," in withheld_in
