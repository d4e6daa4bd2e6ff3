"""Event files opened as rows of named cells, whatever their format.

XLSX, JSON and JSON Lines go through the feedback import's readers
(``cxgap.ingest.tables.open_table``); CSV (and TSV) through ``cxgap.events.csvrows``, the
same detection, dialect and refusals with less work per row; XES through
``cxgap.events.xes``. A gzipped file (``.gz``) is decompressed on the fly: CSV and XES
stream straight from the decompressor, the other formats from a temporary copy (their
readers seek). The first rows are read ahead (``sample``) to
find the columns and the date format; ``rows`` then gives every row, those included.
"""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import IO, BinaryIO

from cxgap.events.csvrows import read_csv_rows
from cxgap.ingest.encoding import file_problem, refuse
from cxgap.ingest.tables import ReadOptions, Source, open_table, source_name

FORMATS = ("csv", "xlsx", "json", "jsonl", "xes")
SAMPLE_ROWS = 2_000
_GZIP_MAGIC = b"\x1f\x8b"
# Rows as (number in the file, column -> cell); a row of the feedback readers that cannot be
# read whole carries its ``defect`` (``cxgap.ingest.tables.RowValues``).
EventRow = tuple[int, dict[str, str | None]]


@dataclass
class EventTable:
    """An opened event file: its name, format, columns seen in the sample, the sample, and
    every row (to be read once, inside ``with``)."""

    name: str
    format: str
    header: list[str]
    sample: list[EventRow]
    rows: Iterator[EventRow]
    resources: ExitStack = field(default_factory=ExitStack)

    def __enter__(self) -> EventTable:
        return self

    def __exit__(self, *exc: object) -> None:
        self.resources.close()


def inner_name(name: str) -> str:
    """The file's name without ``.gz``: what tells its format."""
    return name[:-3] if name.lower().endswith(".gz") else name


def event_format(name: str, given: str | None = None) -> str:
    """``csv``, ``xlsx``, ``json``, ``jsonl`` or ``xes``: as given, else from the name."""
    if given is not None:
        if given not in FORMATS:
            raise refuse(
                file_problem(
                    f"format must be one of {', '.join(FORMATS)}",
                    source=name,
                    value=given,
                    code="choice",
                    reason="format_choice",
                    allowed=", ".join(FORMATS),
                )
            )
        return given
    suffix = Path(inner_name(name)).suffix.lower()
    known = {".xes": "xes", ".xlsx": "xlsx", ".json": "json", ".jsonl": "jsonl"}
    known |= {".ndjson": "jsonl", ".csv": "csv", ".tsv": "csv", ".txt": "csv"}
    if suffix not in known:
        raise refuse(
            file_problem(
                f"cannot tell the file format from its name; give its format "
                f"({', '.join(FORMATS)})",
                source=name,
                value=suffix,
                reason="event_extension",
            )
        )
    return known[suffix]


def open_events(
    source: Source, *, name: str | None = None, read: ReadOptions | None = None
) -> EventTable:
    """Open an event file (a path or a binary stream); refuses an unreadable one."""
    label = source_name(source, name)
    options = read or ReadOptions()
    kind = event_format(label, options.format if options.format != "xes" else "xes")
    resources = ExitStack()
    try:
        stream = _binary(source, resources)
        if _gzipped(stream):
            stream = _gunzip(stream, resources, spool=kind not in {"xes", "csv"})
        if kind == "xes":
            from cxgap.events.xes import xes_rows

            rows: Iterator[EventRow] = xes_rows(stream, label)
        elif kind == "csv":
            header, rows = read_csv_rows(stream, options, label, resources)
        else:
            table = resources.enter_context(
                open_table(stream, _options(options, kind), name=inner_name(label))
            )
            rows = iter(table.rows)
        sample = list(islice(rows, SAMPLE_ROWS))
        if kind == "xes":
            header = _header(sample)
        elif kind != "csv":
            header = list(table.header)
        return EventTable(label, kind, header, sample, chain(sample, rows), resources)
    except BaseException:
        resources.close()
        raise


def _options(options: ReadOptions, kind: str) -> ReadOptions:
    from dataclasses import replace

    return replace(options, format=kind)


def _header(sample: list[EventRow]) -> list[str]:
    seen: dict[str, None] = {}
    for _, values in sample:
        seen.update(dict.fromkeys(values))
    return list(seen)


def _binary(source: Source, resources: ExitStack) -> BinaryIO:
    if isinstance(source, (str, os.PathLike)):
        return resources.enter_context(open(source, "rb"))
    return source


def _gzipped(stream: BinaryIO) -> bool:
    start = stream.tell()
    head = stream.read(2)
    stream.seek(start)
    return head == _GZIP_MAGIC


def _gunzip(stream: BinaryIO, resources: ExitStack, *, spool: bool) -> BinaryIO:
    inner = resources.enter_context(gzip.GzipFile(fileobj=stream, mode="rb"))
    if not spool:
        return inner  # type: ignore[return-value]
    copy: IO[bytes] = resources.enter_context(tempfile.TemporaryFile())  # noqa: SIM115
    try:
        shutil.copyfileobj(inner, copy, 1024 * 1024)
    except (OSError, EOFError) as exc:
        raise refuse(
            file_problem(f"is not a readable gzip file: {exc}", source=None, reason="bad_gzip")
        ) from None
    copy.seek(0)
    return copy  # type: ignore[return-value]
