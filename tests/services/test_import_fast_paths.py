"""Imports through the fast paths store what the paths of before stored: ISO dates read
without ``normalise_offset`` (``ingest.dates``), attributes' JSON remembered between rows
(``feedback_stage.attributes_json``). On SQLite and on PostgreSQL (COPY)."""

from __future__ import annotations

import csv
import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from cxgap.db.tables import Feedback
from cxgap.ingest import get_preset
from cxgap.ingest.dates import normalise_offset
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import run_feedback_import
from tests.factories import make_workspace

DATES = [
    "2025-01-02T10:00:00+01:00",
    "2025-01-02T10:00:00.250000-05:30",
    "2025-01-02 10:00:00",
    "2025-01-02 10:00",
    "2025-01-02",
    "2025-01-02T23:59:59Z",
    "2025-01-02T10:00:00+0100",
    "2025-01-02 10:00 UTC",  # not ISO: normalise_offset makes it so (the slow path)
    "2025-01-02 10:00:00 +02:00",  # not ISO either: a space before the offset
    " 2025-07-14T08:00:00+02:00 ",
]
SHOPS = ["Lyon", "Saint-Étienne", "", "Lyon", "Paris", "Lyon"]


def _file(folder: Path) -> Path:
    path = folder / "dates.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["source_id", "source_type", "collected_at", "text", "shop", "region"])
        for index in range(60):
            when = DATES[index % len(DATES)]
            shop, region = SHOPS[index % len(SHOPS)], ["", "Sud", "Nord"][index % 3]
            writer.writerow([f"r-{index:02d}", "survey", when, f"avis {index}", shop, region])
    return path


def _reference(text: str) -> datetime:
    """The date as the path of before read it: every value through normalise_offset."""
    parsed = datetime.fromisoformat(normalise_offset(text.strip()))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def test_stored_dates_and_attributes_are_those_of_before(cx: Cxgap, tmp_path: Path) -> None:
    with cx.transaction() as session:
        make_workspace(session)
    path = _file(tmp_path)
    # The generic layout with two columns kept as attributes (a preset keeps none).
    spec = dataclasses.replace(get_preset("generic"), keep=("shop", "region"))
    outcome = run_feedback_import(cx, workspace_key="acme", source=path, name=path.name, spec=spec)
    assert outcome.refusal is None and outcome.report.records_valid == 60
    with cx.reading() as session:
        rows = session.execute(
            select(Feedback.source_id, Feedback.collected_at, Feedback.attributes).order_by(
                Feedback.source_id
            )
        ).all()
    assert len(rows) == 60
    for index, (source_id, stored, attributes) in enumerate(rows):
        assert source_id == f"r-{index:02d}"
        assert stored.astimezone(UTC) == _reference(DATES[index % len(DATES)]), source_id
        shop, region = SHOPS[index % len(SHOPS)], ["", "Sud", "Nord"][index % 3]
        expected = {name: v for name, v in (("shop", shop), ("region", region)) if v}
        assert attributes == expected, source_id
        assert list(attributes) == list(expected), source_id  # the columns' order kept
