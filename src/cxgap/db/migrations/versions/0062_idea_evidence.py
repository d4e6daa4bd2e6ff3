"""the idea board's link to Listening: text vectors, idea matches, idea evidence

Revision ID: 0062
Revises: 0058
Create Date: 2026-12-05 09:00:00.000000

Issue 15: each idea shows how many verbatims ask for the same thing (matched by meaning) and
the topics and touchpoints involved; an irritant shows the ideas that would answer it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0062"
down_revision: str | None = "0058"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _workspace() -> sa.Column[int]:
    return sa.Column(
        "workspace_id",
        sa.Integer(),
        sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
        nullable=False,
    )


def _idea(*, primary_key: bool = False) -> sa.Column[int]:
    return sa.Column(
        "idea_id",
        sa.Integer(),
        sa.ForeignKey("ideas.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


def upgrade() -> None:
    op.create_table(
        "text_vectors",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("model", sa.String(120), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("workspace_id", "text_hash"),
    )
    op.create_table(
        "idea_matches",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        _idea(),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
    )
    op.create_index("ix_idea_matches_idea", "idea_matches", ["idea_id", "similarity"])
    op.create_index("ix_idea_matches_ws_hash", "idea_matches", ["workspace_id", "text_hash"])
    op.create_table(
        "idea_evidence",
        _idea(primary_key=True),
        _workspace(),
        sa.Column("title", sa.String(160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("verbatims", sa.Integer(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("touchpoints", sa.JSON(), nullable=False),
        sa.Column("model", sa.String(120), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_idea_evidence_ws", "idea_evidence", ["workspace_id"])


def downgrade() -> None:
    op.drop_table("idea_evidence")
    op.drop_index("ix_idea_matches_ws_hash", table_name="idea_matches")
    op.drop_index("ix_idea_matches_idea", table_name="idea_matches")
    op.drop_table("idea_matches")
    op.drop_table("text_vectors")
