"""The empty overlay's reason, said in the reader's language with where to go next: one
value for the journey page and its JSON twin."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cxgap.db.tables import Workspace
from cxgap.i18n import plural_form, translate
from cxgap.journeys.model import Journey
from cxgap.journeys.overlay_status import Missing, OverlayGap
from cxgap.reporting.formatting import format_number
from cxgap.services.overlay import journey_with_overlay
from cxgap.services.overlay_status import journey_overlay_gap
from cxgap.services.topic_links import topic_choices

PERSONA = "no_persona_feedback"  # the overlay has data, not for the chosen persona's segment


def overlay_gap_view(
    session: Session,
    *,
    workspace: Workspace,
    journey: Journey,
    persona: str | None,
    locale: str,
) -> dict[str, Any] | None:
    """Why ``journey``'s overlay (as shown, maybe filtered by ``persona``) is empty, or None."""
    if any(tp.measured.feedback_count for tp in journey.touchpoints):
        return None
    if persona:
        everyone, _ = journey_with_overlay(session, workspace=workspace, key=journey.key)
        if any(tp.measured.feedback_count for tp in everyone.touchpoints):
            message = translate("journeys.overlay.gap.no_persona_feedback", locale)
            return {"missing": PERSONA, "step": None, "message": message, "actions": []}
    gap = journey_overlay_gap(session, workspace=workspace, journey=journey)
    if gap is None:
        return None
    return describe_gap(gap, session=session, workspace=workspace, journey=journey, locale=locale)


def describe_gap(
    gap: OverlayGap, *, session: Session, workspace: Workspace, journey: Journey, locale: str
) -> dict[str, Any]:
    names = dict(topic_choices(session, workspace, locale))
    topics = [{"key": key, "name": names.get(key, key)} for key in gap.topics]
    channels = [{"channel": c, "count": n} for c, n in gap.channels]
    message = _message(gap, locale, topics, channels)
    if gap.waiting and gap.missing in (Missing.LINKS, Missing.MATCHES):
        message += " " + _counted("journeys.overlay.gap.waiting", gap.waiting, locale)
    return {
        "missing": gap.missing.value,
        "step": list(Missing).index(gap.missing) + 1,
        "message": message,
        "waiting": gap.waiting,
        "topics": topics,
        "channels": channels,
        "actions": _actions(gap.missing, workspace.key, journey.key, locale),
    }


def _message(
    gap: OverlayGap, locale: str, topics: list[dict[str, str]], channels: list[dict[str, Any]]
) -> str:
    if gap.missing is Missing.ENRICHMENT:
        return _counted("journeys.overlay.gap.not_enriched", gap.waiting, locale)
    if gap.missing is not Missing.MATCHES:
        return translate(f"journeys.overlay.gap.{gap.missing.value}", locale)
    none = translate("journeys.overlay.gap.no_channel", locale)
    listed = [
        f"{c['channel'] or none} ({format_number(c['count'], locale, decimals=0)})"
        for c in channels
    ]
    return translate(
        "journeys.overlay.gap.no_matches",
        locale,
        topics=", ".join(t["name"] for t in topics),
        channels=", ".join(listed) or none,
    )


def _counted(key: str, n: int, locale: str) -> str:
    return translate(
        f"{key}_{plural_form(n, locale)}", locale, n=format_number(n, locale, decimals=0)
    )


def _actions(missing: Missing, ws: str, journey: str, locale: str) -> list[dict[str, str]]:
    editor = f"/w/{ws}/journeys/{journey}/edit"
    urls = {
        Missing.FEEDBACK: [("import", f"/w/{ws}/import/feedback")],
        Missing.ENRICHMENT: [("enrich", f"/w/{ws}/listening/taxonomy")],
        Missing.LINKS: [("editor", editor), ("taxonomy", f"/w/{ws}/listening/taxonomy")],
        Missing.MATCHES: [("editor", editor), ("topics", f"/w/{ws}/listening/topics")],
    }[missing]
    return [
        {"label": translate(f"journeys.overlay.action.{name}", locale), "url": url}
        for name, url in urls
    ]
