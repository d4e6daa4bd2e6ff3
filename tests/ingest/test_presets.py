"""Each preset reads its sample export (tests/data/feedback) into the expected records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from cxgap.errors import ValidationError
from cxgap.ingest import PRESETS, get_preset, open_table, parse_mapping
from tests.ingest.util import DATA, by_id, by_response, collect, only_problem

PARIS_WINTER = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("preset", "filename", "records", "duplicates"),
    [
        ("qualtrics", "qualtrics.csv", 8, 0),
        # The "Other (please specify)" answer is an open answer too: 5 comments, 1 other, and
        # one response with a score and no comment.
        ("surveymonkey", "surveymonkey.csv", 7, 0),
        ("typeform", "typeform.csv", 5, 0),
        ("google_forms", "google_forms.csv", 5, 1),
        ("trustpilot", "trustpilot.csv", 6, 0),
        ("zendesk", "zendesk.csv", 5, 0),
        ("zendesk", "zendesk_tickets.json", 3, 0),
        ("zendesk", "zendesk_tickets.jsonl", 3, 0),
        ("formbricks", "formbricks.csv", 5, 0),
        ("generic", "generic.csv", 6, 0),
    ],
)
def test_every_sample_imports_cleanly(
    preset: str, filename: str, records: int, duplicates: int
) -> None:
    found, report = collect(DATA / filename, PRESETS[preset])
    assert report.ok, [p.describe() for p in report.problems]
    assert (len(found), report.records_valid, report.duplicates) == (records, records, duplicates)
    assert report.skipped_blank == 0


def test_qualtrics_reads_three_header_rows_and_the_declared_time_zone() -> None:
    records, _ = collect(DATA / "qualtrics.csv", PRESETS["qualtrics"])
    first = by_id(records)["R_1Xk9aBcD2eFgH3i:Q2"]
    assert first.nps == 9  # Q1, found as the column next to Q1_NPS_GROUP
    assert first.text == "Livraison rapide et emballage soigné, rien à redire."  # QID2_TEXT
    assert first.question == "What is the main reason for your score?"  # the second row
    assert first.response_key == "R_1Xk9aBcD2eFgH3i"
    assert first.csat == 5  # "Overall, how satisfied…": its wording and values 1 to 5
    # RecordedDate is written in the zone of the ImportId row: Europe/Paris, UTC+1 in March.
    assert first.collected_at.astimezone(UTC) == datetime(2024, 3, 4, 8, 14, 41, tzinfo=UTC)
    assert (first.channel, first.language, first.customer_ref) == ("email", "fr", "C-1042")
    assert by_response(records)["R_4Hi0jKlM1nOpQ2r"].language == "en"  # "EN-GB"
    # R_5 answered the scores only: one record, without text, keeps them.
    scores_only = by_id(records)["R_5St3uVwX4yZaB5c"]
    assert (scores_only.text, scores_only.nps, scores_only.question) == ("", 6, None)
    # The IP address, the recipient's e-mail and name are never kept.
    assert set(first.attributes) == {"Finished", "Progress", "Status"}


def test_qualtrics_data_rows_are_numbered_from_four() -> None:
    _, report = collect(DATA / "qualtrics_broken.csv", PRESETS["qualtrics"])
    problem = only_problem(report)
    # Three header rows, then R_1 on row 4 and the NPS of 11 on row 5.
    assert (problem.row, problem.field, problem.value, problem.code) == (5, "Q1", "11", "range")


def test_a_mapping_file_adds_the_survey_specific_columns_to_a_preset() -> None:
    spec = parse_mapping({"preset": "qualtrics", "fields": {"csat": "Q3"}})
    records, _ = collect(DATA / "qualtrics.csv", spec)
    assert [r.csat for r in records] == [5, 2, 4, 5, 3, 4, 5, 1]
    assert all(r.nps is not None for r in records)  # the preset's fields are still there


def test_surveymonkey_combines_its_two_header_rows() -> None:
    with open_table(DATA / "surveymonkey.csv", PRESETS["surveymonkey"].read) as table:
        header = table.header
    assert "Which channel did you use to order?" in header
    assert "Which channel did you use to order? - Other (please specify)" in header
    assert len(set(header)) == len(header)


def test_surveymonkey_records() -> None:
    records, _ = collect(DATA / "surveymonkey.csv", PRESETS["surveymonkey"])
    first = by_response(records)["114563829101"]
    assert first.collected_at == datetime(2024, 3, 11, 9, 5, 47, tzinfo=UTC)  # 03/11 is 11 March
    assert by_response(records)["114563829106"].collected_at.hour == 12  # 12:03:21 PM
    assert first.text == "Très bonne expérience, le suivi de colis était clair."
    assert (first.nps, first.customer_ref) == (9, "C-1042")
    # "Email Address" holds an address on the last row: it is not kept anywhere.
    assert by_response(records)["114563829106"].attributes == {"Collector ID": "431928374"}


def test_typeform_records() -> None:
    records, _ = collect(DATA / "typeform.csv", PRESETS["typeform"])
    second = by_response(records)["b8n2m4k6j9h1g3f5d7s0a2q4w6e8r0t2"]
    assert second.nps == 5
    assert second.text.startswith("Le canapé est beau")
    assert second.question == "Why did you give us this score?"
    assert second.customer_ref == "C-2210"  # the customer_id hidden field
    assert second.collected_at == datetime(2024, 3, 18, 12, 24, 18, tzinfo=UTC)
    assert second.attributes == {"Response Type": "completed", "Tags": "relance"}


def test_google_forms_records_get_a_content_id_and_a_double_submission_is_skipped() -> None:
    records, report = collect(DATA / "google_forms.csv", PRESETS["google_forms"])
    again, _ = collect(DATA / "google_forms.csv", PRESETS["google_forms"])
    assert [r.source_id for r in records] == [r.source_id for r in again]
    assert all(r.source_id.startswith("h_") for r in records)
    assert report.duplicate_rows == [(7, 3)]  # once, however many answers the row holds
    first = records[0]
    assert first.collected_at == datetime(2024, 3, 22, 9, 14, 5, tzinfo=PARIS_WINTER)
    assert first.nps == 9
    # "Comment avez-vous connu la boutique ?" is a "how" question, not a verbatim.
    assert first.text == "Accueil chaleureux et conseils précis pour choisir ma lampe."
    assert first.attributes == {}


def test_trustpilot_joins_title_and_content() -> None:
    records, _ = collect(DATA / "trustpilot.csv", PRESETS["trustpilot"])
    review = by_id(records)["65e4b20e1a2f3c0012b5e002"]
    assert review.text == (
        "Terrible after-sales\n\n"
        "The table arrived scratched. Three emails later I still have no answer."
    )
    assert (review.stars, review.language, review.customer_ref) == (1, "en", "ORD-100245")
    assert review.collected_at == datetime(2024, 3, 3, 17, 42, 10, tzinfo=UTC)
    assert by_id(records)["65ec29de3f5b7c0012f9a006"].text == "Lovely lamp"  # title only
    assert by_id(records)["65e2fa1c9b3d7a0012a4f001"].attributes["Location Name"] == "Lyon"


def test_zendesk_satisfaction_labels_become_csat() -> None:
    records, _ = collect(DATA / "zendesk.csv", PRESETS["zendesk"])
    tickets = by_id(records)
    assert [tickets[i].csat for i in ("48211", "48212", "48213", "48214")] == [5, 1, None, None]
    assert tickets["48215"].channel == "phone call (inbound)"
    assert tickets["48211"].collected_at == datetime(2024, 3, 1, 9, 12, 44, tzinfo=PARIS_WINTER)
    assert tickets["48211"].customer_ref == "392011"
    assert tickets["48211"].text.startswith("Colis non reçu\n\nBonjour")
    assert "Requester email" not in tickets["48211"].attributes


def test_zendesk_json_exports_give_the_same_ids_as_the_csv_export() -> None:
    from_csv = by_id(collect(DATA / "zendesk.csv", PRESETS["zendesk"])[0])
    for name in ("zendesk_tickets.json", "zendesk_tickets.jsonl"):
        from_json = by_id(collect(DATA / name, PRESETS["zendesk"])[0])
        for ticket_id, record in from_json.items():
            assert record.csat == from_csv[ticket_id].csat
            assert record.collected_at == from_csv[ticket_id].collected_at
        assert from_json["48212"].channel == "web"
        assert from_json["48212"].attributes["tags"] == "returns; exchange"


def test_formbricks_leaves_choice_ids_out_of_the_text() -> None:
    records, _ = collect(DATA / "formbricks.csv", PRESETS["formbricks"])
    first = by_id(records)["clu1a2b3c0001xyz"]
    assert first.text == "Le configurateur 3D m'a aidé à choisir la bonne taille."
    assert (first.nps, first.customer_ref) == (9, "C-1042")
    assert by_id(records)["clu1a2b3c0003xyz"].text == ""  # NPS only, still a record


def test_generic_keeps_attributes_only_when_asked_and_never_an_address() -> None:
    records, _ = collect(DATA / "generic.csv", PRESETS["generic"])
    assert all(r.attributes == {} for r in records)
    spec = parse_mapping({"preset": "generic", "keep": ["*"]})
    note = by_id(collect(DATA / "generic.csv", spec)[0])["N-001"]
    assert note.attributes == {"shop": "Lyon Part-Dieu"}  # agent_email is dropped
    assert (note.source_type, note.touchpoint, note.language) == ("agent_note", "delivery", "fr")


@pytest.mark.parametrize(
    ("preset", "filename", "row", "column", "value", "code"),
    [
        ("qualtrics", "qualtrics_broken.csv", 5, "Q1", "11", "range"),
        ("surveymonkey", "surveymonkey_broken.csv", 5, "End Date", "12.03.2024 20:31", "format"),
        (
            "typeform",
            "typeform_broken.csv",
            2,
            "How likely are you to recommend us to a friend?",
            "neuf",
            "range",
        ),
        (
            "google_forms",
            "google_forms_broken.csv",
            3,
            "Horodateur",
            "22/03/2024 18:40:51",
            "format",
        ),
        ("trustpilot", "trustpilot_broken.csv", 4, "Review Stars", "6", "range"),
        ("zendesk", "zendesk_broken.csv", 3, "Created at", "03/01/2024 14:30", "ambiguous_date"),
        ("zendesk", "zendesk_tickets_broken.jsonl", 2, "(row)", None, "malformed"),
        ("formbricks", "formbricks_broken.csv", 2, "Timestamp", None, "required"),
    ],
)
def test_broken_samples_are_refused_with_the_bad_row(
    preset: str, filename: str, row: int, column: str, value: str | None, code: str
) -> None:
    records, report = collect(DATA / filename, PRESETS[preset])
    assert (records, report.ok) == ([], False)
    problem = only_problem(report)
    assert (problem.row, problem.field, problem.value, problem.code) == (row, column, value, code)
    assert problem.source == filename
    kept, skipping = collect(DATA / filename, PRESETS[preset], mode="skip_invalid")
    assert skipping.ok
    assert (len(kept), skipping.rows_refused) == (skipping.rows_read - 1, 1)


def test_an_unknown_preset_is_refused_with_the_list() -> None:
    with pytest.raises(ValidationError) as caught:
        get_preset("medallia")
    assert "trustpilot" in caught.value.problems[0].message
