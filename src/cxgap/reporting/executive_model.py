"""The executive report as values: what a leadership team reads, for one workspace and one
period, before it is rendered to JSON, HTML or PDF. Pure.

The JSON form (:meth:`ExecutiveReport.to_json`) is a contract (docs/reports.md): its keys are
stable and ``gaps`` holds ``knowledge``, ``desire`` and ``action`` for every pillar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cxgap.analytics.descriptive import Interval
from cxgap.impact.gap import ActionGap
from cxgap.journeys.model import Text
from cxgap.reporting.executive_period import Period

HEADLINE_METRICS = ("nps", "csat", "ces", "volume", "negative")


def _interval(ci: Interval | None) -> list[float] | None:
    return None if ci is None else [float(ci[0]), float(ci[1])]


@dataclass(frozen=True)
class Headline:
    """One figure of the period next to the period before, and the change between them."""

    metric: str  # one of HEADLINE_METRICS
    value: float | None
    previous: float | None
    n: int
    n_previous: int
    change: float | None = None
    change_ci: Interval | None = None
    change_p: float | None = None
    test: str | None = None  # how the change's interval was computed; None: no interval

    @property
    def significant(self) -> bool:
        return self.change_p is not None and self.change_p < 0.05

    def to_json(self) -> dict[str, object]:
        return {
            "metric": self.metric,
            "value": self.value,
            "previous": self.previous,
            "change": self.change,
            "change_ci": _interval(self.change_ci),
            "change_p": self.change_p,
            "significant": self.significant,
            "test": self.test,
            "n": self.n,
            "n_previous": self.n_previous,
        }


@dataclass(frozen=True)
class Gap:
    """A knowledge or desire gap of a pillar: the difference, its interval and p value."""

    value: float | None
    ci: Interval | None = None
    p: float | None = None

    def to_json(self) -> dict[str, object]:
        return {"value": self.value, "ci": _interval(self.ci), "p": self.p}


@dataclass(frozen=True)
class PillarGaps:
    """The three gaps of seed 002 for one pillar."""

    pillar: str
    name: Text
    knowledge: Gap
    desire: Gap
    action: ActionGap | None  # None: no action plan data for this pillar
    priority: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "pillar": self.pillar,
            "name_en": self.name.en,
            "name_fr": self.name.fr,
            "priority": self.priority,
            "knowledge": self.knowledge.to_json(),
            "desire": self.desire.to_json(),
            "action": None if self.action is None else self.action.as_json(),
        }


@dataclass(frozen=True)
class SubjectGap:
    """The action gap of a touchpoint, driver, persona or segment (``gap.kind``), with its
    name, why it is shown (``worst_sentiment``: among the touchpoints with the worst measured
    sentiment, ``figure`` its mean; ``top_driver``: among the topics that lower the score
    most, ``figure`` its share of R²; ``has_actions``) (services/subject_gaps.py)."""

    gap: ActionGap
    name: Text
    why: str
    figure: float | None = None

    def to_json(self) -> dict[str, object]:
        return self.gap.as_json() | {
            "name_en": self.name.en,
            "name_fr": self.name.fr,
            "why": self.why,
            "figure": self.figure,
        }


@dataclass(frozen=True)
class IrritantItem:
    """A top irritant of the period with one representative verbatim."""

    topic: str
    name: Text
    mentions: int
    negative: int
    verbatim: str | None

    @property
    def share_negative(self) -> float | None:
        return self.negative / self.mentions if self.mentions else None

    def to_json(self) -> dict[str, object]:
        return {
            "topic": self.topic,
            "name_en": self.name.en,
            "name_fr": self.name.fr,
            "mentions": self.mentions,
            "negative": self.negative,
            "share_negative": self.share_negative,
            "verbatim": self.verbatim,
        }


@dataclass(frozen=True)
class TouchpointItem:
    """A touchpoint of the measured journey map."""

    key: str
    stage: Text
    name: Text
    feedback_count: int
    sentiment: float | None  # mean sentiment score, −1..1
    nps: float | None
    declared: str | None  # criticality keys (journeys.model.Criticality)
    measured: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "stage_en": self.stage.en,
            "stage_fr": self.stage.fr,
            "name_en": self.name.en,
            "name_fr": self.name.fr,
            "feedback_count": self.feedback_count,
            "sentiment": self.sentiment,
            "nps": self.nps,
            "declared_criticality": self.declared,
            "measured_criticality": self.measured,
        }


@dataclass(frozen=True)
class JourneyItem:
    key: str
    name: Text
    touchpoints: tuple[TouchpointItem, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "name_en": self.name.en,
            "name_fr": self.name.fr,
            "touchpoints": [tp.to_json() for tp in self.touchpoints],
        }


def _period_json(period: Period) -> dict[str, object]:
    return {
        "label": period.label,
        "first": period.first.isoformat(),
        "last": period.last.isoformat(),
    }


@dataclass(frozen=True)
class ExecutiveReport:
    workspace: str
    workspace_name: str
    period: Period
    previous: Period
    generated_at: str
    confidence: float
    headlines: tuple[Headline, ...]
    gaps: tuple[PillarGaps, ...]
    priorities: tuple[str, ...]
    irritants: tuple[IrritantItem, ...]
    journey: JourneyItem | None
    actions: tuple[ActionGap, ...] = ()
    integrity_warnings: tuple[str, ...] = field(default_factory=tuple)
    other_gaps: tuple[SubjectGap, ...] = ()

    def headline(self, metric: str) -> Headline:
        return next(h for h in self.headlines if h.metric == metric)

    def pillar_name(self, key: str, locale: str) -> str:
        return next((g.name.get(locale) for g in self.gaps if g.pillar == key), key)

    def to_json(self) -> dict[str, object]:
        return {
            "workspace": self.workspace,
            "workspace_name": self.workspace_name,
            "period": _period_json(self.period),
            "previous_period": _period_json(self.previous),
            "generated_at": self.generated_at,
            "confidence": self.confidence,
            "headlines": {h.metric: h.to_json() for h in self.headlines},
            "gaps": [g.to_json() for g in self.gaps],
            "priorities": list(self.priorities),
            "irritants": [i.to_json() for i in self.irritants],
            "journey": None if self.journey is None else self.journey.to_json(),
            "actions": [a.as_json() for a in self.actions],
            "other_gaps": [g.to_json() for g in self.other_gaps],
            "integrity_warnings": list(self.integrity_warnings),
        }


def action_for(pillar: str, action_gaps: Sequence[ActionGap]) -> ActionGap | None:
    """The action gap of a pillar among those passed in (``kind == "pillar"``)."""
    return next((a for a in action_gaps if a.kind == "pillar" and a.subject == pillar), None)
