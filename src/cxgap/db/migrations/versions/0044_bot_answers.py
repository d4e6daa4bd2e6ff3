"""bot answers: the public survey's honeypot posts held apart, capped per survey and hour

``bot_answers`` keeps each caught post's fields (cut short), reason, unit and time, never its
address; ``bot_answer_hours`` counts per survey and hour those held (up to a cap) and those
only counted. Neither table is read by any result (docs/integrity.md).

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-04 01:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0044"
down_revision: str | None = "0043"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bot_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "survey_id",
            sa.Integer(),
            sa.ForeignKey("customer_surveys.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("agent", sa.String(length=128), nullable=True),
        sa.Column("nps", sa.SmallInteger(), nullable=True),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
    )
    op.create_index("ix_bot_answers_ws_received", "bot_answers", ["workspace_id", "received_at"])
    op.create_index("ix_bot_answers_survey_id", "bot_answers", ["survey_id"])
    op.create_table(
        "bot_answer_hours",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "survey_id",
            sa.Integer(),
            sa.ForeignKey("customer_surveys.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held", sa.Integer(), nullable=False),
        sa.Column("dropped", sa.Integer(), nullable=False),
        sa.UniqueConstraint("survey_id", "hour"),
    )


def downgrade() -> None:
    op.drop_table("bot_answer_hours")
    op.drop_index("ix_bot_answers_survey_id", table_name="bot_answers")
    op.drop_index("ix_bot_answers_ws_received", table_name="bot_answers")
    op.drop_table("bot_answers")
