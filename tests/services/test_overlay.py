"""The measured overlay on known feedback, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from cxgap.journeys.model import Criticality
from cxgap.services import journeys
from cxgap.services.core import Cxgap
from cxgap.services.overlay import journey_with_overlay
from cxgap.services.segments import set_segment_rule
from cxgap.services.workspaces import add_segments, get_workspace
from tests.enrichment_factory import add_feedback, add_topic
from tests.factories import make_workspace
from tests.journeys.samples import sample_journey


@pytest.fixture
def measured(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        ws = make_workspace(session)
        add_segments(session, workspace=ws, segments=[("pro", "Pros", "Pros")])
        journeys.create_journey(session, workspace=ws, journey=sample_journey(3))
        add_topic(session, ws, "price")
        add_topic(session, ws, "late_delivery", ["tp-2-0", "not-in-this-journey"])
        for i in range(12):  # tp-0-0: half strongly negative about the price
            bad = i < 6
            add_feedback(
                session, ws, f"price {i}" if bad else f"fine {i}", touchpoint="tp-0-0",
                nps=2 if bad else 9, csat=2 if bad else 4,
                attributes={"segment": "pro" if i % 2 == 0 else "other"},
                score=-0.8 if bad else 0.1,
                findings=[("price", -0.8)] if bad else [(None, 0.1)],
            )  # fmt: skip
        for i in range(11):  # tp-2-0 through the topic, one also through the field
            add_feedback(
                session, ws, f"late {i}", touchpoint="tp-2-0" if i == 0 else None,
                score=-0.8 - 0.01 * i, findings=[("late_delivery", -0.8 - 0.01 * i)],
            )  # fmt: skip
        for i in range(3):  # tp-1-0: not enriched yet
            add_feedback(session, ws, f"not yet {i}", touchpoint="tp-1-0", nps=10)
        add_feedback(session, ws, "elsewhere", touchpoint="other", nps=0, score=-1.0)
    return cx


def test_each_touchpoint_gets_its_known_figures(measured: Cxgap) -> None:
    with measured.reading() as session:
        ws = get_workspace(session, "acme")
        journey, _ = journey_with_overlay(session, workspace=ws, key="sample")
    by_key = {tp.key: tp for tp in journey.touchpoints}
    first = by_key["tp-0-0"].measured
    assert (first.feedback_count, first.enriched_count) == (12, 12)
    assert first.sentiment_mean == pytest.approx(-0.35)
    assert (first.nps, first.csat) == (0.0, 3.0)
    # intensity 0.45 alone is "low", but half the texts are strongly negative: critical
    assert first.measured_criticality is Criticality.CRITICAL
    (price,) = first.top_irritants
    assert (price.topic, price.count, len(price.verbatims)) == ("price", 6, 2)
    assert all(v.startswith("price ") for v in price.verbatims)

    late = by_key["tp-2-0"].measured
    assert late.feedback_count == 11  # the item named by field and by topic counts once
    assert late.sentiment_mean == pytest.approx(-0.85)
    assert late.measured_criticality is Criticality.CRITICAL
    assert by_key["tp-2-0"].declared_criticality is Criticality.LOW_NEUTRAL
    (irritant,) = late.top_irritants
    assert (irritant.name.en, irritant.count) == ("Late delivery", 11)
    assert irritant.verbatims == ("late 10", "late 9")  # the most negative first

    unenriched = by_key["tp-1-0"].measured
    assert (unenriched.feedback_count, unenriched.nps, unenriched.sentiment_mean) == (
        3,
        100.0,
        None,
    )
    assert unenriched.measured_criticality is None


def test_the_persona_filter_uses_the_segment_definition(measured: Cxgap) -> None:
    with measured.reading() as session:
        ws = get_workspace(session, "acme")
        journey, _ = journey_with_overlay(session, workspace=ws, key="sample", persona="ana")
    counts = {tp.key: tp.measured.feedback_count for tp in journey.touchpoints}
    assert counts == {"tp-0-0": 6, "tp-1-0": 0, "tp-2-0": 0}
    first = journey.touchpoints[0].measured
    assert first.sentiment_mean == pytest.approx((3 * -0.8 + 3 * 0.1) / 6)
    assert first.measured_criticality is None  # 6 items are too few for a measure

    with measured.transaction() as session:
        ws = get_workspace(session, "acme")
        set_segment_rule(session, workspace=ws, key="pro", rule="nps >= 9 or nps = 10")
    with measured.reading() as session:
        ws = get_workspace(session, "acme")
        journey, _ = journey_with_overlay(session, workspace=ws, key="sample", persona="ana")
    counts = {tp.key: tp.measured.feedback_count for tp in journey.touchpoints}
    assert counts == {"tp-0-0": 6, "tp-1-0": 3, "tp-2-0": 0}


def test_the_json_export_carries_the_overlay(measured: Cxgap) -> None:
    from cxgap.journeys.document import journey_to_document

    with measured.reading() as session:
        ws = get_workspace(session, "acme")
        journey, _ = journey_with_overlay(session, workspace=ws, key="sample")
    doc = journey_to_document(journey, locale="fr")
    tp = doc["stages"][2]["touchpoints"][0]
    assert tp["measured"]["feedback_count"] == 11
    assert tp["measured"]["measured_criticality"] == "critical"
    assert tp["measured"]["disagrees"] is True
    assert tp["measured"]["top_irritants"][0] == {
        "topic": "late_delivery", "name": "Late delivery (fr)", "count": 11,
        "verbatims": ["late 10", "late 9"],
    }  # fmt: skip


def test_without_a_materialised_bit_the_rule_runs_on_the_feedback_rows(
    measured: Cxgap, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cxgap.services import overlay

    monkeypatch.setattr(overlay, "MASK_BITS", 0)  # as with more segments than bits
    with measured.transaction() as session:
        ws = get_workspace(session, "acme")
        journey, _ = journey_with_overlay(session, workspace=ws, key="sample", persona="ana")
    first = journey.touchpoints[0].measured
    assert first.feedback_count == 6
    assert [i.count for i in first.top_irritants] == [3]


def test_the_index_is_rebuilt_only_when_the_data_changes(measured: Cxgap) -> None:
    from cxgap.services.overlay import refresh_overlay_index

    with measured.transaction() as session:
        ws = get_workspace(session, "acme")
        refresh_overlay_index(session, workspace=ws)
    with measured.transaction() as session:
        ws = get_workspace(session, "acme")
        assert refresh_overlay_index(session, workspace=ws) is False
        add_feedback(session, ws, "one more", touchpoint="tp-1-0", score=0.9)
        assert refresh_overlay_index(session, workspace=ws) is True
        journey, _ = journey_with_overlay(session, workspace=ws, key="sample")
    assert journey.touchpoints[1].measured.feedback_count == 4
