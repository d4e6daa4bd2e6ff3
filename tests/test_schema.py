"""Validation of answers: refuse, don't guess, and say where."""

from __future__ import annotations

from datetime import date

import pytest

from cxgap.errors import ValidationError
from cxgap.schema import parse_customer_answer, parse_internal_answer
from tests.factories import PILLAR_KEYS, customer_form, internal_form


def parse(form: dict[str, object], **kwargs: object) -> object:
    return parse_customer_answer(
        form, pillar_keys=PILLAR_KEYS, segment_keys={"pro"}, today=date(2026, 11, 23), **kwargs
    )


def problems(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, object]:
    return {p.field: p.value for p in exc.value.problems}


def test_a_complete_answer_is_parsed() -> None:
    answer = parse(customer_form(importance=5, performance=2, segment="pro", language="fr"))
    assert answer.nps == 8 and answer.segment_key == "pro" and answer.language == "fr"
    assert answer.pillars["service"].importance == 5
    assert answer.pillars["service"].performance == 2
    assert answer.consent is True


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nps", 11),
        ("nps", -1),
        ("nps", "eight"),
        ("nps", "7.5"),
        ("csat", 6),
        ("ces", 0),
        ("service_importance", 6),
        ("friction_performance", 0),
        ("birth_year", 1850),
        ("birth_year", 2020),  # a 6-year-old does not answer surveys
        ("consent", "maybe"),
        ("language", "de"),
        ("segment", "unknown-segment"),
        ("submitted_at", "31/03/2026"),
    ],
)
def test_an_invalid_value_is_named_with_its_value(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as exc:
        parse(customer_form(**{field: value}))
    assert list(problems(exc)) == [field]
    assert repr(value) in str(exc.value) or repr(str(value)) in str(exc.value)


def test_all_problems_are_reported_together_with_the_row() -> None:
    form = customer_form(nps=12, csat=9)
    del form["service_importance"]
    with pytest.raises(ValidationError) as exc:
        parse(form, row=7, source="answers.csv")
    assert set(problems(exc)) == {"nps", "csat", "service_importance"}
    assert all(p.row == 7 for p in exc.value.problems)
    assert "answers.csv, row 7, column 'nps'" in str(exc.value)


def test_a_file_may_write_a_whole_number_as_a_decimal_or_with_spaces() -> None:
    assert parse(customer_form(nps="9.0"), from_file=True).nps == 9
    assert parse(customer_form(nps=" 9,0 "), from_file=True).nps == 9


@pytest.mark.parametrize("nps", ["1e1", "٣", "２", " 7", "7.0", "1_0", 7.0, True, "+7"])
def test_a_typed_score_is_ascii_digits_or_a_json_integer(nps: object) -> None:
    """A form field or an API value: the finding's 1e1, ٣, ２ and " 7" were all stored."""
    with pytest.raises(ValidationError) as exc:
        parse(customer_form(nps=nps))
    assert problems(exc) == {"nps": nps}
    assert exc.value.problems[0].code == "range"
    assert parse(customer_form(nps="7")).nps == parse(customer_form(nps=7)).nps == 7


@pytest.mark.parametrize("nps", ["1e1", "٣", "２", "1_0", "7.5", "nan", "inf"])
def test_a_file_score_is_ascii_digits_too(nps: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse(customer_form(nps=nps), from_file=True, row=3, source="answers.csv")
    assert "answers.csv, row 3, column 'nps': must be a whole number from 0 to 10" in str(exc.value)


def test_oversized_comment_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        parse(customer_form(comment="x" * 5001))
    assert "comment" in problems(exc)


def test_internal_ranks_must_be_a_permutation() -> None:
    form = internal_form(service_rank=1)  # advertising already has rank 1
    with pytest.raises(ValidationError) as exc:
        parse_internal_answer(form, pillar_keys=PILLAR_KEYS)
    assert "rank" in problems(exc)


def test_internal_total_is_out_of_fifty() -> None:
    answer = parse_internal_answer(internal_form(current=3), pillar_keys=PILLAR_KEYS)
    assert answer.total_current == 30


def test_an_answer_without_any_rank_is_kept_without_a_ranking() -> None:
    form = {k: ("" if k.endswith("_rank") else v) for k, v in internal_form().items()}
    answer = parse_internal_answer(form, pillar_keys=PILLAR_KEYS)
    assert {p.rank for p in answer.pillars.values()} == {None}
    assert answer.total_current == 40


def test_a_partial_ranking_names_every_missing_rank() -> None:
    form = internal_form(service_rank="", products_rank=None)
    with pytest.raises(ValidationError) as exc:
        parse_internal_answer(form, pillar_keys=PILLAR_KEYS)
    assert {"service_rank", "products_rank"} <= set(problems(exc))
