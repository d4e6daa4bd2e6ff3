"""A first look at a file before importing it: its columns, a few sample rows, the preset its
header layout suggests, and what the first rows would become under a mapping."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest.mapping import Outcome, map_response
from cxgap.ingest.presets import PRESETS
from cxgap.ingest.resolve import resolve_mapping
from cxgap.ingest.spec import MappingSpec
from cxgap.ingest.tables import ReadOptions, RowValues, Source, open_table

SAMPLE_ROWS = 5
# Presets tried by detection; "generic" is what is left when none of them fits.
_DETECTABLE = tuple(name for name in PRESETS if name != "generic")


@dataclass(frozen=True)
class FilePreview:
    """The header of a file read with some options, and its first rows."""

    name: str
    header: list[str]
    samples: list[tuple[int, RowValues]]
    tags: dict[str, str] = field(default_factory=dict)
    timezone: str | None = None
    header_complete: bool = True
    labels: dict[str, str] = field(default_factory=dict)

    def values_of(self, column: str) -> list[str]:
        """The column's non-empty sample values, in row order."""
        return [v for _, cells in self.samples if (v := (cells.get(column) or "").strip())]


def preview_file(
    path: Path, read: ReadOptions, *, name: str, rows: int = SAMPLE_ROWS
) -> FilePreview:
    """The header and the first ``rows`` rows; an unreadable file raises ValidationError."""
    with open_table(path, read, name=name) as table:
        samples = list(islice(table, rows))
        return FilePreview(
            table.name,
            list(table.header),
            samples,
            dict(table.tags),
            table.timezone,
            table.header_complete,
            dict(table.labels),
        )


def detect_preset(path: Source, *, name: str) -> str:
    """The preset whose layout the file's header fits best, else "generic".

    Each preset reads the header its way (three header rows for Qualtrics, two for
    SurveyMonkey). A preset whose mapping resolves against the header beats one that does
    not; among equals, header rows with the tool's own labels count for more than any
    column name, then the most columns the preset names win. A preset that does not resolve
    still counts when the file has at least half of its named columns (an export with a
    column removed): the mapping step then shows what is missing.
    """
    best, best_score = "generic", 0
    for preset in _DETECTABLE:
        score = _fit(path, PRESETS[preset], name)
        if score > best_score:
            best, best_score = preset, score
    return best


def _fit(path: Source, spec: MappingSpec, name: str) -> int:
    start = None if isinstance(path, (str, os.PathLike)) else path.tell()
    try:
        with open_table(path, spec.read, name=name) as table:
            header, tags, complete = table.header, table.tags, table.header_complete
    except ValidationError:
        return 0
    finally:
        if start is not None and not isinstance(path, (str, os.PathLike)):
            path.seek(start)
    if spec.read.header_style == "surveymonkey" and tags.get("Respondent ID"):
        return 0  # its second row holds a response: the condensed export, one header row
    columns = {column.lower() for column in header}
    required = {c.lower() for f in spec.fields.values() if not f.optional for c in f.columns}
    named = required | {c.lower() for f in spec.fields.values() for c in f.columns}
    found = len((named | {c.lower() for c in spec.keep}) & columns)
    structure = 10 if spec.read.header_rows > 1 and tags else 0
    if not complete and not _has_needed_columns(spec, columns):
        return 0
    try:
        resolve_mapping(spec, header, tags=tags, header_complete=complete)
    except ValidationError:
        near = len(required & columns) >= max(2, len(required) / 2)
        return structure + found if near else 0
    return 1_000 + structure + found


def _has_needed_columns(spec: MappingSpec, columns: set[str]) -> bool:
    """Whether a header the resolver cannot hold missing columns against (a JSON file's,
    from its first record) has a column for each field the preset needs: otherwise any
    preset naming ``collected_at`` would fit every JSON file in the generic layout."""
    needed = [f.columns for f in spec.fields.values() if f.columns and not f.optional]
    return all({c.lower() for c in names} & columns for names in needed)


def check_samples(
    spec: MappingSpec, preview: FilePreview, *, pseudonym_key: str | bytes | None = None
) -> list[tuple[int, Outcome]]:
    """What each sample row becomes under the mapping: its records (one line each), or its
    problems; a blank response gives nothing. A mapping that does not fit the header at all
    raises ValidationError naming every problem."""
    mapping = resolve_mapping(
        spec,
        preview.header,
        tags=preview.tags,
        header_complete=preview.header_complete,
        timezone_hint=preview.timezone,
        source=preview.name,
        pseudonym_key=pseudonym_key,
        labels=preview.labels,
    )
    outcomes: list[tuple[int, Outcome]] = []
    for number, cells in preview.samples:
        response = map_response(mapping, number, cells)
        if response.problems:
            outcomes.append((number, list(response.problems)))
        outcomes += [(number, record) for record in response.records]
    return outcomes


def sample_problems(outcomes: list[tuple[int, Outcome]]) -> list[FieldProblem]:
    return [p for _, outcome in outcomes if isinstance(outcome, list) for p in outcome]
