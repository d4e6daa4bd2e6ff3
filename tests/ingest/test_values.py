"""Cell values: dates, scores, languages and source types, refused rather than guessed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from cxgap.errors import DateError, ValueProblem
from cxgap.ingest.dates import check_formats, parse_datetime, zone
from cxgap.ingest.values import parse_language, parse_score, parse_source_type

PARIS = zone("Europe/Paris")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", datetime(2024, 3, 5, tzinfo=PARIS)),
        ("2024-03-05 14:30", datetime(2024, 3, 5, 14, 30, tzinfo=PARIS)),
        ("2024-07-05T14:30:00", datetime(2024, 7, 5, 14, 30, tzinfo=PARIS)),
        ("2024-03-05T14:30:00Z", datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("2024-03-05T14:30:00.250+01:00", datetime(2024, 3, 5, 13, 30, 0, 250000, tzinfo=UTC)),
        ("2024-03-05 14:30:00 +0100", datetime(2024, 3, 5, 13, 30, tzinfo=UTC)),
        ("2024-03-05 14:30:00 UTC", datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
    ],
)
def test_iso_dates_need_no_format(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text, [], PARIS)
    assert parsed == expected and parsed.tzinfo is not None


def test_summer_time_is_applied_to_local_dates() -> None:
    assert parse_datetime("2024-07-05 14:30", [], PARIS).utcoffset() == timedelta(hours=2)
    assert parse_datetime("2024-01-05 14:30", [], PARIS).utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize(
    ("text", "formats", "expected"),
    [
        ("05/03/2024 14:30", ["%d/%m/%Y %H:%M"], datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        (
            "03/05/2024 02:30:00 PM",
            ["%m/%d/%Y %I:%M:%S %p"],
            datetime(2024, 3, 5, 14, 30, tzinfo=UTC),
        ),
        (
            "2024/03/05 2:30:00 PM GMT+1",
            ["%Y/%m/%d %I:%M:%S %p %z"],
            datetime(2024, 3, 5, 14, 30, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("1709649000", ["unix"], datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("1709649000000", ["unix_ms"], datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("5.3.2024", ["%d/%m/%Y", "%d.%m.%Y"], datetime(2024, 3, 5, tzinfo=UTC)),
    ],
)
def test_declared_formats(text: str, formats: list[str], expected: datetime) -> None:
    assert parse_datetime(text, formats, UTC) == expected


@pytest.mark.parametrize(
    ("text", "formats", "code"),
    [
        ("05/03/2024", [], "ambiguous_date"),
        ("3-5-24", [], "ambiguous_date"),
        ("25/03/2024", [], "format"),  # unambiguous, but still not guessed
        ("5 March 2024", [], "format"),
        ("2024-13-45", [], "format"),
        ("05/03/2024", ["%Y-%m-%d %H:%M"], "format"),
    ],
)
def test_undeclared_or_mismatched_dates_are_refused(
    text: str, formats: list[str], code: str
) -> None:
    with pytest.raises(DateError) as caught:
        parse_datetime(text, formats, UTC)
    assert caught.value.code == code


def test_a_format_list_that_would_guess_is_refused() -> None:
    assert check_formats(["%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M"]) is not None
    assert check_formats(["%d/%m/%Y", "%d.%m.%Y", "iso"]) is None
    assert check_formats(["dd/mm/yyyy"]) is not None


def test_unknown_zones_are_refused() -> None:
    with pytest.raises(ValueError, match="not a known time zone"):
        zone("Europe/Atlantis")


@pytest.mark.parametrize(("text", "expected"), [("9", 9), (" 10 ", 10), ("7.0", 7), ("7,0", 7)])
def test_scores(text: str, expected: int) -> None:
    assert parse_score(text, 0, 10) == expected


@pytest.mark.parametrize(
    "text",
    # The security run's lenient numbers: an exponent, Arabic-Indic and full-width digits,
    # Python's digit separator, and a labelled point written with non-ASCII digits.
    ["11", "-1", "7.5", "sept", "", "nan", "inf", "1e9", "1e1", "٣", "２", "1_0", "٣ - Bien"],
)
def test_bad_scores(text: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_score(text, 0, 10)
    assert caught.value.code == "range" and caught.value.params == {"low": 0, "high": 10}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fr", "fr"),
        ("FR", "fr"),
        ("fr-CA", "fr"),
        ("en_GB", "en"),
        ("Anglais", "en"),
        ("Français", "fr"),
    ],
)
def test_languages(text: str, expected: str) -> None:
    assert parse_language(text) == expected


@pytest.mark.parametrize("text", ["français canadien", "12", "f"])
def test_bad_languages(text: str) -> None:
    with pytest.raises(ValueProblem):
        parse_language(text)


def test_source_types() -> None:
    assert parse_source_type(" Agent-Note ") == "agent_note"
    with pytest.raises(ValueProblem) as caught:
        parse_source_type("tweet")
    assert caught.value.code == "choice"
