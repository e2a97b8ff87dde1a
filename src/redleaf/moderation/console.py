"""The review console's queue reads: the queue and its views, where a moderator goes next, and
the small helpers the console's other reads share (console_case.py: one case;
console_audit.py: the audit log and per-moderator counts).

Moderators see content whatever its visibility or moderation state (held, removed, private):
that is their job, and the console is open to staff only, so these reads skip notes/access.py.
Queue lists page by keyset cursors, never by offset.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

from babel.dates import format_datetime
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from redleaf.accounts.models import Account
from redleaf.kit.db import utcnow
from redleaf.kit.i18n import babel_locale, gettext
from redleaf.moderation.models import Appeal, Case, Decision, Report
from redleaf.moderation.reasons import REASONS
from redleaf.notes.models import Comment, Note
from redleaf.notifications.text import excerpt, when

VIEWS = ("all", "reports", "automatic", "newcomers", "appeals")
TOP_REASONS = 3


def moment(value: datetime | None) -> str:
    """A date and time in the page's language, in UTC ("" for none)."""
    if value is None:
        return ""
    return format_datetime(value, "short", tzinfo=UTC, locale=babel_locale()) + " UTC"


def _view_filter(view: str) -> ColumnElement[bool]:
    if view == "appeals":
        return Case.state == "appealed"
    rule = Case.state == "open"
    if view == "reports":
        return and_(rule, Case.report_count > 0)
    if view == "automatic":
        return and_(rule, Case.source == "automatic")
    if view == "newcomers":
        return and_(rule, Case.source == "newcomer")
    return rule


def _encode(case_severity: int, opened_at: datetime, case_id: int) -> str:
    return f"{case_severity}_{opened_at.isoformat()}_{case_id}"


def _decode(cursor: str | None) -> tuple[int, datetime, int] | None:
    """The queue position a cursor names; None (the first page) for anything malformed."""
    try:
        severity, opened, case_id = (cursor or "").split("_")
        moment_ = datetime.fromisoformat(opened)
        return (
            int(severity),
            moment_ if moment_.tzinfo else moment_.replace(tzinfo=UTC),
            int(case_id),
        )
    except ValueError:
        return None


def _after(position: tuple[int, datetime, int]) -> ColumnElement[bool]:
    """Cases after `position` in queue order: severity down, then oldest first, then id."""
    severity, opened_at, case_id = position
    return or_(
        Case.severity < severity,
        and_(Case.severity == severity, Case.opened_at > opened_at),
        and_(Case.severity == severity, Case.opened_at == opened_at, Case.id > case_id),
    )


QUEUE_ORDER = (Case.severity.desc(), Case.opened_at, Case.id)


async def view_counts(session: AsyncSession) -> dict[str, int]:
    counts = {}
    for view in VIEWS:
        found = await session.scalar(
            select(func.count()).select_from(Case).where(_view_filter(view))
        )
        counts[view] = int(found or 0)
    return counts


