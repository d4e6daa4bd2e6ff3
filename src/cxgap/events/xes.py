"""XES event logs (IEEE 1849), streamed: one row per event, in file order.

The file is read with expat in chunks, no tree built, so memory holds one trace at a time
however large the log (a trace's events wait for its end, so that trace attributes written
after them still reach every event). Each row has the pm4py layout: the event's own
attributes under their keys (``concept:name``, ``time:timestamp``, ``lifecycle:transition``,
``org:resource``…) and the trace's under ``case:`` + key (``case:concept:name``). Nested
attributes (inside a list or another attribute) and the log's globals and classifiers are
not columns. A row's number is the line where its ``<event>`` opens.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO
from xml.parsers import expat

from cxgap.ingest.encoding import file_problem, refuse

CHUNK = 256 * 1024
ATTRIBUTE_TAGS = frozenset({"string", "date", "int", "float", "boolean", "id"})
XesRow = tuple[int, dict[str, str | None]]


class _Handler:
    """Collects the rows of the chunks fed so far."""

    def __init__(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        self.stack: list[str] = []
        self.trace: dict[str, str | None] = {}
        self.events: list[XesRow] = []
        self.event: dict[str, str | None] | None = None
        self.line = 0
        self.done: list[XesRow] = []
        self.seen_log = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = tag.rpartition(":")[2]
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(local)
        if local == "log" and not parent:
            self.seen_log = True
        elif local == "trace" and parent == "log":
            self.trace, self.events = {}, []
        elif local == "event" and parent == "trace":
            self.event, self.line = {}, self.parser.CurrentLineNumber
        elif local in ATTRIBUTE_TAGS and "key" in attrs:
            value = attrs.get("value")
            if parent == "event" and self.event is not None and len(self.stack) == 4:
                self.event[attrs["key"]] = value
            elif parent == "trace" and len(self.stack) == 3:
                self.trace["case:" + attrs["key"]] = value

    def end(self, tag: str) -> None:
        local = self.stack.pop()
        if local == "event" and self.event is not None and self.stack[-1:] == ["trace"]:
            self.events.append((self.line, self.event))
            self.event = None
        elif local == "trace" and self.stack == ["log"]:
            trace = self.trace
            for line, event in self.events:
                self.done.append((line, {**trace, **event}))
            self.events = []


def xes_rows(stream: BinaryIO, name: str) -> Iterator[XesRow]:
    """Every event of the XES ``stream`` as (line, columns), in file order; a file that is
    not well-formed XML, or holds no ``<log>``, is refused naming the line."""
    parser = expat.ParserCreate()
    handler = _Handler(parser)
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.buffer_text = True
    while True:
        chunk = stream.read(CHUNK)
        try:
            parser.Parse(chunk, not chunk)
        except expat.ExpatError as exc:
            message = f"is not a well-formed XES file at line {exc.lineno}: {exc}"
            raise refuse(
                file_problem(message, source=name, reason="xes_syntax", line=exc.lineno)
            ) from None
        if handler.done:
            yield from handler.done
            handler.done = []
        if not chunk:
            break
    if not handler.seen_log:
        raise refuse(file_problem("holds no XES <log> element", source=name, reason="xes_no_log"))
