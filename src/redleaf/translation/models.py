"""The shared translation cache and the operator's glossary.

A translation is stored once per (normalised source text, language pair, engine and its version),
so a popular note is translated once per language however many read it, and an edit, which
changes the text, is a new key: the old answer is simply never asked for again (and pruned).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from redleaf.kit.db import Base, new_id, utcnow


class Translation(Base):
    __tablename__ = "translations"
    __table_args__ = (
        UniqueConstraint(
            "source_hash",
            "source_lang",
            "target_lang",
            "engine",
            "engine_version",
            name="uq_translations_key",
        ),
        Index("ix_translations_used", "used_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    source_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the normalised text
    source_lang: Mapped[str] = mapped_column(String(16))
    target_lang: Mapped[str] = mapped_column(String(16))
    engine: Mapped[str] = mapped_column(String(32))
    # The engine's version and the glossary's: either changing gives another answer.
    engine_version: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # translation | gloss
    text: Mapped[str] = mapped_column(Text)
    glosses: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime] = mapped_column(default=utcnow)  # refreshed at most daily


class GlossaryTerm(Base):
    """An operator's entry; it replaces a bundled entry with the same term (translation/data)."""

    __tablename__ = "glossary_terms"

    id: Mapped[int] = mapped_column(primary_key=True, default=new_id, autoincrement=False)
    term: Mapped[str] = mapped_column(String(60), unique=True)
    en: Mapped[str] = mapped_column(String(120), default="")
    zh: Mapped[str] = mapped_column(String(120), default="")
    note_en: Mapped[str] = mapped_column(String(300), default="")
    note_zh: Mapped[str] = mapped_column(String(300), default="")
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_by: Mapped[int | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
