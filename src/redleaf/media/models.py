"""One uploaded photo or video, its processing state and its renditions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from redleaf.kit.db import Base, new_id, utcnow

MEDIA_KINDS = ("image", "video")
# uploaded -> processing -> ready | failed. A failed media keeps a reason code the person can
# read (translated from media/errors.py), and its original is deleted.
MEDIA_STATES = ("uploaded", "processing", "ready", "failed")


class Media(Base):
    __tablename__ = "media"
    __table_args__ = (
        Index("ix_media_owner", "owner_id", "created_at"),
        Index("ix_media_note", "note_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    owner_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16), default="uploaded")
    error_code: Mapped[str | None] = mapped_column(String(40), default=None)
    # The storage key of the upload as received; removed once processed or refused.
    original_key: Mapped[str | None] = mapped_column(String(200), default=None)
    original_size: Mapped[int] = mapped_column(default=0)
    # What the content turned out to be ("jpeg", "png", "heic", "mp4", "mov"...), never the name.
    format: Mapped[str | None] = mapped_column(String(16), default=None)
    width: Mapped[int | None] = mapped_column(default=None)
    height: Mapped[int | None] = mapped_column(default=None)
    duration_ms: Mapped[int | None] = mapped_column(default=None)
    placeholder_color: Mapped[str | None] = mapped_column(String(7), default=None)  # "#a1b2c3"
    # {"360": {"key": ..., "width": .., "height": ..}, ..., "poster": {...}, "video": {...}}
    renditions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Set when a note takes the media; a media belongs to at most one note.
    note_id: Mapped[int | None] = mapped_column(
        ForeignKey("notes.id", ondelete="SET NULL"), default=None
    )
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
