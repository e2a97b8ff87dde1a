"""What moderation does to content and accounts: a note's or comment's moderation state, and the
sanctions on an account (mute: no posting for a while; suspend: no signing in). Called by the
inline pipeline, the model-check jobs and moderators' decisions, always inside their
transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account, AuthToken
from redleaf.kit.db import utcnow
from redleaf.notes.models import Comment, Note

CONTENT_STATES = ("visible", "held", "removed")


async def _content(
    session: AsyncSession, target_type: str, target_id: int
) -> Note | Comment | None:
    if target_type == "note":
        return await session.get(Note, target_id)
    if target_type == "comment":
        return await session.get(Comment, target_id)
    return None


async def content_state(session: AsyncSession, target_type: str, target_id: int) -> str | None:
    """The moderation state of a note or comment; None for other targets or a deleted row."""
    row = await _content(session, target_type, target_id)
    return row.moderation_state if row is not None else None


async def set_content_state(
    session: AsyncSession, target_type: str, target_id: int, state: str
) -> bool:
    """Set a note's or comment's moderation state; whether anything changed (False for other
    targets, a deleted row, or the same state)."""
    if state not in CONTENT_STATES:
        raise ValueError(f"unknown moderation state {state!r}")
    row = await _content(session, target_type, target_id)
    if row is None or row.moderation_state == state:
        return False
    row.moderation_state = state
    if target_type == "note":  # held and removed notes leave the search index; allowed return
        from redleaf.search.jobs import schedule_index  # search reads notes' moderation state

        await schedule_index(session, target_id)
    await session.flush()
    return True


def ends_at(hours: float | None, now: datetime | None = None) -> datetime | None:
    return None if hours is None else (now or utcnow()) + timedelta(hours=hours)


async def mute(session: AsyncSession, account_id: int, until: datetime) -> None:
    """No posting until `until` (a longer mute already in force stays)."""
    account = await session.get(Account, account_id)
    if account is None:
        return
    if account.muted_until is None or account.muted_until < until:
        account.muted_until = until
    await session.flush()


async def suspend(session: AsyncSession, account_id: int, until: datetime | None) -> None:
    """No signing in until `until` (None: until lifted). Every session and token ends now."""
    account = await session.get(Account, account_id)
    if account is None or account.role == "admin":
        return
    already = account.state == "suspended"
    if already and (account.suspended_until is None or (until and until < account.suspended_until)):
        return  # a longer suspension is already in force
    account.state = "suspended"
    account.suspended_until = until
    await session.execute(delete(AuthToken).where(AuthToken.account_id == account_id))
    await session.flush()


async def lift(session: AsyncSession, account_id: int, *, mute: bool, suspension: bool) -> None:
    """End a mute and/or a suspension now (an appeal reversed it)."""
    account = await session.get(Account, account_id)
    if account is None:
        return
    if mute:
        account.muted_until = None
    if suspension and account.state == "suspended":
        account.state = "active"
        account.suspended_until = None
    await session.flush()


def muted(account: Account, now: datetime | None = None) -> bool:
    return account.muted_until is not None and account.muted_until > (now or utcnow())


async def lift_expired(session: AsyncSession, account_id: int) -> bool:
    """End a suspension whose time is up; whether it ended. Called at sign-in and by the job
    scheduled for its end."""
    account = await session.get(Account, account_id)
    if account is None or account.state != "suspended" or account.suspended_until is None:
        return False
    if account.suspended_until > utcnow():
        return False
    account.state = "active"
    account.suspended_until = None
    await session.flush()
    return True
