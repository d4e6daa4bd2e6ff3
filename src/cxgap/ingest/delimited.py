"""CSV (and TSV) files: delimiter and encoding detected on a sample, rows streamed."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from contextlib import ExitStack

from cxgap.ingest.encoding import (
    SAMPLE_BYTES,
    LineDecoder,
    checked_encoding,
    detect_encoding,
    file_problem,
    refuse,
)
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


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines into the same number of cells, most cells
    first; a comma when no candidate splits the header at all.

    >>> sniff_delimiter("id;texte;note\\n1;Très bien, merci;9\\n")
    ';'
    >>> sniff_delimiter("id\\tcomment\\n1\\tok\\n")
    '\\t'
    """
    lines = sample.splitlines()[:_SNIFF_LINES]
    best, best_score = ",", (0.0, 1)
    for delimiter in DELIMITERS:
        widths = [len(cells) for cells in csv.reader(lines, delimiter=delimiter) if cells]
        if not widths or widths[0] < 2:
            continue
        agreement = sum(w == widths[0] for w in widths) / len(widths)
        score = (agreement, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


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
        raise refuse(file_problem("is empty", source=name, code="empty_file"))
    stream.seek(start)
    detected = options.encoding is None
    codec = (
        detect_encoding(sample, source=name)
        if options.encoding is None
        else checked_encoding(options.encoding, source=name)
    )
    delimiter = options.delimiter or sniff_delimiter(sample.decode(codec, errors="replace"))
    decoder = LineDecoder(codec, detected=detected, source=name)
    # strict: a quote left open at the end of the file is an error, not one giant cell.
    reader = csv.reader(decoder.decode(stream), delimiter=delimiter, strict=True)
    header_rows = _header_rows(reader, options.header_rows, name)
    header = build_header(header_rows, options.header_style)
    ticker = ProgressTicker(progress, size)
    rows = _rows(reader, header.names, options.header_rows, decoder, ticker, name)
    return Table.from_header(name, header, rows, resources)


def _header_rows(reader: Iterator[list[str]], count: int, name: str) -> list[list[str]]:
    rows = [row for _, row in zip(range(count), _guarded(reader, name), strict=False)]
    if len(rows) < count or not any(cell.strip() for cell in rows[0]):
        raise no_header(count, name)
    return rows


def _guarded(reader: Iterator[list[str]], name: str) -> Iterator[list[str]]:
    """The reader's rows; a misplaced or unclosed quote refuses the file with its line."""
    line = getattr(reader, "line_num", 0)
    try:
        for cells in reader:
            line = getattr(reader, "line_num", line)
            yield cells
    except csv.Error as exc:
        message = (
            f"cannot be read as CSV after line {line}: {exc} (a quoted cell is not closed, "
            f"text follows a closing quote, or a cell is over {csv.field_size_limit():,} "
            "characters)"
        )
        raise refuse(file_problem(message, source=name, code="format", line=line)) from None


def _rows(
    reader: Iterator[list[str]],
    header: list[str],
    header_count: int,
    decoder: LineDecoder,
    ticker: ProgressTicker,
    name: str,
) -> Iterator[Row]:
    done = 0
    for number, cells in enumerate(_guarded(reader, name), start=header_count + 1):
        if not any(cells):  # a blank line, or nothing but delimiters
            continue
        done += 1
        yield number, _row_values(header, cells)
        ticker.tick(done, decoder.bytes_done)
    ticker.finish(done)


def _row_values(header: Sequence[str], cells: Sequence[str]) -> RowValues:
    values = RowValues(zip(header, (cell or None for cell in cells), strict=False))
    width = len(header)
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        values.defect = ("ragged", f"has {len(cells)} cells but the header has {width} columns")
    elif len(cells) < width:
        values.defect = ("ragged", f"has {len(cells)} cells but the header has {width} columns")
        values.update(dict.fromkeys(header[len(cells) :]))
    return values
