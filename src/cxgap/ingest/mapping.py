"""Rows to feedback records: every value validated, every problem named.

A problem names the source file, the row, the column the value came from (or the record
field, for a constant) and the value, with a stable ``code``: ``required``, ``range``,
``format``, ``ambiguous_date``, ``choice``, ``too_long``, ``empty``, ``ragged``…
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain

from cxgap.errors import DateError, FieldProblem, ValidationError, ValueProblem
from cxgap.ingest.dates import parse_datetime
from cxgap.ingest.privacy import drop_contacts
from cxgap.ingest.records import (
    MAX_ATTRIBUTE_CHARS,
    MAX_QUESTION_CHARS,
    MAX_SHORT_CHARS,
    MAX_TEXT_CHARS,
    SCORE_RANGES,
    FeedbackRecord,
    built_record,
)
from cxgap.ingest.resolve import ResolvedField, ResolvedMapping, resolve_mapping
from cxgap.ingest.spec import MappingSpec
from cxgap.ingest.values import (
    SURROGATE_MESSAGE,
    lone_surrogate_columns,
    long_text,
    parse_language,
    parse_score,
    parse_source_type,
    short_text,
)

Cells = Mapping[str, str | None]
Outcome = FeedbackRecord | list[FieldProblem]


def _short(text: str) -> str:
    return short_text(text, MAX_SHORT_CHARS)


def _identifier(text: str) -> str:
    """An id as written (trimmed only), so that its pseudonym matches other imports'."""
    if len(text) > MAX_SHORT_CHARS:
        raise ValueProblem(
            f"is longer than {MAX_SHORT_CHARS} characters", "too_long", limit=MAX_SHORT_CHARS
        )
    return text


def _question(text: str) -> str:
    """A question as worded (line breaks kept), as the survey tool or cxgap wrote it."""
    return long_text([text], "", MAX_QUESTION_CHARS)


def _channel(text: str) -> str:
    return _short(text).lower()


def _score_parser(name: str) -> Callable[[str], int]:
    low, high = SCORE_RANGES[name]
    return lambda text: parse_score(text, low, high)


# Parsers of the fields that hold one value; ``collected_at`` and the text are apart.
_PARSERS: dict[str, Callable[[str], object]] = {
    "source_type": parse_source_type,
    "source_id": _identifier,
    "channel": _channel,
    "customer_ref": _identifier,
    "touchpoint": _short,
    "language": parse_language,
    "question": _question,
    **{name: _score_parser(name) for name in SCORE_RANGES},
}
_SINGLE_VALUED = tuple(_PARSERS)


class _Row:
    """The values of one row as they are read, and what was wrong with them."""

    def __init__(self, mapping: ResolvedMapping, number: int, cells: Cells) -> None:
        self.mapping = mapping
        self.number = number
        self.cells = cells
        self.problems: list[FieldProblem] = []

    def problem(
        self, column: str, message: str, value: object, code: str, **params: object
    ) -> None:
        self.problems.append(
            FieldProblem(
                column,
                message,
                value,
                row=self.number,
                source=self.mapping.source,
                code=code,
                params=params,
            )
        )

    def raw(self, resolved: ResolvedField) -> tuple[str, str] | None:
        """(column, text) of the first column holding a value, else the field's default."""
        for column in resolved.columns:
            text = _translated(self.cells.get(column), resolved)
            if text:
                return column, text
        default = resolved.map.default
        return None if default is None else (resolved.name, default)

    def parsed(self, resolved: ResolvedField, parse: Callable[[str], object]) -> object:
        found = self.raw(resolved)
        if found is None:
            return None
        column, text = found
        try:
            return parse(text)
        except ValueProblem as exc:
            self.problem(column, str(exc), text, exc.code, **exc.params)
            return None


def _translated(value: str | None, resolved: ResolvedField) -> str | None:
    if value is None:
        return None
    text = value.strip()
    values = resolved.map.values
    return values.get(text.lower(), text) if values else text


