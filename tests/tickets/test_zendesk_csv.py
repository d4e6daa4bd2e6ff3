"""Zendesk's view export: instants from the calendar minutes, the policy's calendar judging
them again, and what such a file cannot measure said, not guessed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from cxgap.errors import ValidationError
from cxgap.tickets.importing import import_tickets
from tests.tickets.helpers import DATA, PARIS, at, by_id, metric


def test_the_view_export_is_detected_and_read_in_the_given_zone() -> None:
    imported = import_tickets(DATA / "zendesk_view.csv", zone=PARIS)
    assert imported.layout == "zendesk-csv"
    cases = by_id(imported.cases)
    assert sorted(cases) == ["101", "102", "103", "104"]
    first = cases["101"]
    assert first.created_at == at("2026-03-02T11:45:00+01:00")
    assert first.account == "acme"
    assert {k: first.attributes[k] for k in ("priority", "channel", "team", "assignee")} == {
        "priority": "high",
        "channel": "email",  # "Mail"
        "team": "Billing",
        "assignee": "Agent One",
    }
    assert cases["104"].attributes["channel"] == "phone"  # "Phone call (incoming)"


def test_the_first_reply_is_the_creation_plus_the_calendar_minutes_judged_on_our_calendar() -> None:
    cases = by_id(import_tickets(DATA / "zendesk_view.csv", zone=PARIS).cases)
    # 11:45 + 135 calendar minutes = 14:00; on the office calendar 11:45-12:30 (45) and
    # 13:30-14:00 (30) = 75 business minutes, over the urgent policy's 60: missed.
    # (The file's own "within business hours" column is Zendesk's schedule: not used.)
    assert metric(cases["101"], "first_response") == {
        "status": "missed",
        "minutes": 75.0,
        "satisfied_at": at("2026-03-02T14:00:00+01:00"),
    }
    # resolution: 11:45 + 255 = 16:00, 45 + 150 = 195 business minutes of 240: hit
    assert metric(cases["101"], "resolution")["minutes"] == 195.0
    assert metric(cases["101"], "resolution")["status"] == "hit"


def test_what_the_rows_cannot_measure_is_listed_and_counted() -> None:
    imported = import_tickets(DATA / "zendesk_view.csv", zone=PARIS)
    cases = by_id(imported.cases)
    # no customer messages in a row: next responses are never measured
    assert all("next_response" in c.attributes["unmeasured"] for c in imported.cases)  # type: ignore[operator]
    # 102 spent 120 minutes pending, and the row cannot say when: resolution unmeasured
    assert cases["102"].attributes["unmeasured"] == ["next_response", "resolution"]
    # 104 was reopened, but its first resolution time is given: measured
    assert cases["104"].attributes["unmeasured"] == ["next_response"]
    assert dict(imported.tally.unmeasured) == {"next_response": 4, "resolution": 1}
    # a blank priority becomes "normal", and is counted
    assert cases["102"].attributes["priority"] == "normal"
    assert dict(imported.tally.defaulted) == {"priority": 1}


def test_a_reopened_ticket_with_only_its_last_solve_has_no_resolution(tmp_path: Path) -> None:
    source = (DATA / "zendesk_view.csv").read_text(encoding="utf-8").splitlines()
    header = source[0].split(",")
    cells = source[4].split(",")  # ticket 104: reopened once
    cells[header.index("First resolution time in minutes")] = ""
    path = tmp_path / "reopened.csv"
    path.write_text("\n".join([source[0], ",".join(cells)]) + "\n", encoding="utf-8")
    case = import_tickets(path, zone=PARIS).cases[0]
    # "Solved at" is the last solve, after the reopening: not the first resolution
    assert [e.type for e in case.events] == ["reply"]
    assert case.attributes["unmeasured"] == ["next_response", "resolution"]


def test_french_headers_a_semicolon_and_day_first_dates_shown_by_a_13th() -> None:
    imported = import_tickets(DATA / "zendesk_view_fr.csv", zone=PARIS)
    assert imported.layout == "zendesk-csv"
    cases = by_id(imported.cases)
    # 02/03/2026 is read as the 2nd of March because 13/03/2026 is in the same columns
    assert cases["301"].created_at == at("2026-03-02T11:45:00+01:00")
    assert cases["302"].created_at == at("2026-03-13T09:00:00+01:00")
    assert cases["301"].attributes["priority"] == "high"  # "Haute"
    assert metric(cases["301"], "first_response")["minutes"] == 75.0


def test_dates_that_read_both_ways_need_the_date_order(tmp_path: Path) -> None:
    text = (DATA / "zendesk_view_fr.csv").read_text(encoding="utf-8")
    path = tmp_path / "ambigu.csv"
    path.write_text(text.replace("13/03/2026", "12/03/2026"), encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        import_tickets(path, zone=PARIS)
    assert refused.value.problems[0].code == "date_order"
    read = by_id(import_tickets(path, zone=PARIS, date_order="mdy").cases)
    assert read["301"].created_at == at("2026-02-03T11:45:00+01:00")


def test_dates_without_an_offset_need_a_time_zone() -> None:
    with pytest.raises(ValidationError) as refused:
        import_tickets(DATA / "zendesk_view.csv")
    problem = refused.value.problems[0]
    assert (problem.source, problem.row, problem.field, problem.value, problem.code) == (
        "zendesk_view.csv",
        2,
        "Created at",
        "2026-03-02 11:45:00",
        "no_offset",
    )


def test_a_bad_duration_names_its_row_column_and_value(tmp_path: Path) -> None:
    text = (DATA / "zendesk_view.csv").read_text(encoding="utf-8")
    path = tmp_path / "bad.csv"
    path.write_text(text.replace(",1,3,20,20,", ",1,3,vingt,20,"), encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        import_tickets(path, zone=PARIS)
    problem = refused.value.problems[0]
    assert (problem.row, problem.field, problem.value, problem.code) == (
        5,
        "First reply time in minutes",
        "vingt",
        "minutes",
    )


def test_a_ticket_id_used_twice_is_refused(tmp_path: Path) -> None:
    lines = (DATA / "zendesk_view.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "twice.csv"
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        import_tickets(path, zone=PARIS)
    assert (refused.value.problems[0].code, refused.value.problems[0].row) == ("duplicate_id", 6)


def test_a_custom_status_without_a_solve_time_leaves_the_resolution_unmeasured(
    tmp_path: Path,
) -> None:
    text = (DATA / "zendesk_view.csv").read_text(encoding="utf-8")
    path = tmp_path / "custom.csv"
    path.write_text(text.replace(",Open,Normal,", ",Awaiting parts,Normal,"), encoding="utf-8")
    case = by_id(import_tickets(path, zone=PARIS).cases)["103"]
    # it may be one of the account's solved statuses: not counted as a missed resolution
    assert case.attributes["unmeasured"] == ["next_response", "resolution"]
    untouched = by_id(import_tickets(DATA / "zendesk_view.csv", zone=PARIS).cases)["103"]
    assert untouched.attributes["unmeasured"] == ["next_response"]  # "Open": still running


def test_an_excel_export_reads_like_the_csv(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    lines = (DATA / "zendesk_view.csv").read_text(encoding="utf-8").splitlines()
    for line in lines:
        sheet.append(line.split(","))
    sheet["K2"] = datetime(2026, 3, 2, 11, 45)  # a real date cell, as Explore writes it
    path = tmp_path / "explore.xlsx"
    book.save(path)
    from_sheet = by_id(import_tickets(path, zone=PARIS).cases)
    from_csv = by_id(import_tickets(DATA / "zendesk_view.csv", zone=PARIS).cases)
    assert from_sheet.keys() == from_csv.keys()
    assert [(c.created_at, c.events) for c in from_sheet.values()] == [
        (c.created_at, c.events) for c in from_csv.values()
    ]
