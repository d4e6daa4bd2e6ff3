"""The Listening pages under each single filter at 10 M on PostgreSQL, through the app, with
the rows path as the baseline in the same run (docs/performance.md, "Listening under filters").

On the base of ``bench.pg_base`` (``BENCH_PG_ROWS``, 10,000,000 by default; skipped when
absent or not stamped as complete: ``bench.pg_scale`` builds it), migrated forward and its
counts brought up to date first. ``BENCH_PG_FILTERS_DB`` names another database holding the
same base (a copy, taken as it is: CREATE DATABASE copies no stamp).
Each page (explorer, topics, trends by month, drivers by topic) is fetched twice under each
filter; where part of it can come from the counts, the rows path (``listening_cube.serves``
answering no) is timed once before, in the same run. ``BENCH_PG_FILTERS_CAP`` (seconds, 120
by default) cancels a statement that runs longer (``statement_timeout``): the page is then
reported as over the cap. ``BENCH_PG_FILTERS_ONLY``: the labels of the filters to time,
comma-separated; ``BENCH_PG_FILTERS_COMBOS=1``: also two filters at once (``COMBINATIONS``);
``BENCH_PG_FILTERS_BASELINE=0``: no rows path; ``=prior``: instead of the rows, the counts
as they were read before migrations 0048-0049 and 0051-0053 (edge days from the rows, a
segment and a touchpoint together from the rows, the drivers under one dimension from the
topic-set counts, one score-table read per score reader: ``prior_counts``). Every line gives
the load average.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from bench.pg_base import ROWS, base_url
from bench.pg_plans import chosen_base
from bench.pg_scale import load, signed_in
from cxgap.config import Settings
from cxgap.db import (
    listening_counts,
    listening_cube,
    listening_dimensions,
    listening_reads,
    listening_segments,
    listening_sets,
    listening_touchpoints,
)
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace

PAGES = {
    "explorer": "/w/bench/listening",
    "topics": "/w/bench/listening/topics",
    "trends": "/w/bench/listening/trends",
    "drivers": "/w/bench/listening/drivers",
}
# One filter at a time. "counts": part of a page can now come from the counts, so the rows
# path is timed as the baseline; the others (the search) read the rows either way.
FILTERS: list[tuple[str, dict[str, str], bool]] = [
    ("none", {}, True),
    ("dates inside months", {"from": "2025-03-15", "to": "2025-09-10"}, True),
    ("trends by week", {"grain": "week"}, True),
    ("source", {"source": "survey"}, True),
    ("topic", {"topic": "topic5"}, True),
    ("pillar", {"pillar": "pillar3"}, True),
    ("topic + dates inside", {"topic": "topic5", "from": "2025-03-15", "to": "2025-09-10"}, True),
    ("language", {"language": "fr"}, True),
    ("touchpoint", {"touchpoint": "tp2"}, True),
    ("segment", {"segment": "pro_buyer"}, True),
    ("search", {"q": "returns"}, False),
    ("selective search", {"q": "text 36171"}, False),  # a few dozen texts: the trigram index
]
# Two filters at once, as a CX manager combines them: timed when ``BENCH_PG_FILTERS_COMBOS=1``
# or when ``BENCH_PG_FILTERS_ONLY`` names them (no baseline: the question is where they stand).
INSIDE = {"from": "2025-03-15", "to": "2025-09-10"}
COMBINATIONS: list[tuple[str, dict[str, str], bool]] = [
    ("topic + source", {"topic": "topic5", "source": "survey"}, False),
    ("topic + segment", {"topic": "topic5", "segment": "pro_buyer"}, False),
    ("segment + touchpoint", {"segment": "pro_buyer", "touchpoint": "tp2"}, True),
    ("segment + dates inside", {"segment": "pro_buyer", **INSIDE}, True),
    ("touchpoint + dates inside", {"touchpoint": "tp2", **INSIDE}, True),
    ("topic + touchpoint + dates", {"topic": "topic5", "touchpoint": "tp2", **INSIDE}, True),
    ("topic + segment + dates", {"topic": "topic5", "segment": "pro_buyer", **INSIDE}, True),
    ("segment + touchpoint + dates", {"segment": "pro_buyer", "touchpoint": "tp2", **INSIDE}, True),
    ("source + dates inside", {"source": "survey", **INSIDE}, False),
    ("topic + search", {"topic": "topic5", "q": "returns"}, False),
]
# The bench's topics have no pillar: each gets one of ten (topic3, topic13, topic23 in
# pillar3), as the taxonomy page would store them, so that a pillar filter has topics.
PILLARS = (
    "UPDATE topics SET pillar_keys = CAST(json_build_array('pillar' || (position % 10)) AS json) "
    "WHERE workspace_id = :w AND CAST(pillar_keys AS text) = '[]'"
)


# Every count family's checks (month and day): ``rows_only`` answers no to all of them.
SERVES = (
    (listening_cube, "serves"),
    (listening_sets, "serves"),
    (listening_sets, "serves_days"),
    (listening_touchpoints, "serves"),
    (listening_touchpoints, "serves_days"),
    (listening_segments, "serves"),
    (listening_segments, "serves_days"),
    (listening_segments, "serves_touchpoint"),
)


@contextmanager
def rows_only() -> Iterator[None]:
    saved = [getattr(module, name) for module, name in SERVES]
    for module, name in SERVES:
        setattr(module, name, lambda f, need="day": False)
    try:
        yield
    finally:
        for (module, name), check in zip(SERVES, saved, strict=True):
            setattr(module, name, check)


@contextmanager
def prior_counts() -> Iterator[None]:
    """The counts as read before migrations 0048-0049 and 0051-0053: the edge days of dates
    inside months from the rows (under a topic, touchpoint or segment filter too), a segment
    and a touchpoint together from the rows, the drivers under one dimension from the
    topic-set counts, and each score reader reading the topic-set (touchpoint, segment)
    score table itself."""
    days, dims = listening_reads._days_serve, listening_dimensions.serves
    day_sets = listening_reads._day_sets_serve
    day_touch, day_segment = listening_reads._day_touch_serves, listening_reads._day_segment_serves
    both = listening_segments.serves_touchpoint  # month and day: the rows, as before 0053
    shared = listening_sets._score_rows

    def unshared(session: Any, *args: Any) -> Any:
        session.info.pop(listening_sets._SCORES, None)
        return shared(session, *args)

    listening_reads._days_serve = lambda f, need: False  # type: ignore[assignment]
    listening_reads._day_sets_serve = lambda f, need: False  # type: ignore[assignment]
    listening_reads._day_touch_serves = lambda f, need: False  # type: ignore[assignment]
    listening_reads._day_segment_serves = lambda f, need: False  # type: ignore[assignment]
    listening_segments.serves_touchpoint = lambda f, need="month": False  # type: ignore[assignment]
    listening_dimensions.serves = lambda f: False  # type: ignore[assignment]
    listening_sets._score_rows = unshared  # type: ignore[assignment]
    try:
        yield
    finally:
        listening_reads._days_serve = days  # type: ignore[assignment]
        listening_reads._day_sets_serve = day_sets  # type: ignore[assignment]
        listening_reads._day_touch_serves = day_touch  # type: ignore[assignment]
        listening_reads._day_segment_serves = day_segment  # type: ignore[assignment]
        listening_segments.serves_touchpoint = both  # type: ignore[assignment]
        listening_dimensions.serves = dims  # type: ignore[assignment]
        listening_sets._score_rows = shared  # type: ignore[assignment]


def chosen_baseline() -> tuple[str, Any] | None:
    """The path timed before the counts' in the same run (``BENCH_PG_FILTERS_BASELINE``)."""
    chosen = os.environ.get("BENCH_PG_FILTERS_BASELINE", "rows")
    if chosen == "0":
        return None
    return ("prior", prior_counts) if chosen == "prior" else ("rows path", rows_only)


