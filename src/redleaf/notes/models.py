"""Notes, places, tags and mentions, and what members do with notes: likes, collects into boards,
comments and their likes, and de-duplicated views.

Counters (likes, collects, comments, views) live on their row and change by one atomic
`UPDATE ... SET n = n + 1` in the same transaction as the row that justifies them, so they stay
exact under concurrency without a lock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from redleaf.kit.db import Base, new_id, utcnow

NOTE_KINDS = ("text", "image", "video")
VISIBILITIES = ("public", "followers", "private")
# draft -> processing (waiting for its media) -> published | failed (a media failed)
NOTE_STATES = ("draft", "processing", "published", "failed")
# What moderation decided; `held` and `removed` notes are visible to their author only, marked.
MODERATION_STATES = ("visible", "held", "removed")


class Place(Base):
    """A named location. Notes that name the same place (same names, coordinates to ~100 m)
    share one row, which search and Nearby use."""

    __tablename__ = "places"

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    name_en: Mapped[str] = mapped_column(String(100), default="")
    name_zh: Mapped[str] = mapped_column(String(100), default="")
    lat: Mapped[float | None] = mapped_column(Float, default=None)
    lon: Mapped[float | None] = mapped_column(Float, default=None)
    note_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Note(Base):
    __tablename__ = "notes"
    __table_args__ = (
        Index("ix_notes_author", "author_id", "published_at"),
        Index("ix_notes_feed", "state", "visibility", "moderation_state", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8), default="text")
    title: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    lang: Mapped[str] = mapped_column(String(16), default="und")
    # Mixed text's languages by span, over f"{title}\n{body}" (translation/detect.py); else None.
    lang_spans: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    place_id: Mapped[int | None] = mapped_column(
        ForeignKey("places.id", ondelete="SET NULL"), default=None
    )
    visibility: Mapped[str] = mapped_column(String(16), default="public")
    state: Mapped[str] = mapped_column(String(16), default="draft")
    moderation_state: Mapped[str] = mapped_column(String(16), default="visible")
    # The interface locales whose readers a viewer-scoped rule keeps it from, comma-wrapped
    # (",zh-Hans," or ""), so SQL tests it with NOT LIKE (notes/withheld.py). Not for its author.
    withheld_in: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # Why a note failed to publish (a media's reason code), for its author.
    error_code: Mapped[str | None] = mapped_column(String(40), default=None)
    # The grid card, copied from the first media when the note publishes, so a feed page reads
    # one table: {"url", "width", "height", "color", "video": bool}; {} for a text card.
    cover: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    text_style: Mapped[int] = mapped_column(default=0)  # the palette of a text-only card
    like_count: Mapped[int] = mapped_column(default=0)
    collect_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    view_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    edited_at: Mapped[datetime | None] = mapped_column(default=None)


class NoteTag(Base):
    __tablename__ = "note_tags"
    __table_args__ = (Index("ix_note_tags_tag", "tag", "note_id"),)

    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(40), primary_key=True)


class NoteMention(Base):
    __tablename__ = "note_mentions"
    __table_args__ = (Index("ix_note_mentions_account", "account_id"),)

    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )


class Like(Base):
    __tablename__ = "likes"
    __table_args__ = (Index("ix_likes_note", "note_id", "created_at"),)

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Board(Base):
    __tablename__ = "boards"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    owner_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(400), default="")
    private: Mapped[bool] = mapped_column(default=False)
    note_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Collect(Base):
    """A member saved a note, optionally into one of their boards (moving changes `board_id`).
    One row per member and note, so a note counts one collect per member."""

    __tablename__ = "collects"
    __table_args__ = (
        Index("ix_collects_note", "note_id"),
        Index("ix_collects_board", "board_id", "created_at"),
        Index("ix_collects_account", "account_id", "created_at"),
    )

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True
    )
    board_id: Mapped[int | None] = mapped_column(
        ForeignKey("boards.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Comment(Base):
    """A comment on a note, or a reply to one (one level: a reply to a reply attaches to the
    same top-level comment and names the member it answers)."""

    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_note", "note_id", "parent_id", "id"),
        Index("ix_comments_parent", "parent_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), default=None
    )
    reply_to_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), default=None
    )
    body: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(16), default="und")
    lang_spans: Mapped[list[Any] | None] = mapped_column(JSON, default=None)  # as on notes
    moderation_state: Mapped[str] = mapped_column(String(16), default="visible")
    withheld_in: Mapped[str] = mapped_column(String(64), default="", server_default="")  # as notes
    like_count: Mapped[int] = mapped_column(default=0)
    reply_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommentLike(Base):
    __tablename__ = "comment_likes"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NoteView(Base):
    """One row per note, viewer and UTC day: a view counts once per viewer per day. The viewer
    is the account id, or a keyed hash of the address and browser for visitors. Rows older than
    a day are pruned by a daily job."""

    __tablename__ = "note_views"
    __table_args__ = (Index("ix_note_views_day", "day"),)

    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True
    )
    viewer: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # "2026-11-25"
