"""Listening screens: the feedback explorer, topics and irritants, scores over time, drivers.

Every function reads; the database aggregates (``db.listening_queries``) and the statistics
are in ``analytics`` (``irritants``, ``timeseries``, ``drivers``). Filters arrive as the raw
query parameters of a page and are validated here, once, for every front end.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from cxgap.db import listening_queries as q
from cxgap.db import listening_reads
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_queries import TopicRow, VerbatimRow
from cxgap.db.tables import Segment, Workspace
from cxgap.errors import FieldProblem, NotFoundError, ValidationError
from cxgap.ingest.records import SOURCE_TYPES
from cxgap.services import search_estimate
from cxgap.services.corrections import PendingLabel, pending_labels
from cxgap.services.flagged import MODES, Mode, flagged_set, parse_mode, workspace_choice
from cxgap.services.journeys import get_persona, list_personas
from cxgap.services.listening_spans import Span, highlight
from cxgap.services.search_estimate import SearchEstimate
from cxgap.services.segments import segment_filter
from cxgap.services.workspaces import pillars_of, segments_of

PAGE_SIZE = 50
SENTIMENTS = ("positive", "neutral", "negative")
LANGUAGES = ("fr", "en", "other")
FILTER_FIELDS = (
    "source",
    "channel",
    "from",
    "to",
    "language",
    "sentiment",
    "topic",
    "pillar",
    "touchpoint",
    "segment",
    "persona",
    "q",
)
MAX_SEARCH = 200
Grain = Literal["month", "week"]


@dataclass(frozen=True)
class Filters:
    """What the user asked for, validated: one value per field, or None."""

    values: Mapping[str, str]
    # With or without the flagged survey answers' comments; None: the workspace's choice.
    flagged: Mode | None = None
    # Read a broad search whole instead of estimating it from a sample (``exact=1``).
    exact: bool = False

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    @property
    def active(self) -> bool:
        return bool(self.values)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    count: int | None = None


@dataclass(frozen=True)
class Taxonomy:
    """The workspace's topics, pillars, touchpoints and segments, named in one language."""

    topics: list[TopicRow]
    topic_names: dict[str, str]
    pillar_names: dict[str, str]
    touchpoint_names: dict[str, str]
    segment_names: dict[str, str]
    persona_names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Coverage:
    """How much of the workspace's feedback the text models have enriched."""

    feedback: int
    enriched: int

    @property
    def state(self) -> str:
        if not self.feedback:
            return "no_feedback"
        return "no_enrichment" if not self.enriched else "ready"


def parse_filters(params: Mapping[str, str]) -> Filters:
    """Keep the known, non-empty filter fields; refuse values that cannot be right."""
    values = {k: v.strip() for k, v in params.items() if k in FILTER_FIELDS and v.strip()}
    problems = []
    for name, allowed in (("source", SOURCE_TYPES), ("sentiment", SENTIMENTS)):
        if name in values and values[name] not in allowed:
            message = f"must be one of {', '.join(allowed)}"
            problems.append(FieldProblem(name, message, values[name], code="choice"))
    for name in ("from", "to"):
        if name in values:
            try:
                date.fromisoformat(values[name])
            except ValueError:
                problems.append(FieldProblem(name, "expected a date YYYY-MM-DD", values[name]))
    if len(values.get("q", "")) > MAX_SEARCH:
        problems.append(FieldProblem("q", f"at most {MAX_SEARCH} characters", len(values["q"])))
    flagged = params.get("flagged") or None
    if flagged is not None and flagged not in MODES:
        problems.append(FieldProblem("flagged", "must be include or exclude", flagged))
    exact = params.get("exact") or "0"
    if exact not in ("0", "1"):
        problems.append(FieldProblem("exact", "must be 0 or 1", exact))
    if problems:
        raise ValidationError(problems, summary="Filter refused")
    return Filters(values, parse_mode(flagged), exact=exact == "1")


def parse_grain(value: str | None) -> Grain:
    if value in (None, "", "month"):
        return "month"
    if value == "week":
        return "week"
    raise ValidationError.single("grain", "must be month or week", value)


def taxonomy(session: Session, workspace: Workspace, locale: str) -> Taxonomy:
    fr = locale == "fr"
    topics = q.topic_rows(session, workspace.id)
    touchpoints = q.touchpoint_names(session, workspace.id)
    return Taxonomy(
        topics=topics,
        topic_names={t.key: t.name_fr if fr else t.name_en for t in topics},
        pillar_names={
            p.key: p.name_fr if fr else p.name_en for p in pillars_of(session, workspace)
        },
        touchpoint_names={k: names[1] if fr else names[0] for k, names in touchpoints.items()},
        segment_names={
            s.key: s.name_fr if fr else s.name_en for s in segments_of(session, workspace)
        },
        persona_names={p.key: p.name for p in list_personas(session, workspace=workspace)},
    )


