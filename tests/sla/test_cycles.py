"""Next-response cycles, reopening, and a policy changed mid-case — including the classic bugs
of other help desks (docs/sla.md lists them). Office calendar: Mon–Fri 09:00–12:30,
13:30–18:00, Paris; Monday 2 March 2026, +01:00."""

from __future__ import annotations

from cxgap.sla.clock import Status
from cxgap.sla.evaluation import CaseResult, queue
from cxgap.sla.policy import Metric
from tests.sla.builders import agent, at, case, customer, evaluate, policies, status

NEXT, RESOLUTION, FIRST = Metric.NEXT_RESPONSE, Metric.RESOLUTION, Metric.FIRST_RESPONSE
MON = "2026-03-02T"
RULES = policies({"name": "p", "match": {}, "targets": {"first_response": 60, "next_response": 60}})


def summary(result: CaseResult, metric: Metric) -> tuple[object, ...]:
    measured = result.metrics[metric]
    clock = measured.clock
    assert clock is not None
    return clock.status, clock.used.seconds // 60, clock.due, clock.satisfied_at, measured.cycles


CONVERSATION = (
    f"{MON}09:00+01:00",
    agent(f"{MON}09:30+01:00"),  # the first response
    customer(f"{MON}10:00+01:00"),  # cycle 1 starts
    customer(f"{MON}10:10+01:00"),  # same cycle: still waiting for an answer
    agent(f"{MON}10:40+01:00", public=False),  # an internal note does not answer
    agent(f"{MON}10:50+01:00"),  # cycle 1: 50 min, due 11:00 → hit
    customer(f"{MON}11:00+01:00"),  # cycle 2 starts, due 12:00
    agent(f"{MON}14:00+01:00"),  # 11:00–12:30 (90) + 13:30–14:00 (30) = 120 → missed
)


def test_each_customer_message_after_a_reply_starts_a_cycle_and_the_worst_is_shown() -> None:
    result = evaluate(RULES, case(*CONVERSATION), f"{MON}16:00+01:00")
    assert summary(result, NEXT) == (
        Status.MISSED,
        120,
        at(f"{MON}12:00+01:00"),
        at(f"{MON}14:00+01:00"),
        2,
    )


def test_a_missed_cycle_stays_the_one_shown_while_a_new_one_runs() -> None:
    later = (*CONVERSATION, customer(f"{MON}15:00+01:00"))
    result = evaluate(RULES, case(*later), f"{MON}15:30+01:00")
    assert summary(result, NEXT)[0] is Status.MISSED
    assert result.metrics[NEXT].cycles == 3


def test_with_every_cycle_hit_the_running_one_is_shown_then_the_latest() -> None:
    events = (
        agent(f"{MON}09:30+01:00"),
        customer(f"{MON}10:00+01:00"),
        agent(f"{MON}10:20+01:00"),  # cycle 1: 20 min
        customer(f"{MON}16:00+01:00"),  # cycle 2 from 16:00, due 17:00
    )
    running = evaluate(RULES, case(f"{MON}09:00+01:00", *events), f"{MON}16:30+01:00")
    assert summary(running, NEXT) == (Status.ACTIVE, 30, at(f"{MON}17:00+01:00"), None, 2)
    answered = (*events, agent(f"{MON}16:45+01:00"))
    done = evaluate(RULES, case(f"{MON}09:00+01:00", *answered), f"{MON}18:00+01:00")
    assert summary(done, NEXT) == (
        Status.HIT,
        45,
        at(f"{MON}17:00+01:00"),
        at(f"{MON}16:45+01:00"),
        2,
    )


def test_customer_messages_before_the_first_reply_belong_to_the_first_response() -> None:
    subject = case(f"{MON}09:00+01:00", customer(f"{MON}09:05+01:00"), agent(f"{MON}09:30+01:00"))
    result = evaluate(RULES, subject, "2026-03-09T09:00+01:00")
    assert result.metrics[NEXT].clock is None and result.metrics[NEXT].status is None


def test_no_clock_fires_after_the_agent_replied() -> None:
    # Zammad's "update time" escalated tickets the agent had already answered: here, a week
    # after the last public reply with no new customer message, nothing is due or missed.
    subject = case(f"{MON}09:00+01:00", agent(f"{MON}09:10+01:00"))
    result = evaluate(RULES, subject, "2026-03-09T09:00+01:00")
    assert result.metrics[FIRST].status is Status.HIT
    assert result.metrics[NEXT].status is None


def test_a_reopened_case_keeps_its_first_resolution_and_measures_the_new_message() -> None:
    rules = policies(
        {"name": "p", "match": {}, "targets": {"next_response": 60, "resolution": 240}}
    )
    subject = case(
        f"{MON}09:00+01:00",
        agent(f"{MON}09:30+01:00"),
        status(f"{MON}11:00+01:00", "resolved"),
        customer(f"{MON}15:00+01:00"),  # "it broke again"
        status(f"{MON}15:00+01:00", "open"),
    )
    result = evaluate(rules, subject, "2026-03-03T12:00+01:00")
    # resolution: hit at 11:00 (120 used); the new message waits 15:00–18:00 (180) + Tuesday
    # 09:00–12:00 (180) = 360 min for an answer due at 16:00 → missed
    assert summary(result, RESOLUTION)[:2] == (Status.HIT, 120)
    assert summary(result, NEXT)[:3] == (Status.MISSED, 360, at(f"{MON}16:00+01:00"))


