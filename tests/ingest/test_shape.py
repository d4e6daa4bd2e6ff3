"""The mapping step's checks before an import: the file's shape on every row, and the
source type proposed when nothing gives it."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from cxgap.ingest import PRESETS, ReadOptions
from cxgap.ingest.choices import IGNORE, ColumnChoices, choices_from_spec
from cxgap.ingest.shape import check_shape
from cxgap.ingest.source_guess import propose_source_type


def shape(tmp_path: Path, text: str, name: str = "f.csv", **read: str) -> list[dict[str, object]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    problems = check_shape(path, ReadOptions(**read), name=name)  # type: ignore[arg-type]
    return [{"message": p.message, **p.params} for p in problems]


def test_unquoted_commas_are_found_with_their_rows_and_fix(tmp_path: Path) -> None:
    text = "id,date,comment\n1,2024-03-04,Bien\n2,2024-03-05,Lent, très lent\n3,2024-03-06,Ok\n"
    (problem,) = shape(tmp_path, text)
    assert problem["reason"] == "ragged_rows_more"
    assert (problem["count"], problem["rows"], problem["columns"]) == (1, "3", 3)
    assert problem["separator"] == "','"
    assert "put such cells in double quotes" in str(problem["message"])


def test_a_semicolon_file_with_missing_cells_says_fewer(tmp_path: Path) -> None:
    text = "id;date;comment\n1;2024-03-04;Bien\n2;2024-03-05\n"
    (problem,) = shape(tmp_path, text)
    assert (problem["reason"], problem["rows"], problem["separator"]) == (
        "ragged_rows_fewer",
        "3",
        "';'",
    )


def test_only_the_first_ten_rows_are_listed(tmp_path: Path) -> None:
    lines = ["id,comment"] + [f"{i},a, b" for i in range(25)]
    (problem,) = shape(tmp_path, "\n".join(lines) + "\n")
    assert problem["count"] == 25
    assert problem["rows"] == "2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …"


def test_an_unrecognised_separator_is_named(tmp_path: Path) -> None:
    (problem,) = shape(tmp_path, "id~date~comment\n1~2024-03-04~Bien\n")
    assert (problem["reason"], problem["separator"]) == ("one_column", "'~'")
    assert shape(tmp_path, "id~date~comment\n1~2024-03-04~Bien\n", delimiter="~") == []


@pytest.mark.parametrize(
    "text",
    [
        'id,comment\n1,"Lent, très ""lent""\nvraiment"\n2,ok\n',  # RFC 4180 quoting
        "\ufeffid;comment\r\n1;Bien, merci\r\n",  # a BOM, CRLF, commas in a ';' file
        "comment\nJust one column of text\n",  # one column and no separator in its name
    ],
)
def test_well_formed_files_have_no_shape_problem(tmp_path: Path, text: str) -> None:
    assert shape(tmp_path, text) == []


def test_other_formats_and_unreadable_files_are_left_to_the_reader(tmp_path: Path) -> None:
    assert shape(tmp_path, '[{"a": 1}]', name="f.json") == []
    assert shape(tmp_path, 'id,comment\n1,"never closed\n') == []


def choices(**columns: str) -> ColumnChoices:
    return ColumnChoices(columns)


@pytest.mark.parametrize(
    ("columns", "file_name", "expected"),
    [
        ({"Note": "stars", "Ticket ID": IGNORE}, "x.csv", ("review", "stars", "Note")),
        ({"Ticket ID": IGNORE, "Body": "text"}, "x.csv", ("ticket", "columns", "Ticket ID")),
        ({"Réclamation": "text"}, "x.csv", ("complaint", "columns", "Réclamation")),
        ({"Conversation": "text"}, "x.csv", ("chat", "columns", "Conversation")),
        ({"comment": "text", "NPS": "nps"}, "x.csv", ("survey", "scores", "NPS")),
        ({"comment": "text"}, "tweets-mars.csv", ("social", "file_name", "tweets-mars")),
        ({"comment": "text"}, "enquête 2024.csv", ("survey", "file_name", "enquête 2024")),
    ],
)
def test_the_source_type_is_proposed_with_its_clue(
    columns: dict[str, str], file_name: str, expected: tuple[str, str, str]
) -> None:
    chosen = propose_source_type(ColumnChoices(columns), file_name=file_name)
    assert (chosen.constants["source_type"], chosen.proposed, chosen.proposed_from) == expected


def test_a_preset_or_a_column_giving_the_source_type_wins() -> None:
    header = ["Review Id", "Review Created (UTC)", "Review Stars", "Review Content"]
    preset = choices_from_spec(PRESETS["trustpilot"], header)
    assert propose_source_type(preset, file_name="tickets.csv") == preset
    column = choices(type="source_type", comment="text", nps="nps")
    assert propose_source_type(column, file_name="x.csv") == column


def test_no_clue_proposes_nothing() -> None:
    plain = choices(comment="text", date="collected_at")
    assert propose_source_type(plain, file_name="export.csv") == plain


def workbook_with_values_beyond(path: Path) -> Path:
    """A workbook as streaming writers save it, without the sheet's dimension: the reader
    then sees rows longer than the header row, and the import refuses them."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["id", "date", "comment"])
    sheet.append(["1", "2024-03-04", "Bien"])
    sheet.append(["2", "2024-03-05", "Lent", "très lent"])  # a fourth value, no header
    sheet.append(["3", "2024-03-06", "Ok", None, None])  # empty cells beyond: no problem
    sheet.append(["4", "2024-03-07", "Cher", None, "mais bien"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as saved, zipfile.ZipFile(path, "w") as stripped:
        for item in saved.infolist():
            data = saved.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension [^>]*>", b"", data)
            stripped.writestr(item, data)
    return path


def test_workbook_rows_with_values_beyond_the_header_are_found(tmp_path: Path) -> None:
    path = workbook_with_values_beyond(tmp_path / "avis.xlsx")
    (problem,) = check_shape(path, ReadOptions(), name="avis.xlsx")
    assert problem.params["reason"] == "xlsx_rows_beyond"
    assert (problem.params["count"], problem.params["rows"], problem.params["columns"]) == (
        2,
        "3, 5",
        3,
    )
    assert "give those columns a name in the header row" in problem.message
