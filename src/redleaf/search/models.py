"""Search tables. The vector index on disk (`vectors.py`) is derived from `note_embeddings` and can
always be rebuilt from it; this table is the durable record, written in the job's transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from redleaf.kit.db import Base, utcnow


class NoteEmbedding(Base):
    """The embedding of a searchable note (published, public, visible): a row exists exactly
    while the note may appear in search. `vector` is int8, one byte a dimension, scaled per
    vector (`embeddings.pack`); `text_digest` is sha256 of the model and the text embedded, so an
    edit that leaves the text as it was costs no embedding."""

    __tablename__ = "note_embeddings"
    # The index writer reads what changed since its last pass, and counts the rows of its model,
    # from this index alone.
    __table_args__ = (Index("ix_note_embeddings_model_updated_at", "model", "updated_at"),)

    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    model: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    text_digest: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
