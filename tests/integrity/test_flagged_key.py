"""The key the flagged set is cached with: how many survey comments have a stored sentiment,
read from the Listening day counts, equals the answer of the rows (each survey comment
joined to its enrichment, its score stored) through imports, enrichment and re-enrichment,
on both backends; other sources' texts never count. The check itself reads the sentiments of
the stored answers' own comments, not of every survey-sourced record."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db import listening_counts
from cxgap.db.tables import CustomerResponse, Feedback, TextEnrichment, Workspace
from cxgap.services import enrichment
from cxgap.services.core import Cxgap
from cxgap.services.flagged import _enriched_comments, flagged_set
from cxgap.services.integrity import _stored_sentiment
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


def _review(
    session: Session, workspace: Workspace, i: int, text: str, source_type: str = "review"
) -> None:
    """A record imported from a file (not an answer's comment), counted as an import counts
    it."""
    item = Feedback(
        workspace_id=workspace.id,
        source_type=source_type,
        source_id=f"{source_type}-{i}",
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


def test_the_answers_sentiments_are_those_of_their_own_comments(cx: Cxgap) -> None:
    """The integrity check reads the sentiment of the stored answers' comments only: a
    survey-sourced record imported from a file (no answer behind it) is not read, and each
    answer's comment has the score the rows' join gives it."""
    with cx.transaction() as session:
        workspace = planted_workspace(session, "gamed", with_flagged=True)
        _review(session, workspace, 1, "Delivery was late, the staff were rude", "survey")
    enrichment.enrich_pending(cx.sessions, workspace, RuleAnalyzer(TOPICS), batch_size=5)
    with cx.transaction() as session:
        workspace = get_workspace(session, "gamed")
        answers = session.scalars(
            select(CustomerResponse).where(CustomerResponse.workspace_id == workspace.id)
        ).all()
        commented = [a.external_id for a in answers if a.comment]
        every = dict(
            session.execute(
                select(Feedback.source_id, TextEnrichment.sentiment_score).join(
                    TextEnrichment,
                    (TextEnrichment.workspace_id == Feedback.workspace_id)
                    & (TextEnrichment.text_hash == Feedback.text_hash),
                )
            ).all()
        )
        read = _stored_sentiment(session, workspace, commented)
    assert "survey-1" in every and "survey-1" not in read
    assert read == {i: every[i] for i in commented if every.get(i) is not None}
    assert len(read) == len(commented) > 0
