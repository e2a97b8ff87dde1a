"""Moderators' decisions as training rows for `redleaf moderation train --from-decisions`.

A decision that found nothing wrong (allow), or one reversed on appeal, says the text is fine
("ok"); a decision against the content says what it was, by its reason or its rule's code. Texts
are read as they are now (an edited note teaches what it says now). Decisions whose reason maps
to no label of the classifier (copyright, say) teach nothing and are left out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.runtime import Runtime
from redleaf.moderation.classifiers.embedding import LABELS, NEUTRAL_LABEL
from redleaf.moderation.models import Case, Decision
from redleaf.notes.models import Comment, Note
from redleaf.settings import Settings

# Report reasons and rule-code prefixes -> the classifier's labels.
_BY_REASON = {
    "spam": "spam",
    "scam": "scam",
    "harassment": "harassment",
    "hate": "abuse",
    "violence": "abuse",
    "self_harm": "abuse",
}
_BY_RULE_PREFIX = (("abuse", "abuse"), ("harass", "harassment"), ("scam", "scam"), ("spam", "spam"))
MAX_ROWS = 100_000


def label_of(decision: Decision) -> str | None:
    if decision.action == "allow" or decision.state == "reversed":
        return NEUTRAL_LABEL
    found = _BY_REASON.get(decision.reason)
    if found is None:
        code = (decision.rule or decision.reason).lower()
        found = next((label for prefix, label in _BY_RULE_PREFIX if code.startswith(prefix)), None)
    return found if found in LABELS else None


async def decision_rows(session: AsyncSession, limit: int = MAX_ROWS) -> list[tuple[str, str]]:
    """(label, text) for the newest `limit` decisions whose content still exists (the texts
    read in one query per kind of target, not one per decision)."""
    query = (
        select(Decision, Case)
        .join(Case, Case.id == Decision.case_id)
        .order_by(Decision.created_at.desc())
        .limit(limit)
    )
    labelled = [
        (label, case)
        for decision, case in (await session.execute(query)).all()
        if (label := label_of(decision)) is not None
    ]
    texts = await _texts(session, [case for _label, case in labelled])
    rows = []
    for label, case in labelled:
        text = texts.get((case.target_type, case.target_id), "")
        if text:
            rows.append((label, text))
    return rows


async def _texts(session: AsyncSession, cases: list[Case]) -> dict[tuple[str, int], str]:
    wanted: dict[str, set[int]] = {}
    for case in cases:
        wanted.setdefault(case.target_type, set()).add(case.target_id)
    found: dict[tuple[str, int], str] = {}
    for chunk in _chunks(wanted.get("note", set())):
        for note in await session.scalars(select(Note).where(Note.id.in_(chunk))):
            found[("note", note.id)] = f"{note.title}\n{note.body}".strip()
    for chunk in _chunks(wanted.get("comment", set())):
        for comment in await session.scalars(select(Comment).where(Comment.id.in_(chunk))):
            found[("comment", comment.id)] = comment.body
    for chunk in _chunks(wanted.get("user", set())):
        for account in await session.scalars(select(Account).where(Account.id.in_(chunk))):
            found[("user", account.id)] = f"{account.display_name}\n{account.bio}".strip()
    return found


def _chunks(ids: set[int], size: int = 500) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[start : start + size] for start in range(0, len(ordered), size)]


def source_for(settings: Settings) -> Iterable[tuple[str, str]]:
    """What the train command reads (it runs outside any event loop)."""

    async def read() -> list[tuple[str, str]]:
        runtime = Runtime.build(settings)
        try:
            async with runtime.sessions() as session:
                return await decision_rows(session)
        finally:
            await runtime.close()

    return asyncio.run(read())
