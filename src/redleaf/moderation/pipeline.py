"""The inline check: every note and comment passes the policy's rules before it is stored.

    ask_edit      the post is refused with the rule's reason in the author's language (400);
                  nothing is stored
    hold          stored, visible to its author only and marked as held; a case opens
    remove, mute, suspend
                  stored as removed (visible to its author only, marked); a case opens
    warn          stored and visible; the audit log keeps it
    allow         nothing to do

Cheap rules run here, in the request (Engine.check: ~0.03 ms a short text); classifier scores
join the rules in background jobs (next step). Automated actions are recorded in the audit log
with no actor (the system), in the transaction that stores the content.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.db import utcnow
from redleaf.kit.errors import InvalidInput
from redleaf.kit.runtime import Runtime
from redleaf.moderation import audit, cases, enforce, policy_store
from redleaf.moderation.engine import Content, Engine, Verdict

HIDING = {"hold": "held", "remove": "removed", "mute": "removed", "suspend": "removed"}
_FIELDS = {"note": "title", "profile": "bio"}  # where an "ask to edit" points; else "body"


class AskToEdit(InvalidInput):
    code = "moderation_ask_edit"
    message = "Please change this before posting: %(reason)s"


def engine_for(runtime: Runtime) -> Engine:
    """The policy in force, compiled: the admins' newest version, else the operator's file, else
    the shipped default (policy_store). Never reads the database: `policy_store.refresh` does,
    at most every TTL, before the inline check."""
    return policy_store.cached_engine(runtime)


def check(runtime: Runtime, author: Account, kind: str, text: str) -> Verdict:
    """The verdict on `text` by `author`; raises AskToEdit when a rule asks for an edit."""
    age_hours = (utcnow() - author.created_at).total_seconds() / 3600
    content = Content(
        kind=kind,
        text=text,
        author_locale=author.ui_language,
        author_region=author.region or None,
        author_age_hours=age_hours,
    )
    verdict = engine_for(runtime).check(content)
    if verdict.action == "ask_edit" and verdict.decisive is not None:
        reason = verdict.decisive.reason.in_locale(author.ui_language)
        raise AskToEdit(field=_FIELDS.get(kind, "body"), reason=reason)
    return verdict


async def record(
    session: AsyncSession,
    verdict: Verdict,
    *,
    target_type: str,
    target_id: int,
    author_id: int,
) -> str | None:
    """The moderation state the content takes ("held", "removed", or None to leave it), with
    its case, the author's mute or suspension when the rule says so, and the audit entry."""
    if verdict.action == "allow":
        return None
    hits: list[dict[str, Any]] = [asdict(hit) for hit in verdict.hits]
    case_id = None
    hidden = HIDING.get(verdict.action)
    if hidden is not None:
        case, _new = await cases.open_case(
            session,
            target_type=target_type,
            target_id=target_id,
            author_id=author_id,
            source="automatic",
            severity=verdict.severity,
            hits=hits,
        )
        case_id = case.id
    await _sanction(session, verdict, author_id)
    await audit.record(
        session,
        None,
        f"auto.{verdict.action}",
        target_type=target_type,
        target_id=target_id,
        case_id=case_id,
        rules=list(verdict.rules),
        policy=verdict.policy_version,
    )
    return hidden


async def _sanction(session: AsyncSession, verdict: Verdict, author_id: int) -> None:
    """A rule's mute or suspension, for the rule's duration (a suspension without one lasts
    until a moderator lifts it). The case stays open: a moderator confirms or reverses it."""
    until = enforce.ends_at(verdict.duration_hours)
    if verdict.action == "mute" and until is not None:  # without one, the content only
        await enforce.mute(session, author_id, until)
    elif verdict.action == "suspend":
        await enforce.suspend(session, author_id, until)
