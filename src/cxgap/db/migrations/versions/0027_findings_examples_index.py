"""the findings' topic index also ordered by score: the irritants' examples read 60 entries

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-03 10:40:00.000000

The Listening topics page shows, for each of its (up to 10) irritants, the most negative
findings about the topic (``db.listening_queries.worst_examples``): the 60 findings of the
workspace with that topic and a negative sentiment, lowest ``sentiment_score`` first, ties
by ``id``. ``ix_text_findings_ws_topic`` stopped at ``sentiment``, so PostgreSQL read every
negative finding of the topic (927,271 for the most frequent at 10 M, 160,000 buffers) and
sorted them: 0.7-4.8 s per topic (docs/scale.md, "The topics page's examples"). With
``sentiment_score`` and ``id`` in the index the query is its first 60 entries, in order. The
index keeps its name and leading columns, so every query it served before it still serves.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_text_findings_ws_topic"
KEY = ["workspace_id", "topic_key", "sentiment"]


def upgrade() -> None:
    with op.batch_alter_table("text_findings") as batch_op:
        batch_op.drop_index(NAME)
        batch_op.create_index(NAME, [*KEY, "sentiment_score", "id"])


def downgrade() -> None:
    with op.batch_alter_table("text_findings") as batch_op:
        batch_op.drop_index(NAME)
        batch_op.create_index(NAME, KEY)