def _collected_at(row: _Row) -> datetime | None:
    resolved = row.mapping.fields["collected_at"]
    found = row.raw(resolved)
    if found is None:
        column = resolved.columns[0] if resolved.columns else "collected_at"
        row.problem(column, "is required", None, "required")
        return None
    column, text = found
    try:
        return parse_datetime(text, resolved.map.date_format, row.mapping.zone or UTC)
    except DateError as exc:
        row.problem(column, str(exc), text, exc.code)
        return None


def _text(row: _Row) -> str:
    resolved = row.mapping.fields.get("text")
    if resolved is None:
        return ""
    parts = [_translated(row.cells.get(c), resolved) or "" for c in resolved.columns]
    if not any(parts) and resolved.map.default:
        parts = [resolved.map.default]
    try:
        return long_text(parts, resolved.map.separator, MAX_TEXT_CHARS)
    except ValueProblem as exc:
        column = resolved.columns[0] if resolved.columns else "text"
        shown = f"{sum(len(p) for p in parts):,} characters"
        row.problem(column, str(exc), shown, exc.code, **exc.params)
        return ""


def _attributes(row: _Row) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for column in row.mapping.keep:
        value = (row.cells.get(column) or "").strip()
        if len(value) > MAX_ATTRIBUTE_CHARS:
            message = f"is longer than {MAX_ATTRIBUTE_CHARS:,} characters"
            row.problem(column, message, f"{len(value):,} characters", "too_long")
        elif value:
            attributes[column] = value
    return drop_contacts(attributes, row.mapping.keep_contacts)[0]


