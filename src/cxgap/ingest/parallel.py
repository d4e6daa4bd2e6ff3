"""Rows mapped to responses by several processes, handed back in the file's order.

Why: reading and mapping the rows (dates, scores, choices, pseudonyms, the record's checks)
was most of a large import's time, and it ran on one core. Mapping one row needs nothing but
the row and the resolved mapping, so the parent reads the file (CSV parsing cannot be split
safely: a quoted cell may hold line breaks) and sends the rows it read, in chunks, to a pool
of processes that map them; it takes their responses back in the order it sent them, so
the row numbers, the duplicate check and the report are exactly those of one process.
Memory stays bounded: at most ``2 × jobs`` chunks are in flight.

A file of fewer rows than one chunk is mapped in the parent: starting processes (each
imports the mapping code) costs more than it saves.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from itertools import islice
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext

from cxgap.ingest.mapping import Cells, Response, map_response
from cxgap.ingest.resolve import ResolvedMapping
from cxgap.ingest.rowmapper import RowMapper
from cxgap.ingest.tables import Row

CHUNK_ROWS = 2_000
# Chunks in flight per process: enough to keep each busy while the parent reads the next.
_AHEAD = 2

Mapped = tuple[int, Response]
MapRow = Callable[[int, Cells], Response]


def general_mapper(mapping: ResolvedMapping) -> MapRow:
    """``map_response`` row by row, as before :class:`RowMapper`: the benchmark's baseline."""
    return partial(map_response, mapping)


# How a file's rows are mapped; ``bench/import_speed.py`` sets ``general_mapper`` to time
# the path it replaced, in the same run.
row_mapper: Callable[[ResolvedMapping], MapRow] = RowMapper
_map_row: MapRow | None = None  # a worker's own, made once when it starts


def worker_count(jobs: int) -> int:
    """``jobs`` processes; 0 means one per CPU."""
    return jobs if jobs > 0 else os.cpu_count() or 1


def mapped_rows(
    mapping: ResolvedMapping, rows: Iterable[Row], *, jobs: int = 1, chunk: int | None = None
) -> Iterator[Mapped]:
    """(row number, response) of every row, in the file's order; mapped by ``jobs``
    processes (0: one per CPU) once the file holds more than one chunk of rows."""
    chunk = chunk or CHUNK_ROWS
    iterator = iter(rows)
    first = list(islice(iterator, chunk))
    workers = worker_count(jobs)
    if workers <= 1 or len(first) < chunk:
        map_row = row_mapper(mapping)
        yield from _serial(map_row, first)
        yield from _serial(map_row, iterator)
        return
    yield from _pooled(mapping, _chunks(first, iterator, chunk), workers)


def _serial(map_row: MapRow, rows: Iterable[Row]) -> Iterator[Mapped]:
    for number, cells in rows:
        yield number, map_row(number, cells)


def _chunks(first: list[Row], rest: Iterator[Row], size: int) -> Iterator[list[Row]]:
    yield first
    while chunk := list(islice(rest, size)):
        yield chunk


def _pooled(
    mapping: ResolvedMapping, chunks: Iterator[list[Row]], workers: int
) -> Iterator[Mapped]:
    pool = ProcessPoolExecutor(
        workers, mp_context=_context(), initializer=_start, initargs=(mapping, row_mapper)
    )
    pending: deque[Future[list[Mapped]]] = deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(_map_chunk, chunk))
            if len(pending) >= workers * _AHEAD:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:  # an import stopped midway (refused, interrupted) leaves no work behind
        pool.shutdown(wait=True, cancel_futures=True)


def _context() -> BaseContext:
    """Forked workers where the system has fork: they start in milliseconds with the mapping
    code loaded, and the caller's script is not run again (a spawned worker re-runs a script
    that imports without an ``if __name__ == "__main__"`` guard). A worker touches nothing it
    inherits but the mapping code: no database connection, no lock, no log."""
    return get_context("fork" if "fork" in get_all_start_methods() else "spawn")


def _start(mapping: ResolvedMapping, make: Callable[[ResolvedMapping], MapRow]) -> None:
    global _map_row
    _map_row = make(mapping)


def _map_chunk(rows: list[Row]) -> list[Mapped]:
    map_row = _map_row
    if map_row is None:  # pragma: no cover - _start always runs first
        raise RuntimeError("the mapping process was started without its mapping")
    return [(number, map_row(number, cells)) for number, cells in rows]
