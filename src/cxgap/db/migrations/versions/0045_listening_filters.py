"""the Listening filters at scale: counts per touchpoint and per segment, the search's
trigram index

Revision ID: 0045
Revises: 0044
Create Date: 2026-12-04 01:00:00.000000

Under a touchpoint filter every Listening page read the rows (> 30 s at 10 M on PostgreSQL:
docs/scale.md, "Listening under filters at 10 M"). The filter keeps the records carrying the
touchpoint or about one of its topics: the second part is the topic-set counts' (0040); three
tables hold the first, the topic-set counts of the records carrying a touchpoint keyed by it
first, enriched or not; three more the same per segment for its materialised members (a
segment or persona filter). Filled from the rows by the maintenance code's own statements,
then kept by them. On PostgreSQL, the search's trigram index where ``pg_trgm`` can be had
(``db/search_index.py``).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0045"
down_revision: str | None = "0044"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DIMENSIONS: list[tuple[str, Any]] = [
    ("month", sa.Date()),
    ("source_type", sa.String(16)),
    ("channel", sa.String(200)),
    ("language", sa.String(8)),
    ("sentiment", sa.String(8)),
    ("found", sa.Text()),
]
ENRICHED = ("enriched", sa.SmallInteger())
RECORD_KEY = ["month", "source_type", "channel", "enriched", "language", "sentiment", "found"]
# Each family's tables: own columns, and the key after the family's first column (the
# models' TOUCH_*KEY and SEGMENT_*KEY).
FAMILY: dict[str, tuple[list[tuple[str, Any]], list[str]]] = {
    "counts": ([ENRICHED], RECORD_KEY),
    "mention_counts": (
        [("topic_key", sa.String(64)), ("finding_sentiment", sa.String(8))],
        [*(c for c in RECORD_KEY if c != "enriched"), "topic_key", "finding_sentiment"],
    ),
    "score_counts": (
        [ENRICHED, ("topics", sa.Text()), ("metric", sa.String(8)), ("value", sa.SmallInteger())],
        [*RECORD_KEY, "topics", "metric", "value"],
    ),
}


def _first(family: str) -> sa.Column[Any]:
    if family == "touchpoint":
        return sa.Column("touchpoint", sa.String(200), nullable=False)
    return sa.Column(
        "segment_id",
        sa.Integer(),
        sa.ForeignKey("segments.id", ondelete="CASCADE"),
        nullable=False,
    )


def _names() -> list[tuple[str, str, tuple[list[tuple[str, Any]], list[str]]]]:
    return [
        (family, f"listening_{family}_{suffix}", spec)
        for family in ("touchpoint", "segment")
        for suffix, spec in FAMILY.items()
    ]


def upgrade() -> None:
    for family, name, (own, key) in _names():
        first = _first(family)
        measures: list[sa.Column[Any]] = [sa.Column("n", sa.Integer(), nullable=False)]
        if name.endswith("_mention_counts"):
            measures.append(sa.Column("score_sum", sa.Float(), nullable=False))
        op.create_table(
            name,
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column(
                "workspace_id",
                sa.Integer(),
                sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
                nullable=False,
            ),
            first,
            *(sa.Column(column, kind, nullable=False) for column, kind in [*DIMENSIONS, *own]),
            *measures,
        )
        names = ["workspace_id", first.name, *key]
        op.create_index(f"ux_{name}_key", name, names, unique=True)
        zero = sa.text("n = 0")
        op.create_index(
            f"ix_{name}_zero", name, ["workspace_id"], sqlite_where=zero, postgresql_where=zero
        )
    from cxgap.db import search_index
    from cxgap.db.listening_count_tables import (
        ListeningSegmentCount,
        ListeningSegmentMentionCount,
        ListeningSegmentScoreCount,
        ListeningTouchpointCount,
        ListeningTouchpointMentionCount,
        ListeningTouchpointScoreCount,
    )
    from cxgap.db.listening_counts import rebuild_all

    rebuild_all(
        op.get_bind(),
        (
            ListeningTouchpointCount,
            ListeningTouchpointMentionCount,
            ListeningTouchpointScoreCount,
            ListeningSegmentCount,
            ListeningSegmentMentionCount,
            ListeningSegmentScoreCount,
        ),
    )
    search_index.create(op.get_bind())


def downgrade() -> None:
    from cxgap.db import search_index

    search_index.drop(op.get_bind())
    for _, name, _ in reversed(_names()):
        op.drop_index(f"ix_{name}_zero", table_name=name)
        op.drop_index(f"ux_{name}_key", table_name=name)
        op.drop_table(name)
