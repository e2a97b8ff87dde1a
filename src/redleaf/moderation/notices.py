"""Notices: what moderation tells a member, in the language they read at the time they read it.

    decision  about their content or account: the action, the rule and its reason, how long a
              mute or suspension lasts, and whether they may still appeal
    appeal    their appeal's outcome (the decision stands, or it is reversed)
    report    the outcome of a report they made (action taken, or nothing against the rules)

The rows hold only references; the words come from the decision's stored explanation and the
catalogue, so a member who switches language reads every notice in the new one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.db import new_id, utcnow
from redleaf.kit.events import publish_on_commit
from redleaf.kit.i18n import format_moment, get_locale, gettext, lazy
from redleaf.kit.runtime import Runtime
from redleaf.moderation.models import NOTICE_KINDS, Appeal, Case, Decision, Notice
from redleaf.notes.models import Comment, Note
from redleaf.notifications.text import excerpt

# (action, target type) -> sentence; "*" for any target.
_DECIDED = {
    ("warn", "note"): lazy("We are warning you about your note."),
    ("warn", "comment"): lazy("We are warning you about your comment."),
    ("warn", "user"): lazy("We are warning you about your profile."),
    ("remove", "note"): lazy("Your note was removed."),
    ("remove", "comment"): lazy("Your comment was removed."),
    ("mute", "*"): lazy("You cannot post until %(until)s."),
    ("suspend", "*"): lazy("Your account is suspended until %(until)s."),
    ("suspend_indefinite", "*"): lazy("Your account is suspended."),
}
_ACTIONS = {
    "allow": lazy("No action"),
    "warn": lazy("Warning"),
    "remove": lazy("Content removed"),
    "mute": lazy("Posting paused"),
    "suspend": lazy("Account suspended"),
}
_APPEAL = {
    "upheld": lazy("We reviewed your appeal. The decision stands."),
    "reversed": lazy("We reviewed your appeal and reversed the decision."),
}
_REPORT = {
    "action_taken": lazy("Thank you for your report. We took action against what you reported."),
    "no_violation": lazy(
        "Thank you for your report. We looked and found nothing against our rules."
    ),
}


def action_label(action: str) -> str:
    return gettext(_ACTIONS.get(action, action))


async def send(
    session: AsyncSession,
    runtime: Runtime,
    recipient_id: int,
    kind: str,
    *,
    case_id: int | None = None,
    decision_id: int | None = None,
    appeal_id: int | None = None,
) -> None:
    if kind not in NOTICE_KINDS:
        raise ValueError(f"unknown notice kind {kind!r}")
    session.add(
        Notice(
            id=new_id(),
            recipient_id=recipient_id,
            kind=kind,
            case_id=case_id,
            decision_id=decision_id,
            appeal_id=appeal_id,
            created_at=utcnow(),
        )
    )
    await session.flush()
    # Open pages refresh their notification badge on any event of the member's channel.
    from redleaf.notifications.service import channel

    event = {"type": "moderation_notice", "kind": kind}
    publish_on_commit(session, runtime.events, channel(recipient_id), event)


async def unread_count(session: AsyncSession, reader: Account) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Notice)
        .where(Notice.recipient_id == reader.id, Notice.read_at.is_(None))
    )
    return int(count or 0)


async def do_mark_read(session: AsyncSession, reader: Account) -> None:
    await session.execute(
        update(Notice)
        .where(Notice.recipient_id == reader.id, Notice.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def get_page(
    session: AsyncSession, reader: Account, *, limit: int, before: int | None = None
) -> list[dict[str, Any]]:
    """The reader's notices, newest first, as the API and the page show them."""
    query = select(Notice).where(Notice.recipient_id == reader.id)
    if before is not None:
        query = query.where(Notice.id < before)
    rows = list(await session.scalars(query.order_by(Notice.id.desc()).limit(limit)))
    decisions = await _by_id(session, Decision, {r.decision_id for r in rows})
    appeals = await _by_id(session, Appeal, {r.appeal_id for r in rows})
    cases = await _by_id(session, Case, {r.case_id for r in rows})
    appealed = set(
        await session.scalars(
            select(Appeal.decision_id).where(Appeal.decision_id.in_(list(decisions)))
        )
    )
    targets = await _targets(session, [c for c in cases.values() if c.author_id == reader.id])
    items = []
    for row in rows:
        decision = decisions.get(row.decision_id or 0)
        case = cases.get(row.case_id or 0)
        appeal = appeals.get(row.appeal_id or 0)
        items.append(_present(row, case, decision, appeal, appealed, targets))
    return items


