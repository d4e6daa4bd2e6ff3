"""Looking at a file before importing it: detected preset, samples, mapping choices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxgap.errors import ValidationError
from cxgap.ingest import PRESETS, collect_feedback, load_mapping, parse_mapping
from cxgap.ingest.choices import (
    IGNORE,
    ColumnChoices,
    choices_from_spec,
    guess_choices,
    guess_date_format,
    mapping_document,
)
from cxgap.ingest.pipeline import survey_spec
from cxgap.ingest.preview import check_samples, detect_preset, preview_file
from cxgap.ingest.resolve import suggest_columns
from tests.ingest.util import DATA, write_csv

SAMPLES = {
    "qualtrics.csv": "qualtrics",
    "surveymonkey.csv": "surveymonkey",
    "typeform.csv": "typeform",
    "google_forms.csv": "google_forms",
    "trustpilot.csv": "trustpilot",
    "zendesk.csv": "zendesk",
    "zendesk_tickets.json": "zendesk",
    "zendesk_tickets.jsonl": "zendesk",
    "formbricks.csv": "formbricks",
    "generic.csv": "generic",
    "spreadsheet_fr.csv": "generic",  # nothing fits: the person maps it
}


@pytest.mark.parametrize(("name", "preset"), sorted(SAMPLES.items()))
def test_the_preset_is_detected_from_the_header_layout(name: str, preset: str) -> None:
    assert detect_preset(DATA / name, name=name) == preset


def test_an_export_missing_a_column_is_still_recognised(tmp_path: Path) -> None:
    header = "Review Created (UTC),Review Id,Review Title,Review Stars,Location Name\n"
    path = write_csv(tmp_path / "r.csv", header + "2024-03-05 10:00:00,x1,Bien,5,Lyon\n")
    assert detect_preset(path, name="r.csv") == "trustpilot"  # "Review Content" is missing
    unrelated = write_csv(tmp_path / "u.csv", "Id,Review Stars,Note\n1,5,ok\n")
    assert detect_preset(unrelated, name="u.csv") == "generic"


def test_broken_rows_do_not_hide_the_layout() -> None:
    assert detect_preset(DATA / "qualtrics_broken.csv", name="q.csv") == "qualtrics"
    assert detect_preset(DATA / "surveymonkey_broken.csv", name="s.csv") == "surveymonkey"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_preset_as_choices_imports_exactly_what_the_preset_does(name: str) -> None:
    """Choices → mapping file → spec gives the preset's own records, row for row: the
    preset as the browser shows it, its open answers and scores detected in the file."""
    spec, problems = survey_spec(DATA / name, PRESETS[SAMPLES[name]], name=name)
    assert problems == []
    preview = preview_file(DATA / name, spec.read, name=name)
    choices = choices_from_spec(spec, preview.header, tags=preview.tags)
    document = json.loads(json.dumps(mapping_document(spec, choices, preset=spec.name)))
    assert collect_feedback(DATA / name, parse_mapping(document)) == collect_feedback(
        DATA / name, PRESETS[SAMPLES[name]]
    )


def test_an_uploaded_mapping_file_round_trips_through_the_choices() -> None:
    spec = load_mapping(DATA / "spreadsheet_fr.mapping.json")
    preview = preview_file(DATA / "spreadsheet_fr.csv", spec.read, name="fr.csv")
    choices = choices_from_spec(spec, preview.header)
    assert choices.columns["Canal"] == "channel" and choices.columns["Magasin"] == "attribute"
    assert choices.constants == {"source_type": "agent_note"}
    assert (choices.date_format, choices.encoding) == ("%d/%m/%Y %H:%M", "cp1252")
    document = mapping_document(spec, choices)
    assert document["read"] == {"delimiter": ";", "encoding": "cp1252"}
    assert document["fields"]["channel"]["values"] == {"magasin": "store", "téléphone": "phone"}
    records, report = collect_feedback(DATA / "spreadsheet_fr.csv", parse_mapping(document))
    assert report.ok and [r.channel for r in records] == ["store", "phone", "store"]


def test_choices_become_a_mapping_file_with_every_field_written_out(tmp_path: Path) -> None:
    choices = ColumnChoices(
        {"Quand": "collected_at", "Avis": "text", "Note": "stars", "Boutique": "attribute"},
        constants={"source_type": "review", "channel": "store"},
        date_format="%d/%m/%Y",
    )
    document = mapping_document(PRESETS["generic"], choices, preset="generic")
    fields = document["fields"]
    assert isinstance(fields, dict)
    assert fields["collected_at"] == {"columns": ["Quand"], "date_format": ["%d/%m/%Y"]}
    assert fields["source_type"] == {"const": "review"}
    assert fields["nps"] is None and document["keep"] == ["Boutique"]
    path = write_csv(
        tmp_path / "b.csv",
        "Quand,Avis,Note,Boutique\n05/03/2024,Très bien,5,Lyon\n",
    )
    (record,), report = collect_feedback(path, parse_mapping(document))
    assert report.ok
    assert (record.collected_at.month, record.stars, record.channel) == (3, 5, "store")
    assert record.attributes == {"Boutique": "Lyon"}


def test_a_constant_source_type_is_a_fallback_when_a_column_gives_it() -> None:
    choices = ColumnChoices({"kind": "source_type"}, constants={"source_type": "review"})
    entry = mapping_document(PRESETS["generic"], choices)["fields"]
    assert isinstance(entry, dict) and entry["source_type"] == {
        "columns": ["kind"],
        "default": "review",
    }


def test_suggestions_leave_an_ambiguous_column_to_the_person() -> None:
    header = ["#", "Submit Date (UTC)", "Would you recommend us?", "Would you recommend our app?"]
    fields, _ = suggest_columns(PRESETS["typeform"], header)
    assert "nps" not in fields and fields["collected_at"] == ("Submit Date (UTC)",)


def test_samples_show_the_first_rows_as_records_or_problems() -> None:
    spec = PRESETS["trustpilot"]
    preview = preview_file(DATA / "trustpilot_broken.csv", spec.read, name="t.csv", rows=3)
    assert [number for number, _ in preview.samples] == [2, 3, 4]
    assert preview.values_of("Review Stars") == ["5", "1", "6"]
    outcomes = dict(check_samples(spec, preview))
    assert not isinstance(outcomes[2], list)
    problems = outcomes[4]
    assert isinstance(problems, list) and problems[0].field == "Review Stars"


def test_samples_refuse_a_mapping_without_a_date() -> None:
    preview = preview_file(DATA / "trustpilot.csv", PRESETS["generic"].read, name="t.csv")
    with pytest.raises(ValidationError) as refused:
        check_samples(PRESETS["generic"], preview)
    assert {p.field for p in refused.value.problems} >= {"collected_at", "text"}


def test_guesses_fill_only_what_nothing_chose_and_each_field_once() -> None:
    start = ColumnChoices(
        {"Id": "source_id", "Ticket id": IGNORE, "Créé le (date)": IGNORE, "Commentaire": IGNORE,
         "Remarque": IGNORE, "Boutique": IGNORE}
    )  # fmt: skip
    guessed = guess_choices(start, {"Créé le (date)": ["2024-03-05"]})
    assert guessed.columns == {
        "Id": "source_id",
        "Ticket id": IGNORE,  # the id is already taken
        "Créé le (date)": "collected_at",
        "Commentaire": "text",
        "Remarque": "text",  # several text columns are joined
        "Boutique": IGNORE,
    }
    assert guessed.date_format == ""  # ISO dates need none


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["03/13/2024", "03/14/2024"], "%m/%d/%Y"),
        (["13.03.2024 09:15:00"], "%d.%m.%Y %H:%M:%S"),
        (["13/03/2024", "03/14/2024"], ""),  # contradictory: the person decides
        (["13/03/2024", "2024-03-14"], ""),
        ([], ""),
    ],
)
def test_a_date_format_is_suggested_only_when_the_values_show_it(
    values: list[str], expected: str
) -> None:
    assert guess_date_format(values) == expected
