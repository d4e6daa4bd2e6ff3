"""A small workspace for the executive report and the gaps page, with every figure known:
two internal campaigns (the second one more optimistic), customer answers, and Listening
feedback in October and November 2026 with known NPS answers and sentiments."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from cxgap.db import listening_counts
from cxgap.db.tables import Workspace
from cxgap.schema import CustomerAnswer, InternalAnswer, InternalPillarAnswer, PillarScores
from cxgap.services.answers import store_customer_answers, store_internal_answers
from cxgap.services.campaigns import create_internal_campaign
from tests.factories import PILLAR_KEYS, make_workspace
from tests.listening_factories import CLAUSES, add_feedback, compose, enrich, make_topics

NEGATIVE = next(c for c in CLAUSES if c[5] == "delivery" and c[2] == "negative")
POSITIVE = next(c for c in CLAUSES if c[2] == "positive")
# November: 6 promoters, 2 passives, 2 detractors (NPS +40), 4 negative verbatims of 10.
NOVEMBER = (10, 10, 9, 9, 9, 9, 8, 7, 3, 0)
# October: 3 promoters, 2 passives, 5 detractors (NPS −20), 6 negative of 10.
OCTOBER = (10, 9, 9, 8, 7, 6, 5, 4, 2, 1)


def _internal(current: int, desired: int) -> InternalAnswer:
    return InternalAnswer(
        pillars={
            k: InternalPillarAnswer(current, desired, i + 1) for i, k in enumerate(PILLAR_KEYS)
        }
    )


def _month(
    session: Session, ws: Workspace, month: int, scores: tuple[int, ...], negative: int
) -> None:
    for i, nps in enumerate(scores):
        clause = NEGATIVE if i < negative else POSITIVE
        verbatim = compose([clause], ". ")
        text = f"{verbatim.text} #{month}-{i}"
        add_feedback(
            session,
            ws,
            text,
            collected_at=datetime(2026, month, 5 + i, 12, tzinfo=UTC),
            source_id=f"m{month}-{i}",
            nps=nps,
            csat=4 if nps >= 7 else 2,
            counts=False,
        )
        enrich(
            session, ws, type(verbatim)(text, verbatim.language, verbatim.findings), counts=False
        )


def make_executive_workspace(session: Session) -> Workspace:
    ws = make_workspace(session)
    first = create_internal_campaign(session, workspace=ws, key="wave-1", name="Wave 1")
    first.created_at = datetime(2026, 6, 1, tzinfo=UTC)
    store_internal_answers(
        session, campaign=first, answers=[_internal(3, 5), _internal(4, 5), _internal(3, 4)],
        submission_ids=["a1", "a2", "a3"],
    )  # fmt: skip
    second = create_internal_campaign(session, workspace=ws, key="wave-2", name="Wave 2")
    second.created_at = datetime(2026, 10, 1, tzinfo=UTC)
    store_internal_answers(
        session, campaign=second, answers=[_internal(4, 5), _internal(5, 5), _internal(4, 5)],
        submission_ids=["b1", "b2", "b3"],
    )  # fmt: skip
    customers = [
        CustomerAnswer(
            pillars={k: PillarScores(4 if i % 2 else 5, 2 + i % 3) for k in PILLAR_KEYS},
            nps=8,
            submitted_at=datetime(2026, 7 if i < 20 else 11, 1 + i % 20, tzinfo=UTC),
            external_id=f"c{i}",
        )
        for i in range(40)
    ]
    store_customer_answers(session, workspace=ws, answers=customers, source="import")
    make_topics(session, ws)
    _month(session, ws, 11, NOVEMBER, 4)
    _month(session, ws, 10, OCTOBER, 6)
    listening_counts.rebuild(session, ws.id)
    return ws