def content_id(fields: Mapping[str, object]) -> str:
    """A stable id for a record whose file has none: a hash of what it says, when and who.

    >>> content_id({"text": "Très bien", "nps": 9})
    'h_270cd0b35bdb235685ed58a995b4467f'
    """
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return "h_" + hashlib.sha256(payload.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Response:
    """What one row gives: its records, or the problems that refuse it; neither when the
    response is blank (no answer, no score: it is skipped and counted, not refused)."""

    records: tuple[FeedbackRecord, ...] = ()
    problems: tuple[FieldProblem, ...] = ()

    @property
    def blank(self) -> bool:
        return not self.records and not self.problems


def map_row(mapping: ResolvedMapping, number: int, cells: Cells) -> Outcome:
    """One row as a FeedbackRecord (its first, when it gives several), or the list of
    everything wrong with it; a blank row is refused as having no text and no score."""
    response = map_response(mapping, number, cells)
    if response.records:
        return response.records[0]
    if response.problems:
        return list(response.problems)
    row = _Row(mapping, number, cells)
    row.problem("text", "the row has no text and no score", None, "empty")
    return row.problems


def map_response(mapping: ResolvedMapping, number: int, cells: Cells) -> Response:
    """One row's records: one, or with ``text`` mapped ``each``, one per open answer."""
    row = _Row(mapping, number, cells)
    defect = getattr(cells, "defect", None)
    if defect is not None:
        code, message = defect
        row.problem("(row)", message, None, code, **getattr(cells, "defect_params", {}))
        return Response(problems=tuple(row.problems))
    for column in lone_surrogate_columns(cells):  # would fail when stored, not text anyway
        row.problem(column, SURROGATE_MESSAGE, None, "surrogate")
    if row.problems:
        return Response(problems=tuple(row.problems))
    if _blank(row):
        return Response()
    fields: dict[str, object] = dict.fromkeys(_SINGLE_VALUED)
    for name, resolved in mapping.fields.items():
        if name in _PARSERS:
            fields[name] = row.parsed(resolved, _PARSERS[name])
    fields["collected_at"] = _collected_at(row)
    answers = _answers(row)
    attributes = _attributes(row)
    if row.problems:
        return Response(problems=tuple(row.problems))
    return _response(row, fields, attributes, answers)


def _blank(row: _Row) -> bool:
    """No text and no score in the row (a default counts as a value)."""
    for name in ("text", *SCORE_RANGES):
        resolved = row.mapping.fields.get(name)
        if resolved is not None and row.raw(resolved) is not None:
            return False
    return True


def _each(mapping: ResolvedMapping) -> bool:
    resolved = mapping.fields.get("text")
    return resolved is not None and resolved.map.each


def _answers(row: _Row) -> list[tuple[str | None, str]]:
    """(question, text) of each verbatim the row gives; one without question when the text
    columns are joined."""
    if not _each(row.mapping):
        text = _text(row)
        return [(None, text)] if text else []
    resolved = row.mapping.fields["text"]
    answers: list[tuple[str | None, str]] = []
    for column in resolved.columns:
        value = _translated(row.cells.get(column), resolved)
        if not value:
            continue
        try:
            text = long_text([value], "", MAX_TEXT_CHARS)
        except ValueProblem as exc:
            row.problem(column, str(exc), f"{len(value):,} characters", exc.code, **exc.params)
            continue
        answers.append((column, text))
    return answers


def _response(
    row: _Row,
    fields: dict[str, object],
    attributes: dict[str, str],
    answers: list[tuple[str | None, str]],
) -> Response:
    key = row.mapping.pseudonym_key
    if fields["customer_ref"] and key is not None:
        fields["customer_ref"] = row.mapping.pseudonym(str(fields["customer_ref"]))
    if not _each(row.mapping):
        fields["text"] = answers[0][1] if answers else ""
        if not fields["source_id"]:
            fields["source_id"] = content_id(_identity(fields))
        return _built(row, [fields], attributes)
    base = str(fields["source_id"] or content_id(dict(sorted(row.cells.items()))))
    if not answers:
        return _built(
            row, [fields | {"source_id": base, "text": "", "response_key": base}], attributes
        )
    unscored = dict.fromkeys(SCORE_RANGES)
    built = [
        fields
        | (unscored if index else {})
        | {
            "source_id": _answer_id(base, column or ""),
            "text": text,
            "question": row.mapping.question(column or ""),
            "response_key": base,
        }
        for index, (column, text) in enumerate(answers)
    ]
    return _built(row, built, attributes)


def _answer_id(base: str, column: str) -> str:
    """The id of one answer of a response: stable from one import of the file to the next."""
    suffix = column if len(column) <= 40 else hashlib.sha256(column.encode()).hexdigest()[:12]
    return f"{base}:{suffix}"[:MAX_SHORT_CHARS]


def _built(row: _Row, records: list[dict[str, object]], attributes: dict[str, str]) -> Response:
    try:
        return Response(records=tuple(built_record(fields, dict(attributes)) for fields in records))
    except ValidationError as exc:  # the mapping let through what the record refuses
        return Response(
            problems=tuple(
                FieldProblem(
                    p.field,
                    p.message,
                    p.value,
                    row.number,
                    row.mapping.source,
                    p.code,
                    params=dict(p.params),
                )
                for p in exc.problems
            )
        )


def _identity(fields: Mapping[str, object]) -> dict[str, object]:
    """What a record without an id is identified by: not how it was mapped (channel,
    attributes), which a user may change between two imports of the same file."""
    when = fields["collected_at"]
    return {
        "source_type": fields["source_type"],
        "collected_at": when.astimezone(UTC).isoformat() if isinstance(when, datetime) else None,
        "text": fields["text"],
        "customer_ref": fields["customer_ref"],
        **{name: fields[name] for name in SCORE_RANGES},
    }


def apply_mapping(
    rows: Iterable[tuple[int, Cells]],
    spec: MappingSpec | ResolvedMapping,
    *,
    header: list[str] | None = None,
    source: str | None = None,
    pseudonym_key: str | bytes | None = None,
) -> Iterator[Outcome]:
    """One outcome per row: a FeedbackRecord, or the list of the row's problems.

    A spec is first resolved against ``header`` (default: the first row's columns); a header
    the spec does not fit raises ValidationError before the first outcome.
    """
    iterator = iter(rows)
    if isinstance(spec, MappingSpec):
        first = next(iterator, None)
        if first is not None:
            iterator = chain([first], iterator)
        columns = header if header is not None else list(first[1]) if first else []
        spec = resolve_mapping(spec, columns, source=source, pseudonym_key=pseudonym_key)
    for number, cells in iterator:
        yield map_row(spec, number, cells)
