"""The schema split into one module per domain (``db.table_base``, ``account_tables`` …)
declares exactly the tables of the single ``db/tables.py`` it replaced: same tables, columns,
types, keys and indexes on ``Base.metadata`` (what Alembic compares the migrations with), and
``cxgap.db.tables`` still names every table."""

from __future__ import annotations

import hashlib

from cxgap.db import tables
from cxgap.db.listening_count_tables import Base as CountsBase
from cxgap.db.tables import Base

# The fingerprint of the metadata before the split (50 tables, 438 columns).
FINGERPRINT = "043ea2dce7165d2826fdeb037c473d42376db083a41ad3fa0f1d0090de9e1488"
# Tables added by later migrations: outside the fingerprint (the migrations test compares
# them with their migrations), named here so that nothing else may move unseen.
ADDED_SINCE = {
    "workspace_revision_shards",
    "listening_week_score_counts",
    *("teams", "team_members", "case_rules", "cases", "case_events", "case_feedback"),
    "service_level_documents",
    "service_level_versions",
    "service_accounts",
    "report_schedules",  # 0041 report schedule
    "availability_incidents",
    "case_recoveries",
    "case_recovery_settings",
    *("actions", "action_steps", "action_comments", "action_settings"),  # 0037 action plans
    *("listening_set_counts", "listening_set_mention_counts", "listening_set_score_counts"),
    *("ownerships", "ownership_alerts"),  # 0038 ownership
    *("action_states", "ownership_digests"),  # 0043 action history, digests sent
    *("bot_answers", "bot_answer_hours"),  # 0044 bot answers
    *("listening_touchpoint_counts", "listening_touchpoint_mention_counts",
      "listening_touchpoint_score_counts"),  # 0045 Listening filters
    *("listening_segment_counts", "listening_segment_mention_counts",
      "listening_segment_score_counts"),
    *("event_imports", "events", "event_activity_maps"),  # 0046 touchpoint events
    *("listening_day_topic_counts", "listening_day_mention_counts",
      "listening_day_score_counts", "listening_day_driver_counts"),  # 0048 day counts
    "listening_dimension_driver_counts",  # 0049 drivers by dimension
    *("feedback_search", "feedback_search_pending"),  # 0050 the search's index
    *("listening_day_set_counts", "listening_day_set_mention_counts",
      "listening_day_set_score_counts"),  # 0051 day topic-set counts
    *("listening_day_touchpoint_counts", "listening_day_touchpoint_mention_counts",
      "listening_day_touchpoint_score_counts", "listening_day_segment_counts",
      "listening_day_segment_mention_counts",
      "listening_day_segment_score_counts"),  # 0052 day touchpoint and segment counts
    *("listening_segment_touchpoint_counts", "listening_segment_touchpoint_mention_counts",
      "listening_segment_touchpoint_score_counts", "listening_day_segment_touchpoint_counts",
      "listening_day_segment_touchpoint_mention_counts",
      "listening_day_segment_touchpoint_score_counts"),  # 0053 segment and touchpoint
    *("community_people", "idea_statuses", "ideas", "idea_votes", "idea_followers",
      "idea_comments", "idea_tags", "idea_tag_links", "idea_status_changes"),  # 0054 ideas
    "community_notifications",  # 0055 the community's outbox
    *("help_categories", "help_articles", "help_article_votes", "help_questions",
      "help_answers", "help_answer_votes"),  # 0056 the help centre
    *("community_levels", "badge_definitions", "badge_awards"),  # 0057 power users, badges
    "idea_board_settings",  # 0058 the board's moderation
    *("text_vectors", "idea_matches", "idea_evidence"),  # 0062 ideas linked to Listening
    "badge_images",  # 0060 the board's access, badge images
    "idea_links",  # 0061 ideas linked to action plans and cases
}  # fmt: skip
# Columns added to the fingerprinted tables by later migrations (each compared with its
# migration by the migrations test), as ``table.column``.
ADDED_COLUMNS = {
    "personas.address",  # 0035 persona tone
    "personas.reply_length",
    "customer_responses.duration_seconds",  # 0039 integrity
    "customer_responses.agent",
}

# Indexes that gained a trailing column in a later migration (compared with it by the
# migrations test): fingerprinted as they were, without it.
GAINED_COLUMN = {
    "ix_text_findings_enrichment": "text_findings.topic_key",  # 0047
    "ix_text_findings_ws_topic": "text_findings.enrichment_id",  # 0047
}
# Indexes added to the fingerprinted tables by later migrations (each compared with its
# migration by the migrations test): not fingerprinted.
ADDED_INDEXES = {
    "ix_feedback_ws_touchpoint",  # 0063 a touchpoint's records within dates
}


def _schema_lines() -> list[str]:
    lines = []
    for table in Base.metadata.tables.values():
        if table.name in ADDED_SINCE:
            continue
        for column in table.columns:
            if f"{table.name}.{column.name}" in ADDED_COLUMNS:
                continue
            keys = sorted(fk.target_fullname for fk in column.foreign_keys)
            lines.append(
                f"{table.name}.{column.name} {column.type!r} null={column.nullable} "
                f"pk={column.primary_key} fk={keys}"
            )
        for index in table.indexes:
            if index.name in ADDED_INDEXES:
                continue
            columns = [str(expression) for expression in index.expressions]
            if index.name in GAINED_COLUMN:
                assert columns[-1] == GAINED_COLUMN[index.name], (index.name, columns)
                columns = columns[:-1]
            lines.append(f"{table.name} index {index.name} {columns} unique={index.unique}")
    return sorted(lines)


def test_the_metadata_holds_the_same_tables_columns_and_indexes() -> None:
    assert CountsBase is Base
    lines = _schema_lines()
    assert len(Base.metadata.tables) == 50 + len(ADDED_SINCE)
    assert set(Base.metadata.tables) >= ADDED_SINCE
    assert sum(" null=" in line for line in lines) == 438
    assert hashlib.sha256("\n".join(lines).encode()).hexdigest() == FINGERPRINT


COUNT_MODULES = {
    "cxgap.db.listening_count_tables",
    "cxgap.db.listening_day_set_tables",
    "cxgap.db.listening_segment_touch_tables",
}


def test_every_table_class_is_still_named_by_the_tables_module() -> None:
    mapped = {
        mapper.class_.__name__
        for mapper in Base.registry.mappers
        if mapper.class_.__module__ not in COUNT_MODULES  # the counts' own modules
    }
    assert len(mapped) > 40 and mapped <= set(tables.__all__)
    assert {"Base", "UTCDateTime", "utcnow"} <= set(tables.__all__)
