"""The results object turned into what the templates show, section by section, in one locale."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cxgap.analytics.results_json import ResultsJson
from cxgap.i18n import LOCALES
from cxgap.reporting import sections_gaps, sections_people, sections_priorities
from cxgap.reporting.context import Context

SECTION_ORDER = (
    "headline",
    "validity",
    "knowledge",
    "priorities",
    "ranking",
    "desire",
    "internal",
    "customers",
    "segments",
    "method",
)

_BUILDERS = {
    "headline": sections_gaps.headline,
    "validity": sections_gaps.validity,
    "knowledge": sections_gaps.knowledge,
    "priorities": sections_priorities.priorities,
    "ranking": sections_priorities.ranking,
    "desire": sections_gaps.desire,
    "internal": sections_people.internal,
    "customers": sections_people.customers,
    "segments": sections_people.segments,
    "method": sections_people.method,
}


def build_results_view(
    results: ResultsJson,
    locale: str,
    segment_names: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """Every section of the results page as plain values, charts as escaped SVG markup."""
    locale = locale if locale in LOCALES else "en"
    ctx = Context(results, locale=locale, segment_names=segment_names)
    view: dict[str, Any] = {name: _BUILDERS[name](ctx) for name in SECTION_ORDER}
    view["meta"] = {
        "workspace": str(results.get("workspace") or ""),
        "computed_at": format_timestamp(results.get("computed_at")),
        "has_customers": ctx.has_customers,
        "has_internal": ctx.has_internal,
        "pillar_count": len(ctx.pillars),
    }
    return view


def format_timestamp(value: object) -> str:
    """``2026-11-23 10:00 UTC`` from an ISO 8601 string; the raw text if it does not parse."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    zone = moment.tzname() or ""
    return f"{moment:%Y-%m-%d %H:%M} {zone}".strip()
