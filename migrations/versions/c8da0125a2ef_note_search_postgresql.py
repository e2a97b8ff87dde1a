"""note search (postgresql)

The table behind the PostgreSQL search backend (redleaf.search.pg_models). It is created on
SQLite too, where it stays empty, so that one set of migrations serves both databases; the GIN
index on `tsv` is created on PostgreSQL only.

Revision ID: c8da0125a2ef
Revises: 4dee74aa89a8
Create Date: 2026-12-08 03:55:40.680581
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import redleaf.kit.db

revision: str = "c8da0125a2ef"
down_revision: str | None = "4dee74aa89a8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.create_table(
        "note_search",
        sa.Column("note_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("created_at", redleaf.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("like_count", sa.BigInteger(), nullable=False),
        sa.Column("collect_count", sa.BigInteger(), nullable=False),
        sa.Column("comment_count", sa.BigInteger(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column(
            "tsv", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["notes.id"],
            name=op.f("fk_note_search_note_id_notes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("note_id", name=op.f("pk_note_search")),
    )
    with op.batch_alter_table("note_search", schema=None) as batch_op:
        batch_op.create_index("ix_note_search_author", ["author_id"], unique=False)
        batch_op.create_index("ix_note_search_collects", ["collect_count", "note_id"], unique=False)
        batch_op.create_index("ix_note_search_comments", ["comment_count", "note_id"], unique=False)
        batch_op.create_index("ix_note_search_created", ["created_at", "note_id"], unique=False)
        batch_op.create_index("ix_note_search_likes", ["like_count", "note_id"], unique=False)
    if _is_postgresql():
        op.create_index(
            "ix_note_search_tsv", "note_search", ["tsv"], unique=False, postgresql_using="gin"
        )


def downgrade() -> None:
    if _is_postgresql():
        op.drop_index("ix_note_search_tsv", table_name="note_search", postgresql_using="gin")
    with op.batch_alter_table("note_search", schema=None) as batch_op:
        batch_op.drop_index("ix_note_search_likes")
        batch_op.drop_index("ix_note_search_created")
        batch_op.drop_index("ix_note_search_comments")
        batch_op.drop_index("ix_note_search_collects")
        batch_op.drop_index("ix_note_search_author")
    op.drop_table("note_search")
