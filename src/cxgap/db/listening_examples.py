"""The topics page's examples: the most negative findings about a topic whose text has a
verbatim under the filter, one verbatim each (docs/scale.md, "The topics page's examples").

The candidates are the first entries of ``ix_text_findings_ws_topic`` (migration 0027), read
in its order; under a topic or pillar filter only those of texts about it (migration 0040's
round); only the candidates are checked against the filter.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Select, and_, exists, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from cxgap.db.feedback_filters import FeedbackFilter, filter_conditions
from cxgap.db.tables import Feedback, TextEnrichment, TextFinding


@dataclass(frozen=True)
class ExampleRow:
    feedback_id: int
    text: str
    collected_at: datetime
    source_type: str
    start: int
    end: int
    score: float | None


EXAMPLE_CANDIDATES = 60
# Wider windows before the full join: under a filter few candidates pass (a topic filter
# keeps the texts that also speak of it), and the full join reads every finding of the topic.
# (ids bound one by one: SQLite takes at most 32,766 parameters).
WIDER_CANDIDATES = (1_000, 20_000)
# A search keeping fewer records than this joins them to the topic's findings directly.
NARROW = 2_000


def example_candidates(
    workspace_id: int,
    topic_key: str,
    limit: int = EXAMPLE_CANDIDATES,
    topic_sets: tuple[tuple[str, ...], ...] = (),
) -> Select[int]:
    """The topic's most negative findings: ``ix_text_findings_ws_topic``'s first entries;
    with ``topic_sets`` (a topic or pillar filter), only those of texts with a finding about
    one topic of each set (a probe of the findings' enrichment index per entry read)."""
    negative = TextFinding.sentiment == "negative"
    query = select(TextFinding.id).where(TextFinding.workspace_id == workspace_id, negative)
    query = query.where(TextFinding.topic_key == topic_key)
    for keys in topic_sets:
        other = aliased(TextFinding)
        query = query.where(
            exists(
                select(other.id).where(
                    other.enrichment_id == TextFinding.enrichment_id,
                    other.topic_key.in_(list(keys)),
                )
            )
        )
    order = (TextFinding.sentiment_score.asc(), TextFinding.id)
    return query.order_by(*order).limit(limit)


def worst_examples(
    session: Session, workspace_id: int, f: FeedbackFilter, topic_key: str, limit: int = 3
) -> list[ExampleRow]:
    """The most negative findings about a topic, one verbatim each.

    The lowest-scored findings come from the findings' topic index; only those candidates
    are checked against the filter, so a million verbatims are never joined for three
    examples; when fewer than ``limit`` pass, 1,000 then 20,000 candidates; a filter so
    narrow that still too few pass falls back to the full join."""
    picked: list[tuple[int, int]] = []
    if f.sample is not None:
        # A broad search read from a page sample (``db.search_sample``): real examples of
        # the whole search, which its first candidates hold (a fifth of the texts pass);
        # not the wider windows nor the full join, whose reads the sample is there to avoid.
        return _rows(session, _from_windows(session, workspace_id, f, topic_key, limit))
    narrow = _narrow_texts(session, workspace_id, f) if f.search else None
    if narrow is not None:
        # A selective search: its few texts (read once for every topic of the page) matched
        # to the topic's negative findings at once, rather than 21,060 candidates checked.
        return _rows(session, _pick_among(session, workspace_id, narrow, topic_key, limit))
    # The candidates' texts are about the filter's topics: the rest of it is left to check.
    rest = replace(f, topic_sets=())
    for window in (EXAMPLE_CANDIDATES, *WIDER_CANDIDATES):
        candidates = example_candidates(workspace_id, topic_key, window, f.topic_sets)
        ids = list(session.scalars(candidates))
        picked = _pick_examples(session, workspace_id, rest, topic_key, limit, ids, per_row=True)
        if len(picked) == limit or len(ids) < window:
            break  # the first ``window`` by score hold the ``limit`` most negative that pass
    else:
        picked = _pick_by_join(session, workspace_id, f, topic_key, limit)
    return _rows(session, picked)


def _from_windows(
    session: Session, workspace_id: int, f: FeedbackFilter, topic_key: str, limit: int
) -> list[tuple[int, int]]:
    rest = replace(f, topic_sets=(), sample=None)
    picked: list[tuple[int, int]] = []
    for window in (EXAMPLE_CANDIDATES, WIDER_CANDIDATES[0]):
        candidates = example_candidates(workspace_id, topic_key, window, f.topic_sets)
        ids = list(session.scalars(candidates))
        picked = _pick_examples(session, workspace_id, rest, topic_key, limit, ids, per_row=True)
        if len(picked) == limit or len(ids) < window:
            break
    return picked


def _narrow_texts(session: Session, workspace_id: int, f: FeedbackFilter) -> dict[str, int] | None:
    """The first record of each text ``f`` keeps when it keeps fewer than ``NARROW`` (a read
    that stops at ``NARROW``), else None; read once per session and filter: the topics page
    asks for each of its ten topics (at 10 M each read was 0.15 s through the search index)."""
    memo: dict[tuple[int, FeedbackFilter], dict[str, int] | None]
    memo = session.info.setdefault("narrow_search_texts", {})
    key = (workspace_id, f)
    if key not in memo:
        kept = select(Feedback.id, Feedback.text_hash).where(*filter_conditions(workspace_id, f))
        rows = session.execute(kept.limit(NARROW)).all()
        first: dict[str, int] = {}
        for feedback_id, text_hash in rows:
            first[text_hash] = min(feedback_id, first.get(text_hash, feedback_id))
        memo[key] = first if len(rows) < NARROW else None
    return memo[key]


def _pick_among(
    session: Session, workspace_id: int, first: dict[str, int], topic_key: str, limit: int
) -> list[tuple[int, int]]:
    """``_pick_by_join`` over texts already read (``_narrow_texts``): the topic's most
    negative findings about them, with each text's first record."""
    if not first:
        return []
    worst = (
        select(TextFinding.id, TextEnrichment.text_hash)
        .join(TextEnrichment, TextEnrichment.id == TextFinding.enrichment_id)
        .where(
            TextEnrichment.workspace_id == workspace_id,
            TextEnrichment.text_hash.in_(sorted(first)),
            TextFinding.workspace_id == workspace_id,
            TextFinding.topic_key == topic_key,
            TextFinding.sentiment == "negative",
        )
        .order_by(TextFinding.sentiment_score.asc(), TextFinding.id)
        .limit(limit)
    )
    return [(finding_id, first[text_hash]) for finding_id, text_hash in session.execute(worst)]


def _rows(session: Session, picked: list[tuple[int, int]]) -> list[ExampleRow]:
    if not picked:
        return []
    query = (
        select(
            Feedback.id,
            Feedback.text,
            Feedback.collected_at,
            Feedback.source_type,
            TextFinding.start,
            TextFinding.end,
            TextFinding.sentiment_score,
        )
        .join(TextFinding, true())
        .where(or_(*(and_(TextFinding.id == a, Feedback.id == b) for a, b in picked)))
        .order_by(TextFinding.sentiment_score.asc(), TextFinding.id)
    )
    return [ExampleRow(*row) for row in session.execute(query)]


def _pick_by_join(
    session: Session, workspace_id: int, f: FeedbackFilter, topic_key: str, limit: int
) -> list[tuple[int, int]]:
    """As ``_pick_examples`` over every finding of the topic, for a filter so narrow that
    none of the windows held enough: the texts under the filter (their first feedback) are
    joined to the topic's negative findings, so that the planner may start from the
    filter's own index (a selective search's trigram index: 20 texts, not every finding of
    the topic probed with the search)."""
    passing = (
        select(Feedback.text_hash, func.min(Feedback.id).label("first_id"))
        .where(*filter_conditions(workspace_id, f))
        .group_by(Feedback.text_hash)
        .subquery()
    )
    worst = (
        select(TextFinding.id, passing.c.first_id)
        .select_from(TextFinding)
        .join(TextEnrichment, TextEnrichment.id == TextFinding.enrichment_id)
        .join(passing, passing.c.text_hash == TextEnrichment.text_hash)
        .where(
            TextEnrichment.workspace_id == workspace_id,
            TextFinding.workspace_id == workspace_id,
            TextFinding.topic_key == topic_key,
            TextFinding.sentiment == "negative",
        )
        .order_by(TextFinding.sentiment_score.asc(), TextFinding.id)
        .limit(limit)
    )
    return [(finding_id, feedback_id) for finding_id, feedback_id in session.execute(worst)]


def _pick_examples(
    session: Session,
    workspace_id: int,
    f: FeedbackFilter,
    topic_key: str,
    limit: int,
    among: list[int] | None,
    *,
    per_row: bool = False,
) -> list[tuple[int, int]]:
    """``(finding id, first feedback id)`` of the ``limit`` most negative findings whose
    text has feedback under the filter, among the given findings (or all of them).
    ``per_row``: a touchpoint's topics tested per candidate (an index probe) rather than as
    the set of every text about them, which PostgreSQL hashed again for each candidate (a
    touchpoint filter's topics page took 41 s at 1 M)."""
    if among == []:
        return []
    # One feedback record per text, stopping at the first that passes the filter: a text
    # said a thousand times costs one index probe, not a thousand.
    feedback_id = (
        select(Feedback.id)
        .where(
            Feedback.text_hash == TextEnrichment.text_hash,
            *filter_conditions(workspace_id, f, topics_per_row=per_row, search_per_row=per_row),
        )
        .order_by(Feedback.id)
        .limit(1)
        .correlate(TextEnrichment)
        .scalar_subquery()
    )
    scope = [TextFinding.id.in_(among)] if among is not None else []
    worst = (
        select(TextFinding.id, feedback_id, TextFinding.sentiment_score)
        .select_from(TextFinding)
        .join(TextEnrichment, TextEnrichment.id == TextFinding.enrichment_id)
        .where(
            *scope,
            TextFinding.workspace_id == workspace_id,
            TextFinding.topic_key == topic_key,
            TextFinding.sentiment == "negative",
            feedback_id.is_not(None),
        )
        .order_by(TextFinding.sentiment_score.asc(), TextFinding.id)
        .limit(limit)
    )
    return [(finding_id, feedback_id) for finding_id, feedback_id, _ in session.execute(worst)]
