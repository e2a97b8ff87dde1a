"""One case as the console's case page shows it: the content (whatever its visibility or
moderation state), the reports, the rules that fired, the author's record, the decisions and
any appeal, and the reasons a decision may give. All reads (see console.py for why these skip
notes/access.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.db import utcnow
from redleaf.kit.i18n import get_locale, gettext
from redleaf.kit.runtime import Runtime
from redleaf.media import service as media_service
from redleaf.moderation.console import (
    accounts_by_id,
    is_held,
    moment,
    person_summary,
    reason_label,
    rules_fired,
)
from redleaf.moderation.models import Appeal, Case, Decision, Report
from redleaf.moderation.notices import action_label
from redleaf.moderation.reasons import REASONS
from redleaf.notes import repository as notes_repository
from redleaf.notes.models import Comment, Note
from redleaf.notifications.text import excerpt, when

PAST_DECISIONS = 20


async def case_detail(
    session: AsyncSession, runtime: Runtime, moderator: Account, case_id: int
) -> dict[str, Any] | None:
    """Everything the case page shows, as plain values (the page translates after the
    session is closed). None when there is no such case."""
    case = await session.get(Case, case_id)
    if case is None:
        return None
    now = utcnow()
    people = await accounts_by_id(session, {case.author_id, case.claimed_by})
    decisions = list(
        await session.scalars(
            select(Decision).where(Decision.case_id == case.id).order_by(Decision.created_at)
        )
    )
    appeals = {
        appeal.decision_id: appeal
        for appeal in await session.scalars(
            select(Appeal).where(Appeal.decision_id.in_([d.id for d in decisions]))
        )
    }
    people |= await accounts_by_id(
        session,
        {d.moderator_id for d in decisions} | {a.reviewer_id for a in appeals.values()},
    )
    holder = people.get(case.claimed_by or 0) if is_held(case) else None
    pending = next((a for a in appeals.values() if a.state == "pending"), None)
    pending_decision = next((d for d in decisions if pending and d.id == pending.decision_id), None)
    return {
        "id": str(case.id),
        "target_type": case.target_type,
        "target_id": str(case.target_id),
        "state": case.state,
        "source": case.source,
        "severity": case.severity,
        "report_count": case.report_count,
        "opened": moment(case.opened_at),
        "age": when(case.opened_at, now),
        "decided": moment(case.decided_at),
        "claimed_by": holder.username if holder else None,
        "claimed_until": moment(case.claimed_until) if holder else "",
        "held_by_other": holder is not None and holder.id != moderator.id,
        "content": await _content(session, runtime, case),
        "reports": await _reports(session, case.id),
        "hits": [_hit(runtime, hit) for hit in case.hits or [] if isinstance(hit, dict)],
        "scores": {str(k): v for k, v in (case.scores or {}).items()},
        "author": await _history(session, case, people.get(case.author_id or 0), now),
        "decisions": [_decision(d, appeals.get(d.id), people) for d in decisions],
        "appeal": (
            {
                "id": str(pending.id),
                "text": pending.text,
                "created": moment(pending.created_at),
                "own_decision": pending_decision is not None
                and pending_decision.moderator_id == moderator.id,
            }
            if pending is not None
            else None
        ),
        "reason_groups": reason_groups(runtime, case),
    }


async def _content(session: AsyncSession, runtime: Runtime, case: Case) -> dict[str, Any]:
    if case.target_type == "note":
        note = await session.get(Note, case.target_id)
        if note is None:
            return {"gone": True}
        media = (await notes_repository.media_of_notes(session, [note.id])).get(note.id, [])
        return {
            "kind": "note",
            "title": note.title,
            "body": note.body,
            "lang": note.lang,
            "url": f"/notes/{note.id}",
            "state": note.state,
            "visibility": note.visibility,
            "moderation_state": note.moderation_state,
            "media": [_media(m, runtime) for m in media],
        }
    if case.target_type == "comment":
        comment = await session.get(Comment, case.target_id)
        if comment is None:
            return {"gone": True}
        parent = await session.get(Note, comment.note_id)
        return {
            "kind": "comment",
            "body": comment.body,
            "lang": comment.lang,
            "url": f"/notes/{comment.note_id}#comment-{comment.id}",
            "moderation_state": comment.moderation_state,
            "note": {
                "url": f"/notes/{comment.note_id}",
                "title": excerpt(parent.title or parent.body, 80) if parent else "",
            },
        }
    if case.target_type == "user":
        account = await session.get(Account, case.target_id)
        if account is None:
            return {"gone": True}
        return {
            "kind": "user",
            "display_name": account.display_name or account.username,
            "username": account.username,
            "body": account.bio,
            "lang": account.bio_lang,
            "url": f"/u/{account.username}",
        }
    return {"gone": True}


def _media(media: Any, runtime: Runtime) -> dict[str, Any]:
    out = media_service.media_out(media, runtime.settings)
    urls = out["urls"]
    picture = urls.get("720") or urls.get("poster") or next(iter(urls.values()), None)
    return {"kind": out["kind"], "state": out["state"], "url": picture, "full": urls.get("1080")}


async def _reports(session: AsyncSession, case_id: int) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Report, Account.username)
        .join(Account, Account.id == Report.reporter_id)
        .where(Report.case_id == case_id)
        .order_by(Report.created_at)
    )
    return [
        {
            "reason": report.reason,
            "label": reason_label(report.reason),
            "text": report.text,
            "reporter": username,
            "created": moment(report.created_at),
        }
        for report, username in rows
    ]


def _hit(runtime: Runtime, hit: dict[str, Any]) -> dict[str, Any]:
    from redleaf.moderation.pipeline import engine_for  # pipeline imports the services

    code = str(hit.get("rule", ""))
    rule = engine_for(runtime).policy.rule(code)
    reason = hit.get("reason")
    words = reason if isinstance(reason, dict) else {}
    chinese = get_locale() == "zh-Hans"
    return {
        "rule": code,
        "name": rule.name.in_locale(get_locale()) if rule else code,
        "matcher": hit.get("matcher", ""),
        "action": hit.get("action", ""),
        "severity": hit.get("severity"),
        "reason": str(words.get("zh" if chinese else "en") or words.get("en") or ""),
        "terms": list(hit.get("terms") or []),
        "excerpt": hit.get("excerpt") or "",
        "domains": list(hit.get("domains") or []),
        "score": hit.get("score"),
    }


async def _history(
    session: AsyncSession, case: Case, author: Account | None, now: datetime
) -> dict[str, Any] | None:
    """The author's record: how long they have been here, what they posted, what moderators
    decided about them before, and what else is waiting."""
    if author is None:
        return None
    notes = await session.scalar(
        select(func.count()).select_from(Note).where(Note.author_id == author.id)
    )
    comments = await session.scalar(
        select(func.count()).select_from(Comment).where(Comment.author_id == author.id)
    )
    open_cases = await session.scalar(
        select(func.count())
        .select_from(Case)
        .where(
            Case.author_id == author.id, Case.state.in_(("open", "appealed")), Case.id != case.id
        )
    )
    past = await session.execute(
        select(Decision, Case.target_type)
        .join(Case, Case.id == Decision.case_id)
        .where(Decision.author_id == author.id, Decision.case_id != case.id)
        .order_by(Decision.created_at.desc())
        .limit(PAST_DECISIONS)
    )
    return {
        **(person_summary(author, now) or {}),
        "since": moment(author.created_at),
        "notes": int(notes or 0),
        "comments": int(comments or 0),
        "open_cases": int(open_cases or 0),
        "past": [
            {
                "case_id": str(decision.case_id),
                "target_type": target_type,
                "action": decision.action,
                "action_label": action_label(decision.action),
                "rule": _words(decision.explanation, "name") or decision.reason,
                "state": decision.state,
                "created": moment(decision.created_at),
            }
            for decision, target_type in past
        ],
    }


def _words(explanation: dict[str, Any], part: str) -> str:
    words = explanation.get(part) if isinstance(explanation, dict) else None
    if not isinstance(words, dict):
        return ""
    return str(words.get("zh" if get_locale() == "zh-Hans" else "en") or words.get("en") or "")


def _decision(
    decision: Decision, appeal: Appeal | None, people: dict[int, Account]
) -> dict[str, Any]:
    moderator = people.get(decision.moderator_id or 0)
    reviewer = people.get(appeal.reviewer_id or 0) if appeal else None
    return {
        "id": str(decision.id),
        "action": decision.action,
        "action_label": action_label(decision.action),
        "reason": decision.reason,
        "rule": _words(decision.explanation, "name") or decision.reason,
        "note": decision.note,
        "duration_hours": decision.duration_hours,
        "ends": moment(decision.ends_at),
        "state": decision.state,
        "moderator": moderator.username if moderator else None,
        "created": moment(decision.created_at),
        "appeal": (
            {
                "state": appeal.state,
                "text": appeal.text,
                "response": appeal.response,
                "reviewer": reviewer.username if reviewer else None,
            }
            if appeal
            else None
        ),
    }


def reason_groups(runtime: Runtime, case: Case | None = None) -> list[dict[str, Any]]:
    """The reason codes a decision may give, in the order a moderator wants them: the rules
    that fired on the case, then every rule of the policy, then the report reasons."""
    from redleaf.moderation.pipeline import engine_for

    locale = get_locale()
    policy = engine_for(runtime).policy
    fired = rules_fired(case) if case is not None else []
    groups = []
    if fired:
        options = []
        for code in fired:
            rule = policy.rule(code)
            options.append({"code": code, "label": rule.name.in_locale(locale) if rule else code})
        groups.append({"label": gettext("Rules that fired"), "options": options})
    groups.append(
        {
            "label": gettext("Policy rules"),
            "options": [
                {"code": rule.code, "label": rule.name.in_locale(locale)}
                for rule in policy.rules
                if rule.code not in fired
            ],
        }
    )
    groups.append(
        {
            "label": gettext("Report reasons"),
            "options": [{"code": r.code, "label": gettext(r.label)} for r in REASONS.values()],
        }
    )
    return groups
