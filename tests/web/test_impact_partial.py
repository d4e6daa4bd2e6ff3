"""templates/_impact.html renders an ImpactView in French and English: the outcome, the chart
with the action's date, the method, the estimates with their intervals, the assumptions, and
the not-enough-data sentence."""

from __future__ import annotations

from datetime import date
from functools import partial
from html import escape

import pytest

from cxgap.i18n import translate
from cxgap.impact import measure_impact
from cxgap.impact.did import difference_in_differences
from cxgap.impact.gap import Moved
from cxgap.impact.series import Point
from cxgap.impact.target import Metric, MetricTarget
from cxgap.impact.view import ImpactView, moved_of, reason_words
from cxgap.web.render import make_templates
from tests.impact.test_did import EFFECT_CONTROL, EFFECT_TREATED

TARGET = MetricTarget(Metric.NPS, segment="pro")
CONTROL = MetricTarget(Metric.NPS, segment="home")
START = date(2025, 9, 1)


def monthly(values: list[float]) -> list[Point]:
    return [Point(date(2025 + i // 12, i % 12 + 1, 1), v, 200) for i, v in enumerate(values)]


def measured() -> ImpactView:
    series, control = monthly(EFFECT_TREATED), monthly(EFFECT_CONTROL)
    impact = measure_impact(series, START)
    return ImpactView(
        TARGET,
        START,
        "month",
        series,
        control,
        impact,
        difference_in_differences(series, control, START),
        moved_of(impact, TARGET),
        control=CONTROL,
    )


def render(view: ImpactView, locale: str) -> str:
    template = make_templates().env.get_template("_impact.html")
    t = partial(lambda loc, key, **p: translate(key, loc, **p), locale)
    return template.render(impact_view=view, locale=locale, t=t)


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_a_measured_action_shows_chart_method_estimates_and_assumptions(locale: str) -> None:
    html = render(measured(), locale).replace("&#39;", "'")
    assert translate("impact_view.title", locale) in html
    assert escape(translate("impact_view.moved.better", locale), quote=False) in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert 'class="action-date"' in html and 'class="control"' in html
    for key in ("level", "slope", "did", "pre_trend"):
        assert translate(f"impact_view.row.{key}", locale) in html
    # the DiD effect and its interval (statsmodels' figures in tests/impact/test_did.py)
    effect = "+5,96" if locale == "fr" else "+5.96"
    interval = "+3,20 – +8,72" if locale == "fr" else "+3.20 – +8.72"
    assert effect in html and interval in html
    assert ("tendances parallèles" if locale == "fr" else "parallel trends") in html
    assert ("Newey-West" in html) and html.count("<li>") == 2
    assert "impact-reason" not in html


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_not_enough_data_is_said_without_estimates(locale: str) -> None:
    view = ImpactView(
        TARGET,
        date(2026, 12, 10),
        "month",
        [],
        moved=Moved.NOT_STARTED,
        reason=reason_words("not_started", date="2026-12-10"),
    )
    html = render(view, locale).replace("&#39;", "'")
    assert translate("impact_view.reason.not_started", locale, date="2026-12-10") in html
    assert translate("impact_view.moved.not_started", locale) in html
    assert "<svg" not in html and "<table" not in html
