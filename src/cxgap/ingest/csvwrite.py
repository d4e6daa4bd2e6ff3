"""CSV files as cxgap writes them: they open cleanly in Excel and read back as they were.

Every CSV the app or the CLI writes goes through :func:`csv_writer`:

- UTF-8 with a byte order mark, so that Excel reads the accents;
- ``;`` between cells for a French workspace (French Excel takes ``,`` for the decimal mark
  and would put a whole row in one cell), ``,`` otherwise;
- RFC 4180 quoting (:class:`~cxgap.ingest.delimited.Rfc4180`): a cell holding the delimiter,
  a quote or a line break is quoted, its quotes doubled; rows end with CRLF;
- a text that a spreadsheet would run as a formula (its first visible character is ``=``,
  ``+``, ``-`` or ``@``) gets a tab in front (:func:`inert_text`). The tab keeps it text in
  Excel and LibreOffice, and every cxgap import trims the whitespace around a text, so the
  original text comes back exactly (stored texts never start with whitespace: imports and
  forms trim them too).

The readers (:mod:`cxgap.ingest.delimited`) detect the delimiter and drop the byte order
mark, so any of these files re-imports as it is.
"""

from __future__ import annotations

import csv
from typing import Any, Protocol

from cxgap.ingest.delimited import Rfc4180

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@")
_WHITESPACE = " \t\r\n"


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


def inert_text(value: str) -> str:
    """The text with a tab in front when a spreadsheet would run it as a formula.

    >>> inert_text("=HYPERLINK(\\"http://x\\")"), inert_text(" -5 stars"), inert_text("Bien")
    ('\\t=HYPERLINK("http://x")', '\\t -5 stars', 'Bien')
    """
    return "\t" + value if value.lstrip(_WHITESPACE).startswith(FORMULA_STARTS) else value


def restore_text(value: str) -> str:
    """The text :func:`inert_text` protected, as it was (an import trims it anyway).

    >>> restore_text(inert_text("=1+1")), restore_text("\\tplain")
    ('=1+1', '\\tplain')
    """
    if value.startswith("\t") and value[1:].lstrip(_WHITESPACE).startswith(FORMULA_STARTS):
        return value[1:]
    return value


def csv_writer(handle: TextHandle, *, delimiter: str) -> RowWriter:
    """A CSV writer on an open text handle (opened with ``newline=""``); writes the byte
    order mark first."""
    if delimiter not in (",", ";", "\t"):
        raise ValueError(f"delimiter must be ',', ';' or a tab, got {delimiter!r}")
    handle.write(BOM)
    return csv.writer(handle, Rfc4180, delimiter=delimiter)
