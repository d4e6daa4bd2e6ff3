"""feedback by touchpoint and date: the topics page's examples under a touchpoint filter

Revision ID: 0063
Revises: 0060
Create Date: 2026-12-05 09:00:00.000000

Under a touchpoint filter (with a topic or a segment, within dates) each irritant's examples
were its negative findings read in score order over the whole workspace until three had a
record under the filter: about 1 in 25,000 did under a topic, a touchpoint and dates, 11-17 s
for the page at 10 M (docs/scale.md, "The topics page's examples from the touchpoint's
side"). The touchpoint's own records within the dates are few (about 20,000 at 10 M); with
this index the page reads them once (``db.listening_touchpoint_examples``), and counts them
first from the index alone to choose that read or the stream.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0063"
down_revision: str | None = "0060"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_feedback_ws_touchpoint"


def upgrade() -> None:
    where = sa.text("touchpoint IS NOT NULL")  # none for the records without a touchpoint
    op.create_index(
        NAME,
        "feedback",
        ["workspace_id", "touchpoint", "collected_at"],
        sqlite_where=where,
        postgresql_where=where,
    )


def downgrade() -> None:
    op.drop_index(NAME, table_name="feedback")
