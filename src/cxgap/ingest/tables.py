"""A file seen as a header and a stream of rows, whatever its format.

Rows are numbered as a person counts them in the file: header rows included, so the first
data row of a CSV with one header row is row 2 (a spreadsheet's row number). In a JSON array
the number is the object's position (1 for the first); in JSON Lines it is the line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import BinaryIO

from cxgap.errors import ValidationError
from cxgap.ingest.encoding import file_problem, refuse
from cxgap.ingest.headers import HEADER_STYLES, Header

FORMATS = ("csv", "xlsx", "json", "jsonl")
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
PROGRESS_EVERY = 1_000

# (rows_done, bytes_done, bytes_total): called every PROGRESS_EVERY rows and at the end.
Progress = Callable[[int, int, int], None]
Source = str | os.PathLike[str] | BinaryIO


class RowValues(dict[str, str | None]):
    """One row's cells by column name (an empty cell is None).

    ``defect`` is set, as ``(code, message)``, when the row cannot be read as a whole: more or
    fewer cells than the header, a JSON line that does not parse, an item that is no object.
    ``defect_params`` holds its message key (``reason``) and figures, for front ends that say
    it in the reader's language.
    """

    defect: tuple[str, str] | None = None
    defect_params: Mapping[str, object] = MappingProxyType({})

    def mark(self, code: str, message: str, **params: object) -> None:
        """Mark the row as unreadable as a whole (``params``: ``reason`` and its figures)."""
        self.defect = (code, message)
        self.defect_params = params


Row = tuple[int, RowValues]


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file; every option left as None is detected."""

    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_rows: int = 1
    header_style: str = "plain"
    # For a JSON object holding the records: the key of their list (default: the first list).
    records_key: str | None = None

    def __post_init__(self) -> None:
        if self.header_style not in HEADER_STYLES:
            raise ValueError(f"unknown header style {self.header_style!r}")


@dataclass
class Table:
    """A readable file: its header and its rows, to be iterated once inside ``with``."""

    name: str
    header: list[str]
    rows: Iterator[Row]
    tags: dict[str, str] = field(default_factory=dict)
    timezone: str | None = None
    # False for JSON, whose objects may carry keys the first one lacks.
    header_complete: bool = True
    # Column → the question it asks, where the header says it apart from the name.
    labels: dict[str, str] = field(default_factory=dict)
    resources: ExitStack = field(default_factory=ExitStack)
    # True where the text cannot hold a lone surrogate (\ud800-\udfff): decoded strictly
    # by a codec that never gives one (``encoding.surrogate_free``). JSON's "\ud800" can.
    surrogate_free: bool = False

    @classmethod
    def from_header(
        cls, name: str, header: Header, rows: Iterator[Row], resources: ExitStack
    ) -> Table:
        """A table whose columns, tags, time zone and labels come from its header rows."""
        return cls(
            name,
            header.names,
            rows,
            header.tags,
            header.timezone,
            labels=header.labels,
            resources=resources,
        )

    def __enter__(self) -> Table:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __iter__(self) -> Iterator[Row]:
        return self.rows

    def close(self) -> None:
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()
        self.resources.close()


def no_header(count: int, name: str) -> ValidationError:
    """The refusal of a file whose first ``count`` rows do not name its columns."""
    message = f"has no header: the first {count} row(s) must name the columns"
    return refuse(
        file_problem(message, source=name, code="no_header", reason="no_header", count=count)
    )


class ProgressTicker:
    """Calls the progress callback now and then, and once at the end."""

    def __init__(self, callback: Progress | None, bytes_total: int) -> None:
        self.callback = callback
        self.bytes_total = bytes_total

    def tick(self, rows: int, bytes_done: int) -> None:
        if self.callback is not None and rows % PROGRESS_EVERY == 0:
            self.callback(rows, min(bytes_done, self.bytes_total), self.bytes_total)

    def finish(self, rows: int) -> None:
        if self.callback is not None:
            self.callback(rows, self.bytes_total, self.bytes_total)


def source_name(source: Source, name: str | None) -> str:
    if name:
        return name
    if isinstance(source, (str, os.PathLike)):
        return Path(source).name
    return str(getattr(source, "name", "upload"))


def format_of(name: str, options: ReadOptions) -> str:
    """The file format: as given, else from the extension."""
    if options.format is not None:
        if options.format not in FORMATS:
            problem = file_problem(
                f"format must be one of {', '.join(FORMATS)}",
                source=name,
                value=options.format,
                code="choice",
                reason="format_choice",
                allowed=", ".join(FORMATS),
            )
            raise refuse(problem)
        return options.format
    suffix = Path(name).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    hint = f"give its format ({', '.join(FORMATS)})"
    reason = "bad_extension"
    if suffix == ".xls":
        hint, reason = "save it as .xlsx or CSV", "xls_file"
    message = f"cannot tell the file format from its name; {hint}"
    raise refuse(file_problem(message, source=name, value=suffix, reason=reason))


def open_binary(source: Source, resources: ExitStack) -> tuple[BinaryIO, int]:
    """A binary stream on the source and its size in bytes; files we open we also close."""
    if isinstance(source, (str, os.PathLike)):
        stream: BinaryIO = resources.enter_context(open(source, "rb"))  # noqa: SIM115
        return stream, os.fstat(stream.fileno()).st_size
    start = source.tell()
    size = source.seek(0, os.SEEK_END) - start
    source.seek(start)
    return source, size


def open_table(
    source: Source,
    options: ReadOptions | None = None,
    *,
    name: str | None = None,
    progress: Progress | None = None,
) -> Table:
    """Open a CSV, XLSX, JSON or JSON Lines file (a path or a seekable binary stream) and
    read its header; refuses an unreadable, empty or headerless file with a ValidationError.

    Use it as a context manager so that the file is closed however the iteration ends.
    """
    # Imported here: each reader imports this module for RowValues and Table.
    from cxgap.ingest.delimited import read_csv
    from cxgap.ingest.jsonrows import read_json, read_jsonl
    from cxgap.ingest.spreadsheet import read_xlsx

    options = options or ReadOptions()
    label = source_name(source, name)
    readers = {"csv": read_csv, "xlsx": read_xlsx, "json": read_json, "jsonl": read_jsonl}
    reader = readers[format_of(label, options)]
    resources = ExitStack()
    try:
        return reader(source, options, label, progress, resources)
    except BaseException:
        resources.close()
        raise
