"""the Listening search's index out of the import's path: a search table filled after imports

Revision ID: 0050
Revises: 0049
Create Date: 2026-12-04 21:00:00.000000

The trigram index on ``feedback.text`` (0045) was over half of the server's work on an
import (docs/scale.md, "Sixth round"). ``feedback_search`` holds each feedback's text for
the search, with that index on it (PostgreSQL, where ``pg_trgm`` can be had); an import
leaves its rows to the ``index_search`` job (``feedback_search_pending``) and the search
scans them in ``feedback`` meanwhile (``db.search_index``). On a populated database the
table is filled from ``feedback`` in one statement and its index built once over it; then
the index on ``feedback`` is dropped. SQLite: the tables, empty (its search reads
``feedback``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0050"
down_revision: str | None = "0049"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback_search",
        sa.Column(
            "feedback_id",
            sa.Integer(),
            sa.ForeignKey("feedback.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_table(
        "feedback_search_pending",
        sa.Column("import_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("indexed_through", sa.Integer(), nullable=True),
        sa.Column("last_id", sa.Integer(), nullable=True),
    )
    op.create_index(
        "ix_feedback_search_pending_workspace_id", "feedback_search_pending", ["workspace_id"]
    )
    from cxgap.db import search_index

    search_index.fill(op.get_bind())  # the rows, then the trigram index (PostgreSQL)
    search_index.drop(op.get_bind())


def downgrade() -> None:
    from cxgap.db import search_index

    search_index.create(op.get_bind())  # the index on feedback.text, as 0045 made it
    op.drop_index("ix_feedback_search_pending_workspace_id", table_name="feedback_search_pending")
    op.drop_table("feedback_search_pending")
    op.drop_table("feedback_search")  # its trigram index with it
