"""note embeddings

One row per searchable note: its int8 embedding (redleaf.search.models.NoteEmbedding), the
durable record the vector index under var/search/vectors is rebuilt from.

Revision ID: b161a0e6bc63
Revises: c8da0125a2ef
Create Date: 2026-12-08 03:58:35.151186
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import redleaf.kit.db

revision: str = "b161a0e6bc63"
down_revision: str | None = "c8da0125a2ef"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "note_embeddings",
        sa.Column("note_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("text_digest", sa.String(length=64), nullable=False),
        sa.Column("updated_at", redleaf.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["notes.id"],
            name=op.f("fk_note_embeddings_note_id_notes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("note_id", name=op.f("pk_note_embeddings")),
    )
    with op.batch_alter_table("note_embeddings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_note_embeddings_model_updated_at", ["model", "updated_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("note_embeddings", schema=None) as batch_op:
        batch_op.drop_index("ix_note_embeddings_model_updated_at")
    op.drop_table("note_embeddings")
