"""Mapping rows to records: every value checked, every problem located."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest import (
    MAX_TEXT_CHARS,
    PRESETS,
    SCORE_RANGES,
    FeedbackRecord,
    FieldMap,
    MappingSpec,
    RowValues,
    apply_mapping,
    column,
    constant,
    map_row,
    pseudonymise,
    resolve_mapping,
)

SPEC = MappingSpec(
    name="test",
    fields={
        "source_type": constant("review"),
        "source_id": column("id"),
        "collected_at": column("date"),
        "text": column("title", "body"),
        "nps": column("nps"),
        "csat": column("csat"),
        "ces": column("ces"),
        "stars": column("stars"),
        "customer_ref": column("customer"),
        "channel": column("channel"),
    },
    keep=("shop",),
)
HEADER = [
    "id",
    "date",
    "title",
    "body",
    "nps",
    "csat",
    "ces",
    "stars",
    "customer",
    "channel",
    "shop",
]


def row(**cells: str | None) -> RowValues:
    values = RowValues(dict.fromkeys(HEADER))
    values.update({"id": "r1", "date": "2024-03-04 10:00", "body": "Bien"} | cells)
    return values


def outcome(
    spec: MappingSpec = SPEC, /, **cells: str | None
) -> FeedbackRecord | list[FieldProblem]:
    """Row 7 of avis.csv, with these cells, through that spec."""
    return map_row(resolve_mapping(spec, HEADER, source="avis.csv"), 7, row(**cells))


def accepted(spec: MappingSpec = SPEC, /, **cells: str | None) -> FeedbackRecord:
    result = outcome(spec, **cells)
    assert isinstance(result, FeedbackRecord), result
    return result


def problems(spec: MappingSpec = SPEC, /, **cells: str | None) -> list[FieldProblem]:
    result = outcome(spec, **cells)
    assert isinstance(result, list), result
    return result


def test_a_sound_row_becomes_a_record() -> None:
    record = accepted(title="Top", nps="9", customer=" C-1 ", channel="Email", shop="Lyon")
    assert record == FeedbackRecord(
        source_type="review",
        source_id="r1",
        collected_at=datetime(2024, 3, 4, 10, tzinfo=UTC),
        text="Top\n\nBien",
        nps=9,
        customer_ref="C-1",
        channel="email",
        attributes={"shop": "Lyon"},
    )


@pytest.mark.parametrize(
    ("column_name", "value", "code", "message"),
    [
        ("nps", "11", "range", "must be between 0 and 10"),
        ("nps", "-1", "range", "must be between 0 and 10"),
        ("csat", "0", "range", "must be between 1 and 5"),
        ("ces", "8", "range", "must be between 1 and 7"),
        ("stars", "4.5", "range", "must be a whole number from 1 to 5"),
        ("nps", "n/a", "range", "must be a whole number from 0 to 10"),
        ("date", "31/02/2024", "format", "is not an ISO 8601 date"),
        ("date", "hier", "format", "is not an ISO 8601 date"),
        ("date", "03/04/2024", "ambiguous_date", "is ambiguous"),
        ("customer", "x" * 201, "too_long", "is longer than 200 characters"),
    ],
)
def test_bad_values_are_refused_with_row_column_and_value(
    column_name: str, value: str, code: str, message: str
) -> None:
    [problem] = problems(**{column_name: value})
    assert (problem.row, problem.field, problem.value, problem.code) == (
        7,
        column_name,
        value,
        code,
    )
    assert problem.source == "avis.csv"
    assert message in problem.message
    assert problem.describe().startswith(f"avis.csv, row 7, column '{column_name}': ")


def test_all_problems_of_a_row_are_reported_together() -> None:
    found = problems(nps="12", csat="six", date="demain")
    assert sorted(p.field for p in found) == ["csat", "date", "nps"]


def test_range_problems_carry_their_bounds() -> None:
    [problem] = problems(stars="9")
    assert problem.params == {"low": 1, "high": 5}


def test_an_unknown_source_type_is_refused() -> None:
    spec = MappingSpec("t", {**SPEC.fields, "source_type": column("channel")})
    [problem] = problems(spec, channel="carrier pigeon")
    assert (problem.field, problem.code) == ("channel", "choice")


def test_source_types_are_normalised() -> None:
    spec = MappingSpec("t", {**SPEC.fields, "source_type": column("channel")})
    assert accepted(spec, channel="Agent note").source_type == "agent_note"


def test_a_row_without_text_or_score_is_empty() -> None:
    [problem] = problems(body="  ")
    assert (problem.field, problem.code) == ("text", "empty")


def test_a_score_alone_makes_a_record() -> None:
    record = accepted(body=None, ces="2")
    assert (record.text, record.ces) == ("", 2)


def test_overlong_text_is_refused_with_its_length() -> None:
    [problem] = problems(body="a" * (MAX_TEXT_CHARS + 1))
    assert (problem.field, problem.code, problem.value) == (
        "title",
        "too_long",
        "20,001 characters",
    )
    assert len(accepted(body="a" * MAX_TEXT_CHARS).text) == MAX_TEXT_CHARS


def test_a_missing_date_is_required() -> None:
    [problem] = problems(date="")
    assert (problem.field, problem.code) == ("date", "required")


def test_a_date_format_is_applied_and_iso_still_accepted() -> None:
    fields = {**SPEC.fields, "collected_at": column("date", date_format=("%d/%m/%Y %H:%M",))}
    spec = MappingSpec("t", fields, timezone="Europe/Paris")
    record = accepted(spec, date="03/04/2024 10:00")
    assert record.collected_at.astimezone(UTC) == datetime(2024, 4, 3, 8, tzinfo=UTC)  # UTC+2
    assert accepted(spec, date="2024-04-03T08:00:00Z").collected_at == record.collected_at


def test_value_maps_translate_and_can_blank_a_value() -> None:
    fields = {**SPEC.fields, "csat": column("csat", values={"Good": "5", "offered": None})}
    spec = MappingSpec("t", fields)
    assert accepted(spec, csat="GOOD ").csat == 5
    assert accepted(spec, csat="Offered").csat is None
    [problem] = problems(spec, csat="meh")
    assert (problem.field, problem.value) == ("csat", "meh")


def test_a_default_fills_an_empty_cell() -> None:
    spec = MappingSpec(
        "t", {**SPEC.fields, "channel": FieldMap(columns=("channel",), default="web")}
    )
    assert accepted(spec).channel == "web"
    assert accepted(spec, channel="Shop").channel == "shop"


def test_records_without_an_id_get_a_stable_content_id() -> None:
    spec = MappingSpec("t", {k: v for k, v in SPEC.fields.items() if k != "source_id"}, keep=())
    first = accepted(spec, id=None, nps="9", channel="web")
    again = accepted(spec, id=None, nps="9", channel="email", shop="Lyon")
    other = accepted(spec, id=None, nps="8")
    assert first.source_id.startswith("h_")
    assert first.source_id == again.source_id  # how it was mapped does not change who said what
    assert other.source_id != first.source_id


def test_customer_refs_are_pseudonymised_when_a_key_is_given() -> None:
    mapping = resolve_mapping(SPEC, HEADER, pseudonym_key="secret")
    record = map_row(mapping, 2, row(customer=" C  1042 "))
    assert isinstance(record, FeedbackRecord)
    # Trimmed like the pillar-survey import does (one shared pseudonymise), nothing more.
    assert record.customer_ref == pseudonymise("C  1042", "secret") != "C  1042"


def test_contact_details_are_not_kept_unless_asked() -> None:
    spec = MappingSpec("t", SPEC.fields, keep=("shop",))
    assert accepted(spec, shop="06 12 34 56 78").attributes == {}
    kept = MappingSpec("t", SPEC.fields, keep=("shop",), keep_contacts=("shop",))
    assert accepted(kept, shop="06 12 34 56 78").attributes == {"shop": "06 12 34 56 78"}


@pytest.mark.parametrize(
    ("spec", "field", "code"),
    [
        (MappingSpec("t", {**SPEC.fields, "nps": column("NPS score")}), "nps", "missing_column"),
        (
            MappingSpec("t", {**SPEC.fields, "nps": FieldMap(pattern="s")}),
            "nps",
            "ambiguous_column",
        ),
        (
            MappingSpec("t", {**SPEC.fields, "source_type": column("kind", optional=True)}),
            "source_type",
            "required",
        ),
        (
            MappingSpec("t", {"source_type": constant("chat"), "collected_at": column("date")}),
            "text",
            "required",
        ),
        (MappingSpec("t", SPEC.fields, keep=("magasin",)), "magasin", "missing_column"),
        (MappingSpec("t", SPEC.fields, timezone="Mars/Olympus"), "timezone", "choice"),
    ],
)
def test_a_spec_that_does_not_fit_the_header_refuses_the_file(
    spec: MappingSpec, field: str, code: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        resolve_mapping(spec, HEADER)
    assert [(p.field, p.code) for p in caught.value.problems] == [(field, code)]


def test_columns_are_found_ignoring_case() -> None:
    mapping = resolve_mapping(SPEC, [name.upper() for name in HEADER])
    assert mapping.fields["nps"].columns == ("NPS",)


def test_the_text_claims_its_columns_before_a_score_pattern() -> None:
    header = ["date", "Would you recommend us?", "Why would you recommend us?"]
    spec = MappingSpec(
        "t",
        {
            "source_type": constant("survey"),
            "collected_at": column("date"),
            "nps": FieldMap(pattern="recommend"),
            "text": FieldMap(pattern=r"^why"),
        },
    )
    mapping = resolve_mapping(spec, header)
    assert mapping.describe() == {
        "source_type": "constant 'survey'",
        "collected_at": "'date'",
        "text": "'Why would you recommend us?'",
        "nps": "'Would you recommend us?'",
    }


def test_apply_mapping_takes_the_header_from_the_first_row() -> None:
    rows = [(2, row(nps="9")), (3, row(nps="99"))]
    outcomes = list(apply_mapping(rows, SPEC, source="a.csv"))
    assert isinstance(outcomes[0], FeedbackRecord)
    assert isinstance(outcomes[1], list) and outcomes[1][0].row == 3


def test_apply_mapping_refuses_a_header_that_does_not_fit() -> None:
    with pytest.raises(ValidationError):
        list(apply_mapping([(2, {"text": "x"})], PRESETS["trustpilot"]))


score_cells = st.one_of(
    st.integers(-20, 20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=6),
    st.none(),
)


@settings(max_examples=300, deadline=None)
@given(nps=score_cells, csat=score_cells, ces=score_cells, stars=score_cells)
def test_every_record_the_mapping_lets_through_is_in_range(
    nps: str | None, csat: str | None, ces: str | None, stars: str | None
) -> None:
    result = outcome(nps=nps, csat=csat, ces=ces, stars=stars, body=None)
    cells = {"nps": nps, "csat": csat, "ces": ces, "stars": stars}
    if isinstance(result, FeedbackRecord):
        for name, (low, high) in SCORE_RANGES.items():
            value = result.scores[name]
            assert value is None or (type(value) is int and low <= value <= high)
            assert (value is None) == (not (cells[name] or "").strip())
    else:
        assert result and all(p.row == 7 for p in result)


def test_a_question_column_becomes_the_record_question() -> None:
    cells = {"source_type": "survey", "collected_at": "2026-03-01", "text": "Bien"}
    questions = ["  Pourquoi ?\r\nDites-nous  ", "", "x" * 1_001]
    rows = [(n, cells | {"question": q}) for n, q in enumerate(questions, start=2)]
    first, second, third = apply_mapping(rows, PRESETS["generic"], source="q.csv")
    assert isinstance(first, FeedbackRecord) and first.question == "Pourquoi ?\nDites-nous"
    assert isinstance(second, FeedbackRecord) and second.question is None
    assert isinstance(third, list)
    [problem] = third
    assert (problem.field, problem.row, problem.code) == ("question", 4, "too_long")
    assert "1,000" in problem.message
