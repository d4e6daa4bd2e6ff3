"""What an action should move: a metric, for what, possibly for one segment.

Shared by the action plans (stored on each action), the metric series that feed the impact
analysis, and the action gap. Pure: no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cxgap.errors import FieldProblem, ValidationError


class Metric(StrEnum):
    NPS = "nps"
    CSAT = "csat"
    CES = "ces"
    PILLAR = "pillar"  # a pillar's performance (mean of its items, 1–5)
    TOPIC_NEGATIVE_SHARE = "topic_negative_share"  # share of a topic's mentions that are negative
    TOUCHPOINT_SENTIMENT = "touchpoint_sentiment"  # mean sentiment of a touchpoint's feedback


# The field each metric needs besides the optional segment.
_SUBJECT: dict[Metric, str | None] = {
    Metric.NPS: None,
    Metric.CSAT: None,
    Metric.CES: None,
    Metric.PILLAR: "pillar",
    Metric.TOPIC_NEGATIVE_SHARE: "topic",
    Metric.TOUCHPOINT_SENTIMENT: "touchpoint",
}

# The values a metric can take, where its scale fixes them: a chart's axis stays within.
BOUNDS: dict[Metric, tuple[float, float]] = {
    Metric.PILLAR: (1.0, 5.0),
    Metric.TOPIC_NEGATIVE_SHARE: (0.0, 1.0),
}


@dataclass(frozen=True)
class MetricTarget:
    """A metric and what it is measured on: ``pillar`` (a pillar key) for ``pillar``,
    ``topic`` (a topic key) for ``topic_negative_share``, ``touchpoint`` (a touchpoint key)
    for ``touchpoint_sentiment``; ``segment`` (a segment key) narrows any of them."""

    metric: Metric
    pillar: str | None = None
    topic: str | None = None
    touchpoint: str | None = None
    segment: str | None = None

    def __post_init__(self) -> None:
        needed = _SUBJECT[self.metric]
        problems = []
        for name in ("pillar", "topic", "touchpoint"):
            value = getattr(self, name)
            if name == needed and not value:
                problems.append(
                    FieldProblem(
                        name, f"required for the metric {self.metric.value!r}", code="required"
                    )
                )
            elif name != needed and value:
                problems.append(
                    FieldProblem(
                        name,
                        f"not used by the metric {self.metric.value!r}",
                        value=value,
                        code="unknown_column",
                    )
                )
        if problems:
            raise ValidationError(problems, summary="Invalid metric target")

    @property
    def subject(self) -> str | None:
        """The pillar, topic or touchpoint key the metric is about (None for NPS, CSAT, CES)."""
        needed = _SUBJECT[self.metric]
        return None if needed is None else getattr(self, needed)

    @property
    def higher_is_better(self) -> bool:
        """A negative share should go down; every other metric should go up."""
        return self.metric is not Metric.TOPIC_NEGATIVE_SHARE

    @classmethod
    def parse(cls, metric: str, **fields: str | None) -> MetricTarget:
        """From form or API values, refusing an unknown metric by name."""
        try:
            kind = Metric(metric)
        except ValueError:
            raise ValidationError(
                [
                    FieldProblem(
                        "metric",
                        "unknown metric; one of " + ", ".join(m.value for m in Metric),
                        value=metric,
                        code="choice",
                    )
                ],
                summary="Invalid metric target",
            ) from None
        return cls(kind, **{k: (v or None) for k, v in fields.items()})

    def as_json(self) -> dict[str, str | None]:
        return {
            "metric": self.metric.value,
            "pillar": self.pillar,
            "topic": self.topic,
            "touchpoint": self.touchpoint,
            "segment": self.segment,
        }
