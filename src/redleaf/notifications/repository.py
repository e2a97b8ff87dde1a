"""All SQL of notifications. Functions flush at most; the caller's edge commits.

Every read goes through `_shown()`: the reader's notifications without actors they block, mute
or are blocked by, without suspended actors, and without notes or comments the reader may no
longer see (a held or removed note of someone else, a note turned private, a hidden comment).
Counting, grouping and listing share it, so the badge never counts what the list hides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    delete,
    distinct,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from redleaf.accounts.models import Account, Block, Follow, Mute
from redleaf.kit.db import insert_ignore, new_id
from redleaf.notes import repository as notes_repository
from redleaf.notes import withheld
from redleaf.notes.models import Comment, Note
from redleaf.notifications.models import Notification

Actor = aliased(Account, name="actor")


# --- writes ---------------------------------------------------------------------------------------


async def insert(session: AsyncSession, **values: object) -> bool:
    """True when the row is new; False when its `dedupe_key` already existed. Race-free: the
    unique index decides, so two concurrent likes by one member insert one row."""
    result = await session.execute(insert_ignore(session, Notification, **values))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def delete_unread(session: AsyncSession, recipient_id: int, dedupe_key: str) -> int:
    result = await session.execute(
        delete(Notification).where(
            Notification.recipient_id == recipient_id,
            Notification.dedupe_key == dedupe_key,
            Notification.read_at.is_(None),
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def mark_read(
    session: AsyncSession,
    recipient_id: int,
    now: datetime,
    *,
    ids: Sequence[int] = (),
    groups: Sequence[str] = (),
    everything: bool = False,
) -> int:
    condition: ColumnElement[bool] = and_(
        Notification.recipient_id == recipient_id, Notification.read_at.is_(None)
    )
    if not everything:
        chosen = []
        if ids:
            chosen.append(Notification.id.in_(ids))
        if groups:
            chosen.append(Notification.group_key.in_(groups))
        if not chosen:
            return 0
        condition = and_(condition, or_(*chosen))
    result = await session.execute(update(Notification).where(condition).values(read_at=now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def id_floor(when: datetime) -> int:
    """The smallest id made at `when` or later: ids are time-ordered (kit.db.new_id), so pruning
    by id walks the primary key instead of scanning for old dates."""
    millis = int(when.timestamp() * 1000) - new_id.EPOCH_MS
    return max(0, millis) << 22


async def prune_before(session: AsyncSession, when: datetime) -> int:
    result = await session.execute(delete(Notification).where(Notification.id < id_floor(when)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# --- who may notify whom ------------------------------------------------------------------------


async def refused(session: AsyncSession, recipient_id: int, actor_id: int) -> bool:
    """True when the recipient blocks or mutes the actor, or the actor blocks the recipient."""
    blocked = exists().where(
        or_(
            and_(Block.blocker_id == recipient_id, Block.blocked_id == actor_id),
            and_(Block.blocker_id == actor_id, Block.blocked_id == recipient_id),
        )
    )
    muted = exists().where(Mute.muter_id == recipient_id, Mute.muted_id == actor_id)
    return bool(await session.scalar(select(or_(blocked, muted))))


# --- reads ----------------------------------------------------------------------------------------


def _shown(query: Select, recipient_id: int) -> Select:  # type: ignore[type-arg]
    """`query` over the recipient's notifications that the recipient may still see."""
    blocked = exists().where(
        or_(
            and_(Block.blocker_id == recipient_id, Block.blocked_id == Notification.actor_id),
            and_(Block.blocker_id == Notification.actor_id, Block.blocked_id == recipient_id),
        )
    )
    muted = exists().where(Mute.muter_id == recipient_id, Mute.muted_id == Notification.actor_id)
    return (
        query.select_from(Notification)
        .join(Actor, Actor.id == Notification.actor_id)
        .outerjoin(Note, Note.id == Notification.note_id)
        .outerjoin(Comment, Comment.id == Notification.comment_id)
        .where(
            Notification.recipient_id == recipient_id,
            Actor.state == "active",
            ~blocked,
            ~muted,
            or_(Notification.note_id.is_(None), notes_repository.visible_notes(recipient_id)),
            or_(
                Notification.comment_id.is_(None),
                and_(Comment.moderation_state == "visible", withheld.readable(Comment.withheld_in)),
                Comment.author_id == recipient_id,
            ),
        )
    )


