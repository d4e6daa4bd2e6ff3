"""Hostile files read by the ingest package: refused by name, in bounded memory, with the
file's own name (never the server's path) in the message."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cxgap.errors import ValidationError
from cxgap.ingest import workbook_guard
from cxgap.ingest.jsonrows import MAX_DEPTH
from cxgap.ingest.preview import preview_file
from cxgap.ingest.tables import ReadOptions, open_table
from cxgap.ingest.workbook_guard import WorkbookLimits, check_workbook
from tests.hostile_files import (
    MB,
    inline_cell_bomb,
    long_random_cell,
    nested_json,
    peak_memory,
    rich_text_runs,
    shared_string_bomb,
    workbook,
)

# Far below what the bombs unpack to (160 MB), far above what reading a header takes.
BOUND = 40 * MB


def refused(path: Path, name: str = "answers.xlsx") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        preview_file(path, ReadOptions(), name=name)
    return caught.value


def reason_of(error: ValidationError) -> object:
    return error.problems[0].params.get("reason")


@pytest.mark.parametrize("bomb", [shared_string_bomb, inline_cell_bomb])
def test_a_zip_bomb_workbook_is_refused_in_bounded_memory(tmp_path: Path, bomb: object) -> None:
    path = bomb(tmp_path / "bomb.xlsx", 160)  # type: ignore[operator]
    assert path.stat().st_size < 2 * MB  # a small upload…
    with peak_memory() as peak:
        error = refused(path)
    assert peak[0] < BOUND  # …that never unpacks
    assert reason_of(error) == "xlsx_ratio"
    assert error.problems[0].source == "answers.xlsx"
    assert "zip bomb" in error.problems[0].message


@pytest.mark.parametrize("bomb", [shared_string_bomb, inline_cell_bomb])
def test_the_stream_limits_stop_a_bomb_that_the_ratio_check_lets_through(
    tmp_path: Path, bomb: object
) -> None:
    path = bomb(tmp_path / "bomb.xlsx", 160)  # type: ignore[operator]
    lenient = WorkbookLimits(ratio=10**9)
    with peak_memory() as peak, path.open("rb") as stream, pytest.raises(ValidationError) as caught:
        check_workbook(stream, "answers.xlsx", lenient)
    assert peak[0] < BOUND
    # One run of text, far over a cell: the first of the two counters to see it says so.
    assert reason_of(caught.value) in ("xlsx_token", "xlsx_cell_chars")


def test_a_cell_longer_than_excel_allows_is_refused_though_it_compresses_badly(
    tmp_path: Path,
) -> None:
    path = long_random_cell(tmp_path / "long.xlsx", 40_000)
    error = refused(path)
    assert reason_of(error) == "xlsx_cell_chars"
    assert error.problems[0].params["limit"] == "32767"
    assert "32,767 characters" in error.problems[0].message


def test_a_shared_string_made_of_many_short_runs_is_refused(tmp_path: Path) -> None:
    error = refused(rich_text_runs(tmp_path / "runs.xlsx", 20_000))
    assert reason_of(error) == "xlsx_cell_chars"


def test_rows_and_columns_beyond_the_limits_are_refused(tmp_path: Path) -> None:
    def rows() -> object:
        for number in range(1, 31):
            cells = "".join(f'<c r="{c}{number}"><v>1</v></c>' for c in "ABCDE")
            yield f'<row r="{number}">{cells}</row>'

    path = workbook(tmp_path / "wide.xlsx", sheet_rows=rows)  # type: ignore[arg-type]
    with path.open("rb") as stream:
        assert check_workbook(stream, "a.xlsx") == (30, 5)
        for limits, reason in (
            (WorkbookLimits(rows=20), "xlsx_rows"),
            (WorkbookLimits(columns=4), "xlsx_columns"),
            (WorkbookLimits(cells=100), "xlsx_cells"),
        ):
            with pytest.raises(ValidationError) as caught:
                check_workbook(stream, "a.xlsx", limits)
            assert reason_of(caught.value) == reason


def test_a_sheet_declaring_16384_columns_reads_each_row_as_wide_as_it_is(tmp_path: Path) -> None:
    """openpyxl pads every row to the width the sheet declares: with a lying <dimension>,
    a row of one cell would become 16,384."""

    def rows() -> object:
        yield '<row r="1"><c r="A1" t="inlineStr"><is><t>text</t></is></c></row>'
        yield '<row r="2"><c r="A2" t="inlineStr"><is><t>fine</t></is></c></row>'

    path = workbook(tmp_path / "dim.xlsx", sheet_rows=rows, dimension="A1:XFD2")  # type: ignore[arg-type]
    with open_table(path, ReadOptions()) as table:
        assert table.header == ["text"]
        assert [dict(v) for _, v in table] == [{"text": "fine"}]


@pytest.mark.parametrize(
    "markup",
    [
        '<!DOCTYPE x [<!ENTITY a "aaaa">]>',
        "<!-- a comment -->",
    ],
)
def test_xml_that_spreadsheet_programs_do_not_write_is_refused(tmp_path: Path, markup: str) -> None:
    def rows() -> object:
        yield '<row r="1"><c r="A1" t="inlineStr"><is><t>text</t></is></c></row>' + markup

    path = workbook(tmp_path / "dtd.xlsx", sheet_rows=rows)  # type: ignore[arg-type]
    assert reason_of(refused(path)) == "xlsx_markup"


def test_a_damaged_workbook_names_the_uploaded_file_never_the_server_path(tmp_path: Path) -> None:
    good = tmp_path / "server-side" / "data.xlsx"
    good.parent.mkdir()
    book = openpyxl.Workbook()
    book.active.append(["text"])  # type: ignore[union-attr]
    book.save(good)
    with zipfile.ZipFile(good) as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    for part in ("xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml"):
        broken = tmp_path / "server-side" / f"data-{part.replace('/', '_')}.xlsx"
        with zipfile.ZipFile(broken, "w") as archive:
            for name, body in parts.items():
                archive.writestr(name, body[:60] if name == part else body)
        error = refused(broken, name="Réponses mars.xlsx")  # not a 500: a refusal
        text = str(error)
        assert "Réponses mars.xlsx" in text
        assert str(tmp_path) not in text and "data-" not in text
        assert reason_of(error) == "xlsx_unreadable"
    truncated = tmp_path / "server-side" / "cut.xlsx"
    truncated.write_bytes(good.read_bytes()[:-200])
    assert str(tmp_path) not in str(refused(truncated, name="Réponses mars.xlsx"))


def test_an_ordinary_workbook_still_reads(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["text", "nps"])
    sheet.append(["x" * 32_767, 9])
    book.save(tmp_path / "ok.xlsx")
    with (tmp_path / "ok.xlsx").open("rb") as stream:
        assert check_workbook(stream, "ok.xlsx") == (2, 2)
    preview = preview_file(tmp_path / "ok.xlsx", ReadOptions(), name="ok.xlsx")
    assert preview.samples[0][1]["nps"] == "9"


def test_json_nested_far_too_deep_is_refused_by_name(tmp_path: Path) -> None:
    path = nested_json(tmp_path / "deep.json", 200_000)
    error = refused(path, name="deep.json")
    assert reason_of(error) == "json_too_deep"
    assert error.problems[0].params["limit"] == MAX_DEPTH
    assert f"more than {MAX_DEPTH} levels" in str(error)


def test_json_nested_past_the_limit_but_decodable_is_refused_too(tmp_path: Path) -> None:
    error = refused(nested_json(tmp_path / "deep.json", MAX_DEPTH + 5), name="deep.json")
    assert reason_of(error) == "json_too_deep"
    ok = nested_json(tmp_path / "ok.json", 3)
    assert preview_file(ok, ReadOptions(), name="ok.json").header == ["text"]


def test_a_json_line_nested_too_deep_is_a_problem_of_its_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    deep = "[" * 200_000 + "]" * 200_000
    path.write_text(
        json.dumps({"text": "fine"}) + "\n" + '{"text": ' + deep + "}\n", encoding="utf-8"
    )
    with open_table(path, ReadOptions()) as table:
        rows = list(table)
    assert rows[1][1].defect_params["reason"] == "json_too_deep_line"


def test_a_mapping_file_nested_too_deep_is_refused(tmp_path: Path) -> None:
    from cxgap.ingest.mappingfile import load_mapping

    path = tmp_path / "mapping.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ValidationError, match="too deeply"):
        load_mapping(path)


def test_check_workbook_leaves_a_stream_that_is_no_zip_to_the_reader() -> None:
    stream = io.BytesIO(b"id,email\n")
    assert check_workbook(stream, "a.xlsx") == (0, 0)
    assert stream.tell() == 0


def test_a_workbook_is_scanned_once_while_its_content_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Layout detection opens a file once per preset: the scan is not repeated."""
    scanned: list[str] = []
    scan = workbook_guard._scan_member

    def counted(archive: zipfile.ZipFile, member: zipfile.ZipInfo, *args: Any) -> object:
        scanned.append(member.filename)
        return scan(archive, member, *args)

    monkeypatch.setattr(workbook_guard, "_scan_member", counted)
    path = long_random_cell(tmp_path / "long.xlsx", 40_000)
    first = refused(path)
    count = len(scanned)
    with path.open("rb") as stream, pytest.raises(ValidationError) as again:
        check_workbook(stream, "answers.xlsx")
    assert again.value.problems == first.problems
    assert len(scanned) == count  # remembered, not read again
    long_random_cell(path, 100)  # rewritten, now sound: looked at again
    assert preview_file(path, ReadOptions(), name="answers.xlsx").header == ["text"]
    assert len(scanned) > count


