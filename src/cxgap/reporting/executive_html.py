"""The executive report as one self-contained HTML document: inline CSS, inline SVG charts,
no external reference (it is e-mailed and opened from disk). Pure."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from cxgap.i18n import translate
from cxgap.reporting import executive_view as view
from cxgap.reporting.executive_charts import chart_svg, gaps_chart, journey_chart
from cxgap.reporting.executive_model import ExecutiveReport

_TEMPLATES = Path(__file__).with_name("templates")


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(_TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html",)),
        undefined=StrictUndefined,
    )


def render_executive_html(report: ExecutiveReport, *, locale: str) -> str:
    """The report in ``locale`` (``fr`` or ``en``) as a complete HTML document."""
    locale = "fr" if locale == "fr" else "en"

    def t(key: str, **params: object) -> str:
        return translate(key, locale, **params)

    journey = report.journey
    charts = {"gaps": Markup(chart_svg(gaps_chart(report.gaps, locale))) if report.gaps else None}
    charts["journey"] = (
        Markup(chart_svg(journey_chart(journey.touchpoints, locale)))
        if journey and journey.touchpoints
        else None
    )
    return (
        _environment()
        .get_template("results_executive.html")
        .render(
            report=report,
            locale=locale,
            t=t,
            sections=[(s, view.section_title(s, locale)) for s in view.SECTIONS],
            period_line=view.period_line(report, locale),
            headlines=view.headline_table(report, locale),
            gaps=view.gaps_table(report, locale),
            priorities=view.priority_lines(report, locale),
            irritants=view.irritants_table(report, locale),
            journey=view.journey_table(report, locale),
            journey_name=journey.name.get(locale) if journey else None,
            actions=view.actions_table(report, locale),
            charts=charts,
        )
    )
