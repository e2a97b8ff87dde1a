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
# What a decision does, mildest first. "allow" finds nothing wrong (held content is published);
# "restore" is an appeal's reversal.
DECISION_ACTIONS = ("allow", "warn", "remove", "mute", "suspend")
APPEAL_STATES = ("pending", "upheld", "reversed")
NOTICE_KINDS = ("decision", "appeal", "report")
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
    # A moderator's claim: until it lapses, only they may decide the case (claims.py).
    claimed_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)


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


class Decision(Base):
    """What a moderator (or, with no moderator, the system) decided on a case: the action, the
    reason code, the rule it applies, and how long a mute or suspension lasts."""

    __tablename__ = "moderation_decisions"
    __table_args__ = (
        Index("ix_moderation_decisions_case", "case_id"),
        Index("ix_moderation_decisions_author", "author_id", "created_at"),
        Index("ix_moderation_decisions_moderator", "moderator_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    case_id: Mapped[int] = mapped_column(ForeignKey("moderation_cases.id", ondelete="CASCADE"))
    moderator_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    author_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    action: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(64))  # a report reason or a policy rule's code
    rule: Mapped[str] = mapped_column(String(64), default="")
    # The rule's or reason's words when decided, {"name": {"en", "zh"}, "reason": {"en", "zh"}}:
    # the notice names what applied then, whatever the policy says later.
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")  # for moderators; never shown to authors
    duration_hours: Mapped[float | None] = mapped_column(default=None)
    ends_at: Mapped[datetime | None] = mapped_column(default=None)
    # in_force -> reversed (an appeal succeeded)
    state: Mapped[str] = mapped_column(String(16), default="in_force")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Appeal(Base):
    """The author's one appeal of a decision, reviewed by another moderator."""

    __tablename__ = "moderation_appeals"
    __table_args__ = (
        UniqueConstraint("decision_id", name="uq_moderation_appeals_once"),
        Index("ix_moderation_appeals_state", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_decisions.id", ondelete="CASCADE")
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="pending")
    reviewer_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    response: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)


class Notice(Base):
    """What moderation tells a member: a decision about their content or account, an appeal's
    outcome, or the outcome of their report. The words are made when read, in the reader's
    language at that time."""

    __tablename__ = "moderation_notices"
    __table_args__ = (Index("ix_moderation_notices_recipient", "recipient_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    case_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    decision_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    appeal_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)


class PolicyVersion(Base):
    """The policy as YAML an admin edited or imported. The newest row is in force (the shipped
    default or the operator's file while there is none); going back to an earlier version saves
    it again as the newest. Every version stays, for the audit."""

    __tablename__ = "moderation_policies"
    __table_args__ = (Index("ix_moderation_policies_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    yaml: Mapped[str] = mapped_column(Text)
    version: Mapped[str] = mapped_column(String(64))  # the YAML's own version field
    digest: Mapped[str] = mapped_column(String(64))  # sha256 of the YAML
    author_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    comment: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
