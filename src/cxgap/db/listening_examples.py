"""The topics page's examples: the most negative findings about a topic whose text has a
verbatim under the filter, one verbatim each (docs/scale.md, "The topics page's examples").

The candidates are the first entries of ``ix_text_findings_ws_topic`` (migration 0027), read
in its order; under a topic or pillar filter only those of texts about it (migration 0040's
round); only the candidates are checked against the filter, each as it is read, in one
statement left as soon as enough have passed (``_pick_streamed``). Under a touchpoint whose
records within the dates are fewer than the candidates that would be read, those records
are read once for the page instead (``listening_touchpoint_examples``, migration 0063).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Select, and_, exists, func, or_, select, true
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.selectable import ScalarSelect

from cxgap.db import listening_touchpoint_examples as touched
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
# The candidates one statement reads, each checked as it is read, before the join from the
# filter's texts; a broad search's page sample stops at the smaller one (no join).
CANDIDATE_CAP = 20_000
SAMPLE_CAP = 1_000
# The most candidates fetched at a time from the streamed statement (a server-side cursor,
# whose fetches grow from 1 row by five times up to this: 1, 5, 25, 125, 625, 1,000).
STREAM = 1_000
# A search keeping fewer records than this joins them to the topic's findings directly.
NARROW = 2_000


def _candidates(
    workspace_id: int, topic_key: str, topic_sets: tuple[tuple[str, ...], ...]
) -> Select[int, int, float | None]:
    """The topic's negative findings (id, enrichment, score), with ``topic_sets`` only those
    of texts with a finding about one topic of each set, unordered."""
    query = select(TextFinding.id, TextFinding.enrichment_id, TextFinding.sentiment_score)
    query = query.where(
        TextFinding.workspace_id == workspace_id,
        TextFinding.topic_key == topic_key,
        TextFinding.sentiment == "negative",
    )
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
    return query


def example_candidates(
    workspace_id: int,
    topic_key: str,
    limit: int = EXAMPLE_CANDIDATES,
    topic_sets: tuple[tuple[str, ...], ...] = (),
) -> Select[int]:
    """The topic's most negative findings: ``ix_text_findings_ws_topic``'s first entries;
    with ``topic_sets`` (a topic or pillar filter), only those of texts with a finding about
    one topic of each set (a probe of the findings' enrichment index per entry read)."""
    query = _candidates(workspace_id, topic_key, topic_sets).with_only_columns(TextFinding.id)
    order = (TextFinding.sentiment_score.asc(), TextFinding.id)
    return query.order_by(*order).limit(limit)


def worst_examples(
    session: Session,
    workspace_id: int,
    f: FeedbackFilter,
    topic_key: str,
    limit: int = 3,
    negative: int | None = None,
) -> list[ExampleRow]:
    """The most negative findings about a topic, one verbatim each.

    The lowest-scored findings come from the findings' topic index, each checked against
    the filter as it is read (``_pick_streamed``), so a million verbatims are never joined
    for three examples; a filter so narrow that fewer than ``limit`` of ``CANDIDATE_CAP``
    candidates pass falls back to the join from the filter's texts. ``negative``: the
    topic's negative mentions under the filter (the page's counts), when known: no more
    findings than that can pass (a mention per finding and record), so the read stops once
    that many have, rather than reading every candidate to find none more; under a
    touchpoint, the touchpoint's own records may be read instead (``touched.chosen``)."""
    if f.sample is not None:
        # A broad search read from a page sample (``db.search_sample``): real examples of
        # the whole search, which its first candidates hold (a fifth of the texts pass);
        # not past ``SAMPLE_CAP`` candidates nor the join, whose reads the sample avoids.
        rest = replace(f, topic_sets=(), sample=None)
        sets = f.topic_sets
        sampled, _ = _pick_streamed(session, workspace_id, rest, topic_key, limit, sets, SAMPLE_CAP)
        return _rows(session, sampled)
    narrow = _narrow_texts(session, workspace_id, f) if f.search else None
    if narrow is not None:
        # A selective search: its few texts (read once for every topic of the page) matched
        # to the topic's negative findings at once, rather than 20,000 candidates checked.
        return _rows(session, _pick_among(session, workspace_id, narrow, topic_key, limit))
    if negative == 0:
        return []
    bound = limit if negative is None else min(limit, negative)
    # The candidates' texts are about the filter's topics: the rest of it is left to check.
    rest = replace(f, topic_sets=())
    sets, cap = f.topic_sets, CANDIDATE_CAP
    own = touched.chosen(session, workspace_id, f, topic_key, bound, negative)
    if own is not None:
        # The touchpoint's own records, read once for the page (fewer than the candidates
        # the stream would read); the texts about its topics streamed apart.
        picked = _pick_touched(session, workspace_id, f, topic_key, limit, negative, own)
        return _rows(session, picked)[:limit]
    picked, read = _pick_streamed(session, workspace_id, rest, topic_key, bound, sets, cap)
    if len(picked) < bound and read == cap:
        # ``CANDIDATE_CAP`` candidates held fewer than ``bound`` that pass: a narrow filter.
        picked = _pick_by_join(session, workspace_id, f, topic_key, limit)
    return _rows(session, picked)


def _pick_touched(
    session: Session,
    workspace_id: int,
    f: FeedbackFilter,
    topic_key: str,
    limit: int,
    negative: int | None,
    own: touched.OwnTexts,
) -> list[tuple[int, int]]:
    """The topic's most negative findings from the touchpoint's own texts, and from the
    texts about its topics (streamed with them as one more topic set, up to the negative
    mentions the own texts leave): the two parts' texts are apart, so the best of both."""
    nulls_first = session.get_bind().dialect.name == "sqlite"
    picked = touched.worst_own(own, topic_key, limit, nulls_first)
    if not f.touchpoint_topics:
        return picked
    left = None if negative is None else negative - own.mentions.get(topic_key, 0)
    if left == 0:
        return picked
    # unknown, or below nought (counts behind the rows): no bound but the limit
    bound = limit if left is None or left < 0 else min(limit, left)
    about = touchpoint_topics_part(f)
    rest = replace(about, topic_sets=())
    sets, cap = about.topic_sets, CANDIDATE_CAP
    streamed, read = _pick_streamed(session, workspace_id, rest, topic_key, bound, sets, cap)
    if len(streamed) < bound and read == cap:
        streamed = _pick_by_join(session, workspace_id, about, topic_key, limit)
    return picked + streamed


def touchpoint_topics_part(f: FeedbackFilter) -> FeedbackFilter:
    """The filter of the records about one of the touchpoint's topics (every record of such
    a text passes the touchpoint's condition): its topics as one more topic set."""
    sets = (*f.topic_sets, tuple(f.touchpoint_topics))
    return replace(f, touchpoint=None, touchpoint_topics=(), topic_sets=sets)


def checked_candidates(
    workspace_id: int,
    rest: FeedbackFilter,
    topic_key: str,
    topic_sets: tuple[tuple[str, ...], ...],
    cap: int,
) -> Select[int, int | None]:
    """The first ``cap`` candidates in the index's order, each with the first record of its
    text under ``rest`` (None when it has none): what ``_pick_streamed`` reads."""
    return (
        _candidates(workspace_id, topic_key, topic_sets)
        .with_only_columns(TextFinding.id, _first_feedback(workspace_id, rest))
        .join(TextEnrichment, TextEnrichment.id == TextFinding.enrichment_id)
        .order_by(TextFinding.sentiment_score.asc(), TextFinding.id)
        .limit(cap)
    )


def _pick_streamed(
    session: Session,
    workspace_id: int,
    rest: FeedbackFilter,
    topic_key: str,
    limit: int,
    topic_sets: tuple[tuple[str, ...], ...],
    cap: int,
) -> tuple[list[tuple[int, int]], int]:
    """``(finding id, first feedback id)`` of the ``limit`` most negative findings among the
    first ``cap`` candidates (``example_candidates``) whose text has a record under ``rest``,
    and how many candidates were read (under ``cap``: they ran out).

    One statement read in the index's order, each candidate checked as it is read (index
    probes: its enrichment, its text's records under the filter), streamed in fetches that
    grow to ``STREAM`` rows, and left once ``limit`` have passed; not windows of 60, 1,000
    and 20,000 ids read, then checked as an ``IN`` list (the ids bound one by one), each
    window reading the one before again (docs/scale.md, "The topics page's examples")."""
    query = checked_candidates(workspace_id, rest, topic_key, topic_sets, cap)
    query = query.execution_options(stream_results=True, max_row_buffer=STREAM)
    picked: list[tuple[int, int]] = []
    read = 0
    result = session.connection().execute(query)  # Core: the ORM's results fetch every row
    try:
        for finding_id, feedback_id in result:
            read += 1
            if feedback_id is not None:
                picked.append((finding_id, feedback_id))
                if len(picked) == limit:
                    break
    finally:
        result.close()
    return picked, read


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


def _first_feedback(
    workspace_id: int, f: FeedbackFilter, *, per_row: bool = True
) -> ScalarSelect[int]:
    """The first record under ``f`` of the text of ``TextEnrichment`` (correlated): one
    feedback record per text, stopping at the first that passes the filter: a text said a
    thousand times costs one index probe, not a thousand."""
    conditions = filter_conditions(workspace_id, f, topics_per_row=per_row, search_per_row=per_row)
    return (
        select(Feedback.id)
        .where(Feedback.text_hash == TextEnrichment.text_hash, *conditions)
        .order_by(Feedback.id)
        .limit(1)
        .correlate(TextEnrichment)
        .scalar_subquery()
    )
