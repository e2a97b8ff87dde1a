"""The audit log as the console reads it (a page, or CSV streamed in batches) and the counts of
what each moderator decided and reviewed. All reads; the log is written by audit.py.

Pages follow a keyset cursor (time, then id, newest first), never an offset.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from redleaf.accounts.models import Account
from redleaf.kit.errors import InvalidInput
from redleaf.kit.runtime import Runtime
from redleaf.moderation.console import accounts_by_id, moment
from redleaf.moderation.models import TARGET_TYPES, Appeal, AuditEntry, Decision

CSV_BATCH = 500
CSV_COLUMNS = ("time", "actor", "role", "action", "target_type", "target_id", "case", "details")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""  # a username, an account id, or "system"
    action: str = ""  # a prefix: "case." or "case.remove"
    target_type: str = ""
    since: date | None = None
    until: date | None = None  # inclusive

    def query(self) -> dict[str, str]:
        """The filters as URL query values (the CSV link and the next page keep them)."""
        values = {
            "actor": self.actor,
            "action": self.action,
            "target_type": self.target_type,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {key: value for key, value in values.items() if value}


def parse_filters(values: Any) -> AuditFilters:
    """Filters from a query string; InvalidInput naming the field that is wrong."""

    def day(name: str) -> date | None:
        raw = str(values.get(name) or "").strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise InvalidInput("Give a date as YYYY-MM-DD.", field=name) from None

    target_type = str(values.get("target_type") or "").strip()
    if target_type and target_type not in TARGET_TYPES:
        raise InvalidInput("Choose what the entries are about.", field="target_type")
    return AuditFilters(
        actor=str(values.get("actor") or "").strip().lstrip("@")[:40],
        action=str(values.get("action") or "").strip()[:40],
        target_type=target_type,
        since=day("since"),
        until=day("until"),
    )


async def _audit_query(session: AsyncSession, filters: AuditFilters) -> Any | None:
    """The filtered audit query, newest first; None when the actor named is no one."""
    query = select(AuditEntry, Account.username).outerjoin(
        Account, Account.id == AuditEntry.actor_id
    )
    actor = filters.actor
    if actor.lower() == "system":
        query = query.where(AuditEntry.actor_id.is_(None))
    elif actor.isascii() and actor.isdigit():
        query = query.where(AuditEntry.actor_id == int(actor))
    elif actor:
        actor_id = await session.scalar(
            select(Account.id).where(func.lower(Account.username) == actor.lower())
        )
        if actor_id is None:
            return None
        query = query.where(AuditEntry.actor_id == actor_id)
    if filters.action:
        query = query.where(AuditEntry.action.startswith(filters.action, autoescape=True))
    if filters.target_type:
        query = query.where(AuditEntry.target_type == filters.target_type)
    if filters.since:
        query = query.where(AuditEntry.created_at >= datetime.combine(filters.since, time(), UTC))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(), UTC)
        query = query.where(AuditEntry.created_at < end)
    return query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())


def _audit_before(cursor: str | None) -> ColumnElement[bool] | None:
    try:
        stamp, entry_id = (cursor or "").rsplit("_", 1)
        at = datetime.fromisoformat(stamp)
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        return or_(
            AuditEntry.created_at < at,
            and_(AuditEntry.created_at == at, AuditEntry.id < int(entry_id)),
        )
    except ValueError:
        return None


async def audit_page(
    session: AsyncSession, filters: AuditFilters, *, limit: int, cursor: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    query = await _audit_query(session, filters)
    if query is None:
        return [], None
    before = _audit_before(cursor)
    if before is not None:
        query = query.where(before)
    rows = list(await session.execute(query.limit(limit + 1)))
    more = len(rows) > limit
    entries = [_entry(entry, username) for entry, username in rows[:limit]]
    last = rows[limit - 1][0] if more else None
    return entries, f"{last.created_at.isoformat()}_{last.id}" if last else None


def _entry(entry: AuditEntry, username: str | None) -> dict[str, Any]:
    return {
        "id": str(entry.id),
        "created_at": entry.created_at,
        "when": moment(entry.created_at),
        "actor": username or ("system" if entry.actor_id is None else str(entry.actor_id)),
        "actor_role": entry.actor_role,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": str(entry.target_id) if entry.target_id is not None else "",
        "case_id": str(entry.case_id) if entry.case_id is not None else "",
        "details": entry.details or {},
    }


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: one starting like a formula gets a quote first."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_line(cells: list[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe_cell(cell) for cell in cells])
    return buffer.getvalue()


async def audit_csv(runtime: Runtime, filters: AuditFilters) -> AsyncIterator[str]:
    """The filtered log as CSV lines, newest first, read in batches with a short session of its
    own for each (the response streams after the request's session has closed)."""
    yield "\ufeff" + _csv_line(list(CSV_COLUMNS))  # the BOM: spreadsheets then read UTF-8
    cursor: str | None = None
    while True:
        async with runtime.sessions() as session:
            entries, cursor = await audit_page(session, filters, limit=CSV_BATCH, cursor=cursor)
        for e in entries:
            details = json.dumps(e["details"], ensure_ascii=False, sort_keys=True, default=str)
            yield _csv_line(
                [
                    e["created_at"].isoformat(),
                    e["actor"],
                    e["actor_role"],
                    e["action"],
                    e["target_type"],
                    e["target_id"],
                    e["case_id"],
                    details,
                ]
            )
        if cursor is None:
            return


# --- per-moderator activity -------------------------------------------------------------------


async def moderator_counts(session: AsyncSession, since: datetime) -> list[dict[str, Any]]:
    """Each moderator's decisions since `since` by action, the appeals they reviewed, and the
    share of their decisions that an appeal reversed. Busiest first."""
    decided: dict[int, Counter[str]] = defaultdict(Counter)
    for moderator_id, action, count in await session.execute(
        select(Decision.moderator_id, Decision.action, func.count())
        .where(Decision.moderator_id.is_not(None), Decision.created_at >= since)
        .group_by(Decision.moderator_id, Decision.action)
    ):
        decided[cast(int, moderator_id)][action] = count
    overturned = dict(
        (moderator_id, count)
        for moderator_id, count in await session.execute(
            select(Decision.moderator_id, func.count())
            .where(
                Decision.moderator_id.is_not(None),
                Decision.created_at >= since,
                Decision.state == "reversed",
            )
            .group_by(Decision.moderator_id)
        )
    )
    reviewed: dict[int, Counter[str]] = defaultdict(Counter)
    for reviewer_id, state, count in await session.execute(
        select(Appeal.reviewer_id, Appeal.state, func.count())
        .where(Appeal.reviewer_id.is_not(None), Appeal.reviewed_at >= since)
        .group_by(Appeal.reviewer_id, Appeal.state)
    ):
        reviewed[cast(int, reviewer_id)][state] = count
    people = await accounts_by_id(session, {*decided, *reviewed})
    rows = []
    for account_id in set(decided) | set(reviewed):
        total = sum(decided[account_id].values())
        reversed_count = overturned.get(account_id, 0)
        account = people.get(account_id)
        rows.append(
            {
                "moderator": account.username if account else str(account_id),
                "decisions": dict(decided[account_id]),
                "total": total,
                "appeals_reviewed": sum(reviewed[account_id].values()),
                "appeals_reversed": reviewed[account_id]["reversed"],
                "reversed": reversed_count,
                "reversed_share": reversed_count / total if total else None,
            }
        )
    return sorted(rows, key=lambda row: (-row["total"], -row["appeals_reviewed"], row["moderator"]))
