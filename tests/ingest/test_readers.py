"""Readers: encodings, delimiters, row numbers, odd shapes, XLSX, JSON and JSON Lines."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest import PRESETS, ReadOptions, jsonrows, open_table
from tests.ingest.util import DATA, collect, only_problem, write_csv

GENERIC = PRESETS["generic"]
ACCENTED = (
    "source_id,source_type,collected_at,text,nps\n"
    "a1,survey,2024-03-04,Très déçue : livraison en retard,3\n"
    'a2,survey,2024-03-05,"“Parfait”, merci à l’équipe — 10/10",10\n'
)


def rows_of(
    path: Path, options: ReadOptions | None = None
) -> list[tuple[int, dict[str, str | None]]]:
    with open_table(path, options) as table:
        return [(number, dict(values)) for number, values in table]


def refusal(path: Path, options: ReadOptions | None = None) -> FieldProblem:
    with pytest.raises(ValidationError) as caught, open_table(path, options) as table:
        list(table)
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_the_same_csv_in_three_encodings_gives_the_same_records(
    tmp_path: Path, encoding: str
) -> None:
    reference, _ = collect(write_csv(tmp_path / "ref.csv", ACCENTED), GENERIC)
    records, report = collect(write_csv(tmp_path / "f.csv", ACCENTED, encoding), GENERIC)
    assert report.ok
    assert records == reference
    assert records[0].text == "Très déçue : livraison en retard"


def test_a_cp1252_file_read_as_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", ACCENTED, "cp1252")
    problem = refusal(path, ReadOptions(encoding="utf-8"))
    assert problem.code == "encoding"
    assert problem.params["line"] == 2
    assert "line 2" in problem.message and "cp1252" in problem.message


def test_a_wrong_byte_after_the_detection_sample_is_refused_with_its_line(tmp_path: Path) -> None:
    lines = [f"id{i},survey,2024-03-04,plain ascii text,7" for i in range(3000)]
    lines.append("late,survey,2024-03-04,caf\xe9 froid,2")
    text = "source_id,source_type,collected_at,text,nps\n" + "\n".join(lines) + "\n"
    path = write_csv(tmp_path / "f.csv", text, "cp1252")
    assert path.stat().st_size > 64 * 1024
    problem = refusal(path)
    assert problem.params["line"] == 3002
    assert "looked like UTF-8" in problem.message


def test_latin1_is_told_from_cp1252_by_the_bytes_cp1252_lacks() -> None:
    from cxgap.ingest import detect_encoding

    assert detect_encoding(b"caf\xe9 \x81") == "latin-1"
    assert detect_encoding(b"caf\xe9 \x80") == "cp1252"  # the euro sign


def test_decode_text_detects_and_refuses_like_the_streaming_readers() -> None:
    from cxgap.ingest import decode_text

    assert decode_text(ACCENTED.encode("cp1252")) == ACCENTED
    assert decode_text(b"\xef\xbb\xbf" + ACCENTED.encode(), encoding="utf-8") == ACCENTED
    with pytest.raises(ValidationError) as caught:
        decode_text(ACCENTED.encode("cp1252"), source="old.csv", encoding="utf-8")
    problem = caught.value.problems[0]
    assert (problem.source, problem.field, problem.params["line"]) == ("old.csv", "(file)", 2)


@pytest.mark.parametrize(
    "text",
    [b"\xff\xfeh\x00i\x00", b"PK\x03\x04\x00\x00binary"],
    ids=["utf-16", "binary"],
)
def test_utf16_and_binary_files_are_refused(tmp_path: Path, text: bytes) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(text)
    assert refusal(path).code == "encoding"


def test_an_unknown_encoding_name_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", ACCENTED)
    problem = refusal(path, ReadOptions(encoding="klingon"))
    assert (problem.value, problem.code) == ("klingon", "encoding")


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
def test_the_delimiter_is_detected(tmp_path: Path, delimiter: str) -> None:
    text = (
        f"id{delimiter}texte{delimiter}note\n"
        f'1{delimiter}"Bien, mais cher"{delimiter}7\n'
        f"2{delimiter}Rapide{delimiter}9\n"
    )
    assert rows_of(write_csv(tmp_path / "f.csv", text)) == [
        (2, {"id": "1", "texte": "Bien, mais cher", "note": "7"}),
        (3, {"id": "2", "texte": "Rapide", "note": "9"}),
    ]


def test_a_semicolon_file_with_day_first_dates_imports_with_its_mapping_file() -> None:
    from cxgap.ingest import load_mapping

    spec = load_mapping(DATA / "spreadsheet_fr.mapping.json")
    records, report = collect(DATA / "spreadsheet_fr.csv", spec)
    assert report.ok
    assert [r.collected_at.day for r in records] == [4, 5, 13]
    assert records[1].channel == "phone"  # "Téléphone", translated by the value map
    assert records[2].text.startswith("Prix élevés mais qualité au rendez-vous ;")


def test_an_explicit_delimiter_wins(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", "a;b,c\n1;2,3\n")
    assert rows_of(path, ReadOptions(delimiter=",")) == [(2, {"a;b": "1;2", "c": "3"})]


def test_rows_are_numbered_as_in_a_spreadsheet(tmp_path: Path) -> None:
    text = 'id,text\n1,"two\nlines"\n\n2,after a blank line\n,\n3,last\n'
    rows = rows_of(write_csv(tmp_path / "f.csv", text))
    assert [number for number, _ in rows] == [2, 4, 6]
    assert rows[0][1]["text"] == "two\nlines"


def test_ragged_rows_are_marked(tmp_path: Path) -> None:
    text = "source_type,collected_at,text\nsurvey,2024-03-04,ok\nsurvey,2024-03-04\n"
    text += "survey,2024-03-04,ok,surprise\nsurvey,2024-03-04,trailing empty cells,,\n"
    records, report = collect(write_csv(tmp_path / "f.csv", text), GENERIC, "skip_invalid")
    assert [(p.row, p.code) for p in report.problems] == [(3, "ragged"), (4, "ragged")]
    assert "has 2 cells but the header has 3 columns" in report.problems[0].message
    assert [r.text for r in records] == ["ok", "trailing empty cells"]


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    records, report = collect(write_csv(tmp_path / "f.csv", " \n\n"), GENERIC, "skip_invalid")
    assert (records, report.ok, only_problem(report).code) == ([], False, "empty_file")


def test_a_header_only_file_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", "source_type,collected_at,text\n")
    records, report = collect(path, GENERIC, "skip_invalid")
    assert (records, report.ok, report.rows_read) == ([], False, 0)
    assert only_problem(report).code == "no_rows"


def test_a_file_without_header_is_refused(tmp_path: Path) -> None:
    assert refusal(write_csv(tmp_path / "f.csv", ",,\n1,2,3\n")).code == "no_header"


def test_header_names_are_made_unique(tmp_path: Path) -> None:
    with open_table(write_csv(tmp_path / "f.csv", "id, Note ,,Note\n1,2,3,4\n")) as table:
        assert table.header == ["id", "Note", "column_3", "Note (2)"]


@pytest.mark.parametrize(
    "text",
    [
        'id,text\n1,"never closed\n2,next row\n',
        'id,text\n1,"never closed\n' + "x" * 140_000 + "\n",
        'id,text\n1,"closed" then more\n',
    ],
    ids=["at-the-end", "over-the-cell-limit", "text-after-the-quote"],
)
def test_a_misplaced_quote_is_refused(tmp_path: Path, text: str) -> None:
    problem = refusal(write_csv(tmp_path / "f.csv", text))
    assert problem.code == "format" and "quoted cell" in problem.message


def test_a_quote_inside_an_unquoted_cell_is_text(tmp_path: Path) -> None:
    rows = rows_of(write_csv(tmp_path / "f.csv", 'id,text\n1,a 27" screen\n'))
    assert rows == [(2, {"id": "1", "text": 'a 27" screen'})]


def test_the_format_comes_from_the_extension(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "answers.xls", "a,b\n")
    assert "save it as .xlsx or CSV" in refusal(path).message
    assert refusal(write_csv(tmp_path / "answers.dat", "a,b\n")).code == "format"


def test_a_binary_stream_can_be_read_with_its_name() -> None:
    stream = io.BytesIO(ACCENTED.encode("cp1252"))
    records, report = collect(stream, GENERIC, name="upload.csv")  # type: ignore[arg-type]
    assert report.ok and report.source == "upload.csv" and len(records) == 2
    assert not stream.closed


def test_progress_is_reported_to_the_end(tmp_path: Path) -> None:
    lines = "".join(f"r{i},survey,2024-03-04,texte {i},5\n" for i in range(2500))
    path = write_csv(tmp_path / "f.csv", "source_id,source_type,collected_at,text,nps\n" + lines)
    calls: list[tuple[int, int, int]] = []
    collect(path, GENERIC, progress=lambda *args: calls.append(args))
    size = path.stat().st_size
    assert [c[0] for c in calls] == [1000, 2000, 2500]
    assert calls[-1] == (2500, size, size)
    assert calls[0][1] < calls[1][1] < size


def make_workbook(path: Path, sheet: str = "Avis") -> Path:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Résumé"
    first.append(["nothing to see"])
    data = workbook.create_sheet(sheet)
    data.append(["source_id", "source_type", "collected_at", "text", "stars"])
    data.append(["x1", "review", datetime(2024, 3, 5, 14, 30), "Très belle table", 5])
    data.append([])
    data.append(["x2", "review", "2024-03-06", "Wobbly legs", 2.0])
    data.append(["x3", "review", "2024-03-07", "Stars as text", "4"])
    workbook.save(path)
    workbook.close()
    return path


def test_xlsx_reads_a_named_sheet_with_typed_cells(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "reviews.xlsx")
    spec = GENERIC.with_read(sheet="Avis")
    records, report = collect(path, spec)
    assert report.ok
    assert [(r.source_id, r.stars) for r in records] == [("x1", 5), ("x2", 2), ("x3", 4)]
    assert records[0].collected_at.isoformat() == "2024-03-05T14:30:00+00:00"
    with open_table(path, spec.read) as table:
        assert [number for number, _ in table] == [2, 4, 5]  # row 3 is blank


def test_xlsx_reads_the_first_sheet_by_default_and_refuses_a_missing_one(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "reviews.xlsx")
    with open_table(path) as table:
        assert table.header == ["nothing to see"]
    problem = refusal(path, ReadOptions(sheet="Feuil1"))
    assert problem.code == "choice" and "Résumé, Avis" in problem.message


def test_a_broken_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a zip at all")
    assert "not a readable .xlsx workbook" in refusal(path).message


def test_an_xlsx_value_under_no_header_is_kept_in_its_own_column(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["source_type", "collected_at", "text"])
    sheet.append(["survey", "2024-03-04", "fine"])
    sheet.append(["survey", "2024-03-04", "stray", "note in column D"])
    workbook.save(tmp_path / "f.xlsx")
    assert rows_of(tmp_path / "f.xlsx")[1] == (
        3,
        {
            "source_type": "survey",
            "collected_at": "2024-03-04",
            "text": "stray",
            "column_4": "note in column D",
        },
    )


def write_json(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


ITEMS = [
    {"source_type": "chat", "collected_at": "2024-03-04T10:00:00Z", "text": "Bonjour", "csat": 4},
    {"source_type": "chat", "collected_at": "2024-03-04T11:00:00Z", "text": "Hi", "csat": 5.0},
]


@pytest.mark.parametrize(
    ("value", "key"),
    [(ITEMS, None), ({"meta": {"n": 2}, "items": ITEMS}, None), ({"a": [1], "b": ITEMS}, "b")],
    ids=["array", "first-list", "named-key"],
)
def test_json_arrays_are_found(tmp_path: Path, value: object, key: str | None) -> None:
    path = write_json(tmp_path / "f.json", value)
    records, report = collect(path, GENERIC.with_read(records_key=key))
    assert report.ok
    assert [(r.text, r.csat) for r in records] == [("Bonjour", 4), ("Hi", 5)]


def test_json_is_streamed_across_chunk_boundaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference, _ = collect(DATA / "zendesk_tickets.json", PRESETS["zendesk"])
    monkeypatch.setattr(jsonrows, "_CHUNK", 7)
    records, report = collect(DATA / "zendesk_tickets.json", PRESETS["zendesk"])
    assert report.ok and records == reference


def test_numbers_cut_by_a_chunk_are_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonrows, "_CHUNK", 3)
    path = tmp_path / "f.json"
    path.write_text('[{"n": 12345678}, {"n": 9}]', encoding="utf-8")
    with open_table(path) as table:
        assert [values["n"] for _, values in table] == ["12345678", "9"]


def test_json_items_that_are_not_objects_are_refused_one_by_one(tmp_path: Path) -> None:
    path = write_json(tmp_path / "f.json", [ITEMS[0], 42, ITEMS[1]])
    records, report = collect(path, GENERIC, "skip_invalid")
    assert len(records) == 2
    assert (only_problem(report).row, only_problem(report).code) == (2, "not_object")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"a": 1}, {"a": 2', "is not valid JSON"),
        ('{"a": 1}', "has no list of records"),
        ("42", "must hold an array"),
    ],
)
def test_malformed_json_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "f.json"
    path.write_text(text, encoding="utf-8")
    assert message in refusal(path).message


def test_a_missing_records_key_is_refused(tmp_path: Path) -> None:
    path = write_json(tmp_path / "f.json", {"items": ITEMS})
    assert "'tickets'" in refusal(path, ReadOptions(records_key="tickets")).message


def test_nested_json_objects_become_dotted_columns(tmp_path: Path) -> None:
    path = write_json(tmp_path / "f.json", [{"id": 1, "via": {"channel": "web"}, "tags": []}])
    assert rows_of(path) == [(1, {"id": "1", "via.channel": "web", "tags": ""})]


def test_json_lines_are_numbered_by_line_and_bad_lines_refused_alone(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    lines = [json.dumps(ITEMS[0]), "", "{oops", json.dumps(ITEMS[1])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records, report = collect(path, GENERIC, "skip_invalid")
    assert [r.text for r in records] == ["Bonjour", "Hi"]
    assert (only_problem(report).row, only_problem(report).code) == (3, "malformed")
    with open_table(path) as table:
        assert [number for number, _ in table] == [1, 3, 4]


def test_a_guarded_formula_is_restored_in_any_column(tmp_path: Path) -> None:
    """cxgap's exports put an apostrophe before a text a spreadsheet would run; reading takes
    it off wherever the cell is (first, middle or last column), and only there: an
    apostrophe inside a cell, or before a text that needs none, stays."""
    path = tmp_path / "guarded.csv"
    path.write_text(
        "a,b,c\n'=1+1,x,y\nx,'-2 stars,'@z\nl'accueil,'tis,x '=1\nx,y,z\n", encoding="utf-8"
    )
    with open_table(path, ReadOptions()) as table:
        rows = [dict(cells) for _, cells in table]
    assert rows == [
        {"a": "=1+1", "b": "x", "c": "y"},
        {"a": "x", "b": "-2 stars", "c": "@z"},
        {"a": "l'accueil", "b": "'tis", "c": "x '=1"},
        {"a": "x", "b": "y", "c": "z"},
    ]
