"""Why a journey's overlay is empty, from the workspace's data (``journeys.overlay_status``
has the rule and its order): counts read only when the overlay shows nothing."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cxgap.db.listening_reads import count_enriched
from cxgap.db.tables import Workspace
from cxgap.db.topic_queries import feedback_channels, topics_mentioned
from cxgap.journeys.model import Journey
from cxgap.journeys.overlay_status import OverlayFacts, OverlayGap, overlay_gap
from cxgap.services.topic_links import journey_topics


def overlay_facts(session: Session, *, workspace: Workspace, journey: Journey) -> OverlayFacts:
    feedback, enriched = count_enriched(session, workspace.id)
    if not feedback or not enriched:
        return OverlayFacts(feedback=feedback, enriched=enriched)
    links = journey_topics(session, workspace=workspace, journey=journey)
    linked = list(dict.fromkeys(topic for topics in links.values() for topic in topics))
    mentioned = topics_mentioned(session, workspace.id, linked)
    return OverlayFacts(
        feedback=feedback,
        enriched=enriched,
        linked={topic: int(topic in mentioned) for topic in linked},
        channels=feedback_channels(session, workspace.id) if linked else {},
    )


def journey_overlay_gap(
    session: Session, *, workspace: Workspace, journey: Journey
) -> OverlayGap | None:
    """The first missing step when ``journey`` (with its overlay laid over) shows nothing."""
    if any(tp.measured.feedback_count for tp in journey.touchpoints):
        return None
    facts = overlay_facts(session, workspace=workspace, journey=journey)
    return overlay_gap(facts, measured_any=False)
