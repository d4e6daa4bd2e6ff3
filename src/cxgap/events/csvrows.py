"""CSV event files, read lean: the feedback import's encoding detection, delimiter sniffing,
RFC 4180 dialect and refusals, but each row a plain ``dict`` and the text decoded by the
C decoder of ``io.TextIOWrapper`` rather than line by line in Python.

Event logs are long and narrow (hundreds of thousands of rows of a few short cells), so the
per-row work of the feedback reader (a row object, formula guards that only cxgap's own
feedback exports need, a decode per line) was a third of an import's time. A row whose
cells do not fit the header is still marked as the feedback reader marks it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import ExitStack
from typing import BinaryIO

from cxgap.ingest.delimited import Rfc4180, ragged_reason, sniff_delimiter
from cxgap.ingest.encoding import (
    SAMPLE_BYTES,
    checked_encoding,
    describe_encoding,
    detect_encoding,
    file_problem,
    refuse,
)
from cxgap.ingest.headers import unique_names
from cxgap.ingest.tables import ReadOptions, RowValues, no_header

CsvRow = tuple[int, dict[str, str | None]]


def read_csv_rows(
    stream: BinaryIO, options: ReadOptions, name: str, resources: ExitStack
) -> tuple[list[str], Iterator[CsvRow]]:
    """The header and the rows (numbered as in the file: the header is row 1)."""
    start = stream.tell()
    sample = stream.read(SAMPLE_BYTES)
    stream.seek(start)
    if not sample.strip():
        raise refuse(file_problem("is empty", source=name, code="empty_file", reason="empty_file"))
    codec = (
        detect_encoding(sample, source=name)
        if options.encoding is None
        else checked_encoding(options.encoding, source=name)
    )
    delimiter = options.delimiter or sniff_delimiter(sample.decode(codec, errors="replace"))
    text = io.TextIOWrapper(stream, encoding=codec, newline="")
    resources.callback(text.detach)  # the caller's stream stays open (a second reading)
    reader = csv.reader(text, Rfc4180, delimiter=delimiter)
    try:
        first = next(reader, None)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise _refusal(exc, 1, codec, name) from None
    if not first or not any(cell.strip() for cell in first):
        raise no_header(1, name)
    header = unique_names(first)
    return header, _rows(reader, header, codec, name)


def _rows(
    reader: Iterator[list[str]], header: list[str], codec: str, name: str
) -> Iterator[CsvRow]:
    width = len(header)
    line = 1
    try:
        for cells in reader:
            line = reader.line_num  # type: ignore[attr-defined]
            if len(cells) == width:
                yield line, dict(zip(header, cells, strict=True))
            elif any(cells):
                yield line, _ragged(header, cells)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise _refusal(exc, line + 1, codec, name) from None


def _ragged(header: list[str], cells: list[str]) -> RowValues:
    values = RowValues(zip(header, (cell or None for cell in cells), strict=False))
    if len(cells) > len(header) and not any(c.strip() for c in cells[len(header) :]):
        return values  # trailing empty cells: the row fits
    reason = "ragged_more" if len(cells) > len(header) else "ragged_fewer"
    message = ragged_reason(len(cells), len(header))
    values.mark("ragged", message, reason=reason, cells=len(cells), columns=len(header))
    return values


def _refusal(exc: Exception, line: int, codec: str, name: str) -> Exception:
    if isinstance(exc, UnicodeDecodeError):
        label = describe_encoding(codec)
        message = f"is not valid {label} text near line {line}; save it as UTF-8"
        return refuse(
            file_problem(
                message,
                source=name,
                code="encoding",
                reason="event_bad_bytes",
                line=line,
                encoding=label,
            )
        )
    limit = f"{csv.field_size_limit():,}"
    message = (
        f"cannot be read as CSV after line {line - 1}: {exc} (a quoted cell is not closed, "
        f"text follows a closing quote, or a cell is over {limit} characters)"
    )
    return refuse(
        file_problem(message, source=name, reason="csv_quotes", line=line - 1, limit=limit)
    )
