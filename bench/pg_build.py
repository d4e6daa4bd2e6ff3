"""Segment membership and the Listening counts built from the rows of ``bench.pg_base``'s base,
the grouped pass against the per-table statements it replaced, alternated in one run.

On a base whose rows are loaded (``BENCH_PG_ROWS`` items, 2,000,000 by default: stamped
complete, or ``loaded …`` by ``pg_base.load_rows``), each path in ``BENCH_PG_BUILD_PATHS``
(``grouped,per-table,grouped`` by default) empties ``segment_members`` and every count
table, then builds them again in one transaction with the bulk settings of ``pg_base``:

- ``grouped``: ``pg_base.derive``, every segment's members, then every count table at once
  from one work table of the records' keys (``db.listening_count_build``);
- ``per-table``: what ``pg_base`` ran before: each segment's members with their counts per
  segment (the upkeep's SELECTs over the members), then each other table's ``INSERT …
  SELECT`` computing each record's keys (its topic set a sub-select) again.

Each path prints its membership and counts times with the load average, its statements
over ``BENCH_PG_BUILD_SLOW`` seconds (10), and a digest of every count table (rows, their
key and measures, score sums to 1e-6): the paths must give the same. The transaction of the
last path is committed, so the base is left built either way (a base that was only
loaded is then analysed and stamped complete, as ``pg_base`` does). ``BENCH_PG_BUILD_EXPLAIN=1``:
the plans of those statements, with their actual rows and times, go to the server's log
(``auto_explain``, loaded for the bench's own session: no statement runs twice).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from bench.build import schema_tag
from bench.pg_base import (
    BULK_TABLES,
    LOADED,
    _analyze,
    _bulk_settings,
    _set_stamp,
    _stamp,
    database_name,
    derive,
    open_base,
)
from cxgap.db import listening_counts, listening_segments
from cxgap.db.segment_members import rebuild, recount
from cxgap.db.tables import Segment

DEFAULT_ROWS = 2_000_000


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def _per_table(session: Session) -> None:
    """The build before the grouped pass (``pg_base._build`` until 2026-12-04)."""
    for segment in session.scalars(select(Segment)):
        rebuild(session, segment, counts=False)
        listening_segments._move(session, 1, segment.workspace_id, segment.id, None)
    for workspace_id in session.scalars(select(Segment.workspace_id).distinct()):
        recount(session, workspace_id)
    print(f"  membership built ({_load()})", flush=True)
    others = tuple(m for m in listening_counts.TABLES if m not in listening_counts.SEGMENT_TABLES)
    listening_counts._merge(session, 1, None, None, others)


def _clear(session: Session) -> None:
    tables = [listening_counts._table(m).name for m in listening_counts.TABLES]
    session.execute(text(f"TRUNCATE segment_members, {', '.join(tables)}"))


def _digest(session: Session) -> dict[str, tuple[int, str]]:
    """Per count table: its rows and an md5 of them (key and measures, sums rounded)."""
    found = {}
    for model in listening_counts.TABLES:
        table = listening_counts._table(model)
        columns = [
            f"round({c.name}::numeric, 6)" if c.name == "score_sum" else c.name
            for c in table.c
            if c.name != "id"
        ]
        row = session.execute(
            text(
                f"SELECT count(*), md5(string_agg(r, ',' ORDER BY r)) FROM "
                f"(SELECT concat_ws('|', {', '.join(columns)}) AS r FROM {table.name}) AS x"
            )
        ).one()
        found[table.name] = (int(row[0]), str(row[1]))
    return found


def main() -> None:
    rows = int(os.environ.get("BENCH_PG_ROWS", DEFAULT_ROWS))
    paths = os.environ.get("BENCH_PG_BUILD_PATHS", "grouped,per-table,grouped").split(",")
    slow = float(os.environ.get("BENCH_PG_BUILD_SLOW", "10"))
    with tempfile.TemporaryDirectory() as folder:
        cx = open_base(rows, Path(folder))
        comment = cx.engine.connect().execute(
            text("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                 "WHERE datname = current_database()")
        ).scalar()  # fmt: skip
        if not (comment or "").startswith((_stamp(rows, ""), LOADED + _stamp(rows, ""))):
            print(f"pg_build: no loaded base of {rows:,} items (bench.pg_base.load_rows)")
            return
        cx.upgrade()  # a base loaded by an older schema (its stamp names the current one)
        started: dict[int, float] = {}

        @event.listens_for(cx.engine, "before_cursor_execute")
        def _before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            started[id(cursor)] = time.perf_counter()

        @event.listens_for(cx.engine, "after_cursor_execute")
        def _after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            took = time.perf_counter() - started.pop(id(cursor), time.perf_counter())
            if took >= slow:
                line = " ".join(statement.split())[:110]
                print(f"    {took:7.1f} s  {line} ({_load()})", flush=True)

        digests = {}
        for i, path in enumerate(paths):
            print(f"pg_build {rows:,} items, path {path} ({_load()})", flush=True)
            with cx.transaction() as session:
                _bulk_settings(session)
                if os.environ.get("BENCH_PG_BUILD_EXPLAIN") == "1":
                    session.execute(text("LOAD 'auto_explain'"))
                    session.execute(text(f"SET LOCAL auto_explain.log_min_duration = '{slow}s'"))
                    session.execute(text("SET LOCAL auto_explain.log_analyze = on"))
                    session.execute(text("SET LOCAL auto_explain.log_buffers = on"))
                _clear(session)
                begun = time.perf_counter()
                (derive if path == "grouped" else _per_table)(session)
                took = time.perf_counter() - begun
                digests[path] = _digest(session)
                n = sum(rows for rows, _ in digests[path].values())
                print(f"  {path}: {took:,.0f} s, {n:,} count rows ({_load()})", flush=True)
                if i < len(paths) - 1:
                    session.rollback()
        if len(digests) > 1:
            same = len({tuple(sorted(d.items())) for d in digests.values()}) == 1
            print(f"pg_build: the paths' counts are {'the same' if same else 'DIFFERENT'}")
            if not same:
                for name in digests[paths[0]]:
                    print(f"  {name}: " + ", ".join(f"{p} {digests[p][name]}" for p in digests))
        if (comment or "").startswith(LOADED):  # now whole: analysed and stamped as pg_base does
            tables = [listening_counts._table(m).name for m in listening_counts.TABLES]
            _analyze(cx, (*BULK_TABLES, *tables))
            _set_stamp(database_name(rows), _stamp(rows, schema_tag()))
            print(f"pg_build: base stamped complete ({_load()})")
        cx.dispose()


if __name__ == "__main__":
    main()
