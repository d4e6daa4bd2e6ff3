"""The topics page's examples under a touchpoint filter, from the touchpoint's side: its own
records under the filter (within its dates) read once per page through
``ix_feedback_ws_touchpoint`` (migration 0063), with the findings of their texts, instead
of an irritant's candidates streamed over the whole workspace until three pass, when that
stream would read more (docs/scale.md, "The topics page's examples from the touchpoint's
side"). ``chosen`` decides from the counts: the touchpoint's records within the dates (its
index's entries, counted up to ``OWN_CAP``) against the candidates the stream would read
(``bound`` in the share of the topic's negative mentions that pass the filter).

A touchpoint filter keeps a record of the touchpoint, or one whose text is about one of the
touchpoint's topics. The texts fall in two parts, as the counts split them
(``listening_touchpoints.topics_part``): those about one of its topics, every record of
which passes the touchpoint's condition (left to the streamed read with the topics as one
more topic set), and the others, whose only records that can pass are the touchpoint's own
ones: all of those are read here. The negative mentions of the first part are the page's
count less the second part's, which this read counts: no stream when that is nought.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from cxgap.db.feedback_filters import FeedbackFilter, enrichment_of_feedback, filter_conditions
from cxgap.db.listening_count_tables import ListeningMentionCount
from cxgap.db.tables import Feedback, TextEnrichment, TextFinding

# The most records of the touchpoint (within the dates) read at once for a page; more, and
# each irritant's candidates are streamed as without a touchpoint.
OWN_CAP = 50_000
# A record of the touchpoint read with its checks and its text's findings costs about as
# much as this many candidates streamed. At 1 M a candidate fully checked costs about two
# records (docs/scale.md, the read forced); at 10 M a streamed candidate costs ~300 us (its
# probes miss the cache) against ~20 us a record read in the index's order: 4, the first
# estimate, kept the topics page under a topic + a touchpoint + dates on its streams, 3.2-3.7 s
# against 0.15-0.5 s with the read (same examples).
RECORD_COST = 0.5


@dataclass(frozen=True)
class OwnTexts:
    """Per topic, the negative findings of the texts the touchpoint's own records carry (not
    about the touchpoint's topics) as ``(score, finding id, first feedback id)``, and their
    negative mentions (one per finding and record)."""

    picks: dict[str, list[tuple[float | None, int, int]]]
    mentions: dict[str, int]


def own_filter(f: FeedbackFilter) -> FeedbackFilter:
    """``f`` keeping only the touchpoint's own records (not those about its topics)."""
    return dataclasses.replace(f, touchpoint_topics=())


def own_records(session: Session, workspace_id: int, f: FeedbackFilter) -> int:
    """The touchpoint's records within ``f``'s dates, counted up to ``OWN_CAP + 1`` (its
    index's entries alone, the rest of the filter unchecked): what ``own_texts`` would
    read. Once per session and filter."""
    memo: dict[tuple[int, str | None, object, object], int]
    memo = session.info.setdefault("touchpoint_own_records", {})
    key = (workspace_id, f.touchpoint, f.date_from, f.date_to)
    if key not in memo:
        memo[key] = int(session.scalar(own_count_query(workspace_id, f)) or 0)
    return memo[key]


def own_count_query(workspace_id: int, f: FeedbackFilter) -> Select[int]:
    """``own_records``' statement: ``ix_feedback_ws_touchpoint``'s entries, at most
    ``OWN_CAP + 1``."""
    found = select(Feedback.id).where(
        Feedback.workspace_id == workspace_id, Feedback.touchpoint == f.touchpoint
    )
    if f.date_from is not None:
        found = found.where(Feedback.collected_at >= f.date_from)
    if f.date_to is not None:
        found = found.where(Feedback.collected_at < f.date_to)
    return select(func.count()).select_from(found.limit(OWN_CAP + 1).subquery())


def chosen(
    session: Session,
    workspace_id: int,
    f: FeedbackFilter,
    topic_key: str,
    bound: int,
    negative: int | None,
) -> OwnTexts | None:
    """The touchpoint's own texts for an irritant's examples: when already read for the
    page, or when reading them costs less than streaming the topic's candidates would; None
    when they should be streamed (no touchpoint, or more than ``OWN_CAP`` records).

    The stream reads about ``bound`` in the share of the topic's negative mentions that
    pass the filter (``negative`` of the workspace's, both from the counts) of its
    candidates; the own read, the touchpoint's records within the dates, once."""
    if f.touchpoint is None:
        return None
    own = already_read(session, workspace_id, f)
    if own is not None or negative is None or negative <= 0:
        return own
    records = own_records(session, workspace_id, f)
    if records > OWN_CAP:  # the totals not read: nothing to weigh
        return None
    streamed = bound * negative_totals(session, workspace_id).get(topic_key, 0) / negative
    if records * RECORD_COST > streamed:
        return None
    return own_texts(session, workspace_id, f)


