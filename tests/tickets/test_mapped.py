"""A CSV whose columns the person names (``--map``), and an events CSV: the whole
conversation of each ticket, every metric measured."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxgap.errors import ValidationError
from cxgap.tickets.importing import import_tickets
from tests.tickets.helpers import DATA, PARIS, at, by_id, metric

MAP = {
    "id": "Ticket",
    "created_at": "Opened",
    "first_reply_at": "Answered",
    "solved_at": "Closed on",
    "priority": "Urgency",
    "channel": "Source",
    "team": "Squad",
    "account": "Client",
}


def test_a_mapped_csv_reads_the_named_columns() -> None:
    imported = import_tickets(DATA / "mapped.csv", preset="mapped", mapping=MAP)
    cases = by_id(imported.cases)
    assert sorted(cases) == ["M1", "M2"]
    assert dict(imported.tally.skipped) == {"no_id": 1}  # the row without an id
    assert cases["M1"].attributes["team"] == "Tier 1"
    assert cases["M1"].account == "acme"
    # 10:00 -> 10:30: 30 business minutes of the urgent 60; resolved 12:00 (120 of 240)
    assert metric(cases["M1"], "first_response")["status"] == "hit"
    assert metric(cases["M1"], "resolution")["minutes"] == 120.0
    # M2, low: same day policy; replied 13:00 = 150 business minutes (lunch excluded)
    assert metric(cases["M2"], "first_response")["minutes"] == 150.0
    # timestamps, but no pending time column: only next responses are unmeasured
    assert cases["M1"].attributes["unmeasured"] == ["next_response"]


def test_a_map_naming_a_missing_column_or_an_unknown_field_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        import_tickets(DATA / "mapped.csv", preset="mapped", mapping={**MAP, "id": "Numéro"})
    assert (refused.value.problems[0].code, refused.value.problems[0].value) == (
        "no_column",
        "Numéro",
    )
    with pytest.raises(ValidationError) as unknown:
        import_tickets(DATA / "mapped.csv", preset="mapped", mapping={"colour": "Squad"})
    assert unknown.value.problems[0].code == "unknown_field"


def test_without_a_map_a_required_column_the_file_lacks_is_named() -> None:
    with pytest.raises(ValidationError) as refused:
        import_tickets(DATA / "mapped.csv", preset="mapped")
    problem = refused.value.problems[0]
    assert (problem.code, problem.value) == ("missing_column", "created_at")
    assert "Opened" in str(problem.params["columns"])


def test_an_events_csv_rebuilds_the_conversation_with_its_pause() -> None:
    imported = import_tickets(DATA / "events.csv", zone=PARIS)
    assert imported.layout == "events"
    (case,) = imported.cases
    assert case.created_at == at("2026-03-02T09:00:00+01:00")
    assert case.attributes == {"priority": "high", "channel": "email", "team": "Support"}
    # the internal note at 09:10 is no response; the public reply at 09:30 is (30 minutes)
    assert metric(case, "first_response")["satisfied_at"] == at("2026-03-02T09:30:00+01:00")
    # the customer's message on Tuesday 09:00 answered at 10:00: 60 of 120
    assert metric(case, "next_response") == {
        "status": "hit",
        "minutes": 60.0,
        "satisfied_at": at("2026-03-03T10:00:00+01:00"),
    }
    # resolution: Monday 09:00-09:31 (31), pending until Tuesday 09:00, then 09:00-11:00
    # (120) = 151 business minutes, not the 600 of a clock that ignored the wait
    assert metric(case, "resolution")["minutes"] == 151.0


def test_a_custom_status_is_kept_for_the_policy_to_pause_on(tmp_path: Path) -> None:
    text = (DATA / "events.csv").read_text(encoding="utf-8")
    path = tmp_path / "events.csv"
    path.write_text(text.replace(",pending,", ",Awaiting parts,"), encoding="utf-8")
    (case,) = import_tickets(path, zone=PARIS).cases
    assert [e.status for e in case.events if e.type == "status"] == ["awaiting_parts", "resolved"]
    # the default policy does not pause on it: 31 + the rest of Monday (449) + 120 = 600
    assert metric(case, "resolution")["minutes"] == 600.0


def test_an_unknown_event_type_is_refused_with_its_row(tmp_path: Path) -> None:
    text = (DATA / "events.csv").read_text(encoding="utf-8")
    path = tmp_path / "events.csv"
    path.write_text(text.replace(",note,", ",call,"), encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        import_tickets(path, zone=PARIS)
    problem = refused.value.problems[0]
    assert (problem.row, problem.field, problem.value, problem.code) == (
        3,
        "type",
        "call",
        "choice",
    )


def test_a_freshdesk_export_is_recognised_and_its_resolution_left_unmeasured() -> None:
    imported = import_tickets(DATA / "freshdesk.csv", zone=PARIS)
    assert imported.layout == "freshdesk-csv"
    cases = by_id(imported.cases)
    first = cases["F1"]
    assert (first.attributes["priority"], first.attributes["channel"], first.account) == (
        "medium",
        "email",
        "acme",
    )
    # "Initial response time" is the instant of the first reply: 60 business minutes
    assert metric(first, "first_response")["minutes"] == 60.0
    # Freshdesk's export has pending statuses but no pending time: resolution unmeasured
    assert first.attributes["unmeasured"] == ["next_response", "resolution"]
    assert metric(cases["F2"], "first_response")["satisfied_at"] == at("2026-03-02T09:20:00+01:00")


def test_ragged_rows_are_skipped_and_counted(tmp_path: Path) -> None:
    lines = (DATA / "mapped.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join([*lines, "M3,2026-03-02T10:00:00+01:00"]) + "\n", encoding="utf-8")
    imported = import_tickets(path, preset="mapped", mapping=MAP)
    assert sorted(by_id(imported.cases)) == ["M1", "M2"]
    assert dict(imported.tally.skipped) == {"no_id": 1, "ragged": 1}


def test_an_events_ticket_without_a_created_row_starts_at_its_first_event(tmp_path: Path) -> None:
    lines = (DATA / "events.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "events.csv"
    kept = [line.replace(",,,,", ",,high,email,Support") if "09:10" in line else line
            for line in lines if ",created," not in line]  # fmt: skip
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    imported = import_tickets(path, zone=PARIS)
    (case,) = imported.cases
    assert case.created_at == at("2026-03-02T09:10:00+01:00")
    assert imported.tally.defaulted["created_at_first_event"] == 1
