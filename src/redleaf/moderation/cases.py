"""Cases: where reports and automatic flags about one target meet. One open case per target
(models.py, `open_key`); a report or a flag on a target with an open case joins it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case as when
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.kit.db import insert_ignore, new_id, utcnow
from redleaf.moderation.models import Case


def open_key(target_type: str, target_id: int) -> str:
    return f"{target_type}:{target_id}"


async def open_case(
    session: AsyncSession,
    *,
    target_type: str,
    target_id: int,
    author_id: int | None,
    source: str,
    severity: int,
    hits: list[Any] | None = None,
) -> tuple[Case, bool]:
    """The open case of the target, made if there is none; and whether it was made now. Safe
    under concurrent reports: the insert that loses the race finds the winner's row."""
    key = open_key(target_type, target_id)
    now = utcnow()
    created = await session.scalar(
        insert_ignore(
            session,
            Case,
            id=new_id(),
            target_type=target_type,
            target_id=target_id,
            open_key=key,
            author_id=author_id,
            state="open",
            source=source,
            severity=severity,
            report_count=0,
            hits=hits or [],
            scores={},
            opened_at=now,
            updated_at=now,
        ).returning(Case.id)
    )
    found = await session.scalar(
        select(Case).where(Case.open_key == key).execution_options(populate_existing=True)
    )
    assert found is not None  # inserted now or by the transaction that won the race
    return found, created is not None


async def raise_severity(session: AsyncSession, case_id: int, severity: int, reports: int) -> None:
    """Atomically: at least `severity`, and `reports` more reports."""
    await session.execute(
        update(Case)
        .where(Case.id == case_id)
        .values(
            severity=when((Case.severity < severity, severity), else_=Case.severity),
            report_count=Case.report_count + reports,
            updated_at=utcnow(),
        )
    )
