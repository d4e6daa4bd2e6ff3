"""Typed read queries of the feedback export: the records of a workspace with their text
enrichment, one keyset page at a time (``collected_at, id`` order), so that a million records
are written without ever being held in memory together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from cxgap.db.feedback_filters import FeedbackFilter, feedback_query, filter_conditions
from cxgap.db.tables import Feedback, TextEnrichment


@dataclass(frozen=True)
class ExportedFeedback:
    """One stored record and what the text models found in it (None: not enriched yet)."""

    id: int
    source_type: str
    source_id: str
    channel: str | None
    collected_at: datetime
    text: str
    nps: int | None
    csat: int | None
    ces: int | None
    stars: int | None
    customer_ref: str | None
    touchpoint: str | None
    language_hint: str | None
    question: str | None
    language: str | None
    sentiment: str | None
    sentiment_score: float | None
    topic_keys: Sequence[str] | None


_COLUMNS = (
    Feedback.id,
    Feedback.source_type,
    Feedback.source_id,
    Feedback.channel,
    Feedback.collected_at,
    Feedback.text,
    Feedback.nps,
    Feedback.csat,
    Feedback.ces,
    Feedback.stars,
    Feedback.customer_ref,
    Feedback.touchpoint,
    Feedback.language_hint,
    Feedback.question,
    TextEnrichment.language,
    TextEnrichment.sentiment,
    TextEnrichment.sentiment_score,
    TextEnrichment.topic_keys,
)


Cursor = tuple[datetime, int]


def export_page(
    session: Session,
    workspace_id: int,
    where: FeedbackFilter | None,
    *,
    after: Cursor | None,
    limit: int,
) -> list[ExportedFeedback]:
    """Up to ``limit`` records after the ``(collected_at, id)`` cursor, oldest first, those
    the Listening filter keeps (all of the workspace's without one). The order is that of the
    ``(workspace_id, collected_at)`` index, so each page starts where the last one ended."""
    query = feedback_query(_COLUMNS).where(
        *filter_conditions(workspace_id, where or FeedbackFilter())
    )
    if after is not None:
        at, last_id = after
        query = query.where(
            # The plain bound lets PostgreSQL start the index scan at the cursor; with the OR
            # alone it reads the workspace's records from the first one on every page.
            Feedback.collected_at >= at,
            or_(
                Feedback.collected_at > at,
                and_(Feedback.collected_at == at, Feedback.id > last_id),
            ),
        )
    query = query.order_by(Feedback.collected_at, Feedback.id).limit(limit)
    return [ExportedFeedback(*row) for row in session.execute(query)]


def language_counts(session: Session, workspace_id: int) -> dict[str, int]:
    """Distinct texts per detected language, else records per language hint when nothing is
    enriched yet: what the workspace's customers write in."""
    detected = select(TextEnrichment.language, func.count()).where(
        TextEnrichment.workspace_id == workspace_id
    )
    counts = {code: n for code, n in session.execute(detected.group_by(TextEnrichment.language))}
    if not any(counts.get(code) for code in ("fr", "en")):
        hinted = select(Feedback.language_hint, func.count()).where(
            Feedback.workspace_id == workspace_id
        )
        rows = session.execute(hinted.group_by(Feedback.language_hint))
        counts = {code or "": n for code, n in rows}
    return {code: int(n) for code, n in counts.items() if code}
