"""What the PostgreSQL page benches share: the base they read (``bench.pg_filters``,
``bench.pg_search``, ``bench.pg_drivers``) and the query plans of the statements a page sent
(``bench.pg_scale``, ``bench.pg_search``): ``EXPLAIN (ANALYZE, BUFFERS)`` of each, run again
with the page's own parameters, in a transaction rolled back.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from bench.pg_base import ROWS, database_name, require_base
from cxgap.services.core import Cxgap

# (seconds, SQL, parameters) of one statement, as bench.pg_scale.Statements records it
Statement = tuple[float, str, Any]


def chosen_base(database_variable: str) -> tuple[int, str, int, str | None]:
    """The base's size (``BENCH_PG_ROWS``), its database (``database_variable`` names another
    one holding it, e.g. a copy), the statements' cap in seconds (``BENCH_PG_FILTERS_CAP``,
    120) and why it cannot be measured (None when it can)."""
    rows = int(os.environ.get("BENCH_PG_ROWS", ROWS))
    name = os.environ.get(database_variable) or database_name(rows)
    cap = int(os.environ.get("BENCH_PG_FILTERS_CAP", "120"))
    return rows, name, cap, require_base(rows, name)


def selects(seen: Iterable[Statement]) -> list[Statement]:
    """The reads among the statements (what EXPLAIN ANALYZE may run again without writing)."""
    return [s for s in seen if s[1].lstrip().upper().startswith(("SELECT", "WITH"))]


def explained(cx: Cxgap, page: str, statements: Iterable[Statement]) -> list[str]:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of each statement (reads: see ``selects``), one text
    each: the page, the time the page took for it, the SQL, its parameters and the plan."""
    out = []
    raw = cx.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for seconds, statement, params in statements:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            out.append(f"== {page} ({seconds:.3f} s)\n{statement}\n{params!r}\n{plan}\n")
        raw.rollback()
    finally:
        raw.close()
    return out
