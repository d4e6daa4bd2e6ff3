"""CSV (and TSV) files: delimiter and encoding detected on a sample, rows streamed.

Every delimited file cxgap reads goes through :func:`rfc4180_rows`: RFC 4180 quoting (a
quoted cell may hold the delimiter, a line break or a doubled ``""`` quote), CRLF or LF line
ends, a UTF-8 byte order mark dropped by the decoder. The dialect is fixed; only the delimiter
is detected, so a comment such as ``He said "great", then left`` reads back as it was written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from itertools import islice

from cxgap.ingest.encoding import (
    SAMPLE_BYTES,
    LineDecoder,
    checked_encoding,
    detect_encoding,
    file_problem,
    refuse,
    surrogate_free,
)
from cxgap.ingest.formulas import GUARD, restore_text
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

DELIMITERS = (",", ";", "\t", "|")
_SNIFF_LINES = 20


class Rfc4180(csv.Dialect):
    """RFC 4180 as spreadsheets write it: ``"`` quotes, doubled inside a quoted cell."""

    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL
    # A quote left open at the end of the file is an error, not one giant cell.
    strict = True


def rfc4180_rows(lines: Iterable[str], delimiter: str, name: str) -> Iterator[list[str]]:
    """The rows of decoded lines (line ends kept); a misplaced or unclosed quote refuses the
    file, naming the line."""
    return _guarded(csv.reader(lines, Rfc4180, delimiter=delimiter), name)


def read_delimited_text(
    text: str, *, name: str, delimiter: str | None = None
) -> Iterator[list[str]]:
    """The rows of a whole decoded file held in memory, the delimiter detected unless given.

    >>> text = 'id;comment\\r\\n1;"He said ""great"", then; left"\\r\\n'
    >>> list(read_delimited_text(text, name="a.csv"))
    [['id', 'comment'], ['1', 'He said "great", then; left']]
    """
    chosen = delimiter or sniff_delimiter(text[:SAMPLE_BYTES])
    return rfc4180_rows(io.StringIO(text, newline=""), chosen, name)


def ragged_reason(cells: int, width: int) -> str:
    """Why a row does not fit its header, as the import reports say it."""
    return f"has {cells} cells but the header has {width} columns"


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first rows into the same number of cells, most cells
    first; a comma when no candidate splits the header at all. Rows are read with RFC 4180
    quoting, so a quoted comment holding line breaks or other delimiters does not mislead.

    >>> sniff_delimiter("id;texte;note\\n1;Très bien, merci;9\\n")
    ';'
    >>> sniff_delimiter("id\\tcomment\\n1\\tok\\n")
    '\\t'
    >>> sniff_delimiter('id,comment\\n1,"a; b;\\nc; d"\\n2,"e;f"\\n')
    ','
    >>> sniff_delimiter("id;texte\\n1;sans fin de ligne")
    ';'
    """
    best, best_score = ",", (0.0, 1)
    for delimiter in DELIMITERS:
        widths = [len(cells) for cells in _sample_rows(sample, delimiter) if cells]
        if not widths or widths[0] < 2:
            continue
        agreement = sum(w == widths[0] for w in widths) / len(widths)
        score = (agreement, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sample_rows(sample: str, delimiter: str) -> list[list[str]]:
    """The sample's first rows, quoted cells read whole."""
    reader = csv.reader(io.StringIO(sample, newline=""), Rfc4180, delimiter=delimiter, strict=False)
    try:
        return list(islice(reader, _SNIFF_LINES))
    except csv.Error:  # a NUL byte or a giant cell: this delimiter explains nothing
        return []


def read_csv(
    source: Source,
    options: ReadOptions,
    name: str,
    progress: Progress | None,
    resources: ExitStack,
) -> Table:
    stream, size = open_binary(source, resources)
    start = stream.tell()
    sample = stream.read(SAMPLE_BYTES)
    if not sample.strip():
        raise refuse(file_problem("is empty", source=name, code="empty_file", reason="empty_file"))
    stream.seek(start)
    detected = options.encoding is None
    codec = (
        detect_encoding(sample, source=name)
        if options.encoding is None
        else checked_encoding(options.encoding, source=name)
    )
    delimiter = options.delimiter or sniff_delimiter(sample.decode(codec, errors="replace"))
    decoder = LineDecoder(codec, detected=detected, source=name)
    reader = rfc4180_rows(decoder.decode(stream), delimiter, name)
    header_rows = _header_rows(reader, options.header_rows, name)
    header = build_header(header_rows, options.header_style)
    ticker = ProgressTicker(progress, size)
    rows = _rows(reader, header.names, options.header_rows, decoder, ticker, name)
    table = Table.from_header(name, header, rows, resources)
    table.surrogate_free = surrogate_free(codec)
    return table


def _header_rows(reader: Iterator[list[str]], count: int, name: str) -> list[list[str]]:
    rows = [row for _, row in zip(range(count), reader, strict=False)]
    if len(rows) < count or not any(cell.strip() for cell in rows[0]):
        raise no_header(count, name)
    return rows


def _guarded(reader: Iterator[list[str]], name: str) -> Iterator[list[str]]:
    """The reader's rows; a misplaced or unclosed quote refuses the file with its line."""
    line = getattr(reader, "line_num", 0)
    opening = "\x00" + GUARD  # a cell opening with the guard, once the cells are joined so
    try:
        for cells in reader:
            line = getattr(reader, "line_num", line)
            # cxgap's exports guard formulas; only a cell opening with the guard may change
            # (a row whose cells hold none is passed on as it is: most rows)
            if opening in "\x00".join(cells) or (cells and cells[0][:1] == GUARD):
                cells = [restore_text(cell) if cell[:1] == GUARD else cell for cell in cells]
            yield cells
    except csv.Error as exc:
        message = (
            f"cannot be read as CSV after line {line}: {exc} (a quoted cell is not closed, "
            f"text follows a closing quote, or a cell is over {csv.field_size_limit():,} "
            "characters)"
        )
        limit = f"{csv.field_size_limit():,}"
        problem = file_problem(
            message, source=name, code="format", reason="csv_quotes", line=line, limit=limit
        )
        raise refuse(problem) from None


def _rows(
    reader: Iterator[list[str]],
    header: list[str],
    header_count: int,
    decoder: LineDecoder,
    ticker: ProgressTicker,
    name: str,
) -> Iterator[Row]:
    done = 0
    width = len(header)
    tick = ticker.tick if ticker.callback is not None else None
    for number, cells in enumerate(reader, start=header_count + 1):
        if not any(cells):  # a blank line, or nothing but delimiters
            continue
        done += 1
        if len(cells) == width:  # _row_values of a row that fits its header: most rows
            yield number, RowValues(zip(header, [cell or None for cell in cells], strict=True))
        else:
            yield number, _row_values(header, cells)
        if tick is not None:
            tick(done, decoder.bytes_done)
    ticker.finish(done)


def _row_values(header: Sequence[str], cells: Sequence[str]) -> RowValues:
    values = RowValues(zip(header, [cell or None for cell in cells], strict=False))
    width = len(header)
    if (len(cells) > width and any(c.strip() for c in cells[width:])) or len(cells) < width:
        reason = "ragged_more" if len(cells) > width else "ragged_fewer"
        values.mark(
            "ragged",
            ragged_reason(len(cells), width),
            reason=reason,
            cells=len(cells),
            columns=width,
        )
    if len(cells) < width:
        values.update(dict.fromkeys(header[len(cells) :]))
    return values
