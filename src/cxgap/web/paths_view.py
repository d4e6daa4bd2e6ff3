"""What the paths pages need beside the report: the filters read from the query string, the
choices of the filter form, durations and names in the reader's language, the Sankey drawn
from the report's JSON."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from cxgap.db.tables import Workspace
from cxgap.i18n import translate
from cxgap.paths.sankey import SankeyLink, SankeyNode, TopPaths
from cxgap.paths.sankey_svg import sankey_svg, sankey_text
from cxgap.reporting.formatting import format_number
from cxgap.services import journeys
from cxgap.services.journey_paths import PathsQuery, topic_names
from cxgap.services.workspaces import segments_of

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0


def paths_query(
    journey: str | None,
    persona: str | None,
    segment: str | None,
    days: int | None,
    contacts: Sequence[str] | None,
) -> PathsQuery:
    """The report's filters from the query string (blank values mean "not chosen")."""
    picked = tuple(sorted({c for c in contacts or () if c.strip()}))
    return PathsQuery(
        journey=journey or None,
        persona=persona or None,
        segment=segment or None,
        within_days=7 if days is None else days,
        contacts=picked or None,
    )


def duration(locale: str, seconds: object) -> str:
    """A duration as a person reads it: "45 s", "12 min", "3.5 h", "4.2 d" ("4,2 j")."""
    if not isinstance(seconds, int | float):
        return "—"
    value = float(seconds)
    for unit, size in (("d", DAY), ("h", HOUR), ("min", MINUTE)):
        if value >= size:
            amount = format_number(value / size, locale, decimals=1)
            return translate(f"paths_pages.unit.{unit}", locale, n=amount)
    return translate("paths_pages.unit.s", locale, n=format_number(value, locale, decimals=0))


def drawn_sankey(report: Mapping[str, Any], locale: str) -> str:
    """The report's top paths as the SVG of ``cxgap.paths.sankey_svg``."""
    data = report["sankey"]
    paths = TopPaths(
        cases=data["cases"],
        shown_cases=data["shown_cases"],
        other_cases=data["other_cases"],
        variants_shown=data["variants_shown"],
        variants_other=data["variants_other"],
        cut=data["cut"],
        steps=data["steps"],
        nodes=tuple(SankeyNode(**node) for node in data["nodes"]),
        links=tuple(SankeyLink(**link) for link in data["links"]),
    )
    return sankey_svg(paths, sankey_text(paths, locale))


@dataclass(frozen=True)
class Names:
    """Names of the things a report mentions, in the reader's language."""

    locale: str
    touchpoints: Mapping[str, Mapping[str, str]]
    topics: Mapping[str, tuple[str, str]]

    def touchpoint(self, key: str | None) -> str:
        if key is None:
            return translate("paths_pages.conformance.at_start", self.locale)
        names = self.touchpoints.get(key)
        if not names:
            return key
        return (
            (names.get("fr") or names.get("en") or key)
            if self.locale == "fr"
            else (names.get("en") or names.get("fr") or key)
        )

    def topic(self, key: str) -> str:
        en, fr = self.topics.get(key, (key, key))
        return (fr or en) if self.locale == "fr" else (en or fr)


def names_for(
    session: Session, workspace: Workspace, report: Mapping[str, Any], locale: str
) -> Names:
    topics = topic_names(session, workspace)
    return Names(locale, report.get("touchpoint_names") or {}, topics)


def filter_choices(session: Session, workspace: Workspace, locale: str) -> dict[str, Any]:
    """The journeys, personas and segments the filter form offers."""
    fr = locale == "fr"
    return {
        "journey_choices": [
            (row.key, row.name_fr if fr else row.name_en)
            for row in journeys.list_journeys(session, workspace=workspace)
        ],
        "persona_choices": [
            (p.key, p.name) for p in journeys.list_personas(session, workspace=workspace)
        ],
        "segment_choices": [
            (s.key, s.name_fr if fr else s.name_en) for s in segments_of(session, workspace)
        ],
    }
