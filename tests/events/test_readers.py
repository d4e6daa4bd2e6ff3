"""Event readers without a database: malformed XES and CSV refused by line and row, epoch
and compact timestamps, amounts, and touchpoint suggestions by name in both languages."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cxgap.errors import ValidationError
from cxgap.events.convert import number_of
from cxgap.events.readers import open_events
from cxgap.events.timestamps import TimestampReader, decide_formats
from cxgap.events.touchpoints import TouchpointName, suggest


def test_malformed_xes_is_refused_with_its_line() -> None:
    text = b'<log>\n<trace>\n<event>\n<string key="concept:name" value="a">\n</event>\n</log>\n'
    with (
        pytest.raises(ValidationError) as caught,
        open_events(io.BytesIO(text), name="bad.xes") as t,
    ):
        list(t.rows)
    (problem,) = caught.value.problems
    assert problem.source == "bad.xes" and problem.params["line"] == 5


def test_csv_rows_keep_their_file_numbers_and_ragged_rows_are_marked(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text('a,b\n1,2\n\n"x\ny",3\n4\n')
    with open_events(path) as table:
        rows = list(table.rows)
    assert [number for number, _ in rows] == [2, 5, 6]  # a quoted line break is one row
    assert rows[1][1] == {"a": "x\ny", "b": "3"}
    assert getattr(rows[2][1], "defect", None) is not None


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1709654400123456"], datetime(2024, 3, 5, 16, 0, 0, 123456, tzinfo=UTC)),
        (["1709654400123"], datetime(2024, 3, 5, 16, 0, 0, 123000, tzinfo=UTC)),
        (["1709654400"], datetime(2024, 3, 5, 16, 0, tzinfo=UTC)),
        (["20240305"], datetime(2024, 3, 5, tzinfo=UTC)),
        (["2024-03-05T18:00:00+02:00"], datetime(2024, 3, 5, 16, 0, tzinfo=UTC)),
    ],
)
def test_timestamps_read_by_their_shape(values: list[str], expected: datetime) -> None:
    reader = TimestampReader(decide_formats(values), UTC)
    assert reader.read(values[0]) == expected


def test_amounts_as_exports_write_them() -> None:
    assert [number_of(v) for v in ("1 234,50", "1234.5", "12")] == [1234.5, 1234.5, 12.0]
    with pytest.raises(ValueError):
        number_of("ten")


def test_touchpoints_suggested_by_name_in_either_language() -> None:
    touchpoints = [
        TouchpointName("delivery", ("delivery", "Home delivery", "Livraison à domicile"), ""),
        TouchpointName("call", ("call", "Call centre", "Centre d’appels"), ""),
    ]
    assert suggest(["Livraison a domicile", "call_centre", "Survey sent"], touchpoints) == {
        "Livraison a domicile": "delivery",
        "call_centre": "call",
        "Survey sent": None,
    }
