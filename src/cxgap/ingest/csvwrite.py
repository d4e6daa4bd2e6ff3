"""CSV files as cxgap writes them: they open cleanly in Excel and read back as they were.

Every CSV the app or the CLI writes goes through :func:`csv_writer`:

- UTF-8 with a byte order mark, so that Excel reads the accents;
- ``;`` between cells for a French workspace (French Excel takes ``,`` for the decimal mark
  and would put a whole row in one cell), ``,`` otherwise;
- RFC 4180 quoting (:class:`~cxgap.ingest.delimited.Rfc4180`): a cell holding the delimiter,
  a quote or a line break is quoted, its quotes doubled; rows end with CRLF;
- every text cell a spreadsheet could run as a formula gets an apostrophe in front
  (:func:`inert_text`), as OWASP recommends against CSV injection: its first visible
  character is ``=``, ``+``, ``-`` or ``@``, or its first character is a tab or a carriage
  return. The writer does it to every cell, so no caller can forget it; the readers
  (:mod:`cxgap.ingest.delimited`) take the apostrophe off again (:func:`restore_text`), so
  the original text comes back exactly.

The readers (:mod:`cxgap.ingest.delimited`) detect the delimiter and drop the byte order
mark, so any of these files re-imports as it is.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

from cxgap.ingest.delimited import Rfc4180
from cxgap.ingest.formulas import inert_text, needs_guard, restore_text

__all__ = ["BOM", "csv_writer", "delimiter_for", "inert_text", "needs_guard", "restore_text"]

BOM = "\ufeff"


class TextHandle(Protocol):
    def write(self, text: str, /) -> Any: ...


class RowWriter(Protocol):
    def writerow(self, row: Any, /) -> Any: ...


def delimiter_for(language: str) -> str:
    """``;`` for French, ``,`` for any other language.

    >>> delimiter_for("fr"), delimiter_for("en")
    (';', ',')
    """
    return ";" if language == "fr" else ","


class _InertWriter:
    """A CSV writer that keeps every text cell inert."""

    def __init__(self, writer: RowWriter) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[object], /) -> Any:
        return self._writer.writerow(
            [inert_text(cell) if isinstance(cell, str) else cell for cell in row]
        )


def csv_writer(handle: TextHandle, *, delimiter: str) -> RowWriter:
    """A CSV writer on an open text handle (opened with ``newline=""``); writes the byte
    order mark first, and every text cell inert (:func:`inert_text`)."""
    if delimiter not in (",", ";", "\t"):
        raise ValueError(f"delimiter must be ',', ';' or a tab, got {delimiter!r}")
    handle.write(BOM)
    return _InertWriter(csv.writer(handle, Rfc4180, delimiter=delimiter))
