"""the findings' two indexes cover the topic tests: topic key after the enrichment, the
enrichment after the topic's ordered columns

Revision ID: 0047
Revises: 0046
Create Date: 2026-12-04 15:05:00.000000

Two reads ask the findings one question each, and both fetched every finding's heap row for
a column the index did not hold (docs/scale.md, "Listening under filters at 10 M"):

- which topics a record's findings are about (``listening_count_keys.found_of``, once per
  record in every upkeep of the topic-set, touchpoint and segment counts, and the row-by-row
  topic test ``feedback_filters._topic_row_condition``): by ``enrichment_id``, reading
  ``topic_key``. ``ix_text_findings_enrichment`` gains ``topic_key``: an index-only scan.
- which texts have a finding about a topic (``feedback_filters._topic_condition``: a topic
  filter read from the rows, the edge days of dates inside months under a topic filter): by
  ``(workspace_id, topic_key)``, reading ``enrichment_id``. ``ix_text_findings_ws_topic``
  gains ``enrichment_id`` after its columns: at 1 M, ``topic5``'s 56,401 findings read in
  39 ms instead of 1,058 ms (a bitmap heap scan of 7,358 pages).

Both keep their names and leading columns, so every query they served they still serve
(the topics page's examples read ``ix_text_findings_ws_topic`` in the same order).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0047"
down_revision: str | None = "0046"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENRICHMENT = "ix_text_findings_enrichment"
TOPIC = "ix_text_findings_ws_topic"
TOPIC_KEY = ["workspace_id", "topic_key", "sentiment", "sentiment_score", "id"]


def upgrade() -> None:
    with op.batch_alter_table("text_findings") as batch_op:
        batch_op.drop_index(ENRICHMENT)
        batch_op.create_index(ENRICHMENT, ["enrichment_id", "topic_key"])
        batch_op.drop_index(TOPIC)
        batch_op.create_index(TOPIC, [*TOPIC_KEY, "enrichment_id"])


def downgrade() -> None:
    with op.batch_alter_table("text_findings") as batch_op:
        batch_op.drop_index(TOPIC)
        batch_op.create_index(TOPIC, TOPIC_KEY)
        batch_op.drop_index(ENRICHMENT)
        batch_op.create_index(ENRICHMENT, ["enrichment_id"])
