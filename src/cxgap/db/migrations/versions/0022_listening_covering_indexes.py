"""covering indexes for the Listening queries: feedback by text and date, its enrichment

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 07:00:00.000000

Chosen from measured plans (docs/scale.md, "PostgreSQL at 10 million"): with a date filter,
the Listening queries found the feedback rows by ``ix_feedback_ws_collected_at`` and then
read every enrichment of the workspace for a hash join; with the enrichment's columns in the
index the planner joins by an index-only nested loop. The columns are index keys rather than
PostgreSQL's ``INCLUDE`` so that SQLite, which has no ``INCLUDE``, gets the same covering
index (its plans were not measured).

The Listening counts per topic and period (topics, drivers) grouped the feedback by text and
month through ``ix_feedback_ws_text_hash`` and then read every row from the table; with
``collected_at`` in that index both sides become index-only scans (33.9 s -> 9.2 s at 1 M
under load). The index keeps its name and leading columns, so every query it served before
it still serves.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_text_enrichments_ws_hash_cover"
COLUMNS = [
    "workspace_id",
    "text_hash",
    "id",
    "language",
    "sentiment",
    "sentiment_score",
    "intensity",
]


TEXT_HASH = "ix_feedback_ws_text_hash"


def upgrade() -> None:
    op.create_index(NAME, "text_enrichments", COLUMNS)
    with op.batch_alter_table("feedback") as batch_op:
        batch_op.drop_index(TEXT_HASH)
        batch_op.create_index(TEXT_HASH, ["workspace_id", "text_hash", "collected_at"])


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch_op:
        batch_op.drop_index(TEXT_HASH)
        batch_op.create_index(TEXT_HASH, ["workspace_id", "text_hash"])
    op.drop_index(NAME, table_name="text_enrichments")