def coverage(session: Session, workspace: Workspace) -> Coverage:
    return Coverage(*listening_reads.count_enriched(session, workspace.id))


def feedback_filter(
    session: Session,
    workspace: Workspace,
    filters: Filters,
    topics: list[TopicRow],
    *,
    estimate: bool = False,
) -> FeedbackFilter:
    """The database filter: pillar and touchpoint resolved to topics through the taxonomy,
    segment and persona to the workspace's one definition of the segment. ``estimate``: the
    Listening screens, whose broad search in a large PostgreSQL workspace may be read from a
    page sample (``services.search_estimate``); an export or a report is always exact."""
    topic_sets: list[tuple[str, ...]] = []
    if (topic := filters.get("topic")) is not None:
        topic_sets.append((topic,))
    if (pillar := filters.get("pillar")) is not None:
        topic_sets.append(tuple(t.key for t in topics if pillar in t.pillar_keys))
    touchpoint = filters.get("touchpoint")
    by_touchpoint = tuple(t.key for t in topics if touchpoint in t.touchpoint_keys)

    def one(name: str) -> tuple[str, ...]:
        value = filters.get(name)
        return () if value is None else (value,)

    segment, segment_ids = _segment_condition(session, workspace, filters)
    where = FeedbackFilter(
        source_types=one("source"),
        channels=one("channel"),
        languages=one("language"),
        sentiments=one("sentiment"),
        date_from=_day(filters.get("from")),
        date_to=_day(filters.get("to"), plus=1),
        topic_sets=tuple(topic_sets),
        touchpoint=touchpoint,
        touchpoint_topics=by_touchpoint,
        segment=segment,
        segment_ids=segment_ids,
        search=filters.get("q"),
        excluded_survey_ids=_excluded(session, workspace, filters),
    )
    if not estimate:
        return where
    return search_estimate.sampled(session, workspace.id, where, exact=filters.exact)


def _excluded(session: Session, workspace: Workspace, filters: Filters) -> tuple[str, ...]:
    """The flagged survey answers whose comments the reading leaves out."""
    if (filters.flagged or workspace_choice(session, workspace)) == "include":
        return ()
    return tuple(sorted(flagged_set(session, workspace).external_ids))


def _segment_condition(
    session: Session, workspace: Workspace, filters: Filters
) -> tuple[ColumnElement[bool] | None, tuple[int, ...]]:
    """Who the ``segment`` or ``persona`` filter keeps (a persona stands for its segment),
    and the ids of those segments (their counts: ``db.listening_segments``)."""
    conditions, keys = [], []
    if (key := filters.get("segment")) is not None:
        conditions.append(_segment(session, workspace, "segment", key))
        keys.append(key)
    if (persona_key := filters.get("persona")) is not None:
        try:
            persona = get_persona(session, workspace=workspace, key=persona_key)
        except NotFoundError:
            raise ValidationError.single("persona", "no such persona", persona_key) from None
        if persona.segment is None:
            message = "stands for no segment yet: choose one on the persona's page"
            raise ValidationError.single("persona", message, persona_key)
        conditions.append(_segment(session, workspace, "persona", persona.segment))
        keys.append(persona.segment)
    if not conditions:
        return None, ()
    found = select(Segment.key, Segment.id).where(
        Segment.workspace_id == workspace.id, Segment.key.in_(keys)
    )
    ids = {str(k): int(i) for k, i in session.execute(found)}
    return and_(*conditions), tuple(ids[k] for k in keys)


def _segment(session: Session, workspace: Workspace, name: str, key: str) -> ColumnElement[bool]:
    try:
        return segment_filter(session, workspace=workspace, segment=key)
    except NotFoundError:
        raise ValidationError.single(name, "no such segment", key) from None


def _day(value: str | None, plus: int = 0) -> datetime | None:
    if value is None:
        return None
    start = datetime.combine(date.fromisoformat(value), datetime.min.time(), tzinfo=UTC)
    return start + timedelta(days=plus)


# -- explorer ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Verbatim:
    row: VerbatimRow
    spans: list[Span]
    topics: tuple[str, ...]


