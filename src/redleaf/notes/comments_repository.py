"""The SQL of comments (kept apart from repository.py to keep both short)."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    bindparam,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from redleaf.accounts.models import Account
from redleaf.kit.db import insert_ignore, utcnow
from redleaf.notes import withheld
from redleaf.notes.models import Comment, CommentLike
from redleaf.notes.repository import Author, blocked_either_way, remember_people

# The read queries are built once per shape, with their values as parameters: building and
# keying these statements cost a note page more than SQLite took to answer them.
_VIEWER = bindparam("viewer_id", type_=BigInteger)


def _shown_to(signed_in: bool) -> ColumnElement[bool]:
    """Visible comments not withheld from the reader's locale, plus the viewer's own held or
    withheld ones; none from blocked members. Its queries take `withheld.reader_values()`."""
    shown = (Comment.moderation_state == "visible") & withheld.readable(
        Comment.withheld_in, withheld.READER_PATTERN
    )
    if not signed_in:
        return shown
    return or_(
        Comment.author_id == _VIEWER,
        shown & ~blocked_either_way(_VIEWER, Comment.author_id),
    )


_ANSWERED = aliased(Account)
CommentRows = Select[
    Comment, int | None, str | None, str | None, int | None, str | None, str | None
]


def _with_people() -> CommentRows:
    """Comments with their authors and the members they answer, in the same query: just the
    columns a comment shows of them (whole Account rows cost a comment ~40 µs to load), kept
    in the session, where `comments_out` finds them instead of asking again."""
    return (
        select(
            Comment,
            Account.id,
            Account.username,
            Account.display_name,
            _ANSWERED.id,
            _ANSWERED.username,
            _ANSWERED.display_name,
        )
        .outerjoin(Account, Account.id == Comment.author_id)
        .outerjoin(_ANSWERED, _ANSWERED.id == Comment.reply_to_account_id)
    )


@cache
def _top_level_query(signed_in: bool, before: bool) -> CommentRows:
    query = _with_people().where(
        Comment.note_id == bindparam("note_id"), Comment.parent_id.is_(None), _shown_to(signed_in)
    )
    if before:
        query = query.where(Comment.id < bindparam("before_id"))
    return query.order_by(Comment.id.desc()).limit(bindparam("limit", type_=Integer))


@cache
def _replies_query(signed_in: bool, after: bool) -> CommentRows:
    query = _with_people().where(Comment.parent_id == bindparam("parent_id"), _shown_to(signed_in))
    if after:
        query = query.where(Comment.id > bindparam("after_id"))
    return query.order_by(Comment.id).limit(bindparam("limit", type_=Integer))


@cache
def _first_replies_query(signed_in: bool) -> CommentRows:
    rank = func.row_number().over(partition_by=Comment.parent_id, order_by=Comment.id).label("rank")
    inner = (
        select(Comment.id, rank)
        .where(Comment.parent_id.in_(bindparam("parent_ids", expanding=True)), _shown_to(signed_in))
        .subquery()
    )
    return (
        _with_people()
        .join(inner, inner.c.id == Comment.id)
        .where(inner.c.rank <= bindparam("per_parent", type_=Integer))
        .order_by(Comment.id)
    )


async def _comments(session: AsyncSession, query: CommentRows, **values: Any) -> list[Comment]:
    rows = (await session.execute(query, {**values, **withheld.reader_values()})).all()
    remember_people(session, [_person(*row[1:4]) for row in rows])
    remember_people(session, [_person(*row[4:7]) for row in rows])
    return [row[0] for row in rows]


def _person(account_id: Any, username: Any, display_name: Any) -> Author | None:
    return Author(account_id, username, display_name) if account_id is not None else None


def _viewer(viewer_id: int | None) -> dict[str, int]:
    return {} if viewer_id is None else {"viewer_id": viewer_id}


async def top_level(
    session: AsyncSession, note_id: int, viewer_id: int | None, before_id: int | None, limit: int
) -> list[Comment]:
    query = _top_level_query(viewer_id is not None, before_id is not None)
    before = {} if before_id is None else {"before_id": before_id}
    return await _comments(
        session, query, note_id=note_id, limit=limit, **_viewer(viewer_id), **before
    )


async def replies(
    session: AsyncSession, parent_id: int, viewer_id: int | None, after_id: int | None, limit: int
) -> list[Comment]:
    query = _replies_query(viewer_id is not None, after_id is not None)
    after = {} if after_id is None else {"after_id": after_id}
    return await _comments(
        session, query, parent_id=parent_id, limit=limit, **_viewer(viewer_id), **after
    )


async def first_replies(
    session: AsyncSession, parent_ids: list[int], viewer_id: int | None, per_parent: int
) -> dict[int, list[Comment]]:
    found: dict[int, list[Comment]] = defaultdict(list)
    if not parent_ids:
        return found
    rows = await _comments(
        session,
        _first_replies_query(viewer_id is not None),
        parent_ids=parent_ids,
        per_parent=per_parent,
        **_viewer(viewer_id),
    )
    for comment in rows:
        found[comment.parent_id].append(comment)  # type: ignore[index]
    return found


async def bump_comment(session: AsyncSession, comment_id: int, **deltas: int) -> None:
    values: dict[str, Any] = {
        name: getattr(Comment, name) + delta for name, delta in deltas.items()
    }
    await session.execute(update(Comment).where(Comment.id == comment_id).values(**values))


async def add_comment_like(session: AsyncSession, account_id: int, comment_id: int) -> bool:
    new = await session.scalar(
        insert_ignore(
            session,
            CommentLike,
            account_id=account_id,
            comment_id=comment_id,
            created_at=utcnow(),
        ).returning(CommentLike.comment_id)
    )
    return new is not None


async def remove_comment_like(session: AsyncSession, account_id: int, comment_id: int) -> bool:
    result = await session.execute(
        delete(CommentLike).where(
            CommentLike.account_id == account_id, CommentLike.comment_id == comment_id
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def liked_comments(session: AsyncSession, account_id: int, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return set(
        await session.scalars(
            select(CommentLike.comment_id).where(
                CommentLike.account_id == account_id, CommentLike.comment_id.in_(ids)
            )
        )
    )
