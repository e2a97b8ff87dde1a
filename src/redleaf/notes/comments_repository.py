"""The SQL of comments (kept apart from repository.py to keep both short)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from redleaf.accounts.models import Account
from redleaf.kit.db import insert_ignore, utcnow
from redleaf.notes.models import Comment, CommentLike
from redleaf.notes.repository import blocked_either_way


def _shown_to(viewer_id: int | None) -> ColumnElement[bool]:
    """Visible comments, plus the viewer's own held ones; none from blocked members."""
    if viewer_id is None:
        return Comment.moderation_state == "visible"
    return or_(
        Comment.author_id == viewer_id,
        (Comment.moderation_state == "visible") & ~blocked_either_way(viewer_id, Comment.author_id),
    )


_ANSWERED = aliased(Account)


def _with_people() -> Select[tuple[Comment, Account, Account]]:
    """Comments with their authors and the members they answer, in the same query: loaded into
    the session, where `comments_out` finds them instead of asking again."""
    return (
        select(Comment, Account, _ANSWERED)
        .outerjoin(Account, Account.id == Comment.author_id)
        .outerjoin(_ANSWERED, _ANSWERED.id == Comment.reply_to_account_id)
    )


async def _comments(session: AsyncSession, query: Select[Any]) -> list[Comment]:
    return [row[0] for row in (await session.execute(query)).all()]


async def top_level(
    session: AsyncSession, note_id: int, viewer_id: int | None, before_id: int | None, limit: int
) -> list[Comment]:
    query = _with_people().where(
        Comment.note_id == note_id, Comment.parent_id.is_(None), _shown_to(viewer_id)
    )
    if before_id is not None:
        query = query.where(Comment.id < before_id)
    return await _comments(session, query.order_by(Comment.id.desc()).limit(limit))


async def replies(
    session: AsyncSession, parent_id: int, viewer_id: int | None, after_id: int | None, limit: int
) -> list[Comment]:
    query = _with_people().where(Comment.parent_id == parent_id, _shown_to(viewer_id))
    if after_id is not None:
        query = query.where(Comment.id > after_id)
    return await _comments(session, query.order_by(Comment.id).limit(limit))


async def first_replies(
    session: AsyncSession, parent_ids: list[int], viewer_id: int | None, per_parent: int
) -> dict[int, list[Comment]]:
    found: dict[int, list[Comment]] = defaultdict(list)
    if not parent_ids:
        return found
    rank = func.row_number().over(partition_by=Comment.parent_id, order_by=Comment.id).label("rank")
    inner = (
        select(Comment.id, rank)
        .where(Comment.parent_id.in_(parent_ids), _shown_to(viewer_id))
        .subquery()
    )
    rows = await _comments(
        session,
        _with_people()
        .join(inner, inner.c.id == Comment.id)
        .where(inner.c.rank <= per_parent)
        .order_by(Comment.id),
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
