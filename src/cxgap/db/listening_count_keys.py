"""The key expressions the Listening counts are grouped by (the UTC day, month and week, the
topic set, the shared dimensions) and the joins their SELECTs read: one definition for the
set-based upkeep (``db.listening_counts``) and the enrichment's batch path
(``db.listening_count_moves``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Date, Select, case, func, literal, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.util import find_tables

from cxgap.db.tables import Feedback, SegmentMember, TextEnrichment, TextFinding


def day_of(dialect: str) -> ColumnElement[Any]:
    """The UTC day a record was collected."""
    if dialect == "postgresql":
        return sql_cast(func.timezone("UTC", Feedback.collected_at), Date)
    return func.date(Feedback.collected_at)


def month_of(dialect: str) -> ColumnElement[Any]:
    """The first day of the UTC month a record was collected in."""
    if dialect == "postgresql":
        moment = func.timezone("UTC", Feedback.collected_at)
        return sql_cast(func.date_trunc("month", moment), Date)
    return func.date(Feedback.collected_at, "start of month")


def week_of(dialect: str) -> ColumnElement[Any]:
    """The Monday of the ISO week a record was collected in, UTC (as ``period_of``)."""
    if dialect == "postgresql":
        moment = func.timezone("UTC", Feedback.collected_at)
        return sql_cast(func.date_trunc("week", moment), Date)
    return func.date(Feedback.collected_at, "weekday 0", "-6 days")


def found_of(dialect: str) -> ColumnElement[Any]:
    """The set of topics the enrichment's findings are about, sorted, as ``|a|b|`` (``''``
    for none): one probe of the findings' enrichment index per record. Not the stored
    ``topic_keys``, which a correction may extend without a finding: a topic filter tests
    the findings (``feedback_filters._topic_condition``)."""
    keys = select(TextFinding.topic_key).where(
        TextFinding.enrichment_id == TextEnrichment.id, TextFinding.topic_key.is_not(None)
    )
    inner: Select[Any]
    if dialect == "postgresql":
        ordered = aggregate_order_by(TextFinding.topic_key.distinct(), TextFinding.topic_key)
        inner = keys.with_only_columns(func.array_to_string(func.array_agg(ordered), "|"))
    else:  # SQLite 3.40 has no ORDER BY in an aggregate: an ordered subquery's order holds
        distinct = keys.distinct().order_by(TextFinding.topic_key).correlate(TextEnrichment)
        inner = select(func.group_concat(distinct.subquery().c.topic_key, literal("|")))
    found = literal("|") + inner.correlate(TextEnrichment).scalar_subquery() + literal("|")
    return func.coalesce(found, "")


def shared(dialect: str) -> dict[str, Any]:
    """The expressions of the key columns several tables share."""
    return {
        "day": day_of(dialect),
        "month": month_of(dialect),
        "week": week_of(dialect),
        "source_type": Feedback.source_type,
        "channel": func.coalesce(Feedback.channel, ""),
        "enriched": case((TextEnrichment.id.is_(None), 0), else_=1),
        "language": func.coalesce(TextEnrichment.language, ""),
        "sentiment": func.coalesce(TextEnrichment.sentiment, ""),
        "has_nps": case((Feedback.nps.is_(None), 0), else_=1),
        "found": found_of(dialect),
    }


def of_enrichment() -> ColumnElement[bool]:
    return (TextEnrichment.workspace_id == Feedback.workspace_id) & (
        TextEnrichment.text_hash == Feedback.text_hash
    )


def with_enrichment(inner: bool = False) -> Any:
    """Feedback joined to its enrichment (outer unless ``inner``)."""
    if inner:
        return Feedback.__table__.join(TextEnrichment.__table__, of_enrichment())
    return Feedback.__table__.outerjoin(TextEnrichment.__table__, of_enrichment())


def with_findings() -> Any:
    """Feedback joined to its enrichment and the enrichment's findings."""
    return with_enrichment(inner=True).join(
        TextFinding.__table__, TextFinding.enrichment_id == TextEnrichment.id
    )


def unenriched(source: Any) -> Any:
    """``source`` without its outer join to the enrichments (the feedback alone, or joined to
    its segments' members); any other source as it is."""
    tables = {table.name for table in find_tables(source)}
    if tables == {"feedback", "text_enrichments"}:
        return Feedback.__table__
    if tables == {"feedback", "text_enrichments", "segment_members"}:
        return Feedback.__table__.join(
            SegmentMember.__table__, SegmentMember.feedback_id == Feedback.id
        )
    return source