def negative_totals(session: Session, workspace_id: int) -> dict[str, int]:
    """Each topic's negative mentions in the workspace, from the counts (once per session):
    about as many as its candidates."""
    memo: dict[int, dict[str, int]] = session.info.setdefault("negative_totals", {})
    if workspace_id not in memo:
        m = ListeningMentionCount
        query = (
            select(m.topic_key, func.sum(m.n))
            .where(m.workspace_id == workspace_id, m.finding_sentiment == "negative")
            .group_by(m.topic_key)
        )
        memo[workspace_id] = {str(t): int(n or 0) for t, n in session.execute(query)}
    return memo[workspace_id]


def already_read(session: Session, workspace_id: int, f: FeedbackFilter) -> OwnTexts | None:
    """The touchpoint's own texts when ``own_texts`` has read them for this session."""
    memo: dict[tuple[int, FeedbackFilter], OwnTexts] = session.info.get("touchpoint_own", {})
    return memo.get((workspace_id, f))


def own_texts(session: Session, workspace_id: int, f: FeedbackFilter) -> OwnTexts:
    """One read of the touchpoint's own records under ``f`` joined to their texts' negative
    findings and to those about the touchpoint's topics (which set a text apart); kept for
    the session (the page's other irritants)."""
    memo: dict[tuple[int, FeedbackFilter], OwnTexts] = session.info.setdefault("touchpoint_own", {})
    if (workspace_id, f) not in memo:
        memo[(workspace_id, f)] = _read_own(session, workspace_id, f)
    return memo[(workspace_id, f)]


def _read_own(session: Session, workspace_id: int, f: FeedbackFilter) -> OwnTexts:
    conditions = filter_conditions(
        workspace_id, own_filter(f), topics_per_row=True, search_per_row=True
    )
    wanted = TextFinding.sentiment == "negative"
    if f.touchpoint_topics:
        wanted = or_(wanted, TextFinding.topic_key.in_(list(f.touchpoint_topics)))
    query = (
        select(
            Feedback.id,
            Feedback.text_hash,
            TextFinding.id,
            TextFinding.topic_key,
            TextFinding.sentiment,
            TextFinding.sentiment_score,
        )
        .select_from(Feedback)
        .join(TextEnrichment, enrichment_of_feedback())
        .join(TextFinding, TextFinding.enrichment_id == TextEnrichment.id)
        .where(*conditions, wanted)
    )
    about = set(f.touchpoint_topics)
    records: dict[str, set[int]] = {}
    findings: dict[str, dict[int, tuple[str, float | None]]] = {}
    elsewhere: set[str] = set()  # texts about the touchpoint's topics: the streamed part
    for feedback_id, text_hash, finding_id, topic, sentiment, score in session.execute(query):
        records.setdefault(text_hash, set()).add(feedback_id)
        if topic in about:
            elsewhere.add(text_hash)
        if sentiment == "negative" and topic is not None:
            findings.setdefault(text_hash, {})[finding_id] = (topic, score)
    picks: dict[str, list[tuple[float | None, int, int]]] = {}
    mentions: dict[str, int] = {}
    for text_hash, found in findings.items():
        if text_hash in elsewhere:
            continue
        first, said = min(records[text_hash]), len(records[text_hash])
        for finding_id, (topic, score) in found.items():
            picks.setdefault(topic, []).append((score, finding_id, first))
            mentions[topic] = mentions.get(topic, 0) + said
    return OwnTexts(picks, mentions)


def worst_own(
    own: OwnTexts, topic_key: str, limit: int, nulls_first: bool
) -> list[tuple[int, int]]:
    """``(finding id, first feedback id)`` of the topic's ``limit`` most negative findings
    among the touchpoint's own texts, in the database's order (score, then id; a missing
    score first on SQLite, last on PostgreSQL)."""

    def order(pick: tuple[float | None, int, int]) -> tuple[bool, float, int]:
        score, finding_id, _ = pick
        missing = score is None
        return (not missing if nulls_first else missing, score or 0.0, finding_id)

    ranked = sorted(own.picks.get(topic_key, []), key=order)[:limit]
    return [(finding_id, first) for _, finding_id, first in ranked]
