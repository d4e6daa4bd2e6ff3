"""The ``exact_figures`` job's steps on the PostgreSQL base, read only (docs/scale.md, "A
broad search: estimates from a page sample").

For the broad search ``returns`` (a fifth of the texts) on the base of ``bench.pg_base``
(``BENCH_PG_ROWS``, 10,000,000 by default; ``BENCH_PG_FILTERS_DB`` names another database
holding it), in one ``READ ONLY`` transaction (nothing written: not the job's row, not the
results cache): each of the job's four steps as the job runs it (``listening_exact.compute``,
the page's figures with every match read), the size of what it would store and the time to
read it back (``view_codec``); then what a page with stored figures reads in the request:
the stamp that says they are current and, for the explorer, its list of verbatims (the
newest of the estimate's page sample), beside the newest of every match, which it does not
read (a read of every match of a broad search).
With the load average. ``BENCH_PG_FILTERS_CAP``: seconds before a statement is cancelled
(300).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select, text

from bench.pg_base import ROWS, database_name, require_base
from bench.pg_filters import _open
from bench.pg_scale import load
from cxgap.db.tables import Workspace
from cxgap.services import listening_exact
from cxgap.services.listening import explore, parse_filters
from cxgap.services.view_codec import decode, encode

SEARCH = "returns"
KEY = "bench"


def main() -> None:
    rows = int(os.environ.get("BENCH_PG_ROWS", ROWS))
    name = os.environ.get("BENCH_PG_FILTERS_DB") or database_name(rows)
    cap = int(os.environ.get("BENCH_PG_FILTERS_CAP", "300"))
    refused = require_base(rows, name)
    if refused is not None:
        print(f"The exact figures' job: {refused}")
        return
    print(f"The exact figures' job, q={SEARCH}, {rows:,} items in {name} ({load()})", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        cx = _open(name, Path(folder), cap)
        size = cx.settings.min_group_size
        with cx.sessions() as session, session.begin():
            session.execute(text("SET TRANSACTION READ ONLY"))
            workspace = session.scalars(select(Workspace).where(Workspace.key == KEY)).one()
            filters = listening_exact.exact_filters(
                session, workspace, parse_filters({"q": SEARCH})
            )
            steps = 0.0
            first = listening_exact.Target("explorer", min_group_size=size)
            for target in listening_exact.targets_for(first):
                start = time.perf_counter()
                view = listening_exact.compute(session, workspace, target, filters)
                took = time.perf_counter() - start
                steps += took
                stored = json.dumps(encode(view))
                start = time.perf_counter()
                assert decode(type(view), json.loads(stored)) == view
                back = time.perf_counter() - start
                print(
                    f"  step {target.name:22} {took:7.2f} s, stores {len(stored) / 1024:6.1f} KiB,"
                    f" read back in {back * 1000:5.1f} ms  ({load()})",
                    flush=True,
                )
            print(f"  the job's four steps {steps:7.2f} s", flush=True)
            start = time.perf_counter()
            listening_exact.stamp(session, workspace)
            stamped = time.perf_counter() - start
            start = time.perf_counter()
            explore(session, workspace, replace(filters, exact=False), with_facets=False)
            listed = time.perf_counter() - start
            start = time.perf_counter()
            explore(session, workspace, filters, with_facets=False)
            newest = time.perf_counter() - start
            print(
                f"  a page with stored figures: the stamp {stamped * 1000:.0f} ms, the explorer's"
                f" list from the sample {listed:.2f} s (the newest of every match, not read:"
                f" {newest:.2f} s)  ({load()})",
                flush=True,
            )
        cx.dispose()


if __name__ == "__main__":
    main()