def test_a_workbook_with_an_encrypted_part_is_refused_not_a_fault(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["text"])  # type: ignore[union-attr]
    book.save(tmp_path / "good.xlsx")
    with zipfile.ZipFile(tmp_path / "good.xlsx") as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    with zipfile.ZipFile(tmp_path / "locked.xlsx", "w") as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    data = bytearray((tmp_path / "locked.xlsx").read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local, central
        at = data.find(signature)
        while at >= 0:
            data[at + offset] |= 0x1  # "encrypted": zipfile wants a password to read it
            at = data.find(signature, at + 4)
    (tmp_path / "locked.xlsx").write_bytes(bytes(data))
    error = refused(tmp_path / "locked.xlsx")
    assert reason_of(error) == "xlsx_unreadable" and "password" in str(error)


def test_parts_openpyxl_does_not_scan_are_still_bounded_by_their_declared_size(
    tmp_path: Path,
) -> None:
    def rows() -> object:
        yield '<row r="1"><c r="A1" t="inlineStr"><is><t>text</t></is></c></row>'

    path = workbook(tmp_path / "chart.xlsx", sheet_rows=rows)  # type: ignore[arg-type]
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/drawings/vmlDrawing1.vml", "<xml><br></xml>")  # as Excel writes
        archive.writestr("xl/charts/chart1.xml", "<c>" + "1" * 200_000 + "</c>")
    with path.open("rb") as stream:
        assert check_workbook(stream, "a.xlsx") == (1, 1)
        with pytest.raises(ValidationError) as caught:
            check_workbook(stream, "a.xlsx", WorkbookLimits(part_bytes=100_000))
    assert reason_of(caught.value) == "xlsx_part"
