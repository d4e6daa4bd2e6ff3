"""Numbers as a reader sees them, rounded for display only, in English and French."""

from __future__ import annotations

import math

import pytest

from cxgap.reporting.formatting import (
    format_count,
    format_interval,
    format_nps,
    format_number,
    format_ordinal,
    format_p,
    format_percent,
    format_points,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "locale", "kwargs", "expected"),
    [
        (4.254, "en", {}, "4.25"),
        (4.254, "fr", {}, "4,25"),
        (2.675, "en", {}, "2.68"),  # half up, not binary-float half-even
        (1.35, "en", {"signed": True}, "+1.35"),
        (1.35, "fr", {"signed": True}, "+1,35"),
        (-0.2, "en", {"signed": True}, "−0.20"),
        (-0.004, "en", {"signed": True}, "0.00"),  # no "−0.00"
        (1234567.891, "fr", {}, "1\u202f234\u202f567,89"),
        (1234567.891, "en", {}, "1,234,567.89"),
        (None, "en", {}, "—"),
        (math.nan, "fr", {}, "—"),
        ("4.2", "en", {}, "—"),
        (True, "en", {}, "—"),
    ],
)
def test_format_number(value: object, locale: str, kwargs: dict[str, bool], expected: str) -> None:
    assert format_number(value, locale, **kwargs) == expected


def test_shares_become_percentages_with_french_spacing() -> None:
    assert format_percent(0.42, "en") == "42%"
    assert format_percent(0.42, "fr") == f"42{NBSP}%"
    assert format_percent(0.0833, "fr", decimals=1) == f"8,3{NBSP}%"
    assert format_percent(None, "fr") == "—"
    assert format_points(0.5233, "en") == f"+52{NBSP}pts"
    assert format_points(-0.0433, "fr") == f"−4{NBSP}pts"


def test_p_values_are_written_like_in_a_paper() -> None:
    assert format_p(0.00001, "en") == f"p{NBSP}<{NBSP}0.001"
    assert format_p(0.00001, "fr") == f"p{NBSP}<{NBSP}0,001"
    assert format_p(0.007, "en") == f"p{NBSP}={NBSP}0.007"
    assert format_p(0.0312, "en") == f"p{NBSP}={NBSP}0.03"
    assert format_p(0.33, "fr") == f"p{NBSP}={NBSP}0,33"
    assert format_p(None, "en") == f"p{NBSP}={NBSP}—"


def test_nps_is_a_signed_whole_number() -> None:
    assert format_nps(-12.5, "en") == "−13"
    assert format_nps(12.4, "en") == "+12"
    assert format_nps(0.2, "fr") == "0"
    assert format_nps(None, "fr") == "—"


def test_intervals_use_a_semicolon_in_french() -> None:
    assert format_interval([3.9, 4.6], "en") == "[3.90, 4.60]"
    assert format_interval([3.9, 4.6], "fr") == f"[3,90{NBSP}; 4,60]"
    assert format_interval([-19.0, -6.0], "en", kind="nps") == "[−19, −6]"
    assert format_interval([0.37, 0.45], "fr", kind="percent") == f"[37{NBSP}%{NBSP}; 45{NBSP}%]"
    assert format_interval(None, "en") == "—"
    assert format_interval([None, 1.0], "en") == "—"


def test_counts_and_ordinals() -> None:
    assert format_count(1200, "en") == "1,200"
    assert format_count(12000, "fr") == "12\u202f000"
    assert [format_ordinal(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"
    ]  # fmt: skip
    assert [format_ordinal(n, "fr") for n in (1, 2, 10)] == ["1er", "2e", "10e"]
