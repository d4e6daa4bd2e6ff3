"""Rows mapped by several processes give the records and the report of one process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cxgap.ingest import PRESETS, collect_feedback, parallel
from cxgap.ingest.spec import FieldMap, MappingSpec
from cxgap.ingest.tables import Row
from tests.varied_feedback import write_varied_csv


def _spec() -> MappingSpec:
    generic = PRESETS["generic"]
    fields = dict(generic.fields)
    fields |= {
        "source_id": FieldMap(columns=("id",)),
        "source_type": FieldMap(columns=("type",), values={"sondage": "survey"}),
        "channel": FieldMap(columns=("canal",)),
        "collected_at": FieldMap(columns=("date",), detect=True),
        "text": FieldMap(columns=("commentaire",)),
        "nps": FieldMap(columns=("nps",)),
        "csat": FieldMap(columns=("csat",)),
        "customer_ref": FieldMap(columns=("client",)),
    }
    return MappingSpec(name="varied", fields=fields, keep=("magasin", "note interne"))


@pytest.mark.parametrize("mode", ["skip_invalid", "all_or_nothing"])
def test_several_processes_give_what_one_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    path = write_varied_csv(tmp_path / "varied.csv", 600)
    one, one_report = collect_feedback(
        path,
        _spec(),
        mode=mode,
        pseudonym_key="k",
        jobs=1,  # type: ignore[arg-type]
    )
    monkeypatch.setattr(parallel, "CHUNK_ROWS", 37)  # many chunks, the last one short
    many, many_report = collect_feedback(
        path,
        _spec(),
        mode=mode,
        pseudonym_key="k",
        jobs=3,  # type: ignore[arg-type]
    )
    assert one_report.as_dict() == many_report.as_dict()
    assert many == one
    # The file is varied enough to show each kind of row the report counts.
    assert one_report.rows_refused and one_report.duplicates and one_report.skipped_blank
    assert one_report.records_valid > 300


def test_the_pool_maps_rows_in_the_files_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_varied_csv(tmp_path / "varied.csv", 300)
    monkeypatch.setattr(parallel, "CHUNK_ROWS", 10)
    _, report = collect_feedback(path, _spec(), mode="skip_invalid", jobs=2)
    rows = [p.row for p in report.problems if p.row is not None]
    assert rows == sorted(rows) and len(rows) > 5


def test_a_small_file_is_mapped_without_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a pool started for a file of one chunk")

    monkeypatch.setattr(parallel, "_pooled", no_pool)
    records, report = collect_feedback(
        write_varied_csv(tmp_path / "small.csv", 50), _spec(), mode="skip_invalid", jobs=4
    )
    assert report.rows_read and records


def test_jobs_zero_means_one_process_per_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 6)
    assert parallel.worker_count(0) == 6
    assert parallel.worker_count(3) == 3


def test_the_pool_reads_at_most_a_few_chunks_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory stays bounded: the parent does not read the file faster than the workers map."""
    from cxgap.ingest.resolve import resolve_mapping
    from cxgap.ingest.tables import open_table

    path = write_varied_csv(tmp_path / "varied.csv", 400)
    spec = _spec()
    with open_table(path, spec.read) as table:
        rows = list(table)
        mapping = resolve_mapping(spec, table.header, source="varied.csv")
    read = 0

    def counted() -> Iterator[Row]:
        nonlocal read
        for row in rows:
            read += 1
            yield row

    mapped = parallel.mapped_rows(mapping, counted(), jobs=2, chunk=10)
    first = next(mapped)
    assert first[0] == rows[0][0]
    assert read <= (2 * 2 + 1) * 10  # the chunks in flight and the one being sent
    assert [n for n, _ in mapped] == [n for n, _ in rows[1:]]
    mapped.close()
