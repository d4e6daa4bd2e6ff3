"""XLSX workbooks, read with openpyxl's read-only (streaming) mode.

Dates typed as dates in the workbook arrive as ISO 8601 text, which the mapping always
accepts; numbers arrive as written (``9``, not ``9.0``). A workbook is a zip archive: it is
checked by :mod:`cxgap.ingest.workbook_guard` before openpyxl opens it (declared sizes,
compression ratios, then every XML part streamed with limits on a cell, a row, the rows
and the columns), so that a small upload cannot fill the memory or the disk.
"""

from __future__ import annotations

import dataclasses
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from datetime import date, datetime, time
from typing import Any
from xml.etree.ElementTree import ParseError

from cxgap.ingest.encoding import file_problem, refuse
from cxgap.ingest.headers import build_header
from cxgap.ingest.tables import (
    Progress,
    ProgressTicker,
    ReadOptions,
    Row,
    RowValues,
    Source,
    Table,
    no_header,
    open_binary,
)
from cxgap.ingest.workbook_guard import DEFAULT_LIMITS, check_workbook
from cxgap.ingest.workbook_refusals import exception_detail, unreadable

MAX_UNPACKED_BYTES = DEFAULT_LIMITS.unpacked_bytes
"""What a workbook's parts may unpack to, together (a zip part never unpacks beyond the
size its entry declares, so the declared sizes are the bound)."""


def check_unpacked_size(stream: Any, name: str, limit: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse a workbook whose parts would unpack to more than ``limit`` bytes, or that
    crosses any other of the default :class:`WorkbookLimits`; a stream that is no zip
    archive is left to the reader, which says so."""
    check_workbook(stream, name, dataclasses.replace(DEFAULT_LIMITS, unpacked_bytes=limit))


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency of cxgap
        raise refuse(
            file_problem(
                "cannot be read: install openpyxl to import XLSX files",
                source=None,
                reason="no_openpyxl",
            )
        ) from None
    return openpyxl


def spreadsheet_text(value: object) -> str | None:
    """A cell's value as text.

    >>> spreadsheet_text(9.0), spreadsheet_text(datetime(2024, 3, 5, 14, 30)), spreadsheet_text("")
    ('9', '2024-03-05T14:30:00', None)
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)


def read_xlsx(
    source: Source, options: ReadOptions, name: str, progress: Progress | None, resources: ExitStack
) -> Table:
    stream, size = open_binary(source, resources)
    _, widest = check_workbook(stream, name)
    workbook = _load(stream, name)
    resources.callback(workbook.close)
    sheet = _sheet(workbook, options.sheet, name)
    max_row = sheet.max_row if isinstance(sheet.max_row, int) else 0
    if isinstance(sheet.max_column, int) and sheet.max_column > widest:
        # Rows are padded to the width the sheet declares: a <dimension> wider than any
        # row would make every row 16,384 cells wide. Each row is then as wide as it is.
        sheet.reset_dimensions()
    cells = ([spreadsheet_text(v) for v in values] for values in sheet.iter_rows(values_only=True))
    header_rows = [row for _, row in zip(range(options.header_rows), cells, strict=False)]
    if len(header_rows) < options.header_rows or not any(header_rows[0]):
        raise no_header(options.header_rows, name)
    header = build_header(header_rows, options.header_style)
    rows = _rows(cells, header.names, options.header_rows, ProgressTicker(progress, size), max_row)
    return Table.from_header(name, header, rows, resources)


def _load(stream: Any, name: str) -> Any:
    openpyxl = _openpyxl()
    try:
        with warnings.catch_warnings():
            # Workbooks written by other tools often lack a default style; that is harmless.
            warnings.simplefilter("ignore", UserWarning)
            return openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, ParseError, TypeError) as exc:
        raise unreadable(name, exception_detail(exc)) from None


def _sheet(workbook: Any, wanted: str | None, name: str) -> Any:
    if wanted is None:
        return workbook.worksheets[0]
    if wanted not in workbook.sheetnames:
        sheets = ", ".join(workbook.sheetnames)
        problem = file_problem(
            f"has no sheet named {wanted!r} (sheets: {sheets})",
            source=name,
            value=wanted,
            code="choice",
            reason="xlsx_no_sheet",
            sheet=wanted,
            sheets=sheets,
        )
        raise refuse(problem)
    return workbook[wanted]


def _rows(
    cells: Iterator[list[str | None]],
    header: list[str],
    header_count: int,
    ticker: ProgressTicker,
    max_row: int,
) -> Iterator[Row]:
    done = 0
    for number, values in enumerate(cells, start=header_count + 1):
        if not any(values):
            continue
        done += 1
        yield number, _row_values(header, values)
        fraction = number / max_row if max_row else 0.0
        ticker.tick(done, int(ticker.bytes_total * fraction))
    ticker.finish(done)


def _row_values(header: Sequence[str], values: Sequence[str | None]) -> RowValues:
    """Short rows are normal in a workbook (trailing empty cells are not stored)."""
    row = RowValues(zip(header, values, strict=False))
    row.update(dict.fromkeys(header[len(values) :]))
    width = len(header)
    if any(values[width:]):
        message = f"has values beyond the header's {width} columns"
        row.mark("ragged", message, reason="xlsx_beyond", columns=width)
    return row