@dataclass(frozen=True)
class ExplorerPage:
    coverage: Coverage
    total: int
    verbatims: list[Verbatim]
    next_cursor: str | None
    facets: dict[str, list[Choice]] = field(default_factory=dict)
    # Corrections stored since a verbatim's enrichment, by feedback id: shown as pending.
    pending: dict[int, list[PendingLabel]] = field(default_factory=dict)
    # A broad search read from a page sample: ``total`` and the facets are scaled from it,
    # the verbatims are the newest sampled ones.
    estimate: SearchEstimate | None = None


def encode_cursor(row: VerbatimRow) -> str:
    return f"{row.collected_at.astimezone(UTC).isoformat()}~{row.id}"


# ``feedback.id`` is a 32-bit integer on PostgreSQL: a cursor past it names no row, and binding
# it would fail in the database (integer out of range) instead of answering the reader.
MAX_FEEDBACK_ID = 2**31 - 1


def decode_cursor(value: str | None, field: str = "after") -> tuple[datetime, int] | None:
    """The ``(collected_at, id)`` of a cursor from ``encode_cursor``; anything else (a date
    out of range once in UTC, an id no row can have) is refused as not a page cursor."""
    if not value:
        return None
    at, _, ident = value.rpartition("~")
    try:
        moment = datetime.fromisoformat(at)
        moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
        row_id = int(ident)
        if 1 <= row_id <= MAX_FEEDBACK_ID:
            return moment, row_id
    except (ValueError, OverflowError):
        pass
    raise ValidationError.single(field, "is not a page cursor", value, code="page_cursor")


def explore(
    session: Session,
    workspace: Workspace,
    filters: Filters,
    *,
    after: str | None = None,
    with_facets: bool = True,
    cursor_field: str = "after",
) -> ExplorerPage:
    """One page of verbatims (newest first), the total and the counts per facet; a bad
    ``after`` is refused under the name the front end gave it (``cursor_field``)."""
    cursor = decode_cursor(after, cursor_field)
    topics = q.topic_rows(session, workspace.id)
    where = feedback_filter(session, workspace, filters, topics, estimate=True)
    rows = q.verbatim_page(session, workspace.id, where, after=cursor, limit=PAGE_SIZE + 1)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    verbatims = [
        Verbatim(
            row,
            highlight(row.text, row.findings),
            tuple(dict.fromkeys(f.topic_key for f in row.findings if f.topic_key)),
        )
        for row in rows
    ]
    facets: dict[str, list[Choice]] = {}
    total = 0
    estimate = search_estimate.estimate_of(where)
    if with_facets:
        total, facets = _counted(session, workspace, where, estimate)
    return ExplorerPage(
        coverage=coverage(session, workspace),
        total=total,
        verbatims=verbatims,
        next_cursor=encode_cursor(rows[-1]) if more else None,
        facets=facets,
        pending=pending_labels(
            session, workspace, [(row.id, row.text, row.enrichment_id) for row in rows]
        ),
        estimate=estimate,
    )


def explorer_counts(
    session: Session, workspace: Workspace, filters: Filters
) -> tuple[int, dict[str, list[Choice]]]:
    """The explorer's total and counts per facet alone (no page of verbatims), read whole:
    what the ``exact_figures`` job stores (``services.listening_exact``)."""
    topics = q.topic_rows(session, workspace.id)
    where = feedback_filter(session, workspace, filters, topics)
    return _counted(session, workspace, where, None)


def _counted(
    session: Session, workspace: Workspace, where: FeedbackFilter, estimate: SearchEstimate | None
) -> tuple[int, dict[str, list[Choice]]]:
    scale = estimate.scale if estimate is not None else int
    table = listening_reads.facet_table(session, workspace.id, where)
    table = [(*row[:4], scale(row[4])) for row in table]
    total = sum(row[4] for row in table) if estimate is None else estimate.kept
    facets = {
        name: _facet(table, index)
        for index, name in enumerate(("source", "channel", "language", "sentiment"))
    }
    counts = listening_reads.topic_facet_counts(session, workspace.id, where)
    facets["topic"] = [Choice(value, value, scale(n)) for value, n in counts]
    return total, facets


def _facet(
    table: list[tuple[str, str | None, str | None, str | None, int]], index: int
) -> list[Choice]:
    """One facet's counts from the facet table, most frequent first, empty values left out."""
    counts: dict[str, int] = {}
    for row in table:
        value = row[index]
        if isinstance(value, str) and value:
            counts[value] = counts.get(value, 0) + row[4]
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Choice(value, value, n) for value, n in ranked]


def channels(session: Session, workspace: Workspace) -> list[str]:
    return listening_reads.distinct_channels(session, workspace.id)
