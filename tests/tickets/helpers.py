"""The test files of tests/tickets/data and the office calendar's policies to judge them."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cxgap.sla.cases import Case
from cxgap.sla.evaluation import CaseResult
from cxgap.sla.policy import Metric
from tests.sla.builders import at, evaluate, policies

DATA = Path(__file__).with_name("data")
PARIS = ZoneInfo("Europe/Paris")
URGENT = {
    "name": "urgent",
    "match": {"priority": ["urgent", "high"]},
    "targets": {"first_response": 60, "next_response": 120, "resolution": 240},
}
SAME_DAY = {"name": "same day", "match": {}, "targets": {"first_response": 480, "resolution": 960}}
NOW = "2026-03-31T12:00:00+02:00"


def judged(case: Case) -> CaseResult:
    return evaluate(policies(URGENT, SAME_DAY), case, NOW)


def metric(case: Case, name: str) -> dict[str, Any]:
    """Status, business minutes and satisfaction time of one metric of the case."""
    measured = judged(case).metrics[Metric(name)]
    clock = measured.clock
    return {
        "status": None if measured.status is None else measured.status.value,
        "minutes": None if clock is None else clock.used.total_seconds() / 60,
        "satisfied_at": None if clock is None else clock.satisfied_at,
    }


def by_id(cases: list[Case]) -> dict[str, Case]:
    return {c.id: c for c in cases}


__all__ = ["DATA", "NOW", "PARIS", "at", "by_id", "judged", "metric"]
