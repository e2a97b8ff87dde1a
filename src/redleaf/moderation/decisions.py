"""Moderators' decisions on cases: what each action does to the content and its author, who is
told, and what the audit log keeps.

    allow    nothing against the rules: held or removed content is published again
    warn     the content stays up (held content is published); the author gets a notice
    remove   the content is hidden from everyone but its author, marked as removed
    mute     remove, and the author cannot post for `duration_hours`
    suspend  remove, and the author cannot sign in for `duration_hours` (none: until lifted)

A decision needs the case's claim (claims.py): deciding takes it if it is free, and fails if
another moderator holds it. Reporters hear the outcome, the author gets a notice naming the rule
and the action (not for "allow"), and everything lands in one transaction with its audit entry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.accounts.service import clean_text
from redleaf.kit.db import new_id, utcnow
from redleaf.kit.errors import AppError, InvalidInput
from redleaf.kit.i18n import catalogue
from redleaf.kit.jobs.queue import enqueue
from redleaf.kit.runtime import Runtime
from redleaf.moderation import audit, claims, enforce, notices
from redleaf.moderation.models import DECISION_ACTIONS, Case, Decision, Report
from redleaf.moderation.reasons import REASONS

MAX_DURATION_HOURS = 24 * 365 * 10  # longer than this is "until lifted" (no duration)
HIDES = {"remove", "mute", "suspend"}
SANCTIONS = {"mute", "suspend"}


@dataclass
class BulkResult:
    decided: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)  # case id -> error code


def explain(runtime: Runtime, case: Case, reason: str) -> tuple[str, dict[str, dict[str, str]]]:
    """The rule a reason code names and its words in both languages, from the policy in force,
    the rules that fired on the case, or the report reasons. InvalidInput when it names none."""
    from redleaf.moderation.pipeline import engine_for  # pipeline imports notices, via us

    rule = engine_for(runtime).policy.rule(reason)
    if rule is not None:
        return rule.code, {
            "name": {"en": rule.name.en, "zh": rule.name.zh},
            "reason": {"en": rule.reason.en, "zh": rule.reason.zh},
        }
    for hit in case.hits or []:
        if isinstance(hit, dict) and hit.get("rule") == reason:
            found = hit.get("reason")
            words = found if isinstance(found, dict) else {}
            text = {"en": str(words.get("en", "")), "zh": str(words.get("zh", ""))}
            return reason, {"name": {"en": reason, "zh": reason}, "reason": text}
    category = REASONS.get(reason)
    if category is not None:
        label = {
            "en": catalogue("en").gettext(category.label),
            "zh": catalogue("zh-Hans").gettext(category.label),
        }
        return "", {"name": label, "reason": label}
    raise InvalidInput(
        "Choose the rule or reason this decision applies.", code="unknown_reason", field="reason"
    )


def check_duration(action: str, hours: float | None) -> float | None:
    if action not in SANCTIONS:
        return None
    if hours is not None and (not math.isfinite(hours) or hours <= 0):
        raise InvalidInput("Give a duration of more than zero hours.", field="duration_hours")
    if hours is not None and hours > MAX_DURATION_HOURS:
        hours = None
    if action == "mute" and hours is None:
        raise InvalidInput("A mute needs a duration.", field="duration_hours")
    return hours


async def do_decide(
    session: AsyncSession,
    runtime: Runtime,
    moderator: Account,
    case_id: int,
    *,
    action: str,
    reason: str,
    note: str = "",
    duration_hours: float | None = None,
) -> Decision:
    if action not in DECISION_ACTIONS:
        raise InvalidInput("Choose an action.", field="action")
    note = clean_text(
        note, field="note", max_length=runtime.settings.decision_note_max_length, multiline=True
    )
    hours = check_duration(action, duration_hours)
    case = await claims.claim(session, runtime, moderator, case_id)
    if case.state != "open":
        raise InvalidInput(
            "This case has an appeal waiting: review the appeal instead.",
            code="case_appealed",
            field="action",
        )
    if case.target_type == "user" and action == "remove":
        raise InvalidInput(
            "A member's account cannot be removed: warn, mute or suspend them.",
            code="cannot_remove_account",
            field="action",
        )
    rule, explanation = explain(runtime, case, reason)
    now = utcnow()
    decision = Decision(
        id=new_id(),
        case_id=case.id,
        moderator_id=moderator.id,
        author_id=case.author_id,
        action=action,
        reason=reason,
        rule=rule,
        explanation=explanation,
        note=note,
        duration_hours=hours,
        ends_at=enforce.ends_at(hours, now),
        state="in_force",
        created_at=now,
    )
    session.add(decision)
    await _apply(session, case, decision)
    case.state = "decided"
    case.open_key = None  # a later report opens a new case
    case.decided_at = now
    case.claimed_by = None
    case.claimed_until = None
    await session.flush()
    await _tell_reporters(session, runtime, case, decision)
    if action != "allow" and case.author_id is not None:
        await notices.send(
            session, runtime, case.author_id, "decision", case_id=case.id, decision_id=decision.id
        )
    await audit.record(
        session,
        moderator,
        f"case.{action}",
        target_type=case.target_type,
        target_id=case.target_id,
        case_id=case.id,
        decision=str(decision.id),
        reason=reason,
        duration_hours=hours,
    )
    return decision


async def _apply(session: AsyncSession, case: Case, decision: Decision) -> None:
    action = decision.action
    target, target_id = case.target_type, case.target_id
    if action in ("allow", "warn"):
        await enforce.set_content_state(session, target, target_id, "visible")
        if case.author_id is not None:  # a rule's automatic mute or suspension ends with it
            fired = {hit.get("action") for hit in case.hits or [] if isinstance(hit, dict)}
            await enforce.lift(
                session, case.author_id, mute="mute" in fired, suspension="suspend" in fired
            )
    elif action in HIDES:
        await enforce.set_content_state(session, target, target_id, "removed")
    if case.author_id is None:
        return
    if action == "mute" and decision.ends_at is not None:
        await enforce.mute(session, case.author_id, decision.ends_at)
    elif action == "suspend":
        await enforce.suspend(session, case.author_id, decision.ends_at)
        if decision.ends_at is not None:
            from redleaf.moderation.jobs import LIFT_SUSPENSION  # jobs import the pipeline

            await enqueue(
                session,
                LIFT_SUSPENSION,
                {"account_id": str(case.author_id)},
                run_at=decision.ends_at,
                idempotency_key=f"lift:{decision.id}",
            )


async def _tell_reporters(
    session: AsyncSession, runtime: Runtime, case: Case, decision: Decision
) -> None:
    outcome = "no_violation" if decision.action == "allow" else "action_taken"
    reporters = list(
        await session.scalars(
            select(Report.reporter_id).where(Report.case_id == case.id, Report.outcome.is_(None))
        )
    )
    await session.execute(
        update(Report)
        .where(Report.case_id == case.id, Report.outcome.is_(None))
        .values(outcome=outcome)
        .execution_options(synchronize_session=False)
    )
    for reporter_id in reporters:
        await notices.send(
            session, runtime, reporter_id, "report", case_id=case.id, decision_id=decision.id
        )


async def do_bulk_decide(
    session: AsyncSession,
    runtime: Runtime,
    moderator: Account,
    case_ids: list[int],
    *,
    action: str,
    reason: str,
    note: str = "",
    duration_hours: float | None = None,
) -> BulkResult:
    """The same decision on many cases; a case someone else holds, or one already decided, is
    skipped (and said so) rather than failing the rest."""
    limit = runtime.settings.moderation_bulk_max
    unique = list(dict.fromkeys(case_ids))
    if not unique:
        raise InvalidInput("Choose at least one case.", field="case_ids")
    if len(unique) > limit:
        raise InvalidInput("Choose at most %(max)s cases at once.", field="case_ids", max=limit)
    if action not in DECISION_ACTIONS:
        raise InvalidInput("Choose an action.", field="action")
    check_duration(action, duration_hours)  # the same for every case: refused once
    result = BulkResult()
    for case_id in unique:
        # A refusal comes before anything is written (at most the moderator's own claim is
        # taken), so the other cases go on in the same transaction.
        try:
            await do_decide(
                session,
                runtime,
                moderator,
                case_id,
                action=action,
                reason=reason,
                note=note,
                duration_hours=duration_hours,
            )
        except AppError as error:
            if error.field == "note":
                raise
            result.skipped[case_id] = error.code
        else:
            result.decided.append(case_id)
    return result
