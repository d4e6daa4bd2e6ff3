"""What holds for every case: hypothesis draws cases of replies and status changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from cxgap.sla.cases import Case, Event
from cxgap.sla.clock import Status
from cxgap.sla.evaluation import evaluate_case
from tests.sla.builders import office_calendar, policies

RULES = policies(
    {
        "name": "all",
        "match": {},
        "targets": {"first_response": 60, "next_response": 120, "resolution": 600},
    },
    cal=office_calendar(holiday_country="FR"),
)
START = datetime(2026, 3, 20, 8, tzinfo=UTC)  # a week before the spring change in Paris
KINDS = st.sampled_from(
    [
        ("reply", "agent", None),
        ("reply", "customer", None),
        ("note", "agent", None),
        ("status", None, "pending_customer"),
        ("status", None, "open"),
        ("status", None, "resolved"),
    ]
)
EVENTS = st.lists(st.tuples(st.integers(0, 14 * 24 * 60), KINDS), max_size=12)


def case_of(drawn: list[tuple[int, tuple[str, str | None, str | None]]]) -> Case:
    events = [
        Event(START + timedelta(minutes=m), kind, by=by, public=kind == "reply", status=status)
        for m, (kind, by, status) in sorted(drawn, key=lambda d: d[0])
    ]
    return Case("C", START, {}, events)


@settings(max_examples=200, deadline=None)
@given(drawn=EVENTS, now_after=st.integers(0, 20 * 24 * 60))
def test_every_metric_is_consistent(
    drawn: list[tuple[int, tuple[str, str | None, str | None]]], now_after: int
) -> None:
    now = START + timedelta(minutes=now_after)
    result = evaluate_case(RULES, case_of(drawn), now)
    for measured in result.metrics.values():
        clock = measured.clock
        if clock is None:
            continue
        # time used never exceeds the working time since the clock started
        horizon = clock.satisfied_at or now
        assert clock.used <= RULES.calendar.business_time(
            clock.started_at, max(horizon, clock.started_at)
        )
        if clock.status is Status.HIT:
            assert clock.due is not None and clock.satisfied_at is not None
            assert clock.satisfied_at <= clock.due and clock.used <= clock.target
        if clock.status is Status.MISSED and clock.satisfied_at is None:
            assert clock.due is not None and clock.due < now and clock.used >= clock.target
        if clock.status is Status.ACTIVE:
            assert clock.due is not None and clock.due >= now and clock.used <= clock.target
        if clock.status is Status.PAUSED:
            assert clock.due is None and clock.used < clock.target
