"""Appeals: an author may appeal each decision against them once; a different moderator than the
one who decided reviews it. Upholding keeps the decision; reversing it publishes the content
again and lifts the mute or suspension it brought. The author is told either way.

    decision in force -> appealed (case back in the queue) -> upheld | reversed (case closed)
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.accounts.service import clean_text
from redleaf.kit.db import insert_ignore, new_id, utcnow
from redleaf.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from redleaf.kit.runtime import Runtime
from redleaf.moderation import audit, claims, enforce, notices
from redleaf.moderation.models import Appeal, Case, Decision

OUTCOMES = ("upheld", "reversed")


def decision_not_found() -> NotFound:
    return NotFound("We could not find that decision.", code="decision_not_found")


def appeal_not_found() -> NotFound:
    return NotFound("We could not find that appeal.", code="appeal_not_found")


async def do_appeal(
    session: AsyncSession, runtime: Runtime, author: Account, decision_id: int, text: str
) -> Appeal:
    """The author's appeal; Conflict when the decision was already appealed."""
    decision = await session.get(Decision, decision_id)
    if decision is None or decision.author_id != author.id or decision.action == "allow":
        raise decision_not_found()
    text = clean_text(
        text, field="text", max_length=runtime.settings.appeal_text_max_length, multiline=True
    )
    if not text:
        raise InvalidInput("Tell us why this decision should change.", field="text")
    if decision.state != "in_force":
        raise Conflict("This decision is no longer in force.", code="decision_reversed")
    appeal_id = await session.scalar(
        insert_ignore(
            session,
            Appeal,
            id=new_id(),
            decision_id=decision.id,
            author_id=author.id,
            text=text,
            state="pending",
            response="",
            created_at=utcnow(),
        ).returning(Appeal.id)
    )
    if appeal_id is None:
        raise Conflict("You have already appealed this decision.", code="appeal_exists")
    case = await session.get(Case, decision.case_id)
    if case is not None:
        case.state = "appealed"
        case.claimed_by = None
        case.claimed_until = None
    await audit.record(
        session,
        author,
        "appeal.created",
        target_type=case.target_type if case else "",
        target_id=case.target_id if case else None,
        case_id=decision.case_id,
        decision=str(decision.id),
    )
    appeal = await session.get(Appeal, appeal_id)
    assert appeal is not None
    return appeal


async def do_review(
    session: AsyncSession,
    runtime: Runtime,
    moderator: Account,
    appeal_id: int,
    *,
    outcome: str,
    response: str = "",
) -> Appeal:
    if outcome not in OUTCOMES:
        raise InvalidInput("Choose to uphold or reverse the decision.", field="outcome")
    response = clean_text(
        response,
        field="response",
        max_length=runtime.settings.decision_note_max_length,
        multiline=True,
    )
    appeal = await session.get(Appeal, appeal_id)
    if appeal is None:
        raise appeal_not_found()
    decision = await session.get(Decision, appeal.decision_id)
    if decision is None:
        raise decision_not_found()
    if decision.moderator_id == moderator.id:
        raise Forbidden(
            "A different moderator must review the appeal of your own decision.",
            code="appeal_own_decision",
        )
    case = await claims.claim(session, runtime, moderator, decision.case_id)
    if appeal.state != "pending" or case.state != "appealed":
        raise claims.CaseSettled()
    now = utcnow()
    appeal.state = outcome
    appeal.reviewer_id = moderator.id
    appeal.response = response
    appeal.reviewed_at = now
    if outcome == "reversed":
        await _reverse(session, case, decision)
    case.state = "closed"
    case.claimed_by = None
    case.claimed_until = None
    await session.flush()
    await notices.send(
        session,
        runtime,
        appeal.author_id,
        "appeal",
        case_id=case.id,
        decision_id=decision.id,
        appeal_id=appeal.id,
    )
    await audit.record(
        session,
        moderator,
        f"appeal.{outcome}",
        target_type=case.target_type,
        target_id=case.target_id,
        case_id=case.id,
        decision=str(decision.id),
        appeal=str(appeal.id),
    )
    return appeal


async def _reverse(session: AsyncSession, case: Case, decision: Decision) -> None:
    decision.state = "reversed"
    if decision.action in ("remove", "mute", "suspend"):
        await enforce.set_content_state(session, case.target_type, case.target_id, "visible")
    if decision.author_id is not None and decision.action in ("mute", "suspend"):
        await enforce.lift(
            session,
            decision.author_id,
            mute=decision.action == "mute",
            suspension=decision.action == "suspend",
        )
