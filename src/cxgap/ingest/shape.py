"""The shape of a file checked before it is imported: rows that do not fit the header,
found on the whole file, with their row numbers and the fix to make. In a delimited file: an
unquoted delimiter inside a cell, a separator that was not recognised; in a workbook: values
typed beyond the header's last column, which the import would otherwise report row by row.

Each problem names its message (``params["reason"]``) and figures, so that the mapping step
says it in the reader's language; ``message`` is the English text.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest.delimited import sniff_delimiter
from cxgap.ingest.encoding import SAMPLE_BYTES, detect_encoding, file_problem
from cxgap.ingest.tables import ReadOptions, format_of, open_table

# Separators people's tools write, beyond those the reader detects by itself.
SEPARATORS = (",", ";", "\t", "|", ":", "~", "^")
ROWS_LISTED = 10
_NAMES = {",": "','", ";": "';'", "\t": "tab", "|": "'|'", ":": "':'", "~": "'~'", "^": "'^'"}


def separator_name(delimiter: str) -> str:
    """The separator as a person reads it: ``';'``, ``tab``.

    >>> separator_name("\\t"), separator_name(";")
    ('tab', "';'")
    """
    return _NAMES.get(delimiter, repr(delimiter))


def check_shape(path: Path, read: ReadOptions, *, name: str) -> list[FieldProblem]:
    """The shape problems of a CSV or XLSX file read with ``read`` (none for JSON, and none
    for a file the reader refuses: the mapping step shows that refusal already)."""
    kind = format_of(name, read)
    if kind not in ("csv", "xlsx"):
        return []
    ragged: list[int] = []
    widths: Counter[int] = Counter()
    try:
        with open_table(path, read, name=name) as table:
            header = list(table.header)
            for number, values in table:
                reason = values.defect_params.get("reason")
                if reason in ("ragged_more", "ragged_fewer", "xlsx_beyond"):
                    ragged.append(number)
                    widths[int(str(values.defect_params.get("cells", 0)))] += 1
    except ValidationError:
        return []
    if kind == "xlsx":
        return [_beyond(ragged, len(header), name)] if ragged else []
    if len(header) == 1:
        found = _unrecognised_separator(header[0])
        return [] if found is None else [_one_column(header[0], found, name)]
    if not ragged:
        return []
    return [_ragged(ragged, widths, len(header), _delimiter(path, read), name)]


def _delimiter(path: Path, read: ReadOptions) -> str:
    """The delimiter the reader used: the one given, else the one it detected."""
    if read.delimiter:
        return read.delimiter
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    codec = read.encoding or detect_encoding(sample)
    return sniff_delimiter(sample.decode(codec, errors="replace"))


def _unrecognised_separator(name: str) -> str | None:
    """The separator a one-column header seems to hold, if any."""
    counts = {s: name.count(s) for s in SEPARATORS if name.count(s)}
    return max(counts, key=lambda s: counts[s]) if counts else None


def _one_column(column: str, separator: str, name: str) -> FieldProblem:
    shown = separator_name(separator)
    message = (
        f"has one column only, “{column[:60]}”: its cells seem separated by {shown}, which was "
        f"not recognised; choose {shown} as the separator"
    )
    return file_problem(message, source=name, code="format", reason="one_column", separator=shown)


def _listed(rows: list[int]) -> str:
    listed = ", ".join(str(row) for row in rows[:ROWS_LISTED])
    return listed + ", …" if len(rows) > ROWS_LISTED else listed


def _beyond(rows: list[int], columns: int, name: str) -> FieldProblem:
    """Workbook rows with values right of the header's last column."""
    listed = _listed(rows)
    message = (
        f"{len(rows)} row(s) have values beyond the header's {columns} columns (rows {listed}):"
        " give those columns a name in the header row, or delete the values"
    )
    return file_problem(
        message,
        source=name,
        code="ragged",
        reason="xlsx_rows_beyond",
        count=len(rows),
        rows=listed,
        columns=columns,
    )


def _ragged(
    rows: list[int], widths: Counter[int], columns: int, delimiter: str, name: str
) -> FieldProblem:
    listed = _listed(rows)
    shown = separator_name(delimiter)
    wider = sum(n for width, n in widths.items() if width > columns)
    reason = "ragged_rows_more" if wider >= len(rows) - wider else "ragged_rows_fewer"
    fix = (
        f"a cell holds {shown} without quotes around it: put such cells in double quotes, or "
        "export the file again with another separator"
        if reason == "ragged_rows_more"
        else "a cell holds a line break without quotes around it, or cells are missing"
    )
    message = f"{len(rows)} row(s) do not have the header's {columns} cells (rows {listed}): {fix}"
    return file_problem(
        message,
        source=name,
        code="ragged",
        reason=reason,
        count=len(rows),
        rows=listed,
        columns=columns,
        separator=shown,
    )
