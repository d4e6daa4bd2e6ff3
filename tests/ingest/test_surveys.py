"""Survey exports as the tools write them (tests/data/surveys), read with nothing configured:
the layout detected, one verbatim per open answer, blank responses skipped, dates read."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cxgap.errors import DateOrderError, ValidationError
from cxgap.ingest import PRESETS, FeedbackRecord, load_mapping, resolve_mapping
from cxgap.ingest.dateorder import DateEvidence
from cxgap.ingest.preview import detect_preset
from cxgap.ingest.profile import profile_rows
from cxgap.ingest.survey import open_answer
from tests.ingest.util import collect, only_problem, write_csv

SURVEYS = Path(__file__).resolve().parents[1] / "data" / "surveys"


def read(name: str, **kwargs: object) -> tuple[list[FeedbackRecord], object]:
    preset = detect_preset(SURVEYS / name, name=name)
    return collect(SURVEYS / name, PRESETS[preset], **kwargs)  # type: ignore[arg-type]


def responses(records: list[FeedbackRecord]) -> dict[str, list[FeedbackRecord]]:
    grouped: dict[str, list[FeedbackRecord]] = {}
    for record in records:
        assert record.response_key is not None
        grouped.setdefault(record.response_key, []).append(record)
    return grouped


@pytest.mark.parametrize(
    ("name", "preset", "verbatims", "records", "blank"),
    [
        ("qualtrics.csv", "qualtrics", 7, 8, 1),
        ("qualtrics_timezone.csv", "qualtrics", 3, 3, 1),
        ("qualtrics_plain_import_id.csv", "qualtrics", 3, 3, 1),  # ImportId:QID2_TEXT
        ("qualtrics_legacy.csv", "qualtrics_legacy", 4, 4, 1),
        ("surveymonkey.csv", "surveymonkey", 5, 5, 1),
        ("surveymonkey_condensed.csv", "surveymonkey_condensed", 3, 3, 1),
        ("google_forms_mdy.csv", "google_forms", 5, 5, 1),
        ("google_forms_dmy.csv", "google_forms", 4, 4, 1),
        ("google_forms_tz.csv", "google_forms", 6, 6, 1),
        ("typeform_2018.csv", "typeform", 3, 3, 1),
        ("typeform.csv", "typeform", 4, 5, 1),
        ("alchemer.csv", "alchemer", 3, 3, 2),
        ("microsoft_forms.csv", "microsoft_forms", 4, 4, 1),
        ("limesurvey.csv", "limesurvey", 4, 4, 1),
    ],
)
def test_each_layout_is_detected_and_gives_its_verbatims(
    name: str, preset: str, verbatims: int, records: int, blank: int
) -> None:
    assert detect_preset(SURVEYS / name, name=name) == preset
    found, report = collect(SURVEYS / name, PRESETS[preset])
    assert report.ok, [p.describe() for p in report.problems]
    assert (len(found), report.skipped_blank, report.rows_refused) == (records, blank, 0)
    assert sum(1 for r in found if r.text) == verbatims
    assert all(r.question for r in found if r.text)  # every verbatim knows its question


def test_a_response_gives_one_verbatim_per_open_answer_and_its_scores_once() -> None:
    records, _ = read("qualtrics.csv")
    first = responses(records)["R_01"]
    assert [(r.question, r.text) for r in first] == [
        ("What is the main reason for your score?", "Friendly staff and a quick fitting."),
        ("What could we improve?", "Longer opening hours on Saturday."),
        ("Compared with other shops - Atelier Nord - Comment", "Better choice of sizes"),
    ]
    # Same respondent, date and customer; the scores on the first record only, so that a
    # statistic over records counts the response once.
    assert {(r.customer_ref, r.collected_at) for r in first} == {
        ("N-100", datetime(2024, 5, 2, 10, 4, 11, tzinfo=UTC))
    }
    assert [(r.nps, r.csat) for r in first] == [(9, 4), (None, None), (None, None)]
    assert len({r.source_id for r in first}) == 3
    # The Text iQ column ("Q2 - Topics") is Qualtrics's analysis, not an answer.
    assert all(r.question != "Q2 - Topics" for r in records)
    # R_04 stopped before the open questions: its score alone, on one record without text.
    assert [(r.text, r.nps) for r in responses(records)["R_04"]] == [("", 8)]


def test_a_mapping_file_lists_the_open_questions_to_keep(tmp_path: Path) -> None:
    """ "Name of your course" is an open answer, not feedback: the analyst leaves it out."""
    mapping = tmp_path / "m.json"
    kept = ["Q2", "Q4_TEXT", "Q5_4_TEXT", "Q6#1_1_1_TEXT"]
    document = {"preset": "qualtrics", "fields": {"text": {"columns": kept, "each": True}}}
    mapping.write_text(json.dumps(document), encoding="utf-8")
    records, report = collect(SURVEYS / "qualtrics.csv", load_mapping(mapping))
    assert report.ok
    assert "Name of your course" not in {r.question for r in records}
    assert sum(1 for r in records if r.text) == 6


def test_repeated_imports_give_the_same_ids() -> None:
    first, _ = read("google_forms_mdy.csv")
    again, _ = read("google_forms_mdy.csv")
    assert [r.source_id for r in first] == [r.source_id for r in again]
    assert len({r.source_id for r in first}) == len(first)


def test_month_first_dates_are_read_from_the_evidence() -> None:
    records, _ = read("google_forms_mdy.csv")
    dates = sorted({r.collected_at for r in records})
    # "4/23/2016" can only be month first, so "5/3/2016" is the 3rd of May.
    assert dates[0] == datetime(2016, 4, 23, 15, 8, 9, tzinfo=UTC)
    assert datetime(2016, 5, 3, 18, 45, 30, tzinfo=UTC) in dates


def test_day_first_dates_are_read_from_the_evidence() -> None:
    records, _ = read("google_forms_dmy.csv")
    dates = sorted({r.collected_at for r in records})
    # "23/04/2016" can only be day first, so "03/05/2016" is the 3rd of May.
    assert dates == [
        datetime(2016, 4, 23, 15, 8, 9, tzinfo=UTC),
        datetime(2016, 5, 3, 18, 45, 30, tzinfo=UTC),
    ]


def test_a_column_that_reads_both_ways_is_refused_until_the_order_is_given() -> None:
    records, report = read("google_forms_ambiguous.csv")
    problem = only_problem(report)
    assert (records, problem.field, problem.code) == ([], "Horodateur", "ambiguous_date")
    assert "day first (dmy) or month first (mdy)" in problem.message
    day_first, _ = read("google_forms_ambiguous.csv", date_order="dmy")
    month_first, _ = read("google_forms_ambiguous.csv", date_order="mdy")
    assert day_first[0].collected_at == datetime(2016, 3, 2, 15, 8, 9, tzinfo=UTC)
    assert month_first[0].collected_at == datetime(2016, 2, 3, 15, 8, 9, tzinfo=UTC)


def test_twelve_hour_clocks_and_offsets_are_read() -> None:
    records, _ = read("google_forms_tz.csv")
    assert records[0].collected_at == datetime(
        2016, 4, 23, 15, 8, 9, tzinfo=timezone(timedelta(hours=2))
    )
    monkey, _ = read("surveymonkey.csv")
    assert monkey[2].collected_at == datetime(2023, 10, 24, 21, 20, tzinfo=UTC)  # 09:20:00 PM


def test_the_time_zone_of_the_import_id_row_is_used() -> None:
    records, _ = read("qualtrics_timezone.csv")
    new_york = datetime(2024, 1, 15, 9, 2, 1, tzinfo=ZoneInfo("America/New_York"))
    assert records[0].collected_at == new_york


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # "10 - Extrêmement probable" and "0 - Pas du tout probable": NPS by its labels.
        ("qualtrics_timezone.csv", {"nps": [10, 0]}),
        # "Très satisfait" is a CSAT of 5; "How easy was it…" on 1 to 7 is the CES.
        ("surveymonkey.csv", {"nps": [10, 4, 8], "csat": [5, 2, 4], "ces": [2, 5, 3]}),
        ("alchemer.csv", {"nps": [9, 4], "ces": [2, 6]}),
        ("google_forms_tz.csv", {"csat": [5, 4, 3]}),
        ("limesurvey.csv", {"nps": [8, 3]}),  # a question coded NPS
    ],
)
def test_scores_are_recognised_by_wording_and_values(
    name: str, expected: dict[str, list[int]]
) -> None:
    records, _ = read(name)
    found = {
        field: [v for r in records if (v := getattr(r, field)) is not None]
        for field in ("nps", "csat", "ces", "stars")
    }
    # One value per response that gave one, however many verbatims the response holds.
    assert {f: values for f, values in found.items() if values} == expected


def test_a_score_question_with_a_value_off_its_scale_is_not_taken_as_that_score(
    tmp_path: Path,
) -> None:
    path = write_csv(
        tmp_path / "f.csv",
        "Timestamp,How satisfied are you?,Why?\n"
        "2024-01-01 10:00,8,Good\n2024-01-02 10:00,3,Slow answer from support\n",
    )
    records, report = collect(path, PRESETS["google_forms"])
    assert report.ok and all(r.csat is None for r in records)  # 8 is off a 1-5 scale


def test_choice_columns_are_not_verbatims() -> None:
    records, _ = read("typeform_2018.csv")
    questions = {r.question for r in records if r.text}
    assert questions == {"Why did you choose these sports?", "Anything else you want to tell us?"}
    records, _ = read("google_forms_mdy.csv")
    assert "Which branch do you use?" not in {r.question for r in records}


def test_the_legacy_qualtrics_header_reads_its_second_row() -> None:
    records, _ = read("qualtrics_legacy.csv")  # with a byte-order mark and a trailing comma
    assert {r.response_key for r in records} == {"R_L1", "R_L2"}
    assert records[0].question == "What did you like most?"
    assert records[0].nps == 9


def test_a_missing_column_is_named_with_the_columns_that_look_like_it() -> None:
    header = ["StartDate", "Recorded Date", "ResponseId"]
    with pytest.raises(ValidationError) as caught:
        resolve_mapping(PRESETS["qualtrics"], header)
    problem = next(p for p in caught.value.problems if p.code == "missing_column")
    assert problem.value is None  # not the name it looked for, shown as "got …"
    assert problem.message == (
        "column 'RecordedDate' is not in the file; its columns include 'Recorded Date'"
    )


def test_names_match_whatever_invisible_characters_surround_them() -> None:
    header = ["\ufeffResponseId", "Recorded\u00a0Date ", "RecordedDate\u200b"]
    resolved = resolve_mapping(PRESETS["qualtrics"], header)
    assert resolved.fields["collected_at"].columns == ("RecordedDate\u200b",)


def test_date_evidence() -> None:
    evidence = DateEvidence()
    for value in ["13/01/2024", "01/13/2024"]:
        evidence.add(value)
    with pytest.raises(DateOrderError) as caught:
        evidence.formats()
    assert caught.value.code == "format"
    ambiguous = DateEvidence()
    ambiguous.add("01/02/2024 10:00")
    assert ambiguous.needs_order
    assert ambiguous.formats("mdy") == ("%m/%d/%Y %H:%M",)
    assert ambiguous.formats(None, "dmy") == ("%d/%m/%Y %H:%M",)  # a tool's habit, last


def test_an_agreement_scale_is_no_verbatim_whatever_its_question_says() -> None:
    question = "The feedback I received was helpful"
    cells = ["Agree", "Strongly agree", "Agree", "Agree", "Strongly agree", "Agree"]
    profile = profile_rows([question], [{question: v} for v in cells])
    assert not open_answer(question, question, profile.of(question))
    notes = ["Stretching", "Stretching", "Back pain after running the long loop", "Stretching"]
    profile = profile_rows(["Notes"], [{"Notes": v} for v in notes * 2])
    assert open_answer("Notes", "Notes", profile.of("Notes"))


def test_a_partial_response_without_submit_date_takes_its_start_date(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "t.csv",
        "#,Why did you leave?,Response Type,Start Date (UTC),Submit Date (UTC),Network ID\n"
        "a1,Too expensive for me,completed,2024-02-01 09:58:00,2024-02-01 10:00:00,n1\n"
        "a2,The form kept crashing,partial,2024-02-02 11:50:00,,n2\n",
    )
    records, report = collect(path, PRESETS["typeform"])
    assert report.ok, [p.describe() for p in report.problems]
    assert [r.collected_at.day for r in records] == [1, 2]
    assert records[0].collected_at.hour == 10  # the submit date first


def test_alchemer_dates_are_read_in_us_eastern_time() -> None:
    records, _ = read("alchemer.csv")
    assert records[0].collected_at == datetime(
        2023, 6, 1, 9, 5, tzinfo=ZoneInfo("America/New_York")
    )
    assert records[0].collected_at.utcoffset() == timedelta(hours=-4)  # summer time


def test_the_respondent_s_name_and_e_mail_are_never_verbatims() -> None:
    records, _ = read("microsoft_forms.csv")
    assert {r.question for r in records} == {"What went well?", "What should we improve?"}
    assert all("Jane" not in r.text and "@" not in r.text for r in records)


def test_a_quiz_score_is_no_verbatim() -> None:
    cells = ["7 / 10", "3 / 10", "9 / 10", "10 / 10"]
    profile = profile_rows(["Score"], [{"Score": v} for v in cells])
    assert not open_answer("Score", "Score", profile.of("Score"))
