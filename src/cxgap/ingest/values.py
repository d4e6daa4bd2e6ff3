"""Reading one cell's text as a score, a language, a source type: refuse, never guess."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from cxgap.errors import ValueProblem
from cxgap.ingest.records import SOURCE_TYPES

_LANGUAGE_CODE = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*")
LANGUAGE_NAMES = {
    "english": "en",
    "anglais": "en",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "german": "de",
    "allemand": "de",
    "deutsch": "de",
    "spanish": "es",
    "espagnol": "es",
    "español": "es",
    "italian": "it",
    "italien": "it",
    "italiano": "it",
    "dutch": "nl",
    "néerlandais": "nl",
    "portuguese": "pt",
    "portugais": "pt",
}


# A scale point written with its label, as survey tools export it: "10 - Extremely likely".
_LABELLED_NUMBER = re.compile(r"([0-9]{1,2})\s*[-–—:=)]\s*\D.*|([0-9]{1,2})\s+[^\d\s.,].*")


def labelled_number(text: str) -> int | None:
    """The number of a labelled scale point, else None.

    >>> labelled_number("10 - Extremely likely"), labelled_number("0 = Pas du tout")
    (10, 0)
    >>> labelled_number("9") is None
    True
    """
    match = _LABELLED_NUMBER.fullmatch(text.strip())
    if match is None:
        return None
    return int(match.group(1) or match.group(2))


# What a number is. In a file: ASCII digits, trimmed, with an optional sign and an optional
# decimal part of zeros ("9.0", "9,0": spreadsheets write whole numbers so). Typed input (a
# form field, an API value): ASCII digits and nothing else. Never "1e1", "٣", "２", "1_0":
# Python's int() and float() take them all, so they are not used on raw text.
_FILE_NUMBER = re.compile(r"(-?[0-9]+)(?:[.,]0+)?")
_TYPED_NUMBER = re.compile(r"[0-9]+")


def file_whole_number(text: str) -> int | None:
    """The whole number a file's cell writes, else None.

    >>> file_whole_number(" 9 "), file_whole_number("9,0"), file_whole_number("-2")
    (9, 9, -2)
    >>> [file_whole_number(t) for t in ("1e1", "٣", "２", "1_0", "9.5", "nan")]
    [None, None, None, None, None, None]
    """
    match = _FILE_NUMBER.fullmatch(text.strip())
    return None if match is None else int(match.group(1))


def typed_whole_number(value: object) -> int | None:
    """The whole number of a form field or a JSON value: an integer, or text of ASCII
    digits only; None for anything else (booleans, floats, " 7", "7.0", "1e1", "٣"…).

    >>> typed_whole_number(7), typed_whole_number("07"), typed_whole_number(" 7")
    (7, 7, None)
    >>> [typed_whole_number(v) for v in (True, 7.0, "1e1", "٣", "２")]
    [None, None, None, None, None]
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _TYPED_NUMBER.fullmatch(value):
        return int(value)
    return None


def parse_score(text: str, low: int, high: int) -> int:
    """A whole number in ``[low, high]``: ``9``, `` 9 ``, ``9.0``, ``9,0`` and
    ``9 - Very likely`` are 9.

    >>> parse_score("9,0", 0, 10), parse_score("10 - Extremely likely", 0, 10)
    (9, 10)
    """
    cleaned = text.strip()
    number = file_whole_number(cleaned)
    if number is None:
        number = labelled_number(cleaned)
    if number is None:
        message = f"must be a whole number from {low} to {high}"
        raise ValueProblem(message, "range", low=low, high=high)
    if not low <= number <= high:
        raise ValueProblem(f"must be between {low} and {high}", "range", low=low, high=high)
    return number


@lru_cache(maxsize=1024)
def parse_language(text: str) -> str:
    """The primary language code of a hint: ``fr-CA``, ``FR`` and ``Français`` are ``fr``.

    >>> parse_language("EN-GB"), parse_language("Français")
    ('en', 'fr')
    """
    lowered = text.strip().lower()
    if lowered in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[lowered]
    match = _LANGUAGE_CODE.fullmatch(lowered)
    if match is None:
        raise ValueProblem("is not a language code such as fr, en or fr-CA", "format")
    return match.group(1)


@lru_cache(maxsize=256)
def parse_source_type(text: str) -> str:
    """One of the source types; ``Agent note`` and ``agent-note`` are ``agent_note``."""
    key = re.sub(r"[\s-]+", "_", text.strip().lower())
    if key not in SOURCE_TYPES:
        allowed = ", ".join(SOURCE_TYPES)
        raise ValueProblem(f"must be one of {allowed}", "choice", allowed=list(SOURCE_TYPES))
    return key


SURROGATE_MESSAGE = "contains a lone UTF-16 surrogate (\\ud800–\\udfff), which is not text"
_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate_columns(cells: Mapping[str, str | None]) -> list[str]:
    """The columns whose text holds a lone surrogate (a JSON file's ``"\\ud800"``): such
    text cannot be encoded as UTF-8, so it is refused where it is read.

    >>> lone_surrogate_columns({"text": "ok", "shop": "Lyon \\ud800"})
    ['shop']
    """
    return [name for name, text in cells.items() if text and _SURROGATE.search(text)]


def short_text(text: str, limit: int) -> str:
    cleaned = " ".join(text.split())
    if len(cleaned) > limit:
        raise ValueProblem(f"is longer than {limit} characters", "too_long", limit=limit)
    return cleaned


def long_text(parts: list[str], separator: str, limit: int) -> str:
    """Non-empty parts joined, with Windows line ends made plain."""
    text = separator.join(p.strip() for p in parts if p and p.strip())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise ValueProblem("contains a NUL character", "format")
    if len(text) > limit:
        raise ValueProblem(f"is longer than {limit:,} characters", "too_long", limit=limit)
    return text
