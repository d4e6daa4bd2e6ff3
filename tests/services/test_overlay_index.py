"""When the overlay's materialised index is rebuilt, and what a rebuild leaves alone, with
two workspaces side by side, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cxgap.db.tables import TextEnrichment, TextFinding, Workspace
from cxgap.services import journeys
from cxgap.services.core import Cxgap
from cxgap.services.overlay import journey_with_overlay, refresh_overlay_index
from cxgap.services.workspaces import get_workspace
from tests.enrichment_factory import add_feedback, add_topic, enrich
from tests.factories import make_workspace
from tests.journeys.samples import sample_journey

KEYS = ("acme", "beta")


def _fill(session: Session, workspace: Workspace, negatives: int) -> None:
    """``negatives`` complaints about the price at tp-0-0 and one happy item at tp-1-0."""
    journeys.create_journey(session, workspace=workspace, journey=sample_journey(3))
    add_topic(session, workspace, "price", ["tp-0-0"])
    for i in range(negatives):
        add_feedback(
            session, workspace, f"{workspace.key} too dear {i}", nps=1, score=-0.7,
            findings=[("price", -0.7)], attributes={"segment": "pro"},
        )  # fmt: skip
    add_feedback(session, workspace, f"{workspace.key} fine", touchpoint="tp-1-0", score=0.6)


@pytest.fixture
def two(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        for key, negatives in zip(KEYS, (4, 7), strict=True):
            _fill(session, make_workspace(session, key=key, name=key), negatives)
    with cx.transaction() as session:
        for key in KEYS:
            assert refresh_overlay_index(session, workspace=get_workspace(session, key))
    return cx


def _refreshed(cx: Cxgap, key: str, *, force: bool = False) -> bool:
    with cx.transaction() as session:
        workspace = get_workspace(session, key)
        return refresh_overlay_index(session, workspace=workspace, force=force)


def _figures(cx: Cxgap, key: str) -> dict[str, tuple[int, int]]:
    """(items, items of the top irritant) per touchpoint key."""
    with cx.transaction() as session:
        workspace = get_workspace(session, key)
        journey, _ = journey_with_overlay(session, workspace=workspace, key="sample")
    return {
        tp.key: (tp.measured.feedback_count, sum(i.count for i in tp.measured.top_irritants))
        for tp in journey.touchpoints
    }


def test_a_new_analysis_in_one_workspace_leaves_the_other_fresh(two: Cxgap) -> None:
    with two.transaction() as session:
        acme = get_workspace(session, "acme")
        # stored as an enrichment job would: no import, so the data revision stays
        add_feedback(session, acme, "too dear again", score=-0.9, findings=[("price", -0.9)])
    assert _refreshed(two, "beta") is False
    assert _refreshed(two, "acme") is True
    assert _refreshed(two, "acme") is False
    assert _figures(two, "acme")["tp-0-0"] == (5, 5)
    assert _figures(two, "beta")["tp-0-0"] == (7, 7)


def test_a_text_enriched_again_is_noticed(two: Cxgap) -> None:
    """A re-enrichment replaces the enrichment and its findings: new rows, new ids."""
    with two.transaction() as session:
        acme = get_workspace(session, "acme")
        text_hash = session.scalars(
            select(TextEnrichment.text_hash).where(TextEnrichment.workspace_id == acme.id)
        ).first()
        assert text_hash is not None
        stale = select(TextEnrichment.id).where(TextEnrichment.text_hash == text_hash)
        session.execute(delete(TextFinding).where(TextFinding.enrichment_id.in_(stale)))
        session.execute(delete(TextEnrichment).where(TextEnrichment.text_hash == text_hash))
        enrich(session, acme, text_hash, 0.5, None, [(None, 0.5)])
    assert _refreshed(two, "beta") is False
    assert _refreshed(two, "acme") is True
    assert _figures(two, "acme")["tp-0-0"] == (3, 3)


def test_rebuilding_one_workspace_keeps_the_other_workspace_rows(two: Cxgap) -> None:
    before = {key: _figures(two, key) for key in KEYS}
    assert before["acme"] == {"tp-0-0": (4, 4), "tp-1-0": (1, 0), "tp-2-0": (0, 0)}
    assert before["beta"]["tp-0-0"] == (7, 7)
    assert _refreshed(two, "acme", force=True) is True
    assert {key: _figures(two, key) for key in KEYS} == before
    assert _refreshed(two, "beta", force=True) is True
    assert {key: _figures(two, key) for key in KEYS} == before
