"""Builders for the Listening week tests: survey answers and imported feedback whose NPS
differ, each with a known histogram and period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from cxgap.db import listening_counts
from cxgap.db.tables import CustomerResponse, Feedback, Workspace
from tests.factories import make_workspace
from tests.listening_factories import CLAUSES, add_feedback, compose, enrich, make_topics

JAN = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def survey_answers(
    session: Session, workspace: Workspace, scores: list[int], start: datetime
) -> None:
    for index, score in enumerate(scores):
        session.add(
            CustomerResponse(
                workspace_id=workspace.id,
                source="web",
                external_id=f"web-{index}",
                submitted_at=start + timedelta(days=index % 20),
                nps=score,
            )
        )
    session.flush()


def nps_reviews(
    session: Session, workspace: Workspace, scores: list[int], start: datetime, **kind: str
) -> None:
    bad = compose([next(c for c in CLAUSES if c[0].startswith("The delivery took"))], ". ")
    good = compose([next(c for c in CLAUSES if c[0].startswith("staff at the"))], ". ")
    enrich(session, workspace, bad)
    enrich(session, workspace, good)
    ids = []
    for index, score in enumerate(scores):
        verbatim = bad if score <= 6 else good
        row = add_feedback(
            session,
            workspace,
            verbatim.text,
            collected_at=start + timedelta(days=index % 28),
            source_id=f"{kind.get('source_type', 'review')}-{index}",
            nps=score,
            counts=False,
            **kind,
        )
        ids.append(row.id)
    # The Listening counts of the items, added in one upkeep as an import's are (not one
    # upkeep per item: 100 of them cost seconds on PostgreSQL).
    listening_counts.add(session, workspace.id, Feedback.id.in_(ids))


def make_two_sources(session: Session, workspace: Workspace) -> None:
    """Survey answers: 40 promoters, 30 passives, 30 detractors (NPS +10) from 5 to 24 Jan
    2026. Imported reviews: 20 promoters, 80 detractors (NPS −60) from 2 to 29 March 2026,
    and 10 tickets, all promoters."""
    survey_answers(session, workspace, [10] * 40 + [8] * 30 + [3] * 30, JAN)
    march = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    nps_reviews(session, workspace, [9] * 20 + [2] * 80, march)
    nps_reviews(session, workspace, [10] * 10, march, source_type="ticket", channel="zendesk")


def build_two_sources(session: Session) -> None:
    """Workspace ``acme``, its topics and the two sources (a prepared builder)."""
    workspace = make_workspace(session)
    make_topics(session, workspace)
    make_two_sources(session, workspace)
