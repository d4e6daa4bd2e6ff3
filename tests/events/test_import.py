"""Importing event files (CSV, XLSX, JSON Lines, XES, gzipped) on SQLite and PostgreSQL:
the variants read back equal those counted independently on the generated log."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cxgap.db.event_reads import event_imports, event_totals, workspace_events
from cxgap.db.event_tables import EventImport, EventRow
from cxgap.errors import ValidationError
from cxgap.events.importing import import_events
from cxgap.events.variants import workspace_variants
from cxgap.ingest.privacy import pseudonymise
from cxgap.services.core import Cxgap
from tests.events.logs import (
    as_counter,
    expected_variants,
    generate,
    shuffled,
    write_csv,
    write_jsonl,
    write_xes,
    write_xlsx,
)
from tests.factories import make_workspace

KEY = "test-key"


@pytest.fixture
def workspace_id(cx: Cxgap) -> int:
    with cx.transaction() as session:
        return make_workspace(session).id


def _import(cx: Cxgap, workspace_id: int, path: Path, **options: object) -> None:
    with cx.transaction() as session:
        import_events(session, workspace_id, path, **options)  # type: ignore[arg-type]


def _variants(cx: Cxgap, workspace_id: int, **options: object) -> Counter[tuple[str, ...]]:
    with cx.reading() as session:
        return as_counter(workspace_variants(session, workspace_id, **options).as_json())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "write"),
    [
        ("log.csv", write_csv),
        ("log.csv.gz", None),
        ("log.jsonl", write_jsonl),
        ("log.xlsx", write_xlsx),
        ("log.xes", write_xes),
        ("log.xes.gz", write_xes),
    ],
)
def test_each_format_gives_the_independently_counted_variants(
    cx: Cxgap, workspace_id: int, tmp_path: Path, name: str, write: object
) -> None:
    events = generate(cases=80, seed=11)
    written = events if name.startswith("log.xes") else shuffled(events)
    path = tmp_path / name
    if write is None:
        plain = write_csv(tmp_path / "plain.csv", written)
        path.write_bytes(gzip.compress(plain.read_bytes()))
    else:
        write(path, written)  # type: ignore[operator]
    _import(cx, workspace_id, path, pseudonym_key=KEY)
    expected = expected_variants(written)
    assert _variants(cx, workspace_id) == expected
    with cx.reading() as session:
        cases = sum(expected.values())
        assert event_totals(session, workspace_id) == (cases, len(events))
        (row,) = event_imports(session, workspace_id)
        assert (row.status, row.events, row.cases, row.preset) == (
            "done",
            len(events),
            cases,
            "process-mining",
        )


def test_lifecycle_filter_counts_only_the_transitions_asked(
    cx: Cxgap, workspace_id: int, tmp_path: Path
) -> None:
    events = shuffled(generate(cases=50, seed=5))
    _import(cx, workspace_id, write_csv(tmp_path / "log.csv", events))
    expected = expected_variants(events, {"complete"})
    assert _variants(cx, workspace_id, lifecycles={"COMPLETE"}) == expected


def test_xes_trace_attributes_reach_every_event_and_nested_ones_are_not_columns(
    cx: Cxgap, workspace_id: int, tmp_path: Path
) -> None:
    events = generate(cases=5, seed=2)
    _import(cx, workspace_id, write_xes(tmp_path / "log.xes", events), pseudonym_key=None)
    with cx.reading() as session:
        stored = list(workspace_events(session, workspace_id))
    assert {event.case for event in stored} == {event.case for event in events}
    assert all(event.channel for event in stored)  # case:channel, written after the events
    assert all("nested" not in event.attributes and "x" not in event.attributes for event in stored)
    assert {event.attributes["org:resource"] for event in stored} <= {
        f"agent {i}" for i in range(5)
    }


def test_case_references_are_pseudonymised_unless_kept(
    cx: Cxgap, workspace_id: int, tmp_path: Path
) -> None:
    events = generate(cases=4, seed=1)
    path = write_csv(tmp_path / "log.csv", events)
    _import(cx, workspace_id, path, pseudonym_key=KEY)
    with cx.reading() as session:
        refs = set(session.scalars(select(EventRow.case_ref)))
    assert refs == {pseudonymise(event.case, KEY) for event in events}
    other = make_other_workspace(cx)
    _import(cx, other, path, pseudonym_key=None)
    with cx.reading() as session:
        kept = set(session.scalars(select(EventRow.case_ref).where(EventRow.workspace_id == other)))
    assert kept == {event.case for event in events}


def make_other_workspace(cx: Cxgap) -> int:
    with cx.transaction() as session:
        return make_workspace(session, key="other").id


def test_a_refused_row_leaves_nothing_stored_and_names_row_column_and_value(
    cx: Cxgap, workspace_id: int, tmp_path: Path
) -> None:
    events = generate(cases=30, seed=4)
    path = write_csv(tmp_path / "bad.csv", events)
    lines = path.read_text().splitlines()
    last = len(lines)  # the last row of the file (the header is row 1)
    cells = lines[-1].split(",")
    cells[2] = "not a date"
    lines[-1] = ",".join(cells)
    lines.insert(3, "C-9999,,2024-03-01T10:00:00+00:00,COMPLETE,web,x")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValidationError) as caught:
        _import(cx, workspace_id, path)
    problems = caught.value.problems
    assert [(p.row, p.field, p.code) for p in problems] == [
        (4, "concept:name", "required"),
        (last + 1, "time:timestamp", "event_date"),
    ]
    assert problems[1].value == "not a date" and problems[1].source == "bad.csv"
    with cx.reading() as session:
        assert session.scalar(select(func.count()).select_from(EventRow)) == 0
        assert session.scalar(select(func.count()).select_from(EventImport)) == 0


def test_a_refusal_caught_by_the_caller_still_leaves_nothing(
    cx: Cxgap, workspace_id: int, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    rows = [f"C{i},A,2024-03-0{1 + i % 9}T10:00:00" for i in range(30_000)]
    rows[25_000] = "C1,A,31/31/2024"
    path.write_text("case:concept:name,concept:name,time:timestamp\n" + "\n".join(rows) + "\n")
    # The caller catches the refusal and commits: the import deleted what it had stored.
    with cx.transaction() as session, pytest.raises(ValidationError):
        import_events(session, workspace_id, path)
    with cx.reading() as session:
        assert event_totals(session, workspace_id) == (0, 0)
        assert event_imports(session, workspace_id) == []
