"""feedback: the question a verbatim answers and the response it belongs to

A question stored before as the ``question`` attribute (survey comments, imports of a cxgap
export) moves to the new column.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("question", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("response_key", sa.String(length=200), nullable=True))
        batch_op.create_index(
            "ix_feedback_ws_response_key", ["workspace_id", "response_key"], unique=False
        )
    _move_question_attribute()


def downgrade() -> None:
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_ws_response_key")
        batch_op.drop_column("response_key")
        batch_op.drop_column("question")


_CHUNK = 1_000


def _move_question_attribute() -> None:
    feedback = sa.table(
        "feedback",
        sa.column("id", sa.Integer),
        sa.column("attributes", sa.JSON),
        sa.column("question", sa.Text),
    )
    connection = op.get_bind()
    mentioned = sa.cast(feedback.c.attributes, sa.Text).like('%"question"%')
    after = 0
    while rows := connection.execute(
        sa.select(feedback.c.id, feedback.c.attributes)
        .where(mentioned, feedback.c.question.is_(None), feedback.c.id > after)
        .order_by(feedback.c.id)
        .limit(_CHUNK)
    ).all():
        after = rows[-1].id
        for row in rows:
            attributes = dict(row.attributes or {})
            question = attributes.pop("question", None)
            if isinstance(question, str):
                connection.execute(
                    feedback.update()
                    .where(feedback.c.id == row.id)
                    .values(question=question.strip() or None, attributes=attributes)
                )
