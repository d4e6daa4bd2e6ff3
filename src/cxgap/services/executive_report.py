"""The executive report of a workspace for a period: gathers the figures (Listening feedback
of the period and the one before, the assessment's gaps and priorities, the irritants with a
verbatim, the measured journey map) and hands them to the pure model in
``reporting.executive_model``. Needs a writable session: the results cache and the journey
overlay's index are brought up to date on the way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from cxgap.analytics.results_json import PillarJson
from cxgap.db import listening_queries as q
from cxgap.db import listening_reads as counts_of
from cxgap.db.listening_queries import ScoreColumn
from cxgap.db.tables import Workspace
from cxgap.impact.gap import ActionGap
from cxgap.journeys.model import Journey, Text
from cxgap.reporting.executive_headlines import PeriodCounts, headline_figures
from cxgap.reporting.executive_model import (
    ExecutiveReport,
    Gap,
    IrritantItem,
    JourneyItem,
    PillarGaps,
    SubjectGap,
    TouchpointItem,
    action_for,
)
from cxgap.reporting.executive_period import Period
from cxgap.services import journeys
from cxgap.services.flagged import Mode
from cxgap.services.listening import Filters, feedback_filter
from cxgap.services.listening_insights import topics_view
from cxgap.services.overlay import journey_with_overlay
from cxgap.services.results import results_for

TOP_IRRITANTS = 5
VERBATIM_CHARS = 280


def _filters(period: Period) -> Filters:
    return Filters({"from": period.first.isoformat(), "to": period.last.isoformat()})


def _summed(histograms: dict[str, dict[int, int]]) -> dict[int, int]:
    total: dict[int, int] = {}
    for cell in histograms.values():
        for score, count in cell.items():
            total[score] = total.get(score, 0) + count
    return total


def period_counts(session: Session, workspace: Workspace, period: Period) -> PeriodCounts:
    """The count tables of the feedback collected during ``period``."""
    where = feedback_filter(
        session, workspace, _filters(period), q.topic_rows(session, workspace.id)
    )

    def scores(column: ScoreColumn) -> dict[int, int]:
        return _summed(counts_of.score_histograms(session, workspace.id, where, column, "month"))

    sentiment = _summed(counts_of.sentiment_histograms(session, workspace.id, where, "month"))
    return PeriodCounts(
        nps=scores("nps"),
        csat=scores("csat"),
        ces=scores("ces"),
        negative=sentiment.get(1, 0),
        with_sentiment=sentiment.get(1, 0) + sentiment.get(0, 0),
        volume=counts_of.count_verbatims(session, workspace.id, where),
    )


def _pillar_gaps(
    pillar: PillarJson, priorities: list[str], actions: Sequence[ActionGap]
) -> PillarGaps:
    def ci(value: list[float | None] | None) -> tuple[float, float] | None:
        if value is None or value[0] is None or value[1] is None:
            return None
        return (float(value[0]), float(value[1]))

    return PillarGaps(
        pillar=pillar["key"],
        name=Text(pillar["name_en"], pillar["name_fr"]),
        knowledge=Gap(
            pillar["knowledge_gap"], ci(pillar["knowledge_gap_ci"]), pillar["knowledge_gap_p"]
        ),
        desire=Gap(pillar["desire_gap"], ci(pillar["desire_gap_ci"]), pillar["desire_gap_p"]),
        action=action_for(pillar["key"], actions),
        priority=pillar["key"] in priorities,
    )


def quote_sentence(text: str, start: int, end: int) -> str:
    """The sentence holding ``text[start:end]`` (the finding about the irritant), cut at
    ``VERBATIM_CHARS``: a long review's first lines may praise something else.

    >>> quote_sentence("Lovely sofa. But the delivery took three weeks! Never again.", 17, 46)
    'But the delivery took three weeks!'
    """
    before = max(text.rfind(mark, 0, start) for mark in ".!?\n")
    after = [i for i in (text.find(mark, end) for mark in ".!?\n") if i != -1]
    sentence = text[before + 1 : (min(after) + 1) if after else len(text)].strip()
    sentence = sentence or text.strip()
    return sentence if len(sentence) <= VERBATIM_CHARS else sentence[: VERBATIM_CHARS - 1] + "…"


def _irritants(session: Session, workspace: Workspace, period: Period) -> tuple[IrritantItem, ...]:
    names = {t.key: Text(t.name_en, t.name_fr) for t in q.topic_rows(session, workspace.id)}
    view = topics_view(session, workspace, _filters(period))
    items = []
    for entry in view.irritants[:TOP_IRRITANTS]:
        stats = entry.irritant.stats
        verbatim = None
        if entry.examples:
            example = entry.examples[0]
            verbatim = quote_sentence(example.text, example.start, example.end)
        name = names.get(stats.topic_key, Text(stats.topic_key, stats.topic_key))
        items.append(IrritantItem(stats.topic_key, name, stats.mentions, stats.negative, verbatim))
    return tuple(items)


def _journey_item(journey: Journey) -> JourneyItem:
    touchpoints = tuple(
        TouchpointItem(
            key=tp.key,
            stage=stage.name,
            name=tp.name,
            feedback_count=tp.measured.feedback_count,
            sentiment=tp.measured.sentiment_mean,
            nps=tp.measured.nps,
            declared=tp.declared_criticality.value if tp.declared_criticality else None,
            measured=(
                tp.measured.measured_criticality.value if tp.measured.measured_criticality else None
            ),
        )
        for stage in journey.stages
        for tp in stage.touchpoints
    )
    return JourneyItem(journey.key, journey.name, touchpoints)


def _journey(session: Session, workspace: Workspace) -> JourneyItem | None:
    """The first current journey of the workspace (by key) with its measured overlay."""
    rows = [
        r for r in journeys.list_journeys(session, workspace=workspace) if r.version == "current"
    ]
    if not rows:
        return None
    journey, _ = journey_with_overlay(session, workspace=workspace, key=rows[0].key)
    return _journey_item(journey)


def pillar_gaps(
    session: Session,
    workspace: Workspace,
    *,
    action_gaps: Sequence[ActionGap] = (),
    confidence: float = 0.95,
    min_group_size: int = 30,
    flagged: Mode | None = None,
) -> tuple[PillarGaps, ...]:
    """The three gaps of every active pillar, the knowledge and desire gaps from the
    assessment (with or without the flagged answers: ``flagged``, else the workspace's
    choice), the action gap from ``action_gaps``."""
    results = results_for(
        session, workspace, min_group_size=min_group_size, confidence=confidence, flagged=flagged
    )
    priorities = list(results["priorities"])
    return tuple(
        _pillar_gaps(p, priorities, action_gaps) for p in results["pillars"] if not p["retired"]
    )


def build_executive_report(
    session: Session,
    workspace: Workspace,
    *,
    period: Period,
    action_gaps: Sequence[ActionGap] = (),
    integrity_warnings: Sequence[str] = (),
    confidence: float = 0.95,
    min_group_size: int = 30,
    now: datetime | None = None,
    other_gaps: Sequence[SubjectGap] = (),
) -> ExecutiveReport:
    """The report of ``workspace`` for ``period``; ``action_gaps`` and ``integrity_warnings``
    come from the action plans and the integrity checks (none given: none shown)."""
    previous = period.previous()
    headlines = headline_figures(
        period_counts(session, workspace, period),
        period_counts(session, workspace, previous),
        confidence=confidence,
    )
    gaps = pillar_gaps(
        session,
        workspace,
        action_gaps=action_gaps,
        confidence=confidence,
        min_group_size=min_group_size,
    )
    return ExecutiveReport(
        workspace=workspace.key,
        workspace_name=workspace.name,
        period=period,
        previous=previous,
        generated_at=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
        confidence=confidence,
        headlines=headlines,
        gaps=gaps,
        # In the order of priority (the results are cached: this reads them again cheaply).
        priorities=tuple(
            results_for(session, workspace, min_group_size=min_group_size, confidence=confidence)[
                "priorities"
            ]
        ),
        irritants=_irritants(session, workspace, period),
        journey=_journey(session, workspace),
        actions=tuple(action_gaps),
        integrity_warnings=tuple(integrity_warnings),
        other_gaps=tuple(other_gaps),
    )
