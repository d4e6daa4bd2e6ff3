"""Time the check of segment rules nobody saved, and how honest its estimate is.

An unsaved rule has no materialised members: the check counts it on the rows within
``rule_check.EXACT_BUDGET_S`` and past it answers with an interval from a random sample of
ids (``services.rule_check``). For each rule: the check as the page runs it (best of 3), the
exact count (``preview_rule(exact=True)``, the rule over every row, once), and whether the
interval held the exact count. The query plans go to ``bench/out/unsaved_plans.txt``.

``python -m bench.unsaved_rules``: the 1,000,000-item SQLite file of ``bench.segments``
(built by it when missing). ``BENCH_UNSAVED_PG=1``: the PostgreSQL base of ``bench.pg_base``
(``BENCH_PG_ROWS``, 10,000,000 by default), read only; it must exist and be stamped.
"""

from __future__ import annotations

import os
import time
import warnings
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from bench.build import OUT, schema_tag
from cxgap.analytics.segment_rules import parse_rule
from cxgap.db.segment_sql import compile_rule
from cxgap.db.tables import Feedback
from cxgap.services import rule_check
from cxgap.services.core import Cxgap
from cxgap.services.segments import preview_rule
from cxgap.services.workspaces import get_workspace

RULES = (
    'nps <= 6 and segment = "busy_family"',
    "birth_year < 1960",
    'generation = "Gen Y" and nps >= 9',
)


def load() -> str:
    return "load " + ", ".join(f"{v:.1f}" for v in os.getloadavg())


def open_database() -> tuple[Cxgap, str]:
    if os.environ.get("BENCH_UNSAVED_PG") == "1":
        from bench.pg_base import ROWS, open_base

        rows = int(os.environ.get("BENCH_PG_ROWS", ROWS))
        return open_base(rows, OUT), f"PostgreSQL, {rows:,} items"
    from bench.segments import ROWS as SQLITE_ROWS
    from bench.segments import _open, database

    rows = int(os.environ.get("BENCH_SEG_ROWS", SQLITE_ROWS))
    path = OUT / f"segments-{rows}-{schema_tag()}.sqlite3"
    if path.exists():
        return _open(f"sqlite:///{path}", OUT), f"SQLite, {rows:,} items"
    return database(rows, None), f"SQLite, {rows:,} items"


def _check(cx: Cxgap, rule: str, *, exact: bool) -> tuple[float, Any]:
    with cx.reading() as session:
        workspace = get_workspace(session, "bench")
        start = time.perf_counter()
        _, counts = preview_rule(session, workspace=workspace, key=None, rule=rule, exact=exact)
        return time.perf_counter() - start, counts


def _plans(cx: Cxgap, rule: str) -> list[str]:
    """The exact count's plan (not run: it is the slow part) and the sample's (run)."""
    with cx.reading() as session:
        workspace_id = get_workspace(session, "bench").id
        condition = compile_rule(parse_rule(rule))
        exact = select(func.count()).where(Feedback.workspace_id == workspace_id, condition)
        ids = list(range(1, 21))  # 20 ids: the plan of each chunk, short enough to read
        sample = select(Feedback.id).where(
            Feedback.id.in_(ids), Feedback.workspace_id == workspace_id, condition
        )
        dialect = session.get_bind().dialect
        lines = [f"== {rule}"]
        for name, query, prefix in (
            ("exact count", exact, "EXPLAIN"),
            ("sample lookups (20 ids)", sample, "EXPLAIN ANALYZE"),
        ):
            if dialect.name == "sqlite":
                prefix = "EXPLAIN QUERY PLAN"
            with warnings.catch_warnings():  # the rule's ``ELSE NULL`` as a literal: harmless
                warnings.simplefilter("ignore")
                compiled = query.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
            found = session.execute(text(f"{prefix} {compiled}")).all()
            lines.append(f"-- {name}")
            lines += [" | ".join(str(cell) for cell in row) for row in found]
        return lines


def main() -> None:
    cx, what = open_database()
    print(f"unsaved rules bench: {what}; exact budget {rule_check.EXACT_BUDGET_S} s, "
          f"{rule_check.SAMPLE_DRAWS:,} ids drawn ({load()})", flush=True)  # fmt: skip
    plans: list[str] = []
    for rule in RULES:
        timings = [_check(cx, rule, exact=False) for _ in range(3)]
        seconds, counts = min(timings, key=lambda pair: pair[0])
        exact_s, exact = _check(cx, rule, exact=True)
        estimate = counts.estimate
        if estimate is None:
            said = f"exact {counts.feedback:,}"
        else:
            held = "held" if estimate.low <= exact.feedback <= estimate.high else "MISSED"
            said = f"about {counts.feedback:,} [{estimate.low:,}, {estimate.high:,}] {held}"
        print(f"{rule:40} check {seconds:6.3f} s ({said}); exact {exact.feedback:,} in "
              f"{exact_s:6.2f} s  ({load()})", flush=True)  # fmt: skip
        plans += _plans(cx, rule)
    OUT.mkdir(exist_ok=True)
    Path(OUT / "unsaved_plans.txt").write_text("\n".join(plans) + "\n", encoding="utf-8")
    cx.dispose()


if __name__ == "__main__":
    main()
