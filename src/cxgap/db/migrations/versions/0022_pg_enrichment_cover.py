"""a covering index joining feedback to its text enrichment

Revision ID: 0022
Revises: 0018
Create Date: 2026-12-03 07:00:00.000000

Chosen from measured plans (docs/scale.md, "PostgreSQL at 10 million"): with a date filter,
the Listening queries found the feedback rows by ``ix_feedback_ws_collected_at`` and then
read every enrichment of the workspace for a hash join; with the enrichment's columns in the
index the planner joins by an index-only nested loop. The columns are index keys rather than
PostgreSQL's ``INCLUDE`` so that SQLite, which has no ``INCLUDE``, gets the same covering
index (its plans were not measured).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0018"
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


def upgrade() -> None:
    op.create_index(NAME, "text_enrichments", COLUMNS)


def downgrade() -> None:
    op.drop_index(NAME, table_name="text_enrichments")
