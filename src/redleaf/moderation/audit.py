"""The audit log: one row per action of moderation, automated or human, written in the same
transaction as the action (so the log and the state cannot disagree)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.kit.db import new_id, utcnow
from redleaf.moderation.models import AuditEntry


def actor_role(actor: Account | None) -> str:
    if actor is None:
        return "system"
    return actor.role if actor.role in ("moderator", "admin") else "member"


async def record(
    session: AsyncSession,
    actor: Account | None,
    action: str,
    *,
    target_type: str = "",
    target_id: int | None = None,
    case_id: int | None = None,
    **details: Any,
) -> None:
    session.add(
        AuditEntry(
            id=new_id(),
            actor_id=actor.id if actor is not None else None,
            actor_role=actor_role(actor),
            action=action,
            target_type=target_type,
            target_id=target_id,
            case_id=case_id,
            details=details,
            created_at=utcnow(),
        )
    )
    await session.flush()
