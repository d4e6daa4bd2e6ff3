"""Time the Segments page and the check of a saved rule at 1,000,000 feedback items.

Before (the baseline, measured in the same run): every segment's rule compiled to SQL and
evaluated on every feedback row (``SUM(CASE WHEN <rule> …)``), as the page did up to
issue 11. After: the materialised membership (``db.segment_members``), counted from its
index. Also printed: the one-off build of the membership (first read after the upgrade), a
10,000-item import evaluated into it, and the check of an unsaved rule (still the rule over
every row: it cannot be materialised).

Four segments as in ``bench/overlay.py`` (one with a compound rule) and a fifth on the
generation. 2,000 survey answers (the page counts those with the rule, live).

``python -m bench.segments``; ``BENCH_SEG_ROWS`` changes the size; ``BENCH_SEG_URL`` (a
``postgresql+psycopg://…`` URL of an empty database that may be overwritten) runs it on
PostgreSQL, rows written with ``COPY``.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import case, func, select, text

from bench.assessment import best_of
from bench.build import OUT, schema_tag
from cxgap.config import Settings
from cxgap.db import segment_members
from cxgap.db.segment_sql import compile_rule
from cxgap.db.tables import CustomerResponse, Feedback, FeedbackImport, Segment
from cxgap.services.core import Cxgap
from cxgap.services.segments import count_members, preview_rule, segment_summaries
from cxgap.services.workspaces import add_segments, create_workspace, get_workspace

ROWS = 1_000_000
ANSWERS = 2_000
CHUNK = 100_000
SEGMENTS = ["busy_family", "design_lover", "pro_buyer", "bargain_hunter", "gen_x_detractor"]
RULES = {
    "pro_buyer": 'segment = "pro_buyer" or (birth_year < 1965 and nps <= 6)',
    "gen_x_detractor": 'generation = "Gen X" and nps <= 6',
}
UNSAVED = 'generation = "Gen Y" and nps >= 9'
COLUMNS = (
    "id, workspace_id, source_type, source_id, channel, collected_at, text, nps, touchpoint, "
    "language_hint, attributes, text_hash, import_id, created_at, updated_at"
)


def _open(url: str, data_dir: Path) -> Cxgap:
    return Cxgap(Settings(data_dir=data_dir, database_url=url, secret_key="b"))


def database(rows: int, url: str | None) -> Cxgap:
    """The bench workspace with ``rows`` feedback items (a SQLite file cached by size and
    schema, or the PostgreSQL database ``url``, filled again)."""
    OUT.mkdir(exist_ok=True)
    if url is None:
        path = OUT / f"segments-{rows}-{schema_tag()}.sqlite3"
        if path.exists():
            cx = _open(f"sqlite:///{path}", OUT)
            _forget_members(cx)
            return cx
        cx = _open(f"sqlite:///{path}", OUT)
    else:
        cx = _open(url, OUT)
        with cx.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    cx.upgrade()
    with cx.transaction() as session:
        workspace = create_workspace(session, key="bench", name="Bench")
        add_segments(session, workspace=workspace, segments=[(s, s, s) for s in SEGMENTS])
        for key, rule in RULES.items():
            session.execute(
                Segment.__table__.update()
                .where(Segment.workspace_id == workspace.id, Segment.key == key)
                .values(rule=rule)
            )
        workspace_id = workspace.id
    _fill(cx, workspace_id, rows)
    return cx


def _forget_members(cx: Cxgap) -> None:
    """A cached file measured again starts with no membership, as after the upgrade."""
    with cx.engine.begin() as conn:
        conn.execute(text("DELETE FROM segment_members"))
        conn.execute(text("DELETE FROM segment_membership"))
        conn.execute(text("DELETE FROM feedback WHERE import_id IS NOT NULL"))


def _fill(cx: Cxgap, workspace_id: int, rows: int) -> None:
    raw = cx.engine.raw_connection()
    try:
        cursor = raw.cursor()
        postgres = cx.engine.dialect.name == "postgresql"
        for chunk in _chunks(workspace_id, 1, rows, import_id=None):
            if postgres:
                with cursor.copy(f"COPY feedback ({COLUMNS}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(COLUMNS.split(",")))
                cursor.executemany(f"INSERT INTO feedback ({COLUMNS}) VALUES ({marks})", chunk)
            raw.commit()
        answers = [
            (workspace_id, "import", f"a{i}", _WHEN, "en", i % 11, 1950 + i % 55,
             SEGMENTS[i % 4], "", False)
            for i in range(ANSWERS)
        ]  # fmt: skip
        mark = "%s" if postgres else "?"
        cursor.executemany(
            "INSERT INTO customer_responses (workspace_id, source, external_id, submitted_at, "
            "language, nps, birth_year, segment_key, comment, consent) VALUES "
            f"({', '.join([mark] * 10)})",
            answers,
        )
        if postgres:
            cursor.execute("SELECT setval('feedback_id_seq', (SELECT max(id) FROM feedback))")
        cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()


_WHEN = datetime(2026, 5, 1, tzinfo=UTC)


def _chunks(workspace_id: int, first: int, rows: int, import_id: int | None) -> Iterator[list]:  # type: ignore[type-arg]
    rng = np.random.default_rng(first)
    for offset in range(0, rows, CHUNK):
        size = min(CHUNK, rows - offset)
        ids = np.arange(first + offset, first + offset + size)
        nps = rng.integers(0, 11, size=size)
        has_nps = rng.random(size) < 0.6
        seg = rng.integers(0, 4, size=size)
        year = rng.integers(1940, 2008, size=size)
        yield [
            (int(i), workspace_id, "survey", f"b{i}", "web", _WHEN, f"bench text {i}",
             int(nps[r]) if has_nps[r] else None, None, "en",
             json.dumps({"segment": SEGMENTS[seg[r]], "birth_year": str(year[r])}),
             hashlib.sha256(str(i).encode()).hexdigest(), import_id, _WHEN, _WHEN)
            for r, i in enumerate(ids)
        ]  # fmt: skip


def compiled_page(cx: Cxgap) -> list[int]:
    """The baseline: every rule over every feedback row and every answer, in two queries."""
    with cx.reading() as session:
        workspace = get_workspace(session, "bench")
        rules = [segment_members.rule_of(s) for s in _segments(session, workspace.id)]
        counts = []
        for table, target in ((Feedback, "feedback"), (CustomerResponse, "answers")):
            columns = [
                func.sum(case((compile_rule(r, target=target), 1), else_=0))  # type: ignore[arg-type]
                for r in rules
            ]
            query = select(*columns).where(table.workspace_id == workspace.id)
            counts += [int(v or 0) for v in session.execute(query).one()]
        return counts


def _segments(session: object, workspace_id: int) -> list[Segment]:
    query = select(Segment).where(Segment.workspace_id == workspace_id).order_by(Segment.position)
    return list(session.scalars(query))  # type: ignore[attr-defined]


def page(cx: Cxgap) -> list[int]:
    with cx.transaction() as session:
        summaries = segment_summaries(session, get_workspace(session, "bench"))
        return [s.counts.feedback for s in summaries] + [s.counts.answers for s in summaries]


def check(cx: Cxgap, rule: str, key: str | None, *, exact: bool = False) -> tuple[int, int]:
    with cx.transaction() as session:
        workspace = get_workspace(session, "bench")
        _, counts = preview_rule(session, workspace=workspace, key=key, rule=rule, exact=exact)
        return counts.feedback, counts.answers


def check_compiled(cx: Cxgap, rule: str) -> tuple[int, int]:
    with cx.reading() as session:
        workspace = get_workspace(session, "bench")
        parsed, _ = preview_rule(session, workspace=workspace, key=None, rule=rule)
        counts = count_members(session, workspace=workspace, rule=parsed)
        return counts.feedback, counts.answers


def import_rows(cx: Cxgap, rows: int, total: int) -> float:
    """Seconds to evaluate ``rows`` new items of one import into the membership."""
    with cx.transaction() as session:
        workspace_id = get_workspace(session, "bench").id
        history = FeedbackImport(
            workspace_id=workspace_id,
            file_name="bench.csv",
            preset="generic",
            status="done",
            mode="all_or_nothing",
        )
        session.add(history)
        session.flush()
        import_id = history.id
        (chunk,) = _chunks(workspace_id, total + 1, rows, import_id)
        session.execute(
            Feedback.__table__.insert(),
            [dict(zip([c.strip() for c in COLUMNS.split(",")], row, strict=True)) for row in chunk],
        )
        start = time.perf_counter()
        segment_members.refresh_import(session, workspace_id, import_id)
        return time.perf_counter() - start


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    rows = int(os.environ.get("BENCH_SEG_ROWS", ROWS))
    url = os.environ.get("BENCH_SEG_URL") or None
    start = time.perf_counter()
    cx = database(rows, url)
    engine = cx.engine.dialect.name
    print(f"segments bench: {rows:,} feedback items, {ANSWERS:,} answers on {engine} "
          f"(data ready in {time.perf_counter() - start:.0f} s)")  # fmt: skip
    print(f"load average before: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    slow = 1 if rows >= 500_000 else 2  # runs of each rule-over-all-rows figure
    before = best_of(slow, lambda: compiled_page(cx))
    build, built = timed(lambda: page(cx))
    assert built == compiled_page(cx), "materialised counts differ from the rule's"
    after = best_of(3, lambda: page(cx))
    saved = RULES["pro_buyer"]
    check_before = best_of(slow, lambda: check_compiled(cx, saved))
    check_after = best_of(3, lambda: check(cx, saved, "pro_buyer"))
    # The exact count (the "Count exactly" button); the page's estimate: bench.unsaved_rules.
    unsaved = best_of(slow, lambda: check(cx, UNSAVED, None, exact=True))
    incremental = import_rows(cx, 10_000, rows)
    assert page(cx) == compiled_page(cx)
    lines = [
        ("Segments page, 5 segments (rule over all rows)", before, None),
        ("Segments page (materialised membership)", after, before),
        ("first build of the membership, 5 segments", build, None),
        ("check of a saved rule (rule over all rows)", check_before, None),
        ("check of a saved rule (materialised)", check_after, check_before),
        ("check of an unsaved rule (rule over all rows)", unsaved, None),
        ("10,000-item import evaluated into 5 segments", incremental, None),
    ]
    for name, seconds, baseline in lines:
        ratio = f"  {baseline / seconds:8.1f}x" if baseline else ""
        print(f"{name:50} {seconds:9.3f} s{ratio}")
    print(f"load average after: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    cx.dispose()


if __name__ == "__main__":
    main()
