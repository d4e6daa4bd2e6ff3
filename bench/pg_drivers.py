"""The Listening drivers page under each single filter on PostgreSQL, through the app, with
the rows path as the baseline in the same run (docs/performance.md, "The drivers page").

On the base of ``bench.pg_base`` (``BENCH_PG_ROWS`` items, 10,000,000 by default; skipped
when absent or not stamped: ``bench.pg_scale`` builds it), migrated forward and its counts
made when missing. ``BENCH_PG_DRIVERS_DB`` names another database holding such a base (a
copy, or a base of its own for a helper's measures). For each filter the page is fetched
once through the rows (``bench.pg_filters.rows_only``: every count check answering no),
then twice from the counts; each line gives the wall seconds, the CPU seconds of this
process (the app's Python: the bootstrap, the HTML) for the counts' first fetch, and the
load average. ``BENCH_PG_DRIVERS_BASELINE=0``: no rows path, ``=prior``: the counts as before
migration 0049 instead (``bench.pg_filters.prior_counts``); ``BENCH_PG_DRIVERS_ONLY``: the
labels to time, comma-separated; ``BENCH_PG_FILTERS_CAP`` (seconds, 120) cancels a statement
that runs longer.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.pg_filters import _get, _prepared, prior_counts, rows_only
from bench.pg_plans import chosen_base
from bench.pg_scale import load, signed_in

PAGE = "/w/bench/listening/drivers"
FILTERS: list[tuple[str, dict[str, str]]] = [
    ("none", {}),
    ("pillars", {"level": "pillar"}),
    ("source", {"source": "survey"}),
    ("channel", {"channel": "web"}),
    ("language", {"language": "fr"}),
    ("sentiment", {"sentiment": "negative"}),
    ("topic", {"topic": "topic5"}),
    ("touchpoint", {"touchpoint": "tp2"}),
    ("segment", {"segment": "pro_buyer"}),
]


def _timed(client: Any, url: str, cap: int) -> tuple[str, float]:
    started = time.process_time()
    took = _get(client, url, cap)
    return took, time.process_time() - started


def main() -> None:
    rows, name, cap, refused = chosen_base("BENCH_PG_DRIVERS_DB")
    if refused is not None:
        print(f"Listening drivers under filters: {refused}")
        return
    print(f"Listening drivers page, {rows:,} items in {name} ({load()})", flush=True)
    only = [v for v in os.environ.get("BENCH_PG_DRIVERS_ONLY", "").split(",") if v]
    with tempfile.TemporaryDirectory() as folder:
        cx = _prepared(name, Path(folder), cap)
        client = signed_in(cx)
        _get(client, PAGE, cap)  # the app's first request (templates, caches) timed by none
        for label, params in FILTERS:
            if only and label not in only:
                continue
            url = f"{PAGE}?{urlencode(params)}" if params else PAGE
            before = ""
            chosen = os.environ.get("BENCH_PG_DRIVERS_BASELINE", "rows")
            if chosen != "0":
                with prior_counts() if chosen == "prior" else rows_only():
                    took, cpu = _timed(client, url, cap)
                path = "prior" if chosen == "prior" else "rows path"
                before = f"   {path} {took} ({cpu:4.2f} CPU s)"
            first, cpu = _timed(client, url, cap)
            again = _get(client, url, cap)
            print(f"{label:11} counts {first} first ({cpu:4.2f} CPU s) {again} again{before}"
                  f"  ({load()})", flush=True)  # fmt: skip
        cx.dispose()


if __name__ == "__main__":
    main()
