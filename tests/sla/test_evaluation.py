"""A case's metrics, hand-worked on the office calendar (Mon–Fri 09:00–12:30, 13:30–18:00,
Paris). Monday 2 March 2026 is a Monday; every instant below is in Paris time (+01:00)."""

from __future__ import annotations

from cxgap.sla.clock import Status
from cxgap.sla.policy import Metric
from tests.sla.builders import agent, at, case, customer, evaluate, policies, status

FIRST, NEXT, RESOLUTION = Metric.FIRST_RESPONSE, Metric.NEXT_RESPONSE, Metric.RESOLUTION
MON = "2026-03-02T"


def policy(**targets: int) -> dict[str, object]:
    return {"name": "p", "match": {}, "targets": targets}


def test_internal_notes_and_automatic_acknowledgements_are_not_responses() -> None:
    subject = case(
        f"{MON}09:00+01:00",
        {"at": f"{MON}09:01+01:00", "type": "reply", "by": "system", "public": True},
        {"at": f"{MON}09:02+01:00", "type": "reply", "by": "agent", "auto": True},
        agent(f"{MON}09:10+01:00", public=False),
        {"at": f"{MON}09:20+01:00", "type": "note", "by": "agent"},
        agent(f"{MON}10:30+01:00"),
    )
    result = evaluate(policies(policy(first_response=60)), subject, f"{MON}18:00+01:00")
    clock = result.metrics[FIRST].clock
    # only the public reply at 10:30 answers: 90 min used, due 10:00 → missed
    assert clock is not None
    assert (clock.satisfied_at.isoformat(), clock.used.seconds // 60) == (
        "2026-03-02T10:30:00+01:00",
        90,
    )
    assert clock.status is Status.MISSED
    assert clock.due is not None and clock.due == at("2026-03-02T10:00+01:00")