TWO_POLICIES = policies(
    {"name": "urgent", "match": {"priority": "urgent"}, "targets": {"resolution": 120}},
    {"name": "normal", "match": {}, "targets": {"resolution": 480}},
)
ESCALATED = (
    f"{MON}09:00+01:00",
    status(f"{MON}09:30+01:00", "pending_customer"),
    status(f"{MON}14:00+01:00", "open"),
    {"at": f"{MON}14:00+01:00", "type": "update", "fields": {"priority": "urgent"}},
)


def test_a_policy_changed_mid_case_keeps_the_pauses() -> None:
    # Zammad recomputed escalations from scratch when the SLA changed and lost the time spent
    # pending. Here, under "urgent" from 14:00: 09:00–09:30 (30) + paused until 14:00 +
    # 14:00–15:00 (60) = 90 used of 120; due 15:30.
    result = evaluate(TWO_POLICIES, case(*ESCALATED, priority="normal"), f"{MON}15:00+01:00")
    assert result.policy is not None and result.policy.name == "urgent"
    assert summary(result, RESOLUTION)[:3] == (Status.ACTIVE, 90, at(f"{MON}15:30+01:00"))


def test_before_the_change_the_first_policy_applied_and_the_case_was_paused() -> None:
    result = evaluate(TWO_POLICIES, case(*ESCALATED, priority="normal"), f"{MON}13:00+01:00")
    assert result.policy is not None and result.policy.name == "normal"
    assert summary(result, RESOLUTION)[:3] == (Status.PAUSED, 30, None)


def test_lunch_is_not_counted_against_the_promise() -> None:
    # osTicket and Chatwoot have one working interval a day: a case opened at 12:00 with 60 min
    # to answer would be due at 13:00, during lunch. Here: 12:00–12:30 (30) + 13:30–14:00 → 14:00
    result = evaluate(RULES, case(f"{MON}12:00+01:00"), f"{MON}12:40+01:00")
    assert summary(result, FIRST)[:3] == (Status.ACTIVE, 30, at(f"{MON}14:00+01:00"))


def test_a_pause_outside_working_hours_moves_nothing() -> None:
    # ERPNext added the whole hold time to the start (frappe/erpnext#49414): a hold from 18:00
    # to 09:00 pushed the due time by 15 h. Here: 600 min from Monday 09:00 is Monday's 480 +
    # Tuesday 09:00–11:00, with or without a pause that only covers the night.
    rules = policies({"name": "p", "match": {}, "targets": {"resolution": 600}})
    night = (
        status(f"{MON}18:00+01:00", "pending_customer"),
        status("2026-03-03T09:00+01:00", "open"),
    )
    for events in ((), night):
        result = evaluate(rules, case(f"{MON}09:00+01:00", *events), "2026-03-03T10:00+01:00")
        assert summary(result, RESOLUTION)[:3] == (Status.ACTIVE, 540, at("2026-03-03T11:00+01:00"))


def test_the_metrics_are_those_of_the_policy_that_applies_now() -> None:
    # Zammad kept the old SLA's update time after a ticket moved to an SLA without one
    # (zammad/zammad#5624): here the case shows the new policy's metrics only.
    rules = policies(
        {"name": "sales", "match": {"team": "sales"}, "targets": {"first_response": 60}},
        {"name": "support", "match": {}, "targets": {"first_response": 60, "next_response": 30}},
    )
    moved = {"at": f"{MON}10:00+01:00", "type": "update", "fields": {"team": "sales"}}
    result = evaluate(rules, case(f"{MON}09:00+01:00", moved, team="support"), f"{MON}11:00+01:00")
    assert (result.policy and result.policy.name, list(result.metrics)) == ("sales", [FIRST])


def test_the_queue_puts_the_least_time_left_first() -> None:
    # at 11:00: "late" was due 10:00 (60 over), "soon" has 60 − 30 = 30 left, "later" 60 − 0;
    # "answered" and "waiting" (pending customer, next response not started) wait on nobody
    rules = policies(
        {"name": "p", "match": {}, "targets": {"first_response": 60, "next_response": 60}}
    )
    cases = {
        "later": case(f"{MON}11:00+01:00"),
        "answered": case(f"{MON}09:00+01:00", agent(f"{MON}09:10+01:00")),
        "soon": case(f"{MON}10:30+01:00"),
        "late": case(f"{MON}09:00+01:00"),
        # a second cycle still open behind a missed first one is what makes it wait
        "cycle": case(
            f"{MON}09:00+01:00",
            agent(f"{MON}09:05+01:00"),
            customer(f"{MON}09:10+01:00"),
            agent(f"{MON}10:20+01:00"),  # cycle 1: 70 min, missed
            customer(f"{MON}10:50+01:00"),  # cycle 2: 10 min used, 50 left
        ),
    }
    results = [evaluate(rules, c, f"{MON}11:00+01:00") for c in cases.values()]
    ordered = [list(cases)[results.index(r)] for r in queue(results)]
    assert ordered == ["late", "soon", "cycle", "later"]


def test_the_customer_s_message_ends_the_wait_for_the_customer() -> None:
    # pending since 09:30, the customer writes at 11:00 and nobody reopens the case: the
    # next-response clock runs from 11:00 (60 min → due 12:00), it is not frozen
    subject = case(
        f"{MON}09:00+01:00",
        agent(f"{MON}09:20+01:00"),
        status(f"{MON}09:30+01:00", "pending_customer"),
        customer(f"{MON}11:00+01:00"),
    )
    result = evaluate(RULES, subject, f"{MON}11:30+01:00")
    assert summary(result, NEXT)[:3] == (Status.ACTIVE, 30, at(f"{MON}12:00+01:00"))
