"""Claims: a moderator who opens a case holds it for `moderation_claim_minutes`, so two moderators
never decide the same case. Taking a claim is one conditional UPDATE, atomic on both databases:
of two moderators racing, one row is changed and the other finds the case taken."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.db import utcnow
from redleaf.kit.errors import Conflict, NotFound
from redleaf.kit.runtime import Runtime
from redleaf.moderation import audit
from redleaf.moderation.models import Case

# A case waits for a moderator while open (a first decision) or appealed (a second look).
DECIDABLE = ("open", "appealed")


class CaseClaimed(Conflict):
    code = "case_claimed"
    message = "Another moderator is working on this case."


class CaseSettled(Conflict):
    code = "case_settled"
    message = "This case has already been decided."


def case_not_found() -> NotFound:
    return NotFound("We could not find that case.", code="case_not_found")


async def claim(session: AsyncSession, runtime: Runtime, moderator: Account, case_id: int) -> Case:
    """Take (or renew) the claim on a case waiting for a decision; CaseClaimed when another
    moderator's claim has not lapsed."""
    now = utcnow()
    until = now + timedelta(minutes=runtime.settings.moderation_claim_minutes)
    result = await session.execute(
        update(Case)
        .where(
            Case.id == case_id,
            Case.state.in_(DECIDABLE),
            or_(
                Case.claimed_by.is_(None),
                Case.claimed_by == moderator.id,
                Case.claimed_until < now,
            ),
        )
        .values(claimed_by=moderator.id, claimed_until=until)
        .execution_options(synchronize_session=False)
    )
    case = await session.get(Case, case_id, populate_existing=True)
    if case is None:
        raise case_not_found()
    if not isinstance(result, CursorResult) or result.rowcount == 0:
        if case.state not in DECIDABLE:
            raise CaseSettled()
        raise CaseClaimed()
    return case


async def release(session: AsyncSession, moderator: Account, case_id: int) -> None:
    """Give a claimed case back to the queue (only one's own claim)."""
    await session.execute(
        update(Case)
        .where(Case.id == case_id, Case.claimed_by == moderator.id)
        .values(claimed_by=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    await audit.record(session, moderator, "case.released", case_id=case_id)
