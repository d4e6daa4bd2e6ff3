"""The verbatims' keyset page (``listening_queries.verbatim_page``): walking the pages by
their cursors gives every row once, in the order of one query over all rows, ties on the
date included; on PostgreSQL the cursor's date bounds the index scan (a deep page at 10 M
items read every newer row before: docs/scale.md, "PostgreSQL at 10 million")."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, select

from cxgap.db.feedback_filters import FeedbackFilter, filter_conditions
from cxgap.db.listening_queries import verbatim_page
from cxgap.db.tables import Feedback
from cxgap.services.core import Cxgap
from tests.factories import make_workspace
from tests.listening_factories import TOPICS, add_feedback, make_listening_sample, make_topics

START = datetime(2026, 1, 10, 9, 30, tzinfo=UTC)


def _sample(cx: Cxgap) -> int:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        for i in range(37):  # four dates only: most rows tie with others on the date
            at = START + timedelta(days=i % 4)
            add_feedback(session, workspace, f"text {i}", collected_at=at, source_id=f"s{i}")
        return workspace.id


def test_walking_the_pages_gives_the_order_of_one_query(cx: Cxgap) -> None:
    workspace_id = _sample(cx)
    with cx.reading() as session:
        order = (Feedback.collected_at.desc(), Feedback.id.desc())
        expected = list(session.scalars(select(Feedback.id).order_by(*order)))
        walked: list[int] = []
        after = None
        while True:
            page = verbatim_page(session, workspace_id, FeedbackFilter(), after=after, limit=5)
            walked += [row.id for row in page]
            if len(page) < 5:
                break
            after = (page[-1].collected_at, page[-1].id)
    assert walked == expected and len(expected) == 37


def _walk(
    cx: Cxgap, workspace_id: int, f: FeedbackFilter, seen: list[Any] | None = None
) -> list[int]:
    walked: list[int] = []
    after = None
    with cx.reading() as session:
        while True:
            page = verbatim_page(session, workspace_id, f, after=after, limit=7)
            walked += [row.id for row in page]
            if len(page) < 7:
                return walked
            after = (page[-1].collected_at, page[-1].id)


def test_topic_filters_page_as_the_set_based_condition_selects(cx: Cxgap) -> None:
    """On PostgreSQL the page tests a topic (of a topic or touchpoint filter) row by row;
    the rows are those of the semi-join every other Listening query uses, in order."""
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_topics(session, workspace)
        make_listening_sample(session, workspace, n=120)
        workspace_id = workspace.id
    order = (Feedback.collected_at.desc(), Feedback.id.desc())
    filters = [FeedbackFilter(topic_sets=((key,),)) for key, *_ in TOPICS]
    filters.append(FeedbackFilter(topic_sets=((TOPICS[0][0], TOPICS[1][0]), (TOPICS[2][0],))))
    filters.append(FeedbackFilter(touchpoint="delivery", touchpoint_topics=("delivery",)))
    filters.append(FeedbackFilter(touchpoint="nowhere", touchpoint_topics=("staff", "delivery")))
    nonempty = 0
    for f in filters:
        with cx.reading() as session:
            query = select(Feedback.id).where(*filter_conditions(workspace_id, f)).order_by(*order)
            expected = list(session.scalars(query))
        assert _walk(cx, workspace_id, f) == expected, f.topic_sets
        nonempty += bool(expected)
    assert nonempty >= 3


def _plan(cx: Cxgap, call: Any) -> str:
    """EXPLAIN of the page query ``call`` sends (PostgreSQL), sequential scans off."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, params: Any, *args: Any) -> None:
        if "ORDER BY feedback.collected_at DESC" in statement:
            seen.append((statement, params))

    event.listen(cx.engine, "before_cursor_execute", record)
    try:
        with cx.reading() as session:
            call(session)
    finally:
        event.remove(cx.engine, "before_cursor_execute", record)
    ((statement, params),) = seen
    raw = cx.engine.raw_connection()
    try:
        cursor = raw.cursor()
        # statistics of this test's rows, not of whatever the tables held before (the test
        # database is emptied by DELETE, autovacuum off): the plan must not depend on them
        cursor.execute("ANALYZE feedback, text_enrichments, text_findings")
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: force the index path
        cursor.execute("EXPLAIN " + statement, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        raw.rollback()
    finally:
        raw.close()
    return plan


def test_on_postgresql_a_topic_is_tested_per_row(cx: Cxgap) -> None:
    if cx.engine.dialect.name != "postgresql":
        return
    workspace_id = _sample(cx)
    f = FeedbackFilter(topic_sets=(("delivery",),))
    plan = _plan(cx, lambda s: verbatim_page(s, workspace_id, f, after=None, limit=5))
    assert "SubPlan" in plan and "Semi Join" not in plan, plan
    f = FeedbackFilter(touchpoint="delivery", touchpoint_topics=("delivery",))
    plan = _plan(cx, lambda s: verbatim_page(s, workspace_id, f, after=None, limit=5))
    assert "SubPlan" in plan and "hashed SubPlan" not in plan, plan


def test_on_postgresql_the_cursor_bounds_the_index_scan(cx: Cxgap) -> None:
    if cx.engine.dialect.name != "postgresql":
        return  # SQLite: the order and the rows are what the test above checks
    workspace_id = _sample(cx)
    after = (START + timedelta(days=2), 10**6)
    f = FeedbackFilter()
    plan = _plan(cx, lambda s: verbatim_page(s, workspace_id, f, after=after, limit=5))
    assert re.search(r"Index Cond: .*collected_at <=", plan), plan