async def queue(
    session: AsyncSession, *, view: str, limit: int, cursor: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of a queue view and the cursor of the next page (None at the end)."""
    query = select(Case).where(_view_filter(view))
    position = _decode(cursor)
    if position is not None:
        query = query.where(_after(position))
    rows = list(await session.scalars(query.order_by(*QUEUE_ORDER).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    items = await _queue_items(session, rows)
    last = rows[-1] if rows else None
    return items, _encode(last.severity, last.opened_at, last.id) if more and last else None


async def _queue_items(session: AsyncSession, cases: list[Case]) -> list[dict[str, Any]]:
    targets = await _targets(session, cases)
    people = await accounts_by_id(
        session, {c.author_id for c in cases} | {c.claimed_by for c in cases if is_held(c)}
    )
    reasons: dict[int, Counter[str]] = defaultdict(Counter)
    if cases:
        grouped = await session.execute(
            select(Report.case_id, Report.reason, func.count())
            .where(Report.case_id.in_([c.id for c in cases]))
            .group_by(Report.case_id, Report.reason)
        )
        for case_id, reason, count in grouped:
            reasons[case_id][reason] = count
    now = utcnow()
    items = []
    for case in cases:
        author = people.get(case.author_id or 0)
        holder = people.get(case.claimed_by or 0) if is_held(case) else None
        items.append(
            {
                "id": str(case.id),
                "target_type": case.target_type,
                "target": targets.get((case.target_type, case.target_id), {}),
                "source": case.source,
                "state": case.state,
                "severity": case.severity,
                "report_count": case.report_count,
                "top_reasons": [
                    reason_label(code) for code, _n in reasons[case.id].most_common(TOP_REASONS)
                ],
                "rules": rules_fired(case),
                "author": person_summary(author, now),
                "age": when(case.opened_at, now),
                "opened_at": case.opened_at,
                "claimed_by": holder.username if holder else None,
                "claimed_until": moment(case.claimed_until) if holder else "",
            }
        )
    return items


def is_held(case: Case) -> bool:
    return (
        case.claimed_by is not None
        and case.claimed_until is not None
        and case.claimed_until > utcnow()
    )


def rules_fired(case: Case) -> list[str]:
    codes = [str(hit.get("rule")) for hit in case.hits or [] if isinstance(hit, dict)]
    return list(dict.fromkeys(code for code in codes if code))


def reason_label(code: str) -> str:
    reason = REASONS.get(code)
    return gettext(reason.label) if reason else code


def person_summary(account: Account | None, now: datetime) -> dict[str, Any] | None:
    if account is None:
        return None
    return {
        "id": str(account.id),
        "username": account.username,
        "display_name": account.display_name or account.username,
        "created_at": account.created_at,
        "joined": when(account.created_at, now),
        "age_days": (now - account.created_at).days,
        "state": account.state,
        "role": account.role,
        "muted_until": moment(account.muted_until) if account.muted_until else "",
        "suspended_until": moment(account.suspended_until) if account.suspended_until else "",
    }


async def accounts_by_id(session: AsyncSession, ids: set[int | None]) -> dict[int, Account]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = await session.scalars(select(Account).where(Account.id.in_(wanted)))
    return {account.id: account for account in rows}


async def _targets(
    session: AsyncSession, cases: list[Case]
) -> dict[tuple[str, int], dict[str, Any]]:
    """What each case is about, shortly: a note's title or words and cover, a comment's words,
    a member's name and bio."""
    ids: dict[str, list[int]] = defaultdict(list)
    for case in cases:
        ids[case.target_type].append(case.target_id)
    out: dict[tuple[str, int], dict[str, Any]] = {}
    if ids["note"]:
        for note in await session.scalars(select(Note).where(Note.id.in_(ids["note"]))):
            out[("note", note.id)] = {
                "excerpt": excerpt(note.title or note.body, 120),
                "lang": note.lang,
                "cover": (note.cover or {}).get("url"),
                "moderation_state": note.moderation_state,
            }
    if ids["comment"]:
        for comment in await session.scalars(select(Comment).where(Comment.id.in_(ids["comment"]))):
            out[("comment", comment.id)] = {
                "excerpt": excerpt(comment.body, 120),
                "lang": comment.lang,
                "moderation_state": comment.moderation_state,
            }
    if ids["user"]:
        for account in await session.scalars(select(Account).where(Account.id.in_(ids["user"]))):
            out[("user", account.id)] = {
                "excerpt": excerpt(
                    f"{account.display_name or account.username} · {account.bio}", 120
                ),
                "lang": account.bio_lang,
            }
    return out


# --- the work queue: where a moderator goes next ---------------------------------------------


async def next_case(
    session: AsyncSession, moderator: Account, view: str, after: Case | None = None
) -> int | None:
    """The next case of the view that `moderator` may take, after `after` in queue order and
    wrapping round to the start (never `after` itself); None when there is none."""
    now = utcnow()
    query = select(Case.id).where(
        _view_filter(view),
        or_(
            Case.claimed_by.is_(None),
            Case.claimed_by == moderator.id,
            Case.claimed_until < now,
        ),
    )
    if view == "appeals":  # an appeal goes to someone other than the moderator who decided
        query = query.where(
            ~exists().where(
                Decision.case_id == Case.id,
                Decision.moderator_id == moderator.id,
                Decision.state == "in_force",
            )
        )
    if after is not None:
        query = query.where(Case.id != after.id)
        position = (after.severity, after.opened_at, after.id)
        found = await session.scalar(query.where(_after(position)).order_by(*QUEUE_ORDER).limit(1))
        if found is not None:
            return int(found)
    found = await session.scalar(query.order_by(*QUEUE_ORDER).limit(1))
    return int(found) if found is not None else None


async def appealed_own_decision(session: AsyncSession, case: Case, moderator: Account) -> bool:
    """Whether the case waits for the review of an appeal against `moderator`'s own decision
    (they may not review it, so opening it must not claim it from the others)."""
    if case.state != "appealed":
        return False
    found = await session.scalar(
        select(Decision.id)
        .join(Appeal, Appeal.decision_id == Decision.id)
        .where(
            Decision.case_id == case.id,
            Decision.moderator_id == moderator.id,
            Appeal.state == "pending",
        )
        .limit(1)
    )
    return found is not None


async def case_of_appeal(session: AsyncSession, appeal_id: int) -> int | None:
    return await session.scalar(
        select(Decision.case_id)
        .join(Appeal, Appeal.decision_id == Decision.id)
        .where(Appeal.id == appeal_id)
    )