async def unread_by_kind(session: AsyncSession, recipient_id: int) -> dict[str, int]:
    """Unread notifications per kind: one indexed, grouped COUNT (the badge is their sum)."""
    query = _shown(select(Notification.kind, func.count()), recipient_id)
    query = query.where(Notification.read_at.is_(None)).group_by(Notification.kind)
    return {kind: int(n) for kind, n in (await session.execute(query)).all()}


@dataclass
class GroupRow:
    key: str
    last_id: int
    actors: int  # distinct members
    unread: int  # unread events


async def group_rows(
    session: AsyncSession,
    recipient_id: int,
    *,
    kinds: Sequence[str] | None = None,
    keys: Sequence[str] | None = None,
    before: int | None = None,
    after: int | None = None,
    limit: int,
    oldest_first: bool = False,
) -> list[GroupRow]:
    """Groups newest first (by their newest member), `before` a cursor id or `after` an event
    id (a resuming stream), optionally only some kinds or some group keys."""
    last_id = func.max(Notification.id).label("last_id")
    query = _shown(
        select(
            Notification.group_key,
            last_id,
            func.count(distinct(Notification.actor_id)),
            func.sum(case((Notification.read_at.is_(None), 1), else_=0)),
        ),
        recipient_id,
    ).group_by(Notification.group_key)
    if kinds:
        query = query.where(Notification.kind.in_(kinds))
    if keys is not None:
        query = query.where(Notification.group_key.in_(keys))
    if before is not None:
        query = query.having(func.max(Notification.id) < before)
    if after is not None:
        query = query.having(func.max(Notification.id) > after)
    query = query.order_by(last_id.asc() if oldest_first else last_id.desc()).limit(limit)
    return [
        GroupRow(key, int(last), int(actors), int(unread or 0))
        for key, last, actors, unread in (await session.execute(query)).all()
    ]


async def latest_of(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, tuple[Notification, Note | None, Comment | None]]:
    """The newest member of each group, with its note and comment (the group's subject)."""
    if not ids:
        return {}
    query = (
        select(Notification, Note, Comment)
        .outerjoin(Note, Note.id == Notification.note_id)
        .outerjoin(Comment, Comment.id == Notification.comment_id)
        .where(Notification.id.in_(ids))
    )
    return {row[0].id: (row[0], row[1], row[2]) for row in (await session.execute(query)).all()}


async def recent_actors(
    session: AsyncSession, recipient_id: int, keys: Sequence[str], per_group: int
) -> dict[str, list[Account]]:
    """The `per_group` most recent distinct actors of each group, newest first."""
    if not keys:
        return {}
    per_actor = (
        _shown(
            select(
                Notification.group_key.label("group_key"),
                Notification.actor_id.label("actor_id"),
                func.max(Notification.id).label("latest"),
            ),
            recipient_id,
        )
        .where(Notification.group_key.in_(keys))
        .group_by(Notification.group_key, Notification.actor_id)
        .subquery()
    )
    ranked = select(
        per_actor.c.group_key,
        per_actor.c.actor_id,
        func.row_number()
        .over(partition_by=per_actor.c.group_key, order_by=per_actor.c.latest.desc())
        .label("rank"),
    ).subquery()
    query = (
        select(ranked.c.group_key, Account)
        .join(Account, Account.id == ranked.c.actor_id)
        .where(ranked.c.rank <= per_group)
        .order_by(ranked.c.group_key, ranked.c.rank)
    )
    found: dict[str, list[Account]] = {}
    for key, account in (await session.execute(query)).all():
        found.setdefault(key, []).append(account)
    return found


async def following_among(
    session: AsyncSession, follower_id: int, account_ids: Sequence[int]
) -> set[int]:
    if not account_ids:
        return set()
    result = await session.execute(
        select(Follow.followee_id).where(
            Follow.follower_id == follower_id, Follow.followee_id.in_(account_ids)
        )
    )
    return set(result.scalars())
