"""The Listening pages under a search at scale on PostgreSQL: a broad one estimated from a
page sample (``services.search_estimate``) and asked for its exact figures (``exact=1``: with
none stored, the estimate and the state of the ``exact_figures`` job, whose steps
``bench.pg_exact_job`` times), a selective one through the trigram index (docs/scale.md, "A
broad search: estimates from a page sample").

On the base of ``bench.pg_base`` (``BENCH_PG_ROWS``, 10,000,000 by default, read only;
``BENCH_PG_FILTERS_DB`` names another database holding it), through the app, each page
twice, with the load average. ``BENCH_PG_SEARCH_EXACT=0``: not the broad search's pages
with ``exact=1``. ``BENCH_PG_EXPLAIN=1``: ``EXPLAIN (ANALYZE, BUFFERS)`` of every
statement of 50 ms or more of the selective search's pages, into
``bench/out/pg_search_plans.txt``. ``BENCH_PG_FILTERS_CAP``: seconds before a statement is
cancelled (120).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bench.build import OUT
from bench.pg_filters import PAGES, _get, _open
from bench.pg_plans import Statement, chosen_base, explained, selects
from bench.pg_scale import Statements, load, signed_in
from cxgap.services.core import Cxgap

SEARCHES = [
    ("broad search, estimated", {"q": "returns"}),
    ("broad search, exact asked", {"q": "returns", "exact": "1"}),
    ("selective search", {"q": "text 36171"}),
]


def _plans(cx: Cxgap, page: str, seen: list[Statement]) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the page's SELECTs of 50 ms or more."""
    return explained(cx, page, [s for s in selects(seen) if s[0] >= 0.05])


def main() -> None:
    rows, name, cap, refused = chosen_base("BENCH_PG_FILTERS_DB")
    if refused is not None:
        print(f"Listening under a search: {refused}")
        return
    explain = os.environ.get("BENCH_PG_EXPLAIN") == "1"
    exact = os.environ.get("BENCH_PG_SEARCH_EXACT", "1") != "0"
    print(f"Listening pages under a search, {rows:,} items in {name} ({load()})", flush=True)
    plans: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        cx = _open(name, Path(folder), cap)
        client = signed_in(cx)
        recorder = Statements(cx)
        for label, params in SEARCHES:
            if not exact and "exact" in params:
                continue
            query = "&".join(f"{k}={v.replace(' ', '+')}" for k, v in params.items())
            for page, path in PAGES.items():
                recorder.seen.clear()
                first = _get(client, f"{path}?{query}", cap)
                selective = label.startswith("selective")
                if explain and selective:
                    plans += _plans(cx, f"{label}: {page}", list(recorder.seen))
                again = _get(client, f"{path}?{query}", cap)
                print(f"{label:26} {page:9} {first} first, {again} again  ({load()})", flush=True)
        cx.dispose()
    if plans:
        OUT.mkdir(exist_ok=True)
        (OUT / "pg_search_plans.txt").write_text("\n".join(plans), encoding="utf-8")


if __name__ == "__main__":
    main()
