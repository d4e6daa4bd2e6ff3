"""A page sample of a workspace's feedback for a broad Listening search on PostgreSQL
(docs/scale.md, "A broad search: estimates from a page sample").

A search keeps no count: a broad one (a fifth of the texts) makes every Listening reader
read and join every text it matches, 23-58 s a page at 10 M items. ``TABLESAMPLE SYSTEM``
reads a random set of the table's pages instead, whole (80 ms for 1 % of them at 10 M): the
workspace's records on those pages, those the search (and the other filters) keep, and
from them the page's figures, scaled. Only :func:`draw` reads the table; the estimate's
arithmetic is ``services.search_estimate``'s.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace

from sqlalchemy import BigInteger, Integer, and_, any_, func, literal, select, text, true
from sqlalchemy.orm import Session

from cxgap.db import search_index
from cxgap.db.feedback_filters import (
    FeedbackFilter,
    feedback_query,
    filter_conditions,
    glob_pattern,
    search_condition,
    search_pattern,
    text_matches,
)
from cxgap.db.tables import Feedback, FeedbackSearch

# The same pages for every search and every page of the screens (REPEATABLE): the four
# Listening pages estimate from one sample, and a reload shows the same figures.
SEED = 20261204

_SAMPLED = text(
    "SELECT (ctid::text::point)[0]::bigint AS page, id FROM feedback "
    "TABLESAMPLE SYSTEM (CAST(:percent AS real)) REPEATABLE (:seed) "
    "WHERE workspace_id = :workspace"
)


@dataclass(frozen=True)
class PageSample:
    """The workspace's records on a random set of the table's pages.

    ``pages``: per sampled page holding records of the workspace, ``(records, matched,
    kept)``: its records, those the search matches and those the whole filter keeps.
    ``ids``: the records kept, which the readers then read instead of every match.
    ``total``: the workspace's records, by which the sample's shares are scaled."""

    percent: float
    total: int
    pages: tuple[tuple[int, int, int], ...]
    ids: tuple[int, ...]

    @property
    def records(self) -> int:
        return sum(page[0] for page in self.pages)

    @property
    def matched(self) -> int:
        return sum(page[1] for page in self.pages)

    @property
    def kept(self) -> int:
        return sum(page[2] for page in self.pages)


def draw(
    session: Session,
    workspace_id: int,
    f: FeedbackFilter,
    *,
    total: int,
    records: int,
    seed: int = SEED,
) -> PageSample:
    """About ``records`` of the workspace's ``total`` records, read page by page (PostgreSQL
    only): which of them the search of ``f`` matches, and which the whole of ``f`` keeps.

    One statement: the sampled pages' records of the workspace, those looked up again by
    primary key with the search and, as a column, the rest of the filter (its topics tested
    row by row: a few thousand lookups, not every text of a topic), counted per page."""
    if not f.search:
        raise ValueError("a page sample is drawn for a search")
    percent = min(100.0, 100.0 * records / max(total, 1))
    sampled = (
        _SAMPLED.bindparams(percent=percent, seed=seed, workspace=workspace_id)
        .columns(page=BigInteger, id=Integer)
        .cte("sampled")
    )
    rest = filter_conditions(workspace_id, _without_search(f), topics_per_row=True)
    keeps = and_(*rest[1:]) if len(rest) > 1 else true()
    matched = (
        feedback_query([Feedback.id, keeps.label("kept")])
        .where(
            Feedback.workspace_id == workspace_id,
            Feedback.id == any_(func.array(select(sampled.c.id).scalar_subquery())),
            search_condition(f.search),
        )
        .subquery("matched")
    )
    per_page = (
        select(
            func.count(),
            func.count(matched.c.id),
            func.count(matched.c.id).filter(matched.c.kept),
            func.array_agg(matched.c.id).filter(matched.c.kept),
        )
        .select_from(sampled.outerjoin(matched, matched.c.id == sampled.c.id))
        .group_by(sampled.c.page)
        .order_by(sampled.c.page)
    )
    pages: list[tuple[int, int, int]] = []
    ids: list[int] = []
    for count, found, kept, kept_ids in session.execute(per_page):
        pages.append((int(count), int(found), int(kept)))
        ids += kept_ids or []
    return PageSample(percent, total, tuple(pages), tuple(sorted(ids)))


def planned_matches(session: Session, workspace_id: int, search: str) -> float:
    """The planner's estimate of the workspace's records ``search`` matches, from the
    search index's table and its trigram statistics (1 M items: ``returns`` 222,222 for
    200,000, a search of 11 texts 100); infinite while an import waits for the index (its
    rows are not in those statistics: the sample decides) or while the table has no
    statistics (filled in bulk, not analysed yet: the planner guessed 5 matches among 10 M
    texts for ``returns``, which matches 2 M, and every page read it exactly, 59-132 s).
    ``EXPLAIN`` only, a few ms."""
    if search_index.has_pending(session, workspace_id):
        return math.inf
    if not search_index.has_statistics(session):  # the planner would guess: sample
        return math.inf
    table = FeedbackSearch.__table__
    regex, glob = literal(search_pattern(search)), literal(glob_pattern(search))
    query = select(table.c.feedback_id).where(
        table.c.workspace_id == workspace_id, text_matches(table.c.text, regex, glob)
    )
    compiled = query.compile(dialect=session.get_bind().dialect)
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params)
        row = cursor.fetchone()
    finally:
        cursor.close()
    assert row is not None  # EXPLAIN answers one row
    document = json.loads(row[0]) if isinstance(row[0], str) else row[0]
    return float(document[0]["Plan"]["Plan Rows"])


def _without_search(f: FeedbackFilter) -> FeedbackFilter:
    return replace(f, search=None, sample=None)
