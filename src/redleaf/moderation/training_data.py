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
    """(label, text) for the newest `limit` decisions whose content still exists."""
    query = (
        select(Decision, Case)
        .join(Case, Case.id == Decision.case_id)
        .order_by(Decision.created_at.desc())
        .limit(limit)
    )
    rows = []
    for decision, case in (await session.execute(query)).all():
        label = label_of(decision)
        if label is None:
            continue
        text = await _text_of(session, case.target_type, case.target_id)
        if text:
            rows.append((label, text))
    return rows


async def _text_of(session: AsyncSession, target_type: str, target_id: int) -> str:
    if target_type == "note":
        note = await session.get(Note, target_id)
        return f"{note.title}\n{note.body}".strip() if note else ""
    if target_type == "comment":
        comment = await session.get(Comment, target_id)
        return comment.body if comment else ""
    if target_type == "user":
        account = await session.get(Account, target_id)
        return f"{account.display_name}\n{account.bio}".strip() if account else ""
    return ""


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
