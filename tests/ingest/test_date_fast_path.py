"""The ISO fast path of ``parse_datetime`` and ``DateEvidence.add``: the same results as
the path of before (every value through ``normalise_offset`` first), for ISO values, the
shapes exports write, and random text."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxgap.errors import DateError
from cxgap.ingest.dateorder import _SHORT, DateEvidence, _shape
from cxgap.ingest.dates import (
    _ISO,
    _ISO_SHAPES,
    _iso,
    _with_format,
    is_iso,
    normalise_offset,
    parse_datetime,
)

PARIS = ZoneInfo("Europe/Paris")
FORMATS = ((), ("%d/%m/%Y %H:%M",), ("%m/%d/%Y %I:%M:%S %p%z", "unix"))
SHAPED = [
    "2024-03-05",
    "2024-03-05 14:30",
    "2024-03-05T14:30:00",
    "2024-03-05T14:30:00.123456+01:00",
    "2024-03-05T14:30:00Z",
    "2024-03-05 14:30:00 +0100",
    "2024-03-05 14:30 UTC",
    "2024-03-05 14:30 GMT+1",
    "2024-03-05 14:30 CET",
    "  2024-03-05T14:30:00+01:00  ",
    "2024-13-45",
    "2024-02-30T10:00",
    "05/03/2024 14:30",
    "3/11/2024 9:05:00 PM GMT-5",
    "1709650200",
    "",
]


def parse_before(text: str, formats: tuple[str, ...], zone: tzinfo) -> datetime:
    """``parse_datetime`` as it was before the fast path."""
    value = normalise_offset(text.strip())
    parsed = _iso(value)
    for fmt in formats:
        if parsed is not None:
            break
        parsed = _with_format(value, fmt)
    if parsed is None:
        raise DateError("unreadable", "format")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def evidence_before(values: list[str]) -> tuple[object, ...]:
    """``DateEvidence.add`` as it was, over ``values``: its counts and shapes."""
    e = DateEvidence()
    for text in values:
        value = normalise_offset(text.strip())
        if not value:
            continue
        e.values += 1
        if is_iso(value):
            e.iso += 1
            continue
        match = _SHORT.fullmatch(value)
        if match is None:
            e.unknown = [*e.unknown, text.strip()][:3]
            continue
        e.short += 1
        e.shapes[_shape(match)] = e.shapes.get(_shape(match), 0) + 1
        if len(match["a"]) <= 2:
            e.day_first |= int(match["a"]) > 12
            e.month_first |= int(match["b"]) > 12
    return (e.values, e.iso, e.short, e.day_first, e.month_first, e.shapes, e.unknown)


def outcome(parse: object, text: str, formats: tuple[str, ...], zone: tzinfo) -> object:
    try:
        return parse(text, formats, zone)  # type: ignore[operator]
    except DateError:
        return "refused"


iso_texts = st.from_regex(
    r"\A\s?\d{4}-[01]\d-[0-3]\d([T ][0-2]\d:[0-5]\d(:[0-5]\d(\.\d{1,6})?)?)?"
    r"([+-][01]\d:?[0-5]\d|Z| UTC| GMT[+-]\d| CET| [+-]\d{4})?\s?\Z",
)
texts = st.one_of(iso_texts, st.sampled_from(SHAPED), st.text(max_size=30))


@pytest.mark.parametrize("text", SHAPED)
@pytest.mark.parametrize("formats", FORMATS)
def test_shapes_parse_as_before(text: str, formats: tuple[str, ...]) -> None:
    for zone in (UTC, PARIS):
        assert outcome(parse_datetime, text, formats, zone) == outcome(
            parse_before, text, formats, zone
        )


@settings(max_examples=400, deadline=None)
@given(text=texts, formats=st.sampled_from(FORMATS))
def test_any_text_parses_as_before(text: str, formats: tuple[str, ...]) -> None:
    assert outcome(parse_datetime, text, formats, PARIS) == outcome(
        parse_before, text, formats, PARIS
    )


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_iso_text_is_left_alone_by_normalise_offset(text: str) -> None:
    """What the fast path relies on: ISO text is never changed by ``normalise_offset``."""
    stripped = text.strip()
    if is_iso(stripped):
        assert normalise_offset(stripped) == stripped


@settings(max_examples=200, deadline=None)
@given(values=st.lists(texts, max_size=12))
def test_date_evidence_as_before(values: list[str]) -> None:
    e = DateEvidence()
    for value in values:
        e.add(value)
    mine = (e.values, e.iso, e.short, e.day_first, e.month_first, e.shapes, e.unknown)
    assert mine == evidence_before(values)


def test_evidence_of_a_zone_name_is_not_iso() -> None:
    """A value normalise_offset changes into ISO counts as ISO, as before."""
    e = DateEvidence()
    e.add("2024-03-05 14:30 UTC")
    e.add("05/03/2024")
    assert (e.values, e.iso, e.short) == (2, 1, 1)


near_iso = st.text(alphabet="0123456789٣-T :+Z.", max_size=27)


@settings(max_examples=1500, deadline=None)
@given(text=st.one_of(texts, near_iso, iso_texts.map(str.strip)))
def test_is_iso_by_its_shapes_is_the_regex(text: str) -> None:
    """``is_iso`` looks at the shapes exports write before ``_ISO``'s scan: the same answer
    for every text (Arabic-Indic digits are ``\\d`` too, and scanned)."""
    assert is_iso(text) == (_ISO.fullmatch(text) is not None)


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2024-03-05T14:30:00+01:00", True), ("2024-03-05 14:30", True), ("2024-03-05", True),
     ("2024-03-05T14:30Z", True), ("2024-03-05T14:30:00-0500", True),
     ("٢٠٢٤-٠٣-٠٥", True), ("2024-03-05T14:30:0", False), ("2024-03-05T14:30+1", False),
     ("05/03/2024", False)],
)  # fmt: skip
def test_is_iso_of_the_usual_shapes(text: str, iso: bool) -> None:
    assert is_iso(text) is iso
    assert (_ISO.fullmatch(text) is not None) is iso


def test_every_shape_and_every_prefix_of_one_reads_as_the_regex() -> None:
    """The shapes themselves (digits as 9, as 0, as other digits) and every value cut short
    from them: ``is_iso`` answers as ``_ISO`` does."""
    assert len(_ISO_SHAPES) >= 20
    for shape in _ISO_SHAPES:
        for digit in "091":
            text = shape.decode().replace("9", digit)
            assert is_iso(text) and _ISO.fullmatch(text)
            for end in range(len(text)):
                assert is_iso(text[:end]) == (_ISO.fullmatch(text[:end]) is not None)
