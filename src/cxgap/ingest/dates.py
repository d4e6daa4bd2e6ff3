"""Dates as exports write them, parsed only by formats someone declared.

ISO 8601 (``2024-03-05``, ``2024-03-05 14:30:00``, ``2024-03-05T14:30:00+01:00``) is always
accepted because it cannot be misread. Anything else needs an explicit ``date_format``:
``05/03/2024`` is the 5th of March in Paris and the 3rd of May in New York, so it is refused
rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cxgap.errors import DateError

NAMED_FORMATS = ("iso", "unix", "unix_ms")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?([+-]\d{2}:?\d{2}|Z)?")
_OFFSET_NAME = re.compile(r"\s*(?:GMT|UTC)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$")
# Zone abbreviations Google Forms and other tools append to their dates, as fixed offsets.
# Only the unambiguous, common ones: "AST" is read as Atlantic Standard Time (Google's use).
ZONE_ABBREVIATIONS = {
    "EST": "-05:00", "EDT": "-04:00", "CST": "-06:00", "CDT": "-05:00",
    "MST": "-07:00", "MDT": "-06:00", "PST": "-08:00", "PDT": "-07:00",
    "AST": "-04:00", "ADT": "-03:00", "AKST": "-09:00", "AKDT": "-08:00",
    "HST": "-10:00", "WET": "+00:00", "WEST": "+01:00", "BST": "+01:00",
    "CET": "+01:00", "CEST": "+02:00", "EET": "+02:00", "EEST": "+03:00",
    "IST": "+05:30", "JST": "+09:00", "AEST": "+10:00", "AEDT": "+11:00",
}  # fmt: skip
_ZONE_NAME = re.compile(r"\s+([A-Z]{3,4})$")
_SPACED_OFFSET = re.compile(r"(\S)\s+([+-]\d{2}:?\d{2})$")
_SPACE_BEFORE_ZONE = re.compile(r"\s*%z")
_SHORT_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")


def zone(name: str | None) -> tzinfo:
    """The time zone of that IANA name ("Z" and "UTC" included); raises ValueError."""
    if name is None or name.upper() in {"Z", "UTC", "GMT"}:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not a known time zone (e.g. Europe/Paris, UTC)") from None


def normalise_offset(text: str) -> str:
    """Write a trailing ``GMT+1``, ``UTC`` or `` +0100`` as an offset glued to the time, the
    way ISO 8601 and the ``%z`` of a date format (spaces before it are dropped) read it.

    >>> normalise_offset("2024/03/05 2:30:00 PM GMT+1"), normalise_offset("2024-03-05 10:00 UTC")
    ('2024/03/05 2:30:00 PM+01:00', '2024-03-05 10:00+00:00')
    >>> normalise_offset("2022/03/26 11:00:19 PM AST")
    '2022/03/26 11:00:19 PM-04:00'

    """
    named = _ZONE_NAME.search(text)
    if named and named.group(1) in ZONE_ABBREVIATIONS:
        return text[: named.start()] + ZONE_ABBREVIATIONS[named.group(1)]
    match = _OFFSET_NAME.search(text)
    if match:
        sign, hours, minutes = match.groups()
        return text[: match.start()] + f"{sign or '+'}{int(hours or 0):02d}:{minutes or '00'}"
    return _SPACED_OFFSET.sub(r"\1\2", text)


def parse_datetime(text: str, formats: Sequence[str], default_zone: tzinfo) -> datetime:
    """A timezone-aware datetime; a value without an offset is read in ``default_zone``.

    >>> parse_datetime("05/03/2024 14:30", ["%d/%m/%Y %H:%M"], UTC).isoformat()
    '2024-03-05T14:30:00+00:00'
    >>> try:
    ...     parse_datetime("05/03/2024", [], UTC)
    ... except DateError as exc:
    ...     print(exc.code)
    ambiguous_date
    """
    stripped = text.strip()
    # The fast path: an ISO 8601 value (most exports) is one normalise_offset leaves as it
    # is (its regexes need a space before a zone name or an offset, or GMT/UTC, none of
    # which ISO text holds), so it is read at once; 3 regex searches a row saved.
    parsed = _iso(stripped)
    if parsed is not None:
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=default_zone)
    value = normalise_offset(stripped)
    parsed = _iso(value)
    for fmt in formats:
        if parsed is not None:
            break
        parsed = _with_format(value, fmt)
    if parsed is None:
        raise _failure(value, formats)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=default_zone)


def _shapes() -> frozenset[bytes]:
    """The shapes of the ISO values exports write most (every digit written 9), each one
    ``_ISO`` matches: a day, a time to the minute or second, with a ``T`` or a space, no
    zone, ``Z`` or an offset with or without its colon."""
    times = ("", "T99:99", "T99:99:99", " 99:99", " 99:99:99")
    zones = ("", "Z", "+99:99", "-99:99", "+9999", "-9999")
    shapes = {f"9999-99-99{time}{zone}" for time in times for zone in zones}
    return frozenset(shape.encode() for shape in shapes if _ISO.fullmatch(shape))


_ISO_SHAPES = _shapes()
_NINES = bytes.maketrans(b"012345678", b"999999999")


def is_iso(value: str) -> bool:
    """Is this (normalised) value written the ISO 8601 way, which cannot be misread?

    Why the shapes first: a date column is read twice a row (the one-read check's evidence,
    then the value), and ``_ISO``'s scan was the larger part of both for a file of distinct
    timestamps. An ASCII value whose digits written 9 give one of ``_ISO_SHAPES`` is one
    ``_ISO`` matches (every shape does, and every digit is a ``\\d``); any other value is
    scanned as before.

    >>> is_iso("2024-03-05T14:30:00+01:00"), is_iso("2024-03-05 14:30"), is_iso("05/03/2024")
    (True, True, False)
    """
    if value.isascii() and value.encode().translate(_NINES) in _ISO_SHAPES:
        return True
    return _ISO.fullmatch(value) is not None


def _iso(value: str) -> datetime | None:
    if not is_iso(value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _with_format(value: str, fmt: str) -> datetime | None:
    try:
        if fmt in {"unix", "unix_ms"}:
            seconds = float(value) / (1000 if fmt == "unix_ms" else 1)
            return datetime.fromtimestamp(seconds, UTC)
        return None if fmt == "iso" else datetime.strptime(value, _SPACE_BEFORE_ZONE.sub("%z", fmt))
    except (ValueError, OverflowError, OSError):
        return None


def _failure(value: str, formats: Sequence[str]) -> DateError:
    if formats:
        shown = " or ".join(formats)
        return DateError(f"does not match the date format {shown}", "format")
    short = _SHORT_DATE.match(value)
    if short and int(short.group(1)) <= 12 and int(short.group(2)) <= 12:
        return DateError(
            "is ambiguous (day/month or month/day?); set date_format, e.g. %d/%m/%Y or %m/%d/%Y",
            "ambiguous_date",
        )
    return DateError(
        "is not an ISO 8601 date such as 2024-03-31 or 2024-03-31T14:05; set date_format",
        "format",
    )


def check_formats(formats: Sequence[str]) -> str | None:
    """Why a list of date formats is unsafe, or None: a list holding both a day-first and
    a month-first version of the same format would silently guess.

    >>> check_formats(["%d/%m/%Y", "%m/%d/%Y"])
    "'%d/%m/%Y' and '%m/%d/%Y' read the same dates differently; keep one"
    """
    for fmt in formats:
        if fmt not in NAMED_FORMATS and "%" not in fmt:
            return f"{fmt!r} is not a date format (use strptime codes such as %d/%m/%Y, or iso)"
        swapped = fmt.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")
        if swapped != fmt and swapped in formats:
            return f"{fmt!r} and {swapped!r} read the same dates differently; keep one"
    return None
