"""The key the flagged set is cached with: how many survey comments have a stored sentiment,
read from the Listening day counts, equals the answer of the rows (each survey comment
joined to its enrichment, its score stored) through imports, enrichment and re-enrichment,
on both backends; other sources' texts never count."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db import listening_counts
from cxgap.db.tables import Feedback, TextEnrichment, Workspace
from cxgap.services import enrichment
from cxgap.services.core import Cxgap
from cxgap.services.flagged import _enriched_comments, flagged_set
from cxgap.services.survey_feedback import SOURCE_TYPE
from cxgap.services.workspaces import get_workspace
from tests.db.test_listening_counts import RandomAnalyzer
from tests.integrity.flagged_factories import planted_workspace
from tests.listening import TOPICS, RuleAnalyzer


def _from_rows(session: Session, workspace: Workspace) -> int:
    """The rows' answer: every survey comment joined to its enrichment, score stored."""
    query = (
        select(func.count())
        .select_from(Feedback)
        .join(
            TextEnrichment,
            (TextEnrichment.workspace_id == Feedback.workspace_id)
            & (TextEnrichment.text_hash == Feedback.text_hash),
        )
        .where(
            Feedback.workspace_id == workspace.id,
            Feedback.source_type == SOURCE_TYPE,
            TextEnrichment.sentiment_score.is_not(None),
        )
    )
    return int(session.scalar(query) or 0)


def _review(session: Session, workspace: Workspace, i: int, text: str) -> None:
    """A review (not a survey comment), counted as an import counts it."""
    item = Feedback(
        workspace_id=workspace.id,
        source_type="review",
        source_id=f"review-{i}",
        collected_at=datetime(2026, 3, 5, 10, tzinfo=UTC),
        text=text,
        attributes={},
        text_hash=hashlib.sha256(text.encode()).hexdigest(),
    )
    session.add(item)
    session.flush()
    listening_counts.add(session, workspace.id, Feedback.id == item.id)


def _both(cx: Cxgap) -> tuple[int, int]:
    with cx.transaction() as session:
        workspace = get_workspace(session, "gamed")
        return _enriched_comments(session, workspace), _from_rows(session, workspace)


def test_the_counts_give_the_rows_answer_through_enrichment(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = planted_workspace(session, "gamed", with_flagged=True)
        for i, text in enumerate(("Delivery was late", "Great staff", "   ")):
            _review(session, workspace, i, text)
    assert _both(cx) == (0, 0)  # nothing enriched yet
    with cx.transaction() as session:
        workspace = get_workspace(session, "gamed")
        before = flagged_set(session, workspace)
    enrichment.enrich_pending(cx.sessions, workspace, RuleAnalyzer(TOPICS), batch_size=5)
    fast, rows = _both(cx)
    assert fast == rows > 0
    with cx.transaction() as session:  # the key moved: the set is computed again, the same
        workspace = get_workspace(session, "gamed")
        assert flagged_set(session, workspace).external_ids >= before.external_ids
    enrichment.enrich_pending(cx.sessions, workspace, RandomAnalyzer(2), batch_size=7)
    assert _both(cx) == (rows, rows)  # re-enriched: every comment still has one sentiment
