"""Reading a list of survey recipients (email, language, segment, customer_ref) from a CSV file
or an XLSX workbook (its first sheet) with the project's readers; every problem names the row,
the column and the value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

from cxgap.errors import FieldProblem, ValidationError
from cxgap.i18n import LOCALES
from cxgap.ingest.spreadsheet import check_unpacked_size
from cxgap.ingest.tables import ReadOptions, open_table
from cxgap.services.accounts import EMAIL_PATTERN

MAX_RECIPIENTS = 5_000
# 5,000 rows of a few short cells unpack to well under a megabyte.
MAX_LIST_UNPACKED_BYTES = 32 * 1024 * 1024
MAX_REF_CHARS = 128
# Column names as people write them, in English and French.
ALIASES = {
    "email": "email",
    "e-mail": "email",
    "mail": "email",
    "courriel": "email",
    "language": "language",
    "lang": "language",
    "langue": "language",
    "segment": "segment",
    "segment_key": "segment",
    "customer_ref": "customer_ref",
    "customer": "customer_ref",
    "ref": "customer_ref",
    "client": "customer_ref",
    "ref_client": "customer_ref",
}


@dataclass(frozen=True)
class Recipient:
    row: int
    email: str
    language: str
    segment_key: str | None
    customer_ref: str | None


def _problem(
    row: int | None,
    column: str,
    message: str,
    value: object,
    source: str,
    code: str,
    **params: object,
) -> FieldProblem:
    return FieldProblem(column, message, value, row=row, source=source, code=code, params=params)


def _columns(header: list[str], source: str) -> tuple[dict[str, str], list[FieldProblem]]:
    """Our field for each column of the file, and the problems with the header."""
    mapping: dict[str, str] = {}
    problems: list[FieldProblem] = []
    for column in header:
        field = ALIASES.get(column.strip().lower().replace(" ", "_"))
        if field is None:
            problems.append(
                _problem(None, column, "unknown column", None, source, "mail_unknown_column")
            )
        elif field in mapping.values():
            problems.append(
                _problem(None, column, "column appears twice", None, source, "duplicate_column")
            )
        else:
            mapping[column] = field
    if "email" not in mapping.values():
        problems.append(
            _problem(None, "email", "required column is missing", None, source, "missing_column")
        )
    return mapping, problems


def list_read_options(name: str) -> ReadOptions:
    """A workbook by its extension (``.xlsx``, ``.xlsm``), an old ``.xls`` refused by the
    reader with the way out, any other name read as CSV (lists often come as ``.txt``).

    >>> [list_read_options(n).format for n in ("a.XLSX", "a.csv", "liste")]
    ['xlsx', 'csv', 'csv']
    """
    suffix = PurePath(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return ReadOptions(format="xlsx")
    return ReadOptions(format=None if suffix == ".xls" else "csv")


def read_recipients(
    stream: BinaryIO,
    *,
    name: str,
    segment_keys: Iterable[str],
    default_language: str,
) -> list[Recipient]:
    """Every recipient of the file, or a ValidationError listing every problem (all or
    nothing: a list with one bad row sends nothing)."""
    segments = set(segment_keys)
    options = list_read_options(name)
    if options.format == "xlsx":
        check_unpacked_size(stream, name, MAX_LIST_UNPACKED_BYTES)
    with open_table(stream, options, name=name) as table:
        mapping, problems = _columns(table.header, name)
        columns = {field: column for column, field in mapping.items()}
        if problems:
            raise ValidationError(problems, summary=f"{name} cannot be used as a recipient list")
        recipients: list[Recipient] = []
        first_row: dict[str, int] = {}
        for number, values in table:
            fields = {mapping[c]: (v or "").strip() for c, v in values.items() if c in mapping}
            if values.defect is not None:
                problems.append(
                    _problem(
                        number,
                        "(row)",
                        values.defect[1],
                        None,
                        name,
                        "ragged_row",
                        **values.defect_params,
                    )
                )
                continue
            found = _recipient(number, fields, segments, default_language, name, problems, columns)
            if found is None:
                continue
            if found.email in first_row:
                problems.append(
                    _problem(
                        number,
                        columns["email"],
                        f"repeats the address of row {first_row[found.email]}",
                        found.email,
                        name,
                        "mail_duplicate",
                        first=first_row[found.email],
                    )
                )
                continue
            first_row[found.email] = number
            recipients.append(found)
            if len(recipients) > MAX_RECIPIENTS:
                problems.append(
                    _problem(
                        number,
                        "(file)",
                        f"has more than {MAX_RECIPIENTS} recipients",
                        None,
                        name,
                        "mail_too_many",
                        limit=MAX_RECIPIENTS,
                    )
                )
                break
    if problems:
        raise ValidationError(problems, summary=f"{name} cannot be used as a recipient list")
    if not recipients:
        raise ValidationError(
            [_problem(None, "email", "the list has no recipients", None, name, "empty")],
            summary=f"{name} has no recipients",
        )
    return recipients


def _recipient(
    row: int,
    fields: dict[str, str],
    segments: set[str],
    default_language: str,
    source: str,
    problems: list[FieldProblem],
    names: dict[str, str],
) -> Recipient | None:
    before = len(problems)
    email = fields.get("email", "").lower()
    if not email:
        problems.append(
            _problem(row, names.get("email", "email"), "is required", None, source, "required")
        )
    elif len(email) > 254 or not EMAIL_PATTERN.match(email):
        problems.append(
            _problem(
                row,
                names.get("email", "email"),
                "is not an e-mail address",
                email,
                source,
                "mail_address",
            )
        )
    language = fields.get("language", "").lower() or default_language
    if language not in LOCALES:
        problems.append(
            _problem(
                row,
                names.get("language", "language"),
                "must be en or fr",
                language,
                source,
                "mail_language",
            )
        )
    segment = fields.get("segment") or None
    if segment is not None and segment not in segments:
        allowed = ", ".join(sorted(segments)) or "—"
        problems.append(
            _problem(
                row,
                names.get("segment", "segment"),
                f"is not a segment of this workspace ({allowed})",
                segment,
                source,
                "mail_segment",
                allowed=allowed,
            )
        )
    reference = fields.get("customer_ref") or None
    if reference is not None and len(reference) > MAX_REF_CHARS:
        problems.append(
            _problem(
                row,
                names.get("customer_ref", "customer_ref"),
                f"is longer than {MAX_REF_CHARS} characters",
                None,
                source,
                "too_long",
                limit=MAX_REF_CHARS,
            )
        )
    if len(problems) > before:
        return None
    return Recipient(row, email, language, segment, reference)