def _open(name: str, folder: Path, cap: int) -> Cxgap:
    url = make_url(base_url(ROWS)).set(database=name).render_as_string(False)
    cx = Cxgap(Settings(data_dir=folder, database_url=url, secret_key="bench"))

    def capped(dbapi: Any, record: Any) -> None:
        with dbapi.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = '{cap}s'")

    event.listen(cx.engine, "connect", capped)
    return cx


def _get(client: Any, url: str, cap: int) -> str:
    start = time.perf_counter()
    try:
        status = client.get(url).status_code
    except Exception as exc:  # a cancelled statement surfaces as the app's error
        if "statement timeout" not in str(exc):
            raise
        return f"   > {cap} s"
    took = time.perf_counter() - start
    if status in (500, 503) and took >= cap:  # the app maps the cancelled statement
        return f"   > {cap} s"
    assert status == 200, (url, status)
    return f"{took:7.2f} s"


def _prepare(cx: Cxgap) -> None:
    started = time.perf_counter()
    cx.upgrade()  # 0028 fills the week counts from the rows
    with cx.transaction() as session:
        workspace_id = get_workspace(session, "bench").id
        counted = session.scalar(
            text("SELECT count(*) FROM listening_counts WHERE workspace_id = :w"),
            {"w": workspace_id},
        )
        if not counted:  # a base built before the counts: the backfill
            listening_counts.rebuild(session, workspace_id)
        session.execute(text(PILLARS), {"w": workspace_id})
    if not counted:  # statistics: without them the drivers' patterns sorted 290,000 rows
        with cx.transaction() as session:  # on disk (4.1 s at 1 M; 0.7 s hashed after)
            for model in listening_counts.TABLES:
                session.execute(text(f"ANALYZE {model.__tablename__}"))
    print(f"base migrated and counted in {time.perf_counter() - started:.0f} s ({load()})")


def _prepared(name: str, folder: Path, cap: int) -> Cxgap:
    """The base migrated and counted without the cap (a migration's backfill or the counts'
    rebuild takes minutes: under the pages' cap they were cancelled), then opened with it."""
    uncapped = _open(name, folder, 0)  # statement_timeout = 0: none
    _prepare(uncapped)
    uncapped.dispose()
    return _open(name, folder, cap)


def main() -> None:
    rows, name, cap, refused = chosen_base("BENCH_PG_FILTERS_DB")
    if refused is not None:
        print(f"Listening under filters: {refused}")
        return
    print(f"Listening pages under one filter, {rows:,} items in {name} ({load()})", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        cx = _prepared(name, Path(folder), cap)
        client = signed_in(cx)
        only = [v for v in os.environ.get("BENCH_PG_FILTERS_ONLY", "").split(",") if v]
        other = chosen_baseline()
        combos = COMBINATIONS if os.environ.get("BENCH_PG_FILTERS_COMBOS") == "1" else []
        for label, params, baseline in [*FILTERS, *combos] if not only else FILTERS + COMBINATIONS:
            if only and label not in only:
                continue
            for page, path in PAGES.items():
                if label == "trends by week" and page != "trends":
                    continue
                url = f"{path}?{urlencode(params)}" if params else path
                before = ""
                if baseline and other is not None:
                    with other[1]():
                        before = f"   {other[0]} {_get(client, url, cap)}"
                first, again = _get(client, url, cap), _get(client, url, cap)
                print(f"{label:26} {page:9} {first} first {again} again{before}  ({load()})",
                      flush=True)  # fmt: skip
        cx.dispose()


if __name__ == "__main__":
    main()
