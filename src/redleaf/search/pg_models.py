"""The PostgreSQL search table (docs/adr/0004-embedded-search-backend.md, PostgreSQL section).

One row per searchable note: the columns the filters and sorts read, and `tsv`, a tsvector
built by `backends/postgres.py` as a literal from the analyzer's terms (title weight A, body B,
tag words and exact `tag:` lexemes C, place D), never by `to_tsvector`. The table is created by
the shared migrations on every database, so that one set of migrations serves both; on SQLite
`tsv` is plain text and the table stays empty (the PostgreSQL backend is the only writer), and
the GIN index exists on PostgreSQL only.

Indexes: GIN on `tsv` for matching; (created_at, note_id) and (count, note_id) b-trees so a
sorted page of a common word walks the sort order and stops after a page of matches, and a
keyset `after` starts where the previous page ended.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from redleaf.kit.db import Base

# TSVECTOR on PostgreSQL, Text elsewhere (SQLite runs the same migrations).
TsVector = Text().with_variant(TSVECTOR(), "postgresql")


class NoteSearch(Base):
    __tablename__ = "note_search"
    __table_args__ = (
        Index("ix_note_search_tsv", "tsv", postgresql_using="gin").ddl_if(dialect="postgresql"),
        Index("ix_note_search_created", "created_at", "note_id"),
        Index("ix_note_search_likes", "like_count", "note_id"),
        Index("ix_note_search_collects", "collect_count", "note_id"),
        Index("ix_note_search_comments", "comment_count", "note_id"),
        Index("ix_note_search_author", "author_id"),
    )

    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    author_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime]
    like_count: Mapped[int] = mapped_column(default=0)
    collect_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    lat: Mapped[float | None] = mapped_column(Float, default=None)
    lon: Mapped[float | None] = mapped_column(Float, default=None)
    tsv: Mapped[str] = mapped_column(TsVector)
