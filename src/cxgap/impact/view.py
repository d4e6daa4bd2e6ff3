"""What a page shows of an action's impact: the series and its control, the analysis, the
difference-in-differences, the outcome, and the reason when there is not enough data yet,
with the sentences, table rows and chart the ``_impact.html`` partial renders. Pure:
``services.action_impact`` fills it from the database."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from cxgap.i18n import LOCALES, translate
from cxgap.impact.chart import impact_svg
from cxgap.impact.did import DiD
from cxgap.impact.did_words import did_assumption, did_sentences
from cxgap.impact.gap import Moved
from cxgap.impact.result import SEGMENTED_REGRESSION, Estimate, Impact
from cxgap.impact.series import Point
from cxgap.impact.target import BOUNDS, MetricTarget
from cxgap.impact.words import assumptions, number_text, p_text, sentences

ALPHA = 0.05  # a change is significant below this two-sided p-value


def moved_of(
    impact: Impact | None,
    target: MetricTarget,
    *,
    start: date | None = None,
    today: date | None = None,
) -> Moved:
    """BETTER or WORSE when the level or slope change is significant (p < 0.05) in the good
    or bad direction of ``target``; NO_CHANGE when neither is; NOT_STARTED when ``start`` is
    after ``today``; NOT_ENOUGH_DATA without an analysis or without any p-value. A level and
    a slope significant in opposite directions are settled by where the metric stands at
    the last period against the old trend (level + slope × periods since)."""
    if start is not None and today is not None and start > today:
        return Moved.NOT_STARTED
    if impact is None:
        return Moved.NOT_ENOUGH_DATA
    changes = [impact.level] + ([impact.slope] if impact.slope is not None else [])
    if not any(math.isfinite(change.p) for change in changes):
        return Moved.NOT_ENOUGH_DATA
    sign = 1.0 if target.higher_is_better else -1.0
    significant = [c for c in changes if math.isfinite(c.p) and c.p < ALPHA]
    good = any(sign * c.value > 0 for c in significant)
    bad = any(sign * c.value < 0 for c in significant)
    if good and bad and impact.slope is not None:
        net = impact.level.value + impact.slope.value * (impact.n_after - 1)
        good, bad = sign * net > 0, sign * net < 0
    if good and not bad:
        return Moved.BETTER
    if bad and not good:
        return Moved.WORSE
    return Moved.NO_CHANGE


@dataclass(frozen=True)
class EstimateRow:
    """One line of the estimates table, every figure written for the reader."""

    label: str
    value: str
    interval: str
    p: str


@dataclass(frozen=True)
class ImpactView:
    """An action's impact on its target's metric. ``reason`` is why there is no verdict yet,
    by locale (``{"en": …, "fr": …}``), or None."""

    target: MetricTarget
    start: date
    period: str
    series: list[Point]
    control_series: list[Point] = field(default_factory=list)
    impact: Impact | None = None
    did: DiD | None = None
    moved: Moved = Moved.NOT_ENOUGH_DATA
    reason: dict[str, str] | None = None
    control: MetricTarget | None = None
    # The names of the pillar, topic, touchpoint and segment keys of the target and the
    # control, by ``"<field>:<key>"`` then locale (``{"topic:delivery": {"en": "Delivery"}}``).
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def chart(self, locale: str) -> str:
        return impact_svg(
            self.series,
            self.start,
            locale=locale,
            impact=self.impact,
            control=self.control_series or None,
            bounds=BOUNDS.get(self.target.metric),
        )

    def series_label(self, locale: str) -> str:
        return translate(
            "impact_view.series_label",
            locale,
            metric=target_label(self.target, locale, self.names),
            period=translate(f"impact_view.period.{self.period}", locale),
            start=self.start.isoformat(),
        )

    def control_label(self, locale: str) -> str | None:
        if self.control is None:
            return None
        name = target_label(self.control, locale, self.names)
        return translate("impact_view.control_label", locale, control=name)

    def method(self, locale: str) -> str | None:
        """The method sentence of the analysis (its first line)."""
        return None if self.impact is None else sentences(self.impact, locale).split("\n")[0]

    def rows(self, locale: str) -> list[EstimateRow]:
        """The estimates: level (or difference of means), slope, DiD effect, pre-trends."""
        impact, rows = self.impact, []
        if impact is not None:
            segmented = impact.method == SEGMENTED_REGRESSION
            label = "impact_view.row.level" if segmented else "impact_view.row.level_ba"
            rows.append(_row(translate(label, locale), impact.level, locale))
            if impact.slope is not None:
                rows.append(_row(translate("impact_view.row.slope", locale), impact.slope, locale))
        if self.did is not None and self.did.effect is not None:
            rows.append(_row(translate("impact_view.row.did", locale), self.did.effect, locale))
            if self.did.pre_trend is not None:
                label = translate("impact_view.row.pre_trend", locale)
                rows.append(_row(label, self.did.pre_trend, locale))
        return rows

    def assumptions(self, locale: str) -> list[str]:
        said = [] if self.impact is None else [assumptions(self.impact, locale)]
        if self.did is not None and self.did.enough:
            said.append(did_assumption(self.did, locale))
        return said

    def did_summary(self, locale: str) -> list[str]:
        """The DiD's method and the pre-period check (or why it cannot run yet)."""
        if self.did is None:
            return []
        lines = did_sentences(self.did, locale)
        return lines[:1] + lines[2:3] if self.did.enough else lines

    def as_json(self) -> dict[str, object]:
        return {
            "target": self.target.as_json(),
            "start": self.start.isoformat(),
            "period": self.period,
            "series": [_point(p) for p in self.series],
            "control": None if self.control is None else self.control.as_json(),
            "control_series": [_point(p) for p in self.control_series],
            "impact": None if self.impact is None else self.impact.as_json(),
            "did": None if self.did is None else self.did.as_json(),
            "moved": self.moved.value,
            "reason": self.reason,
        }


def reason_words(key: str, **params: object) -> dict[str, str]:
    """``impact_view.reason.<key>`` in every locale."""
    return {locale: translate(f"impact_view.reason.{key}", locale, **params) for locale in LOCALES}


def target_label(
    target: MetricTarget, locale: str, names: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """``NPS``, ``Share of negative mentions of Delivery, segment Pro``…: the pillar, topic,
    touchpoint and segment by their name in ``names`` (``"<field>:<key>"``), else by key."""
    known = names or {}

    def name(field_name: str, key: str | None) -> str | None:
        if key is None:
            return None
        return known.get(f"{field_name}:{key}", {}).get(locale) or key

    field_name = {"pillar": "pillar", "topic_negative_share": "topic"}.get(
        target.metric.value, "touchpoint"
    )
    subject = name(field_name, target.subject)
    metric = translate(f"impact_view.metric.{target.metric.value}", locale, subject=subject)
    if target.segment is None:
        return metric
    segment = name("segment", target.segment)
    return translate("impact_view.segment", locale, metric=metric, segment=segment)


def _row(label: str, estimate: Estimate, locale: str) -> EstimateRow:
    if math.isfinite(estimate.low):
        low, high = number_text(estimate.low, locale), number_text(estimate.high, locale)
        interval = f"{low} – {high}"
    else:
        interval = "—"
    p = p_text(estimate.p, locale).removeprefix("= ") if math.isfinite(estimate.p) else "—"
    return EstimateRow(label, number_text(estimate.value, locale), interval, p)


def _point(point: Point) -> dict[str, object]:
    return {"period": point.period.isoformat(), "value": point.value, "n": point.n}
