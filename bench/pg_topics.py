"""The Listening topics page at 10 M on PostgreSQL and its irritants' examples
(``db.listening_examples.worst_examples``), on the base of ``bench.pg_base`` (reused as it is,
skipped when absent or not stamped as complete: ``bench.pg_scale`` builds it).

Baseline measured in the same run: the examples' candidates ordered by ``sentiment_score +
0``, which no index gives, so PostgreSQL reads every negative finding of the topic and sorts
them, the plan before migration 0027; the filter form's channel choices from the rows (a
GROUP BY of every item) against the day counts.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from bench.pg_base import ROWS, open_base, require_base
from bench.pg_scale import load, signed_in
from cxgap.db import listening_cube as cube
from cxgap.db import listening_queries as q
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_examples import worst_examples
from cxgap.services.workspaces import get_workspace

URL = "/w/bench/listening/topics"
BASELINE = (
    "SELECT id FROM text_findings WHERE workspace_id = :w AND topic_key = :t"
    " AND sentiment = 'negative' ORDER BY sentiment_score + 0, id LIMIT 60"
)


def main() -> None:
    rows = int(os.environ.get("BENCH_PG_ROWS", ROWS))
    refused = require_base(rows)
    if refused is not None:
        print(f"topics examples: {refused}")
        return
    with tempfile.TemporaryDirectory() as folder:
        cx = open_base(rows, Path(folder))
        client = signed_in(cx)
        for attempt in ("first", "again"):
            start = time.perf_counter()
            assert client.get(URL).status_code == 200
            took = time.perf_counter() - start
            print(f"Listening topics page {rows:>12,} rows {took:7.2f} s {attempt}  ({load()})")
        with cx.reading() as session:
            workspace_id = get_workspace(session, "bench").id
            topics = [t.key for t in q.topic_rows(session, workspace_id)][:10]
            new = old = 0.0
            for topic in topics:
                start = time.perf_counter()
                worst_examples(session, workspace_id, FeedbackFilter(), topic, 3)
                new += time.perf_counter() - start
                start = time.perf_counter()
                session.execute(text(BASELINE), {"w": workspace_id, "t": topic}).all()
                old += time.perf_counter() - start
            start = time.perf_counter()
            counted = cube.distinct_channels(session, workspace_id)
            from_counts = time.perf_counter() - start
            start = time.perf_counter()
            assert q.distinct_channels(session, workspace_id) == counted
            from_rows = time.perf_counter() - start
        print(
            f"examples, {len(topics)} topics        {new:7.3f} s (all three queries each)"
            f"  baseline candidates sorted {old:7.3f} s: {old / new:5.1f}x  ({load()})"
        )
        print(
            f"channel choices, counts      {from_counts:7.3f} s  baseline from the rows"
            f" {from_rows:7.3f} s: {from_rows / from_counts:5.1f}x  ({load()})"
        )
        cx.dispose()


if __name__ == "__main__":
    main()
