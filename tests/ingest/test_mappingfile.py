"""Mapping files: a preset plus overrides, every mistake named by its key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxgap.errors import ValidationError
from cxgap.ingest import PRESETS, FieldMap, load_mapping, parse_mapping
from tests.ingest.util import DATA


def refused(data: object) -> list[tuple[str, str | None]]:
    with pytest.raises(ValidationError) as caught:
        parse_mapping(data, source="m.json")
    assert all(p.source == "m.json" for p in caught.value.problems)
    return [(p.field, p.code) for p in caught.value.problems]


def test_the_sample_mapping_file_loads() -> None:
    spec = load_mapping(DATA / "spreadsheet_fr.mapping.json")
    assert spec.name == "boutiques-fr"
    assert (spec.read.delimiter, spec.read.encoding, spec.timezone) == (
        ";",
        "cp1252",
        "Europe/Paris",
    )
    assert spec.fields["collected_at"] == FieldMap(
        columns=("Date",), date_format=("%d/%m/%Y %H:%M",)
    )
    assert spec.fields["source_type"] == FieldMap(default="agent_note")
    assert spec.fields["channel"].values == {"magasin": "store", "téléphone": "phone"}
    assert spec.keep == ("Magasin",)


def test_overrides_replace_a_preset_field_by_field() -> None:
    spec = parse_mapping(
        {
            "preset": "zendesk",
            "fields": {"touchpoint": "Group", "customer_ref": None},
            "keep": ["Status"],
            "read": {"encoding": "cp1252"},
        }
    )
    zendesk = PRESETS["zendesk"]
    assert spec.name == "zendesk"
    assert spec.fields["touchpoint"] == FieldMap(columns=("Group",))
    assert "customer_ref" not in spec.fields
    assert spec.fields["csat"] == zendesk.fields["csat"]
    assert spec.keep == ("Status",)
    assert spec.read.encoding == "cp1252" and spec.read.header_rows == 1


def test_read_options_of_a_preset_survive_an_override() -> None:
    spec = parse_mapping({"preset": "qualtrics", "read": {"delimiter": "\t"}})
    assert (spec.read.header_rows, spec.read.header_style, spec.read.delimiter) == (
        3,
        "qualtrics",
        "\t",
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], [("(mapping)", "format")]),
        ({"preset": "medallia"}, [("preset", "choice")]),
        ({"colums": {}}, [("colums", "format")]),
        ({"fields": {"score": "NPS"}}, [("fields.score", "format")]),
        ({"fields": {"nps": 9}}, [("fields.nps", "format")]),
        ({"fields": {"nps": {"column": "Q1", "colour": "red"}}}, [("fields.nps.colour", "format")]),
        ({"fields": {"nps": {"pattern": "(unclosed"}}}, [("fields.nps.pattern", "format")]),
        (
            {"fields": {"channel": {"const": "web", "default": "app"}}},
            [("fields.channel.const", "format")],
        ),
        (
            {"fields": {"channel": {"const": "web", "column": "Via"}}},
            [("fields.channel.const", "format")],
        ),
        (
            {"fields": {"csat": {"column": "S", "values": {"good": [5]}}}},
            [("fields.csat.values.good", "format")],
        ),
        (
            {"fields": {"collected_at": {"column": "D", "date_format": ["%d/%m/%Y", "%m/%d/%Y"]}}},
            [("fields.collected_at.date_format", "format")],
        ),
        (
            {"fields": {"collected_at": {"column": "D", "date_format": "dd/mm/yyyy"}}},
            [("fields.collected_at.date_format", "format")],
        ),
        ({"timezone": "Paris"}, [("timezone", "choice")]),
        ({"read": {"header_rows": 0}}, [("read.header_rows", "choice")]),
        ({"read": {"header_rows": "2"}}, [("read.header_rows", "format")]),
        ({"read": {"delimiter": ";;"}}, [("read.delimiter", "choice")]),
        ({"read": {"format": "parquet"}}, [("read.format", "choice")]),
        ({"read": {"header_style": "medallia"}}, [("read.header_style", "choice")]),
        ({"read": {"sheets": "x"}}, [("read.sheets", "format")]),
        ({"keep": "Magasin"}, [("keep", "format")]),
    ],
)
def test_mistakes_are_named_by_their_key(
    data: object, expected: list[tuple[str, str | None]]
) -> None:
    assert refused(data) == expected


def test_every_mistake_is_reported_at_once() -> None:
    found = refused({"preset": "x", "timezone": "Nowhere", "fields": {"nps": {"pattern": "("}}})
    assert [field for field, _ in found] == ["preset", "fields.nps.pattern", "timezone"]


def test_a_file_that_is_not_json_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text('{\n  "preset": "zendesk",\n  "keep": [Status]\n}\n', encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_mapping(path)
    assert "line 3" in caught.value.problems[0].message


def test_a_mapping_file_round_trips_through_json(tmp_path: Path) -> None:
    data = {
        "fields": {
            "source_type": {"const": "complaint"},
            "collected_at": {"column": "Date", "date_format": "%d/%m/%Y"},
            "text": {"columns": ["Objet", "Message"], "separator": " — "},
            "csat": {"column": "Note", "values": {"Satisfait": 4, "Insatisfait": 2}},
        }
    }
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    spec = load_mapping(path)
    assert spec.fields["text"].separator == " — "
    assert spec.fields["csat"].values == {"satisfait": "4", "insatisfait": "2"}
