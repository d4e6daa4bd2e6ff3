"""The executive report built from a workspace whose every figure is known, on SQLite and
PostgreSQL."""

from __future__ import annotations

import json

import pytest

from cxgap.impact.gap import ActionGap, Moved
from cxgap.reporting.executive_period import parse_period
from cxgap.services.core import Cxgap
from cxgap.services.executive_output import executive_file
from cxgap.services.executive_report import build_executive_report
from tests.executive_factories import make_executive_workspace


def test_headlines_compare_the_period_with_the_one_before(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = make_executive_workspace(session)
        report = build_executive_report(session, ws, period=parse_period("2026-11"))
    assert report.previous.label == "2026-10"
    nps = report.headline("nps")
    # November 6 promoters, 2 passives, 2 detractors (+40); October 3 / 2 / 5 (−20).
    assert (nps.value, nps.previous, nps.n, nps.n_previous) == (40.0, -20.0, 10, 10)
    # By hand: se = 100 × √(0.64 / 10 + 0.76 / 10) = 37.4166; 60 ± 1.959964 × se;
    # p = 2 × scipy.stats.norm.sf(60 / 37.4166) = 0.108809.
    assert nps.change == pytest.approx(60.0)
    assert nps.change_ci == pytest.approx((-13.3351, 133.3351), abs=1e-3)
    assert nps.change_p == pytest.approx(0.108809, abs=1e-6)
    negative = report.headline("negative")
    assert (negative.value, negative.previous) == (0.4, 0.6)
    # scipy.stats.fisher_exact([[4, 6], [6, 4]]).pvalue = 0.656282
    assert negative.change_p == pytest.approx(0.656282, abs=1e-6)
    assert report.headline("volume").change == 0.0
    assert report.headline("volume").change_ci is None


def test_gaps_hold_knowledge_desire_and_the_action_passed_in(cx: Cxgap) -> None:
    action = ActionGap(kind="pillar", subject="service", actions=2, late=1, moved=Moved.NO_CHANGE)
    with cx.transaction() as session:
        ws = make_executive_workspace(session)
        report = build_executive_report(
            session, ws, period=parse_period("2026-11"), action_gaps=[action],
            integrity_warnings=["Shop 12: top scores far above peers"],
        )  # fmt: skip
    data = json.loads(json.dumps(report.to_json()))
    by_pillar = {g["pillar"]: g for g in data["gaps"]}
    assert len(by_pillar) == 10
    service = by_pillar["service"]
    # Colleagues: current 3,4,3,4,5,4 (mean 23/6); customers: performance 2,3,4 repeated.
    customers = [2 + i % 3 for i in range(40)]
    assert service["knowledge"]["value"] == pytest.approx(23 / 6 - sum(customers) / 40)
    assert service["desire"]["value"] == pytest.approx(29 / 6 - 23 / 6)
    assert service["action"]["status"] == "late"
    assert by_pillar["advertising"]["action"] is None
    assert data["integrity_warnings"] == ["Shop 12: top scores far above peers"]
    assert data["actions"][0]["subject"] == "service"


def test_irritants_come_with_a_verbatim_of_the_period(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = make_executive_workspace(session)
        report = build_executive_report(session, ws, period=parse_period("2026-11"))
    top = report.irritants[0]
    assert top.topic == "delivery"
    assert top.negative == 4  # November only: October's six are another period
    # The sentence of the negative finding, not the whole text (which ends with "#11-n").
    assert top.verbatim == "The delivery took three weeks."


def test_every_format_is_written_and_bad_choices_are_refused(cx: Cxgap) -> None:
    from cxgap.errors import ValidationError

    with cx.transaction() as session:
        ws = make_executive_workspace(session)
        pdf = executive_file(session, ws, period="2026-11", fmt="pdf", locale="fr", paper="a4")
        html = executive_file(session, ws, period="2026-11", fmt="html", locale="en")
        with pytest.raises(ValidationError, match="2026-1x"):
            executive_file(session, ws, period="2026-1x", fmt="json", locale="en")
        with pytest.raises(ValidationError, match="docx"):
            executive_file(session, ws, period="2026-11", fmt="docx", locale="en")
    assert pdf.content.startswith(b"%PDF") and pdf.media_type == "application/pdf"
    text = html.content.decode()
    assert "<svg" in text and "Knowledge gap" in text
    assert "<link" not in text and 'src="' not in text and 'href="http' not in text  # standalone
