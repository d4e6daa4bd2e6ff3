"""JSON files (an array of objects, or an object holding one) and JSON Lines, streamed.

A JSON array is read item by item with the standard library's ``raw_decode`` over a sliding
buffer, so a file of millions of objects never sits in memory as a whole. Nested objects are
flattened into dotted column names (``{"via": {"channel": "web"}}`` gives ``via.channel``).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import ExitStack
from itertools import chain
from typing import BinaryIO

from cxgap.ingest.encoding import checked_encoding, file_problem, refuse
from cxgap.ingest.tables import (
    Progress,
    ProgressTicker,
    ReadOptions,
    Row,
    RowValues,
    Source,
    Table,
    open_binary,
)

_CHUNK = 64 * 1024
_MAX_ITEM_CHARS = 16 * 1024 * 1024
_WHITESPACE = " \t\n\r"
_MAX_PEEK = 1_000
MAX_DEPTH = 64
"""How deeply a record may nest objects and lists. Feedback records nest two or three
levels; the standard library's decoder recurses once per level and fails with a
RecursionError near 1,000, so a deeper value is refused by name instead."""


class _CountingReader(io.RawIOBase):
    """A read-only view of a binary stream that counts the bytes read through it."""

    def __init__(self, inner: BinaryIO) -> None:
        self.inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


def cell_text(value: object) -> str | None:
    """A JSON value as cell text: numbers as written, booleans as true/false, a list of
    plain values joined by "; " (tags), anything deeper as JSON.

    >>> cell_text(9.0), cell_text(True), cell_text(["returns", "exchange"]), cell_text([{}])
    ('9', 'true', 'returns; exchange', '[{}]')
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list) and not any(isinstance(v, (list, dict)) for v in value):
        return "; ".join(t for t in map(cell_text, value) if t is not None)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def flatten(item: dict[str, object], prefix: str = "") -> RowValues:
    values = RowValues()
    for key, value in item.items():
        column = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            values.update(flatten(value, f"{column}."))
        else:
            values[column] = cell_text(value)
    return values


def depth_of(value: object) -> int:
    """How many objects and lists are nested in ``value`` (0 for a plain value), counted
    without recursion.

    >>> depth_of(1), depth_of({"a": [1, {"b": []}]})
    (0, 4)
    """
    deepest, level = 0, [(value, 1)]
    while level:
        item, depth = level.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            level.extend((child, depth + 1) for child in children)
    return deepest


def _too_deep(value: object) -> bool:
    return depth_of(value) > MAX_DEPTH


def _deep_line(values: RowValues) -> RowValues:
    message = f"nests objects or lists more than {MAX_DEPTH} levels deep"
    values.mark("malformed", message, reason="json_too_deep_line", limit=MAX_DEPTH)
    return values


def _row_of(item: object) -> RowValues:
    if isinstance(item, dict):
        return flatten(item)
    values = RowValues()
    values.mark("not_object", "is not a JSON object", reason="not_object")
    return values


def _text_stream(
    source: Source, options: ReadOptions, name: str, resources: ExitStack
) -> tuple[io.TextIOWrapper, _CountingReader, int]:
    stream, size = open_binary(source, resources)
    counter = _CountingReader(stream)
    codec = checked_encoding(options.encoding or "utf-8", source=name)
    text = io.TextIOWrapper(io.BufferedReader(counter), encoding=codec)
    resources.callback(text.detach)  # leave a caller's stream open
    return text, counter, size


def _decode_guard(name: str, counter: _CountingReader, exc: UnicodeDecodeError) -> Exception:
    message = f"is not valid UTF-8 text near byte {counter.count}; JSON files must be UTF-8"
    problem = file_problem(
        message, source=name, code="encoding", reason="json_not_utf8", byte=counter.count
    )
    return refuse(problem)


def _with_header(rows: Iterator[Row], name: str, resources: ExitStack) -> Table:
    """Peek at the first sound row to name the columns, then put it back."""
    peeked: list[Row] = []
    for row in rows:
        peeked.append(row)
        if row[1].defect is None or len(peeked) >= _MAX_PEEK:
            break
    header = list(peeked[-1][1]) if peeked and peeked[-1][1].defect is None else []
    return Table(name, header, chain(peeked, rows), header_complete=False, resources=resources)


def read_jsonl(
    source: Source, options: ReadOptions, name: str, progress: Progress | None, resources: ExitStack
) -> Table:
    text, counter, size = _text_stream(source, options, name, resources)
    ticker = ProgressTicker(progress, size)
    return _with_header(_jsonl_rows(text, counter, ticker, name), name, resources)