async def _by_id(session: AsyncSession, model: Any, ids: set[int | None]) -> dict[int, Any]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return {row.id: row for row in await session.scalars(select(model).where(model.id.in_(wanted)))}


async def _targets(
    session: AsyncSession, cases: list[Case]
) -> dict[tuple[str, int], dict[str, str]]:
    """Where each of the reader's own reported or decided things is, with a short excerpt.
    Reporters get no link: what they reported may be gone, and the notice is about their report."""
    out: dict[tuple[str, int], dict[str, str]] = {}
    note_ids = [c.target_id for c in cases if c.target_type == "note"]
    comment_ids = [c.target_id for c in cases if c.target_type == "comment"]
    if note_ids:
        for note in await session.scalars(select(Note).where(Note.id.in_(note_ids))):
            title = note.title or excerpt(note.body, 40)
            out[("note", note.id)] = {"url": f"/notes/{note.id}", "excerpt": title}
    if comment_ids:
        for comment in await session.scalars(select(Comment).where(Comment.id.in_(comment_ids))):
            out[("comment", comment.id)] = {
                "url": f"/notes/{comment.note_id}#comment-{comment.id}",
                "excerpt": excerpt(comment.body, 60),
            }
    return out


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_moment(value)


def _words(explanation: dict[str, Any], part: str) -> str:
    words = explanation.get(part) if isinstance(explanation, dict) else None
    if not isinstance(words, dict):
        return ""
    chinese = get_locale().lower().startswith("zh")
    return str(words.get("zh" if chinese else "en") or words.get("en") or "")


def _present(
    row: Notice,
    case: Case | None,
    decision: Decision | None,
    appeal: Appeal | None,
    appealed: set[int],
    targets: dict[tuple[str, int], dict[str, str]],
) -> dict[str, Any]:
    target_type = case.target_type if case else ""
    target = targets.get((target_type, case.target_id)) if case else None
    item: dict[str, Any] = {
        "id": str(row.id),
        "kind": row.kind,
        "unread": row.read_at is None,
        "created_at": row.created_at,
        "when": _when(row.created_at),
        "target": {"type": target_type, **target} if target else None,
        "decision": None,
        "appeal": None,
    }
    if row.kind == "report":
        # Reporters learn the outcome, not the details of someone else's sanction.
        taken = decision is None or decision.action != "allow"
        item["text"] = gettext(_REPORT["action_taken" if taken else "no_violation"])
        return item
    if decision is not None:
        action = decision.action
        key = "suspend_indefinite" if action == "suspend" and decision.ends_at is None else action
        sentence = _DECIDED.get((key, target_type)) or _DECIDED.get((key, "*"))
        item["decision"] = {
            "id": str(decision.id),
            "action": action,
            "action_label": action_label(action),
            "rule": _words(decision.explanation, "name"),
            "reason": _words(decision.explanation, "reason"),
            "ends_at": decision.ends_at,
            "state": decision.state,
            "can_appeal": row.kind == "decision"
            and decision.state == "in_force"
            and decision.id not in appealed,
        }
        if sentence is not None:
            item["text"] = gettext(sentence, until=_when(decision.ends_at))
    if appeal is not None:
        item["appeal"] = {"id": str(appeal.id), "state": appeal.state, "response": appeal.response}
        item["text"] = gettext(_APPEAL.get(appeal.state, _APPEAL["upheld"]))
    item.setdefault("text", "")
    return item
