"""The Listening filter shared by the screens' queries and the feedback export: which records
a :class:`FeedbackFilter` keeps (its WHERE conditions), the feedback-to-enrichment join, and
the accent- and case-blind text search on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    and_,
    any_,
    bindparam,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased

from cxgap.db import search_index
from cxgap.db.search_index import text_matches as text_matches  # its home before 0050
from cxgap.db.tables import Feedback, TextEnrichment, TextFinding

if TYPE_CHECKING:
    from cxgap.db.search_sample import PageSample

SURVEY_SOURCE = "survey"  # services.survey_feedback.SOURCE_TYPE (a service: not imported here)

# Letters a French or English search should treat alike, whatever the accents and case.
_FOLDS = {
    "a": "aàâäáAÀÂÄÁ",
    "c": "cçCÇ",
    "e": "eéèêëEÉÈÊË",
    "i": "iîïíIÎÏÍ",
    "o": "oôöóOÔÖÓ",
    "u": "uùûüúUÙÛÜÚ",
    "y": "yÿYŸ",
    "'": "'’",
    "œ": "œŒ",
}
_BASE = {variant: base for base, variants in _FOLDS.items() for variant in variants}


@dataclass(frozen=True)
class FeedbackFilter:
    """Which verbatims a screen looks at. Empty tuples and ``None`` mean "all".

    ``topic_sets`` are ANDed, the keys inside one set ORed (a topic filter is one set, a
    pillar filter another: its topics). ``touchpoint`` matches the feedback's own touchpoint
    or any topic in ``touchpoint_topics``.
    """

    source_types: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sentiments: tuple[str, ...] = ()
    date_from: datetime | None = None
    date_to: datetime | None = None  # exclusive
    topic_sets: tuple[tuple[str, ...], ...] = ()
    touchpoint: str | None = None
    touchpoint_topics: tuple[str, ...] = ()
    # "Belongs to the segment" as compiled by services.segments.segment_filter: the one
    # definition every screen shares (a persona's figures are its segment's).
    segment: ColumnElement[bool] | None = field(default=None, compare=False)
    # The segments whose materialised members ``segment`` keeps (a segment and a persona's
    # one), for the counts per segment (``db.listening_segments``); () when none or unknown.
    segment_ids: tuple[int, ...] = ()
    search: str | None = None
    # Source ids of survey answers left out (the flagged ones, ``services.flagged``): their
    # comments are not counted. Not a key of the counts: the rows answer such a filter.
    excluded_survey_ids: tuple[str, ...] = ()
    # A broad search on PostgreSQL estimated from a page sample (``db.search_sample``):
    # the readers read the sampled records the filter keeps, by primary key.
    sample: PageSample | None = None


def search_pattern(query: str) -> str:
    """A regular expression matching ``query`` whatever its case and accents, valid for
    Python (SQLite) and PostgreSQL alike.

    >>> search_pattern("Délai")
    '(?i)d[eéèêëEÉÈÊË]l[aàâäáAÀÂÄÁ][iîïíIÎÏÍ]'
    >>> search_pattern("tv  2")
    '(?i)tv\\\\s+2'
    >>> search_pattern("3.5")
    '(?i)3\\\\.5'
    """
    parts = []
    for char in " ".join(query.split()).lower():  # a run of spaces as one, as the GLOB does
        base = _BASE.get(char)
        if base is not None:
            parts.append(f"[{_FOLDS[base]}]")
        elif char.isalnum():
            parts.append(char)
        elif char.isspace():
            parts.append(r"\s+")
        else:
            parts.append("\\" + char)
    return "(?i)" + "".join(parts)


def glob_pattern(query: str) -> str:
    """The same match as :func:`search_pattern` as an SQLite GLOB (native code, ten times
    faster than calling Python's ``re`` for every row).

    >>> glob_pattern("Délai 2*")
    '*[dD][eéèêëEÉÈÊË][lL][aàâäáAÀÂÄÁ][iîïíIÎÏÍ] 2[*]*'
    """
    parts = []
    for char in " ".join(query.split()).lower():
        base = _BASE.get(char)
        if base is not None:
            parts.append(f"[{_FOLDS[base]}]")
        elif char.upper() != char:
            parts.append(f"[{char}{char.upper()}]")
        elif char in "*?[]":
            parts.append(f"[{char}]")
        else:
            parts.append(char)
    return "*" + "".join(parts) + "*"


def feedback_query(columns: Sequence[Any], *, enrichment: bool = True) -> Select[Any]:
    """Feedback, outer-joined to its enrichment unless nothing needs it (a count by source
    over a million rows is then an index scan)."""
    query = select(*columns).select_from(Feedback)
    if not enrichment:
        return query
    return query.outerjoin(TextEnrichment, enrichment_of_feedback())


def enrichment_of_feedback() -> ColumnElement[bool]:
    """The join condition of feedback and its enrichment: identical texts share one."""
    return and_(
        TextEnrichment.workspace_id == Feedback.workspace_id,
        TextEnrichment.text_hash == Feedback.text_hash,
    )


def _topic_condition(workspace_id: int, keys: Sequence[str]) -> ColumnElement[bool]:
    """Feedback whose text has a finding about one of ``keys``. Driven from the findings'
    topic index to the feedback's text-hash index: SQLite plans ``enrichment.id IN (…)``
    across the outer join badly (minutes at 100k rows), this form in a fraction of a second.
    """
    texts = (
        select(TextEnrichment.text_hash)
        .join(TextFinding, TextFinding.enrichment_id == TextEnrichment.id)
        .where(TextFinding.workspace_id == workspace_id, TextFinding.topic_key.in_(list(keys)))
    )
    return Feedback.text_hash.in_(texts)


def _topic_row_condition(workspace_id: int, keys: Sequence[str]) -> ColumnElement[bool]:
    """``_topic_condition`` tested row by row: an index lookup of the row's enrichment and
    its findings. For a page of the newest rows (``verbatim_page``) on PostgreSQL, which
    otherwise joins every finding of the topic to every enrichment first (9-21 s at 10 M
    items, docs/scale.md) to keep 51 rows. ``OFFSET 0`` keeps the planner from turning it
    into that join."""
    enrichment, finding = aliased(TextEnrichment), aliased(TextFinding)
    found = (
        select(literal(1))
        .select_from(enrichment)
        .join(finding, finding.enrichment_id == enrichment.id)
        .where(
            enrichment.workspace_id == workspace_id,
            enrichment.text_hash == Feedback.text_hash,
            finding.topic_key.in_(list(keys)),
        )
        .correlate(Feedback)
        .offset(0)
    )
    return exists(found)


def needs_enrichment(f: FeedbackFilter) -> bool:
    """Whether ``f`` filters on the enrichment, so the query must join it."""
    return bool(f.languages or f.sentiments)


def filter_conditions(
    workspace_id: int,
    f: FeedbackFilter,
    *,
    topics_per_row: bool = False,
    search_per_row: bool = False,
) -> list[ColumnElement[bool]]:
    """The WHERE conditions of the records of ``workspace_id`` that ``f`` keeps;
    ``topics_per_row``: the topic and touchpoint filters' topics tested row by row
    (``_topic_row_condition``); ``search_per_row``: the search tested on the row's own text
    (``search_condition``), for rows already found by key, not the search index's every
    match (a set of 200,000 ids at 1 M for a broad search, built again for each row)."""
    conditions: list[ColumnElement[bool]] = [Feedback.workspace_id == workspace_id]
    for column, values in ((Feedback.source_type, f.source_types), (Feedback.channel, f.channels)):
        if values:
            conditions.append(column.in_(list(values)))
    # Wrapped in coalesce so that SQLite keeps the outer join and drives the query from the
    # feedback indexes; a bare condition lets it start from the enrichments and re-run the
    # topic subquery for each of them (seconds at 100k rows).
    for column, values in (
        (TextEnrichment.language, f.languages),
        (TextEnrichment.sentiment, f.sentiments),
    ):
        if values:
            conditions.append(func.coalesce(column, "").in_(list(values)))
    if f.date_from is not None:
        conditions.append(Feedback.collected_at >= f.date_from)
    if f.date_to is not None:
        conditions.append(Feedback.collected_at < f.date_to)
    # A broad search's page sample is a few hundred records by key: each tested row by row
    # (the set form built every finding of the topic first: 3.4 s a statement at 10 M,
    # 10 ms row by row; docs/scale.md, "A topic and a broad search at 10 M").
    per_row = topics_per_row or f.sample is not None
    topic_condition = _topic_row_condition if per_row else _topic_condition
    conditions += [topic_condition(workspace_id, keys) for keys in f.topic_sets]
    if f.touchpoint is not None:
        own = Feedback.touchpoint == f.touchpoint
        by_topic = topic_condition(workspace_id, f.touchpoint_topics)
        conditions.append(or_(own, by_topic) if f.touchpoint_topics else own)
    if f.segment is not None:
        conditions.append(f.segment)
    if f.sample is not None:
        # A broad search's page sample (db.search_sample): its kept records by primary key,
        # the search tested on those rows' own text, not the search index's every match.
        ids = bindparam(None, list(f.sample.ids), type_=ARRAY(Integer))
        conditions.append(Feedback.id == any_(ids))
        if f.search:
            conditions.append(search_condition(f.search))
    elif f.search and search_per_row:
        conditions.append(search_condition(f.search))
    elif f.search:  # the search index's matches and its pending rows (db.search_index)
        conditions.append(
            search_index.matches(workspace_id, search_pattern(f.search), glob_pattern(f.search))
        )
    if f.excluded_survey_ids:
        conditions.append(_not_excluded(f.excluded_survey_ids))
    return conditions


def search_condition(search: str) -> ColumnElement[bool]:
    """The row's own text contains ``search`` whatever its case and accents, tested on the
    row (no index): for rows already picked by key, as a page sample's."""
    pattern, glob = search_pattern(search), glob_pattern(search)
    return text_matches(Feedback.text, literal(pattern), literal(glob))


def _not_excluded(source_ids: tuple[str, ...]) -> ColumnElement[bool]:
    """Not the comment of an excluded survey answer. The ids are written into the statement
    (thousands stay under SQLite's limit on bound parameters; quoted by the dialect)."""
    ids: BindParameter[list[str]] = bindparam(
        None, sorted(source_ids), expanding=True, literal_execute=True
    )
    return or_(Feedback.source_type != SURVEY_SOURCE, Feedback.source_id.not_in(ids))