def _jsonl_rows(
    text: io.TextIOWrapper, counter: _CountingReader, ticker: ProgressTicker, name: str
) -> Iterator[Row]:
    done = 0
    try:
        for number, line in enumerate(text, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                values = _deep_line(RowValues()) if _too_deep(item) else _row_of(item)
            except RecursionError:
                values = _deep_line(RowValues())
            except json.JSONDecodeError as exc:
                values = RowValues()
                message = f"is not valid JSON: {exc.msg} (character {exc.pos + 1})"
                params = {"detail": exc.msg, "position": exc.pos + 1}
                values.mark("malformed", message, reason="json_line", **params)
            done += 1
            yield number, values
            ticker.tick(done, counter.count)
    except UnicodeDecodeError as exc:
        raise _decode_guard(name, counter, exc) from None
    ticker.finish(done)


def read_json(
    source: Source, options: ReadOptions, name: str, progress: Progress | None, resources: ExitStack
) -> Table:
    text, counter, size = _text_stream(source, options, name, resources)
    ticker = ProgressTicker(progress, size)
    try:
        cursor = _Cursor(text, name)
        cursor.enter_records(options.records_key)
    except UnicodeDecodeError as exc:
        raise _decode_guard(name, counter, exc) from None
    return _with_header(_json_rows(cursor, counter, ticker, name), name, resources)


def _json_rows(
    cursor: _Cursor, counter: _CountingReader, ticker: ProgressTicker, name: str
) -> Iterator[Row]:
    done = 0
    try:
        for item in cursor.items():
            done += 1
            yield done, _row_of(item)
            ticker.tick(done, counter.count)
    except UnicodeDecodeError as exc:
        raise _decode_guard(name, counter, exc) from None
    ticker.finish(done)


class _Cursor:
    """A position in a JSON text read in chunks."""

    def __init__(self, stream: io.TextIOWrapper, name: str) -> None:
        self.stream = stream
        self.name = name
        self.buffer = ""
        self.pos = 0
        self.consumed = 0  # characters dropped from the front of the buffer
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _fill(self) -> bool:
        if self.eof:
            return False
        if self.pos > _CHUNK:
            self.consumed += self.pos
            self.buffer, self.pos = self.buffer[self.pos :], 0
        chunk = self.stream.read(max(_CHUNK, len(self.buffer)))
        self.eof = not chunk
        self.buffer += chunk
        return bool(chunk)

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of the text)."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buffer) or not self._fill():
                return self.buffer[self.pos : self.pos + 1]

    def expect(self, allowed: str, what: str) -> str:
        char = self.peek()
        if not char or char not in allowed:
            raise self.error(f"expected {what}")
        self.pos += 1
        return char

    def value(self) -> object:
        """The next complete JSON value; reads more text while the value may be cut short."""
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as exc:
                if self._grow():
                    continue
                raise self.error(exc.msg) from None
            except RecursionError:
                raise self.too_deep() from None
            if end < len(self.buffer) or self.eof or not self._grow():
                if _too_deep(value):
                    raise self.too_deep()
                self.pos = end
                return value

    def _grow(self) -> bool:
        if len(self.buffer) - self.pos > _MAX_ITEM_CHARS:
            raise self.error(f"an item is longer than {_MAX_ITEM_CHARS:,} characters")
        return self._fill()

    def error(self, message: str) -> Exception:
        offset = self.consumed + self.pos
        text = f"is not valid JSON at character {offset:,}: {message}"
        problem = file_problem(
            text,
            source=self.name,
            code="format",
            reason="json_invalid",
            offset=offset,
            position=f"{offset:,}",
            detail=message,
        )
        return refuse(problem)

    def too_deep(self) -> Exception:
        offset = self.consumed + self.pos
        text = (
            f"nests objects or lists more than {MAX_DEPTH} levels deep (from character {offset:,})"
        )
        problem = file_problem(
            text,
            source=self.name,
            code="format",
            reason="json_too_deep",
            limit=MAX_DEPTH,
            position=f"{offset:,}",
        )
        return refuse(problem)

    def enter_records(self, key: str | None) -> None:
        """Move to just inside the array of records."""
        opening = self.peek()
        if opening == "{":
            self.pos += 1
            self._find_key(key)
        elif opening != "[":
            message = "must hold an array of objects, or an object with such an array"
            raise refuse(
                file_problem(message, source=self.name, code="format", reason="json_not_array")
            )
        self.pos += 1

    def _find_key(self, key: str | None) -> None:
        while self.peek() != "}":
            name = self.value()
            self.expect(":", "':' after a key")
            if self.peek() == "[" and (key is None or name == key):
                return
            self.value()
            if self.expect(",}", "',' or '}'") == "}":
                break
        if key:
            message, reason = f"has no list under the key {key!r}", "json_no_list_key"
        else:
            message, reason = "has no list of records", "json_no_list"
        problem = file_problem(message, source=self.name, code="format", reason=reason, key=key)
        raise refuse(problem)

    def items(self) -> Iterator[object]:
        if self.peek() == "]":
            return
        while True:
            yield self.value()
            if self.expect(",]", "',' or ']'") == "]":
                return
