"""All SQL of the accounts feature. Functions flush; the caller's edge commits."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account, AuthToken, Block, Follow, Mute
from redleaf.kit.db import insert_ignore, utcnow


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def by_username(session: AsyncSession, username: str) -> Account | None:
    result = await session.execute(select(Account).where(Account.username == username.lower()))
    return result.scalar_one_or_none()


async def by_id(session: AsyncSession, account_id: int) -> Account | None:
    return await session.get(Account, account_id)


async def username_taken(session: AsyncSession, username: str) -> bool:
    return bool(await session.scalar(select(exists().where(Account.username == username))))


async def token_by_secret(session: AsyncSession, secret: str, kind: str) -> AuthToken | None:
    result = await session.execute(
        select(AuthToken).where(
            AuthToken.secret_hash == secret_hash(secret), AuthToken.kind == kind
        )
    )
    return result.scalar_one_or_none()


async def tokens_of(session: AsyncSession, account_id: int) -> list[AuthToken]:
    result = await session.execute(
        select(AuthToken)
        .where(AuthToken.account_id == account_id)
        .order_by(AuthToken.kind, AuthToken.created_at.desc())
    )
    return list(result.scalars())


async def count_api_tokens(session: AsyncSession, account_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count()).where(AuthToken.account_id == account_id, AuthToken.kind == "api")
        )
        or 0
    )


async def delete_sessions_except(
    session: AsyncSession, account_id: int, keep_id: int | None
) -> None:
    condition = and_(AuthToken.account_id == account_id, AuthToken.kind == "session")
    if keep_id is not None:
        condition = and_(condition, AuthToken.id != keep_id)
    await session.execute(delete(AuthToken).where(condition))


async def delete_expired_tokens(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(
        delete(AuthToken).where(AuthToken.expires_at.is_not(None), AuthToken.expires_at < now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def add_follow(session: AsyncSession, follower_id: int, followee_id: int) -> bool:
    """True when the follow is new (so a notification is due), False when it already existed."""
    result = await session.execute(
        insert_ignore(
            session, Follow, follower_id=follower_id, followee_id=followee_id, created_at=utcnow()
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def remove_follow(session: AsyncSession, follower_id: int, followee_id: int) -> None:
    await session.execute(
        delete(Follow).where(Follow.follower_id == follower_id, Follow.followee_id == followee_id)
    )


async def add_block(session: AsyncSession, blocker_id: int, blocked_id: int) -> None:
    await session.execute(
        insert_ignore(
            session, Block, blocker_id=blocker_id, blocked_id=blocked_id, created_at=utcnow()
        )
    )
    # A block cuts the follows both ways.
    await session.execute(
        delete(Follow).where(
            or_(
                and_(Follow.follower_id == blocker_id, Follow.followee_id == blocked_id),
                and_(Follow.follower_id == blocked_id, Follow.followee_id == blocker_id),
            )
        )
    )


async def remove_block(session: AsyncSession, blocker_id: int, blocked_id: int) -> None:
    await session.execute(
        delete(Block).where(Block.blocker_id == blocker_id, Block.blocked_id == blocked_id)
    )


async def add_mute(session: AsyncSession, muter_id: int, muted_id: int) -> None:
    await session.execute(
        insert_ignore(session, Mute, muter_id=muter_id, muted_id=muted_id, created_at=utcnow())
    )


async def remove_mute(session: AsyncSession, muter_id: int, muted_id: int) -> None:
    await session.execute(delete(Mute).where(Mute.muter_id == muter_id, Mute.muted_id == muted_id))


async def is_blocking(session: AsyncSession, blocker_id: int, blocked_id: int) -> bool:
    return bool(
        await session.scalar(
            select(exists().where(Block.blocker_id == blocker_id, Block.blocked_id == blocked_id))
        )
    )


async def blocked_either_way(session: AsyncSession, a: int, b: int) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(
                    or_(
                        and_(Block.blocker_id == a, Block.blocked_id == b),
                        and_(Block.blocker_id == b, Block.blocked_id == a),
                    )
                )
            )
        )
    )


async def relationship(session: AsyncSession, viewer_id: int, other_id: int) -> dict[str, bool]:
    def flag(condition):  # type: ignore[no-untyped-def]
        return exists().where(condition)

    row = (
        await session.execute(
            select(
                flag(and_(Follow.follower_id == viewer_id, Follow.followee_id == other_id)),
                flag(and_(Follow.follower_id == other_id, Follow.followee_id == viewer_id)),
                flag(and_(Block.blocker_id == viewer_id, Block.blocked_id == other_id)),
                flag(and_(Mute.muter_id == viewer_id, Mute.muted_id == other_id)),
            )
        )
    ).one()
    return {
        "following": bool(row[0]),
        "followed_by": bool(row[1]),
        "blocking": bool(row[2]),
        "muting": bool(row[3]),
    }


async def follow_counts(session: AsyncSession, account_id: int) -> dict[str, int]:
    followers = select(func.count()).where(Follow.followee_id == account_id).scalar_subquery()
    following = select(func.count()).where(Follow.follower_id == account_id).scalar_subquery()
    row = (await session.execute(select(followers, following))).one()
    return {"followers": int(row[0]), "following": int(row[1])}


async def follow_page(
    session: AsyncSession,
    account_id: int,
    *,
    direction: str,
    viewer_id: int | None,
    after: tuple[str, int] | None,
    limit: int,
) -> list[tuple[Account, datetime]]:
    """Followers (`direction="followers"`) or followees, newest follow first, without anyone who
    blocked or is blocked by the viewer."""
    if direction == "followers":
        other, mine = Follow.follower_id, Follow.followee_id
    else:
        other, mine = Follow.followee_id, Follow.follower_id
    query = (
        select(Account, Follow.created_at)
        .join(Follow, other == Account.id)
        .where(mine == account_id)
        .order_by(Follow.created_at.desc(), Account.id.desc())
        .limit(limit)
    )
    if viewer_id is not None:
        query = query.where(
            ~exists().where(
                or_(
                    and_(Block.blocker_id == viewer_id, Block.blocked_id == Account.id),
                    and_(Block.blocker_id == Account.id, Block.blocked_id == viewer_id),
                )
            )
        )
    if after is not None:
        created_at = datetime.fromisoformat(after[0])
        query = query.where(
            or_(
                Follow.created_at < created_at,
                and_(Follow.created_at == created_at, Account.id < after[1]),
            )
        )
    return [(row[0], row[1]) for row in (await session.execute(query)).all()]


async def suggested_members(session: AsyncSession, viewer_id: int, limit: int) -> list[Account]:
    """The newest active members the viewer neither follows nor has a block with either way."""
    query = (
        select(Account)
        .where(
            Account.id != viewer_id,
            Account.state == "active",
            ~exists().where(Follow.follower_id == viewer_id, Follow.followee_id == Account.id),
            ~exists().where(
                or_(
                    and_(Block.blocker_id == viewer_id, Block.blocked_id == Account.id),
                    and_(Block.blocker_id == Account.id, Block.blocked_id == viewer_id),
                )
            ),
        )
        .order_by(Account.created_at.desc(), Account.id.desc())
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def export_rows(session: AsyncSession, account_id: int) -> dict[str, list[dict[str, object]]]:
    """The member's relations by the other side's username: who they follow, block, mute, and who
    follows them."""
    relations = {  # name: (since, the other side, this member's side)
        "following": (Follow.created_at, Follow.followee_id, Follow.follower_id),
        "followers": (Follow.created_at, Follow.follower_id, Follow.followee_id),
        "blocks": (Block.created_at, Block.blocked_id, Block.blocker_id),
        "mutes": (Mute.created_at, Mute.muted_id, Mute.muter_id),
    }
    archive: dict[str, list[dict[str, object]]] = {}
    for name, (since, other, mine) in relations.items():
        result = await session.execute(
            select(Account.username, since)
            .join_from(Account, since.class_, other == Account.id)
            .where(mine == account_id)
            .order_by(since)
        )
        archive[name] = [{"username": u, "since": t.isoformat()} for u, t in result.all()]
    return archive


async def record_failed_login(
    session: AsyncSession, account_id: int, blocked_until: datetime | None
) -> None:
    await session.execute(
        update(Account)
        .where(Account.id == account_id)
        .values(failed_logins=Account.failed_logins + 1, login_blocked_until=blocked_until)
    )
