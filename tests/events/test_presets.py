"""Event file layouts: the presets (detected or named), mapping files, dates written day
first or month first, blank optional cells, and contact details kept out of attributes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cxgap.db.event_reads import activity_mapping, workspace_events
from cxgap.errors import ValidationError
from cxgap.events.importing import EventImportResult, import_events
from cxgap.events.mappingfile import load_event_mapping
from cxgap.events.model import Event
from cxgap.services.core import Cxgap
from tests.factories import make_workspace


@pytest.fixture
def sqlite(sqlite_cx: Cxgap) -> Cxgap:
    with sqlite_cx.transaction() as session:
        make_workspace(session)
    return sqlite_cx


def _run(cx: Cxgap, path: Path, **options: object) -> tuple[EventImportResult, list[Event]]:
    with cx.transaction() as session:
        result = import_events(session, 1, path, **options)  # type: ignore[arg-type]
    with cx.reading() as session:
        return result, list(workspace_events(session, 1))


def test_ga4_bigquery_export_in_json_lines(sqlite: Cxgap, tmp_path: Path) -> None:
    rows = [
        {
            "event_date": "20240305",
            "event_timestamp": 1709654400123456 + step * 1_000_000,
            "event_name": name,
            "user_pseudo_id": "1234.5678",
            "platform": "WEB",
            "device": {"category": "mobile", "operating_system": "Android"},
            "traffic_source": {"medium": "organic"},
            "event_params": [
                {"key": "page_title", "value": {"string_value": "Panier", "int_value": None}},
                {"key": "ga_session_id", "value": {"int_value": 1709654400}},
            ],
        }
        for step, name in enumerate(["session_start", "page_view", "add_to_cart"])
    ]
    path = tmp_path / "events_20240305.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    result, events = _run(sqlite, path)
    assert result.preset == "web-analytics"
    assert [e.activity for e in events] == ["session_start", "page_view", "add_to_cart"]
    assert events[0].timestamp == datetime(2024, 3, 5, 16, 0, 0, 123456, tzinfo=UTC)
    assert events[0].channel == "WEB"
    assert events[0].attributes["device.category"] == "mobile"
    assert events[0].attributes["param.page_title"] == "Panier"
    assert events[0].attributes["param.ga_session_id"] == "1709654400"
    assert "event_date" not in events[0].attributes


CRM = (
    "Contact ID;Activity Type;Activity Date;Channel;Outcome;Owner;Email\n"
    "c-1;Inbound call;{d1};phone;resolved;Ana;ana@example.com\n"
    "c-1;Email sent;{d2};;;Ana;\n"
    "c-2;Store visit;{d3};shop;purchase;Luc;+33 6 12 34 56 78\n"
)


@pytest.mark.parametrize(
    ("dates", "order"),
    [
        (("05/03/2024 10:00", "13/03/2024 09:00", "06/03/2024 11:30"), "dmy"),
        (("03/05/2024 10:00", "03/13/2024 09:00", "03/06/2024 11:30"), "mdy"),
    ],
)
def test_crm_export_with_the_date_order_read_from_the_values(
    sqlite: Cxgap, tmp_path: Path, dates: tuple[str, str, str], order: str
) -> None:
    path = tmp_path / "activities.csv"
    path.write_text(CRM.format(d1=dates[0], d2=dates[1], d3=dates[2]))
    result, events = _run(sqlite, path, preset="crm", pseudonym_key=None)
    assert result.columns["outcome"] == "Outcome"
    by_case = {(e.case, e.activity): e for e in events}
    assert by_case["c-1", "Email sent"].timestamp == datetime(2024, 3, 13, 9, 0, tzinfo=UTC)
    assert by_case["c-1", "Inbound call"].timestamp == datetime(2024, 3, 5, 10, 0, tzinfo=UTC)
    sent = by_case["c-1", "Email sent"]
    assert (sent.channel, sent.outcome) == (None, None)  # blank optional cells
    assert by_case["c-2", "Store visit"].outcome == "purchase"
    # Contact details never become attributes: the Email column, the phone value.
    assert all("Email" not in e.attributes for e in events)
    assert by_case["c-1", "Inbound call"].attributes == {"Owner": "Ana"}


def test_dates_that_read_both_ways_are_refused_unless_the_order_is_given(
    sqlite: Cxgap, tmp_path: Path
) -> None:
    path = tmp_path / "activities.csv"
    path.write_text(CRM.format(d1="05/03/2024", d2="06/03/2024", d3="07/03/2024"))
    with pytest.raises(ValidationError) as caught:
        _run(sqlite, path, preset="crm")
    (problem,) = caught.value.problems
    assert (problem.field, problem.code) == ("Activity Date", "ambiguous_date")
    _, events = _run(sqlite, path, preset="crm", date_order="mdy")
    assert min(e.timestamp for e in events) == datetime(2024, 5, 3, tzinfo=UTC)


def test_generic_guesses_the_columns(sqlite: Cxgap, tmp_path: Path) -> None:
    path = tmp_path / "journey.csv"
    path.write_text(
        "Customer number,When,Action taken,Shop\n"
        "42,2024-03-01T10:00:00,Visit,Lyon\n"
        "42,2024-03-01T10:00:00,Purchase,Lyon\n"
    )
    result, events = _run(sqlite, path, pseudonym_key=None)
    assert result.preset == "generic"
    assert result.columns == {
        "case": "Customer number",
        "timestamp": "When",
        "activity": "Action taken",
    }
    assert [e.activity for e in events] == ["Visit", "Purchase"]  # a tie: file order
    assert events[0].attributes == {"Shop": "Lyon"}


def test_mapping_file_names_columns_formats_and_touchpoints(sqlite: Cxgap, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Client;Quand;Etape;Canal\n"
        "A;2024.03.01 10h00;Appel entrant;tel\n"
        "A;2024.03.02 11h30;Relance;mail\n"
    )
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "fields": {
                    "case": "Client",
                    "activity": "Etape",
                    "channel": "Canal",
                    "timestamp": {"column": "Quand", "date_format": "%Y.%m.%d %Hh%M"},
                },
                "timezone": "Europe/Paris",
                "activities": {"Appel entrant": "call-centre", "Relance": None},
            }
        )
    )
    spec = load_event_mapping(mapping)
    _, events = _run(sqlite, path, spec=spec)
    assert [(e.activity, e.touchpoint, e.channel) for e in events] == [
        ("Appel entrant", "call-centre", "tel"),
        ("Relance", None, "mail"),
    ]
    assert events[0].timestamp == datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    with sqlite.reading() as session:
        assert activity_mapping(session, 1) == {"Appel entrant": "call-centre", "Relance": None}


def test_a_bad_mapping_file_names_each_key(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps({"preset": "nope", "fields": {"who": "x", "timestamp": {"column": 3}}})
    )
    with pytest.raises(ValidationError) as caught:
        load_event_mapping(mapping)
    assert [p.field for p in caught.value.problems] == [
        "preset",
        "fields.who",
        "fields.timestamp.column",
    ]


def test_a_file_missing_a_required_column_is_refused_by_name(sqlite: Cxgap, tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("case:concept:name,concept:name\nA,B\n")
    with pytest.raises(ValidationError) as caught:
        _run(sqlite, path, preset="process-mining")
    (problem,) = caught.value.problems
    assert (problem.field, problem.code, problem.source) == (
        "timestamp",
        "missing_column",
        "log.csv",
    )
