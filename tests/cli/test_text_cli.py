"""``cxgap text classify`` and ``cxgap text train``: the contract of issue 3, on tiny files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.ingest.tables import open_table

runner = CliRunner()

REVIEWS = [
    ("1", "Livraison rapide et produit parfait, merci !", "delivery"),
    ("2", "", ""),
    ("3", "Staff were lovely but delivery took three weeks.", "staff;delivery"),
    ("4", "Le colis est arrivé cassé, remboursement refusé. Honteux.", "delivery;refund"),
]


def write_csv(path: Path, rows: list[tuple[str, ...]], header: tuple[str, ...]) -> Path:
    with path.open("w", encoding="cp1252", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_csv(text: str) -> list[dict[str, str | None]]:
    """The rows of a CSV output as every cxgap import reads them (the shared reader)."""
    with open_table(io.BytesIO(text.encode("utf-8")), name="out.csv") as table:
        return [dict(values) for _, values in table]


def test_classify_adds_the_analysis_to_every_csv_row(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "reviews.csv", REVIEWS, ("id", "avis", "tags"))
    result = runner.invoke(app, ["text", "classify", str(source), "--text-column", "avis"])
    assert result.exit_code == 0, result.output
    rows = read_csv(result.stdout)
    assert [row["id"] for row in rows] == ["1", "2", "3", "4"]
    assert rows[0]["avis"] == REVIEWS[0][1]  # cp1252 and ';' detected, text kept
    assert rows[0]["language"] == "fr" and rows[0]["sentiment"] == "positive"
    score, intensity = (str(rows[0][c]).replace(",", ".") for c in ("sentiment_score", "intensity"))
    assert -1 <= float(score) <= 1 and 0 <= float(intensity) <= 1
    assert "delivery" in str(rows[0]["topics"]).split(";")
    assert set(str(rows[2]["topics"]).split(";")) >= {"staff_attitude", "delivery"}
    assert rows[3]["sentiment"] == "negative"
    empty = rows[1]
    assert [empty[c] for c in ("language", "sentiment", "sentiment_score", "topics")] == [None] * 4
    assert "rows classified" in result.stderr


def test_classify_jsonl_writes_jsonl_to_the_output_file(tmp_path: Path) -> None:
    source = tmp_path / "tickets.jsonl"
    lines = [{"id": 1, "body": "Where is my parcel?"}, {"id": 2, "body": None}]
    source.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    target = tmp_path / "out.jsonl"
    args = ["text", "classify", str(source), "--text-column", "body", "--output", str(target)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert (
        rows[0]["id"] == "1" and rows[0]["sentiment"] == "neutral" and rows[0]["language"] == "en"
    )
    assert rows[1]["sentiment"] == "" and rows[1]["sentiment_score"] is None


def test_a_missing_column_is_named_with_the_file(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "reviews.csv", REVIEWS, ("id", "avis", "tags"))
    result = runner.invoke(app, ["text", "classify", str(source), "--text-column", "comment"])
    assert result.exit_code == 2
    assert "'comment'" in result.stderr and "reviews.csv" in result.stderr


def tiny_training_file(tmp_path: Path) -> Path:
    positive = ["Great service, thank you", "Parfait, je recommande", "Lovely staff", "Top !"]
    negative = ["Awful, never again", "Nul, colis perdu", "Rude staff and late", "Honteux"]
    rows = [(text, "pos") for text in positive] + [(text, "neg") for text in negative]
    return write_csv(tmp_path / "labelled.csv", rows, ("text", "label"))


def test_a_model_trained_in_the_test_labels_new_rows(tmp_path: Path) -> None:
    model = tmp_path / "model"
    train = ["text", "train", str(tiny_training_file(tmp_path)), "--text-column", "text"]
    result = runner.invoke(app, [*train, "--label-column", "label", "--output", str(model)])
    assert result.exit_code == 0, result.output
    assert (model / "head.json").exists() and "2 labels" in result.stderr
    source = write_csv(
        tmp_path / "new.csv", [("1", "Wonderful, thanks!"), ("2", "")], ("id", "text")
    )
    args = ["text", "classify", str(source), "--text-column", "text", "--model", str(model)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = read_csv(result.stdout)
    assert [row["labels"] for row in rows] == ["pos", None]


def test_multi_label_training_accepts_rows_without_labels(tmp_path: Path) -> None:
    rows = [
        ("Delivery was late", "delivery"),
        ("Colis en retard", "delivery"),
        ("Too expensive", "price"),
        ("Trop cher", "price"),
        ("Late and expensive", "delivery|price"),
        ("Hello", ""),
        ("Bonjour", ""),
    ]
    source = write_csv(tmp_path / "multi.csv", rows, ("text", "aspects"))
    model = tmp_path / "multi"
    args = ["text", "train", str(source), "--text-column", "text", "--label-column", "aspects"]
    result = runner.invoke(
        app, [*args, "--output", str(model), "--multi-label", "--separator", "|"]
    )
    assert result.exit_code == 0, result.output
    assert "on 7 rows" in result.stderr
    assert json.loads((model / "head.json").read_text())["labels"] == ["delivery", "price"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("a b", "x"), ("c d", "x")], "one class only"),
        ([("a b", ""), ("", "y")], "no row with both a text and a label"),
    ],
)
def test_training_refuses_what_cannot_be_learned(
    tmp_path: Path, rows: list[tuple[str, str]], message: str
) -> None:
    source = write_csv(tmp_path / "bad.csv", rows, ("text", "label"))
    args = ["text", "train", str(source), "--text-column", "text", "--label-column", "label"]
    result = runner.invoke(app, [*args, "--output", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert message in result.stderr and "bad.csv" in result.stderr


def test_training_names_a_missing_label_column(tmp_path: Path) -> None:
    source = tiny_training_file(tmp_path)
    args = ["text", "train", str(source), "--text-column", "text", "--label-column", "tag"]
    result = runner.invoke(app, [*args, "--output", str(tmp_path / "m")])
    assert result.exit_code == 2 and "'tag'" in result.stderr and "labelled.csv" in result.stderr


FORMULAS = [
    ("1", '=HYPERLINK("http://x") super service', "-5 étoiles ; nul"),
    ("2", 'Il a dit "génial", puis\nil est parti', "@moi"),
    ("3", "Parfait, merci", "ok"),
]


def classify(*args: str) -> str:
    result = runner.invoke(app, ["text", "classify", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_csv_output_keeps_the_input_delimiter_and_reads_back_as_it_was(
    tmp_path: Path,
) -> None:
    source = write_csv(tmp_path / "avis.csv", FORMULAS, ("id", "avis", "note"))
    out = tmp_path / "out.csv"
    classify(str(source), "--text-column", "avis", "--output", str(out))
    raw = out.read_bytes()
    assert raw.startswith("\ufeffid;avis;note;language;".encode())  # BOM, the input's ';'
    assert b'"\'=HYPERLINK(""http://x"") super service"' in raw  # inert in a spreadsheet
    assert b"'-5 \xc3\xa9toiles ; nul" in raw and b";'@moi;" in raw
    rows = read_csv(out.read_text(encoding="utf-8"))
    kept = [tuple((row[c] or "").strip() for c in ("id", "avis", "note")) for row in rows]
    assert kept == FORMULAS  # the apostrophe the reader takes off; quotes, ';', line breaks
    assert "," in str(rows[2]["sentiment_score"])  # a decimal comma beside ';'
    again = tmp_path / "again.csv"
    classify(str(out), "--text-column", "avis", "--output", str(again))
    assert again.read_bytes() == raw  # its own output classified again: the same file


def test_a_model_trains_on_a_classified_output(tmp_path: Path) -> None:
    texts = ["Great service, thank you", "Parfait, je recommande", "Awful, never again", "Nul"]
    source = write_csv(tmp_path / "in.csv", [(t,) for t in texts], ("text",))
    out = tmp_path / "out.csv"
    classify(str(source), "--text-column", "text", "--output", str(out))
    model = tmp_path / "model"
    args = ["text", "train", str(out), "--text-column", "text", "--label-column", "sentiment"]
    result = runner.invoke(app, [*args, "--output", str(model)])
    assert result.exit_code == 0, result.output
    assert "on 4 rows" in result.stderr and "negative" in result.stderr


@pytest.mark.parametrize(
    ("option", "start"),
    [
        ((), b"\xef\xbb\xbfid,body,"),  # JSON input: ','
        (("--delimiter", ";"), b"\xef\xbb\xbfid;body;"),
        (("--delimiter", "tab"), b"\xef\xbb\xbfid\tbody\t"),
    ],
)
def test_the_delimiter_of_a_json_input_is_a_comma_unless_given(
    tmp_path: Path, option: tuple[str, ...], start: bytes
) -> None:
    source = tmp_path / "tickets.json"
    source.write_text(json.dumps([{"id": 1, "body": "Where is my parcel?"}]))
    out = tmp_path / "out.csv"
    classify(str(source), "--text-column", "body", "--output", str(out), *option)
    assert out.read_bytes().startswith(start)
    assert read_csv(out.read_text(encoding="utf-8"))[0]["body"] == "Where is my parcel?"


def test_an_unknown_delimiter_is_refused_by_name(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "reviews.csv", REVIEWS, ("id", "avis", "tags"))
    args = ["text", "classify", str(source), "--text-column", "avis", "--delimiter", "|"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "--delimiter" in result.stderr and "'|'" in result.stderr
