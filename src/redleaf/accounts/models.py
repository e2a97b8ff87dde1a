"""Accounts, their sign-in tokens, and the relations between members."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from redleaf.kit.db import Base, new_id, utcnow

ROLES = ("member", "moderator", "admin")
ACCOUNT_STATES = ("active", "suspended")
TOKEN_KINDS = ("session", "api")


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    # Stored lower-case: the only spelling, so the unique index is case-insensitive.
    username: Mapped[str] = mapped_column(String(30), unique=True)
    display_name: Mapped[str] = mapped_column(String(80), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    bio_lang: Mapped[str] = mapped_column(String(16), default="und")
    password_hash: Mapped[str] = mapped_column(String(200))
    ui_language: Mapped[str] = mapped_column(String(16), default="en")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Text in languages the member does not read is shown translated without asking.
    auto_translate: Mapped[bool] = mapped_column(default=False)
    # ISO 3166-1 alpha-2 ("US", "CN"), or "" when the member has not said: moderation rules
    # scoped by the author's region read it. Personal: never on the public profile.
    region: Mapped[str] = mapped_column(String(2), default="", server_default="")
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    role: Mapped[str] = mapped_column(String(16), default="member")
    state: Mapped[str] = mapped_column(String(16), default="active")
    # Moderation's sanctions: no posting until `muted_until`; a suspension (state "suspended")
    # lifts at `suspended_until`, or never when it is None.
    muted_until: Mapped[datetime | None] = mapped_column(default=None)
    suspended_until: Mapped[datetime | None] = mapped_column(default=None)
    onboarded_at: Mapped[datetime | None] = mapped_column(default=None)
    guidelines_accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    failed_logins: Mapped[int] = mapped_column(default=0)
    login_blocked_until: Mapped[datetime | None] = mapped_column(default=None)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AuthToken(Base):
    """A browser session or an API token. Only the SHA-256 of the secret is stored."""

    __tablename__ = "auth_tokens"
    __table_args__ = (Index("ix_auth_tokens_account", "account_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)


class Follow(Base):
    __tablename__ = "follows"
    __table_args__ = (Index("ix_follows_followee", "followee_id", "created_at"),)

    follower_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    followee_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Block(Base):
    __tablename__ = "blocks"
    __table_args__ = (Index("ix_blocks_blocked", "blocked_id"),)

    blocker_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    blocked_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Mute(Base):
    __tablename__ = "mutes"

    muter_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    muted_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
