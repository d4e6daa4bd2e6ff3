"""Header rows as survey tools write them, turned into one list of unique column names.

Besides the names, a header may carry a *tag* per column: the structural label a tool puts in
its extra header rows (Qualtrics's ``ImportId``, SurveyMonkey's answer label), which presets
use to find columns whose names are the user's own question texts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

HEADER_STYLES = ("plain", "qualtrics", "qualtrics_legacy", "surveymonkey")
# Characters spreadsheets and exports leave around names: a byte-order mark, zero-width and
# non-breaking spaces. Left in, ``"\ufeffRecordedDate"`` would not match ``RecordedDate``.
_INVISIBLE = re.compile(r"[\ufeff\u200b\u200c\u200d\u2060]")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_LEGACY_ID = re.compile(r"V\d+")
_PLAIN_IMPORT_ID = re.compile(r"(?:ImportId\s*:\s*)?(QID[\w#]+|_recordId|[a-z][A-Za-z]+)")
# SurveyMonkey's answer labels that add nothing to the question's own text.
_PLAIN_ANSWER_LABELS = {"", "response", "open-ended response"}


@dataclass(frozen=True)
class Header:
    names: list[str]
    tags: dict[str, str] = field(default_factory=dict)
    # The time zone an export declares for its dates (Qualtrics writes it in its third row).
    timezone: str | None = None
    # Column → the question it asks, where a header row says it apart from the name
    # (Qualtrics's second row: the name is ``Q2``, the question "Why this score?").
    labels: dict[str, str] = field(default_factory=dict)

    def question(self, name: str) -> str:
        return self.labels.get(name) or name


def clean_name(value: str | None) -> str:
    """A header cell without invisible characters, its spaces collapsed and trimmed.

    >>> clean_name("\ufeffRecorded\u00a0 Date ")
    'Recorded Date'
    """
    return _SPACES.sub(" ", _INVISIBLE.sub("", value or "")).strip()


def unique_names(raw: Sequence[str | None]) -> list[str]:
    """Trimmed names; a blank one becomes ``column_<n>`` and a repeated one gets `` (2)``.

    >>> unique_names(["Id", " Name ", "", "Name"])
    ['Id', 'Name', 'column_3', 'Name (2)']
    """
    names: list[str] = []
    seen: set[str] = set()
    for index, value in enumerate(raw, start=1):
        base = clean_name(value) or f"column_{index}"
        name, copy = base, 1
        while name in seen:
            copy += 1
            name = f"{base} ({copy})"
        seen.add(name)
        names.append(name)
    return names


def build_header(rows: Sequence[Sequence[str | None]], style: str) -> Header:
    """The header of a table whose first ``len(rows)`` rows are header rows."""
    if style == "qualtrics":
        return _qualtrics_header(rows)
    if style == "surveymonkey":
        return _surveymonkey_header(rows)
    if style == "qualtrics_legacy":
        return _qualtrics_legacy_header(rows)
    return Header(unique_names(rows[0]))


def _qualtrics_header(rows: Sequence[Sequence[str | None]]) -> Header:
    """Row 1: column ids (``ResponseId``, ``Q1``…); row 2: question texts; row 3: a JSON
    object per column such as ``{"ImportId":"QID2_TEXT"}``, with ``timeZone`` on dates."""
    names = unique_names(rows[0])
    tags: dict[str, str] = {}
    timezone: str | None = None
    labels = _labels(names, rows[1] if len(rows) > 1 else [])
    if len(rows) >= 3:
        for name, cell in zip(names, rows[2], strict=False):
            meta = _json_object(cell) or _plain_import_id(cell)
            import_id, zone = meta.get("ImportId"), meta.get("timeZone")
            if isinstance(import_id, str):
                tags[name] = import_id
            if timezone is None and isinstance(zone, str):
                timezone = zone
    return Header(names, tags, timezone, labels)


def _labels(names: Sequence[str], row: Sequence[str | None]) -> dict[str, str]:
    return {n: text for n, cell in zip(names, row, strict=False) if (text := clean_name(cell))}


def _qualtrics_legacy_header(rows: Sequence[Sequence[str | None]]) -> Header:
    """The legacy Qualtrics export: row 1 ``V1``…``V10`` for the response's own columns and
    ``Q1``… for the questions; row 2 their names (``ResponseID``…) and question texts.

    >>> h = _qualtrics_legacy_header([["V1", "V8", "Q1"], ["ResponseID", "StartDate", "Why?"]])
    >>> h.names, h.labels["Q1"], h.tags["ResponseID"]
    (['ResponseID', 'StartDate', 'Q1'], 'Why?', 'V1')
    """
    first = [clean_name(c) for c in rows[0]]
    second = list(rows[1]) if len(rows) > 1 else []
    raw = [
        clean_name(second[i]) if _LEGACY_ID.fullmatch(name) and i < len(second) else name
        for i, name in enumerate(first)
    ]
    names = unique_names(raw)
    tags = {n: old for n, old in zip(names, first, strict=True) if _LEGACY_ID.fullmatch(old)}
    labels = {n: lab for n, lab in _labels(names, second).items() if n not in tags}
    return Header(names, tags, None, labels)


def _plain_import_id(cell: str | None) -> dict[str, object]:
    """The third row as some exports write it, without JSON: ``QID2_TEXT`` or
    ``ImportId:QID2_TEXT``.

    >>> _plain_import_id("ImportId:QID2_TEXT"), _plain_import_id("Q2 - why?")
    ({'ImportId': 'QID2_TEXT'}, {})
    """
    match = _PLAIN_IMPORT_ID.fullmatch(clean_name(cell))
    return {"ImportId": match.group(1)} if match else {}


def _json_object(cell: str | None) -> dict[str, object]:
    try:
        value = json.loads(cell or "")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _surveymonkey_header(rows: Sequence[Sequence[str | None]]) -> Header:
    """Row 1: the question, written once over all its columns; row 2: the answer label of
    each column ("Response", "Open-Ended Response", a choice, a matrix row).

    >>> h = _surveymonkey_header([
    ...     ["Respondent ID", "Q?", "", "Why?"],
    ...     ["", "Response", "Other (please specify)", "Open-Ended Response"],
    ... ])
    >>> h.names, h.tags["Why?"]
    (['Respondent ID', 'Q?', 'Q? - Other (please specify)', 'Why?'], 'Open-Ended Response')
    """
    first, second = list(rows[0]), list(rows[1]) if len(rows) > 1 else []
    width = max(len(first), len(second))
    combined: list[str] = []
    labels: list[str] = []
    question = ""
    for index in range(width):
        cell = (first[index] if index < len(first) else None) or ""
        label = ((second[index] if index < len(second) else None) or "").strip()
        question = cell.strip() or question
        plain = label.lower() in _PLAIN_ANSWER_LABELS
        combined.append(question if plain or not question else f"{question} - {label}")
        labels.append(label)
    names = unique_names(combined)
    return Header(names, {n: label for n, label in zip(names, labels, strict=True) if label})
