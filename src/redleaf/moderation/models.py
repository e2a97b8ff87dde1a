"""Moderation's records: cases (one open case per target, where reports and automatic flags
meet), members' reports, decisions, and the append-only audit log.

A case's `open_key` is "type:id" while the case is open and NULL once it is closed: a unique
index on it makes "one open case per target" hold under concurrent reports on both databases
(NULLs never collide), and a later report opens a new case.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from redleaf.kit.db import Base, new_id, utcnow

TARGET_TYPES = ("note", "comment", "message", "user")
# open -> decided (an action taken, or dismissed) -> appealed -> closed
CASE_STATES = ("open", "decided", "appealed", "closed")
CASE_SOURCES = ("report", "automatic", "newcomer")


class Case(Base):
    __tablename__ = "moderation_cases"
    __table_args__ = (
        UniqueConstraint("open_key", name="uq_moderation_cases_open_key"),
        # The review queue: open cases by severity, then age.
        Index("ix_moderation_cases_queue", "state", "severity", "opened_at"),
        Index("ix_moderation_cases_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(BigInteger)
    open_key: Mapped[str | None] = mapped_column(String(40), default=None)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), default=None
    )
    state: Mapped[str] = mapped_column(String(16), default="open")
    source: Mapped[str] = mapped_column(String(16), default="report")
    severity: Mapped[int] = mapped_column(default=1)  # 1 (low) to 5; the queue's first order
    report_count: Mapped[int] = mapped_column(default=0)
    # What fired, for the console: [{"rule", "kind", "matched", "score"}], and classifier scores.
    hits: Mapped[list[Any]] = mapped_column(JSON, default=list)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Report(Base):
    """A member's report; one per member and target while its case is open."""

    __tablename__ = "moderation_reports"
    __table_args__ = (
        UniqueConstraint("case_id", "reporter_id", name="uq_moderation_reports_once"),
        Index("ix_moderation_reports_reporter", "reporter_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    case_id: Mapped[int] = mapped_column(ForeignKey("moderation_cases.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the case is decided and the reporter has been told.
    outcome: Mapped[str | None] = mapped_column(String(32), default=None)


class AuditEntry(Base):
    """Append-only: every automated and human action of moderation, and who or what took it.
    Nothing updates or deletes these rows (the service has no such path)."""

    __tablename__ = "moderation_audit"
    __table_args__ = (
        Index("ix_moderation_audit_time", "created_at"),
        Index("ix_moderation_audit_actor", "actor_id", "created_at"),
        Index("ix_moderation_audit_case", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    actor_id: Mapped[int | None] = mapped_column(BigInteger, default=None)  # None: the system
    actor_role: Mapped[str] = mapped_column(String(16))  # system | member | moderator | admin
    action: Mapped[str] = mapped_column(String(40))  # "report.created", "case.opened", ...
    target_type: Mapped[str] = mapped_column(String(16), default="")
    target_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    case_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
