"""Zendesk's JSON export: a ticket's own metrics, or its metric events replayed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxgap.errors import ValidationError
from cxgap.tickets.importing import import_tickets
from tests.tickets.helpers import DATA, at, by_id, metric


def test_tickets_alone_give_the_first_reply_and_resolution_from_calendar_minutes() -> None:
    imported = import_tickets(DATA / "zendesk_export.jsonl")
    assert imported.layout == "zendesk-json"
    cases = by_id(imported.cases)
    plain = cases["202"]
    assert plain.attributes["team"] == "Support"
    assert plain.attributes["channel"] == "web"
    assert plain.account == "78"
    assert plain.attributes["priority"] == "normal"  # null priority, counted
    assert imported.tally.defaulted["priority"] == 1
    # 09:00 Paris + 45 = 09:45; + 1440 = Tuesday 09:00 (480 business minutes)
    assert metric(plain, "first_response")["satisfied_at"] == at("2026-03-02T09:45:00+01:00")
    assert metric(plain, "resolution")["minutes"] == 480.0
    assert plain.attributes["unmeasured"] == ["next_response"]
    # 201 waited 1409 minutes on the customer: without its events, that cannot be placed
    assert cases["201"].attributes["unmeasured"] == ["next_response", "resolution"]


def test_metric_events_replay_replies_pending_spans_and_the_solve() -> None:
    imported = import_tickets(
        DATA / "zendesk_export.jsonl", history=[DATA / "zendesk_metric_events.json"]
    )
    case = by_id(imported.cases)["201"]
    assert "unmeasured" not in case.attributes
    assert metric(case, "first_response")["minutes"] == 30.0
    # reply_time instance 2: customer at Tuesday 09:00, answered 10:00; Zendesk's own
    # breach event at 09:30 (its 30-minute target) is not our verdict: 60 of 120, hit
    assert metric(case, "next_response")["status"] == "hit"
    assert metric(case, "next_response")["minutes"] == 60.0
    # pending from Monday 09:31 to Tuesday 09:00: 31 + 120 = 151 business minutes
    assert metric(case, "resolution")["minutes"] == 151.0
    assert metric(case, "resolution")["satisfied_at"] == at("2026-03-03T11:00:00+01:00")


def test_a_ticket_with_a_bad_date_is_refused_with_its_position(tmp_path: Path) -> None:
    text = (DATA / "zendesk_export.jsonl").read_text(encoding="utf-8")
    path = tmp_path / "export.json"
    path.write_text(text.replace('"2026-03-02T08:00:00Z", "status": "solved"',
                                 '"hier", "status": "solved"'), encoding="utf-8")  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        import_tickets(path)
    problem = refused.value.problems[0]
    assert (problem.row, problem.field, problem.value) == (2, "created_at", "hier")


def test_a_broken_line_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text('{"id": 1, "created_at": "2026-03-02T08:00:00Z"}\n{"id": 2,\n')
    with pytest.raises(ValidationError) as refused:
        import_tickets(path)
    assert (refused.value.problems[0].code, refused.value.problems[0].row) == ("json", 2)


def test_audits_replay_the_conversation_and_the_status_history() -> None:
    imported = import_tickets(DATA / "zendesk_export.jsonl", history=[DATA / "zendesk_audits.json"])
    case = by_id(imported.cases)["202"]
    assert "unmeasured" not in case.attributes
    shown = [(e.type, e.by, e.public, e.auto, e.status) for e in case.events]
    assert shown == [
        ("status", None, True, False, "new"),  # its comment opens the ticket: no reply
        ("reply", "agent", True, True, None),  # a trigger's comment: automatic
        ("note", "agent", False, False, None),
        ("reply", "agent", True, False, None),
        ("status", None, True, False, "pending_customer"),
        ("reply", "customer", True, False, None),
        ("status", None, True, False, "open"),
        ("reply", "agent", True, False, None),  # author 7001, not in "users": taken as agent
        ("status", None, True, False, "resolved"),
    ]
    assert imported.tally.defaulted["author_role"] == 1
    # neither the acknowledgement (09:01) nor the note (09:20) answers: the reply at 09:45 does
    assert metric(case, "first_response")["minutes"] == 45.0
    # 09:00-09:45 Monday, pending until Tuesday 09:00, solved at 10:00: 45 + 60 minutes
    assert metric(case, "resolution")["minutes"] == 105.0
    # 201 has no audits: still read from its metric set
    assert by_id(imported.cases)["201"].attributes["unmeasured"] == ["next_response", "resolution"]
