"""The one-call report: the same figures as its parts, and a CLV fit that cannot be made
leaving the retention figures standing."""

from __future__ import annotations

import json

import pytest

from cxgap.demo.events import demo_events
from cxgap.demo.generator import generate_demo
from cxgap.retention.churn import churn
from cxgap.retention.cohorts import retention
from cxgap.retention.history import purchase_history
from cxgap.retention.report import Settings, retention_report
from tests.retention.logs import event, shop_log


def test_the_report_of_a_small_demo_agrees_with_its_parts() -> None:
    demo = generate_demo(n_customers=200)
    events = demo_events(demo.customers)
    segments = {c.customer_ref or "": c.segment_key or "" for c in demo.customers}
    nps = {c.customer_ref or "": c.nps for c in demo.customers if c.nps is not None}
    report = retention_report(events, Settings(months=6), groups=segments, nps=nps)
    history = purchase_history(events)
    assert report.churn == churn(history, 365)
    assert report.cohorts == retention(history, months=6, groups=segments)
    assert sorted(report.churn_by_group) == sorted(set(segments.values()))
    assert report.value is not None and report.value_problem is None
    by_group = report.value.groups
    grouped = sum(g.total for g in by_group.groups) + by_group.ungrouped.total
    assert grouped == pytest.approx(report.value.customers.total)
    document = json.loads(json.dumps(report.as_json("fr")))
    assert document["value"]["how"].startswith("La valeur vie client de chaque client")
    assert document["value"]["at_risk"]["detractors"] == sum(s <= 6 for s in nps.values())
    assert document["stayed_vs_left"]["stayed"]["customers"] == report.churn.active


def test_without_amounts_or_repeat_purchases_the_value_is_left_out_with_the_reason() -> None:
    log = [event("x", "2025-01-01", "renew"), event("x", "2025-02-01", "renew")]
    report = retention_report(log, Settings(purchase_activities=frozenset({"renew"})))
    assert report.value is None and report.churn.customers == 1
    assert report.as_json("fr")["value_problem"] == {
        "code": "no_amounts",
        "message": "Aucun achat n'a de montant : la valeur vie client a besoin de ce que les "
        "clients ont dépensé.",
    }
    once = [event(case, "2025-01-01", amount=10.0) for case in "abc"]
    problem = retention_report(once).as_json("en")["value_problem"]
    assert isinstance(problem, dict) and problem["code"] == "no_repeat"
    assert "no customer bought on two different days" in str(problem["message"])


def test_settings_reach_the_parts() -> None:
    settings = Settings(
        cancel_activities=frozenset({"cancel"}), inactivity_days=90, basis="survival"
    )
    report = retention_report(shop_log(), settings)
    assert (report.churn.cancelled, report.churn.inactive) == (1, 2)
    assert report.cohorts.overall.basis == "survival"
