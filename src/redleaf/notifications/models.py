"""One notification per event (a like, a comment...). Grouping ("A and 12 others liked your
note") happens when they are read, by `group_key`, so marking read and deleting stay simple."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from redleaf.kit.db import Base, new_id, utcnow

NOTIFICATION_KINDS = ("like", "collect", "comment", "reply", "mention", "follow", "comment_like")


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_recipient", "recipient_id", "id"),
        Index("ix_notifications_unread", "recipient_id", "read_at"),
        Index("ix_notifications_group", "recipient_id", "group_key", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    note_id: Mapped[int | None] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), default=None
    )
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), default=None
    )
    # Notifications with one key show as one line: "like:note:123", "follow", "comment:note:123".
    group_key: Mapped[str] = mapped_column(String(80))
    # One notification per recipient, kind, actor and subject: liking, unliking and liking again
    # does not notify twice.
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
