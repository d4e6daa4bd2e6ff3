"""A file is read once: its detected fields settled on a first sample, the rest checked.

``stream_feedback`` maps the rows with the spec the first ``SAMPLE_ROWS`` rows give and
compares it, at the end, with the one the whole file gives; where they differ it yields
``REWIND`` and reads the file again. These tests shrink the sample to a few rows so that a
small file is "large", and compare every outcome with ``read_feedback`` (which reads the
file twice whenever it is longer than the sample: the path every import took before).
"""

from __future__ import annotations

import dataclasses
import io
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from cxgap.ingest import PRESETS, FeedbackRecord, ImportReport, pipeline, read_feedback
from cxgap.ingest.pipeline import REWIND, Rewind, stream_feedback, stream_options
from cxgap.ingest.profile import Profiler, profile_rows

HEADER = "source_id,source_type,collected_at,text,nps\n"


@pytest.fixture(autouse=True)
def small_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "SAMPLE_ROWS", 4)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every table opened by the pipeline, one entry per read of the file."""
    seen: list[str] = []
    real = pipeline.open_table

    def counting(*args: Any, **kwargs: Any) -> AbstractContextManager[Any]:
        seen.append(str(kwargs.get("name")))
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "open_table", counting)
    return seen


def _csv(path: Path, dates: list[str], nps: list[str] | None = None) -> Path:
    scores = nps or ["9"] * len(dates)
    lines = [
        f"r{i},survey,{d},text {i},{s}\n"
        for i, (d, s) in enumerate(zip(dates, scores, strict=True))
    ]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def _streamed(path: Path, mode: str = "all_or_nothing") -> tuple[list[Any], ImportReport]:
    report = ImportReport(source=path.name, mode=mode)  # type: ignore[arg-type]
    options = stream_options(name=path.name, pseudonym_key="k")
    items = list(stream_feedback(path, PRESETS["generic"], report, options))
    return items, report


def _read_twice(path: Path, mode: str = "all_or_nothing") -> tuple[list[Any], ImportReport]:
    report = ImportReport(source=path.name, mode=mode)  # type: ignore[arg-type]
    records = list(
        read_feedback(path, PRESETS["generic"], report, name=path.name, pseudonym_key="k")
    )
    return records, report


def _after_rewind(items: list[Any]) -> list[FeedbackRecord]:
    last = max((i for i, item in enumerate(items) if isinstance(item, Rewind)), default=-1)
    return items[last + 1 :]


def test_a_large_file_whose_dates_settle_early_is_read_once(
    tmp_path: Path, opened: list[str]
) -> None:
    path = _csv(tmp_path / "a.csv", [f"{d:02d}/03/2024" for d in range(13, 29)])
    items, report = _streamed(path)
    assert opened == ["a.csv"]  # one read
    assert REWIND not in items and report.ok and report.records_valid == 16
    assert [r.collected_at.day for r in items] == list(range(13, 29))
    opened.clear()
    records, twice = _read_twice(path)
    assert len(opened) == 2  # read_feedback cannot forget: it settles the dates first
    assert records == items and twice.as_dict() == report.as_dict()


def test_a_date_format_seen_only_late_reads_the_file_again(
    tmp_path: Path, opened: list[str]
) -> None:
    # The sample says day/month/year; a time of day appears on row 10 only, a format the
    # sample's spec does not read: the rows are mapped again with the whole file's formats.
    dates = [f"{d:02d}/03/2024" for d in range(13, 21)] + ["21/03/2024 10:30", "22/03/2024"]
    path = _csv(tmp_path / "late.csv", dates)
    items, report = _streamed(path)
    assert items.count(REWIND) == 1 and opened == ["late.csv", "late.csv"]
    kept = _after_rewind(items)
    assert report.ok and report.problems_total == 0 and report.rows_read == 10
    assert (kept[8].collected_at.hour, kept[8].collected_at.minute) == (10, 30)
    records, twice = _read_twice(path)
    assert kept == records and report.as_dict() == twice.as_dict()


def test_an_order_shown_only_after_the_sample_is_settled_by_the_whole_file(
    tmp_path: Path, opened: list[str]
) -> None:
    # Every date of the sample reads both ways: nothing is mapped before the whole file has
    # been profiled, and row 9's "25/04/2024" says day first for every row.
    dates = ["03/04/2024"] * 7 + ["25/04/2024", "05/04/2024"]
    path = _csv(tmp_path / "order.csv", dates)
    items, report = _streamed(path)
    assert REWIND not in items and len(opened) == 2
    assert report.ok and [r.collected_at.month for r in items] == [4] * 9
    assert items[0].collected_at.day == 3 and items[-1].collected_at.day == 5


def test_a_late_value_that_contradicts_the_sample_refuses_the_file(tmp_path: Path) -> None:
    # Day first in the sample, month first on the last row: refused as when read twice,
    # and what was streamed before is taken back.
    dates = [f"{d:02d}/03/2024" for d in range(13, 20)] + ["03/25/2024"]
    path = _csv(tmp_path / "mixed.csv", dates)
    items, report = _streamed(path)
    assert items[-1] is REWIND and not report.ok and report.file_refused
    records, twice = _read_twice(path)
    assert records == [] and report.as_dict() == twice.as_dict()
    assert "mixes day-first and month-first" in report.problems[0].message


def test_a_bad_row_after_the_sample_is_reported_with_its_row_column_and_value(
    tmp_path: Path,
) -> None:
    dates = [f"2024-03-{d:02d}" for d in range(1, 11)]
    path = _csv(tmp_path / "bad.csv", dates, ["9"] * 9 + ["11"])
    items, report = _streamed(path)
    assert REWIND not in items and not report.ok
    (problem,) = report.problems
    assert (problem.source, problem.row, problem.field, problem.value) == (
        "bad.csv",
        11,
        "nps",
        "11",
    )
    assert len(items) == 9  # yielded before the problem; the caller stores nothing
    _, twice = _read_twice(path)
    assert twice.as_dict() == report.as_dict()


def test_a_file_unreadable_after_the_sample_is_refused_as_a_whole(tmp_path: Path) -> None:
    path = _csv(tmp_path / "quote.csv", [f"2024-03-{d:02d}" for d in range(1, 11)])
    path.write_text(path.read_text("utf-8") + 'r10,survey,2024-03-11,"unclosed,9\n', "utf-8")
    items, report = _streamed(path)
    assert items[-1] is REWIND and report.file_refused and report.rows_read == 0
    _, twice = _read_twice(path)
    assert report.as_dict() == twice.as_dict()


def test_a_stream_is_put_back_for_its_second_read(tmp_path: Path) -> None:
    dates = [f"{d:02d}/03/2024" for d in range(13, 21)] + ["21/03/2024 10:30"]
    data = _csv(tmp_path / "s.csv", dates).read_bytes()
    stream = io.BytesIO(b"ignored prefix" + data)
    stream.seek(len(b"ignored prefix"))
    report = ImportReport(source="s.csv")
    options = stream_options(name="s.csv", pseudonym_key="k")
    items = list(stream_feedback(stream, PRESETS["generic"], report, options))
    assert items.count(REWIND) == 1 and report.ok
    assert [r.source_id for r in _after_rewind(items)] == [f"r{i}" for i in range(9)]


def test_a_file_without_detected_fields_never_rewinds(tmp_path: Path, opened: list[str]) -> None:
    spec = PRESETS["generic"]
    fixed = {
        name: fmap if name != "collected_at" else _fixed_dates(fmap)
        for name, fmap in spec.fields.items()
    }
    plain = dataclasses.replace(spec, fields=fixed)
    path = _csv(tmp_path / "plain.csv", [f"2024-03-{d:02d}" for d in range(1, 11)])
    report = ImportReport(source="plain.csv")
    items = list(stream_feedback(path, plain, report, stream_options(name="plain.csv")))
    assert (
        opened == ["plain.csv"]
        and len(items) == 10
        and all(isinstance(r.collected_at, datetime) for r in items)
    )


def _fixed_dates(fmap: Any) -> Any:
    return dataclasses.replace(fmap, detect=False, date_format=("%Y-%m-%d",))


@pytest.mark.parametrize(
    "values",
    [
        ["13/03/2024", " 03/14/2024 ", "", "  ", "2024-03-01T10:00:00+01:00", "abc", "1/2/24"],
        ["05.03.2024 09:05", "4/23/2016 3:08 PM", "12/03/2024 10:00+0100", "-", "0"],
        # Repeated values, which the date-only profiler counts again from memory
        ["2024-03-01", " 2024-03-01", "2024-03-01", "2024-03-01T10:00", "2024-03-01T10:00"]
        + ["abc"] * 4
        + ["2024-03-01 UTC", "2024-03-01 UTC", "1/2/24", "1/2/24", " 2024-03-01 "] * 3,
    ],
)
def test_the_date_only_profile_gathers_the_evidence_of_the_whole_profile(
    values: list[str],
) -> None:
    rows = [{"when": value} for value in values]
    whole = profile_rows(["when"], rows).of("when").dates
    profiler = Profiler(["when"], dates_only=True)
    for cells in rows:
        profiler.add(cells)
    assert profiler.profile.of("when").dates == whole and whole.values > 0