def test_pending_customer_pauses_resolution_but_never_the_first_response() -> None:
    subject = case(
        f"{MON}09:00+01:00",
        status(f"{MON}09:30+01:00", "pending_customer"),
        customer(f"{MON}11:00+01:00"),
        status(f"{MON}11:00+01:00", "open"),
        agent(f"{MON}11:30+01:00"),
        status(f"{MON}14:30+01:00", "resolved"),
    )
    rules = policies(policy(first_response=60, resolution=240))
    result = evaluate(rules, subject, f"{MON}18:00+01:00")
    first, resolution = result.metrics[FIRST].clock, result.metrics[RESOLUTION].clock
    assert first is not None and resolution is not None
    # first response: 09:00 → 11:30 with no pause is 150 min, due 10:00 → missed
    assert (first.used.seconds // 60, first.status) == (150, Status.MISSED)
    # resolution: 09:00–09:30 (30) + paused 09:30–11:00 + 11:00–12:30 (90) + 13:30–14:30 (60)
    # = 180 used; due: 30 used at 09:30, 210 left from 11:00: 90 to 12:30, 120 from 13:30 → 15:30
    assert (resolution.used.seconds // 60, resolution.status) == (180, Status.HIT)
    assert resolution.due is not None
    assert resolution.due == at(f"{MON}15:30+01:00")


PAUSED_OVER_THE_WEEKEND = (
    "2026-03-05T16:00+01:00",  # Thursday
    agent("2026-03-05T16:30+01:00"),
    status("2026-03-05T17:00+01:00", "pending_customer"),
    customer("2026-03-09T10:00+01:00"),  # Monday
    status("2026-03-09T10:00+01:00", "open"),
    status("2026-03-09T14:00+01:00", "resolved"),
)


def test_a_pause_across_days_and_a_weekend() -> None:
    subject = case(*PAUSED_OVER_THE_WEEKEND)
    result = evaluate(policies(policy(resolution=240)), subject, "2026-03-10T12:00+01:00")
    clock = result.metrics[RESOLUTION].clock
    # Thursday 16:00–17:00 (60), paused until Monday 10:00, 10:00–12:30 (150), 13:30–14:00 (30)
    # = 240 used: resolved at 14:00, exactly when the 240 min run out → hit, due 14:00
    assert clock is not None
    assert (clock.used.seconds // 60, clock.status) == (240, Status.HIT)
    assert clock.due == clock.satisfied_at


def test_without_the_pause_the_same_case_misses() -> None:
    rules = policies({**policy(resolution=240), "pause_statuses": []})
    result = evaluate(rules, case(*PAUSED_OVER_THE_WEEKEND), "2026-03-10T12:00+01:00")
    clock = result.metrics[RESOLUTION].clock
    # Thursday 16:00–18:00 (120), Friday (480), Monday 09:00–14:00 less lunch (240) = 840;
    # due: 120 on Thursday, 120 more on Friday → Friday 11:00
    assert clock is not None
    assert (clock.used.seconds // 60, clock.status) == (840, Status.MISSED)
    assert clock.due is not None and clock.due == at("2026-03-06T11:00+01:00")


def test_while_paused_the_due_time_is_unknown_and_the_clock_is_frozen() -> None:
    subject = case(*PAUSED_OVER_THE_WEEKEND)
    result = evaluate(policies(policy(resolution=240)), subject, "2026-03-06T12:00+01:00")
    clock = result.metrics[RESOLUTION].clock
    assert clock is not None
    assert (clock.status, clock.due, clock.used.seconds // 60) == (Status.PAUSED, None, 60)


def test_a_target_used_up_before_the_pause_stays_missed() -> None:
    subject = case(f"{MON}09:00+01:00", status(f"{MON}11:00+01:00", "pending_customer"))
    result = evaluate(policies(policy(resolution=60)), subject, f"{MON}15:00+01:00")
    clock = result.metrics[RESOLUTION].clock
    assert clock is not None and clock.status is Status.MISSED
    assert clock.due is not None and clock.due == at("2026-03-02T10:00+01:00")


def test_a_case_created_on_a_saturday_starts_on_monday_morning() -> None:
    subject = case("2026-03-07T10:00+01:00", agent("2026-03-09T09:45+01:00"))
    result = evaluate(policies(policy(first_response=60)), subject, "2026-03-09T12:00+01:00")
    clock = result.metrics[FIRST].clock
    # nothing counts until Monday 09:00; the reply at 09:45 used 45 of 60, due 10:00
    assert clock is not None
    assert (clock.used.seconds // 60, clock.status) == (45, Status.HIT)
    assert clock.due is not None and clock.due == at("2026-03-09T10:00+01:00")


def test_a_case_created_on_a_public_holiday_starts_on_the_next_working_day() -> None:
    cal = {
        "timezone": "Europe/Paris",
        "hours": {d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
        "holiday_country": "FR",
    }
    rules = policies(policy(first_response=120), cal=cal)
    # Friday 1 May 2026 (Fête du travail) 10:00, then the weekend: Monday 09:00 + 120 → 11:00
    result = evaluate(rules, case("2026-05-01T10:00+02:00"), "2026-05-04T10:00+02:00")
    clock = result.metrics[FIRST].clock
    assert clock is not None and clock.status is Status.ACTIVE
    assert clock.due is not None and clock.due == at("2026-05-04T11:00+02:00")
    assert clock.used.seconds // 60 == 60


def test_warning_at_80_percent_of_the_target() -> None:
    rules = policies(policy(first_response=60))
    # 09:00 → 09:47 is 47 min < 48 (80 % of 60); 09:48 is 48
    before = evaluate(rules, case(f"{MON}09:00+01:00"), f"{MON}09:47+01:00").metrics[FIRST]
    after = evaluate(rules, case(f"{MON}09:00+01:00"), f"{MON}09:48+01:00").metrics[FIRST]
    assert before.clock is not None and after.clock is not None
    assert (before.clock.warning, after.clock.warning) == (False, True)


def test_unsatisfied_past_its_due_time_is_missed_even_outside_hours() -> None:
    rules = policies(policy(first_response=60))
    # due 10:00; at 10:00 it is still active, at 10:01 missed, and at 19:00 (closed) missed
    for now, expected in (("10:00", Status.ACTIVE), ("10:01", Status.MISSED), ("19:00", "x")):
        result = evaluate(rules, case(f"{MON}09:00+01:00"), f"{MON}{now}+01:00").metrics[FIRST]
        assert result.status is (Status.MISSED if expected == "x" else expected)


def test_resolving_a_case_without_a_reply_stops_the_response_clock() -> None:
    subject = case(f"{MON}09:00+01:00", status(f"{MON}09:20+01:00", "closed"))
    result = evaluate(policies(policy(first_response=60)), subject, "2026-03-09T09:00+01:00")
    clock = result.metrics[FIRST].clock
    assert clock is not None and clock.status is Status.HIT
    assert clock.satisfied_at is not None and clock.satisfied_at == at(f"{MON}09:20+01:00")


def test_no_matching_policy_leaves_the_case_unmeasured() -> None:
    rules = policies({"name": "vip", "match": {"tier": "vip"}, "targets": {"resolution": 60}})
    result = evaluate(rules, case(f"{MON}09:00+01:00", tier="standard"), f"{MON}10:00+01:00")
    assert (result.policy, dict(result.metrics)) == (None, {})


def test_the_first_matching_policy_applies_and_lists_match_one_of_their_values() -> None:
    rules = policies(
        {
            "name": "urgent",
            "match": {"priority": ["urgent", "high"]},
            "targets": {"resolution": 60},
        },
        {"name": "email high", "match": {"priority": "high"}, "targets": {"resolution": 5}},
        {"name": "rest", "match": {}, "targets": {"resolution": 480}},
    )
    names = [
        evaluate(rules, case(f"{MON}09:00+01:00", priority=p), f"{MON}09:00+01:00").policy
        for p in ("high", "low")
    ]
    assert [p.name if p else None for p in names] == ["urgent", "rest"]


def test_a_null_target_and_a_null_day_promise_nothing() -> None:
    cal = {"timezone": "Europe/Paris", "hours": {"mon": [["09:00", "18:00"]], "sun": None}}
    rules = policies(policy(first_response=60, resolution=None), cal=cal)
    result = evaluate(rules, case(f"{MON}09:00+01:00"), f"{MON}09:30+01:00")
    assert list(result.metrics) == [FIRST]
