"""The demo workspace: a fictional bilingual brand with colleagues' and customers' answers."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from sqlalchemy import insert
from sqlalchemy.orm import Session

from cxgap.db import listening_counts
from cxgap.db.tables import Feedback, Workspace, utcnow
from cxgap.demo import service_levels as demo_levels
from cxgap.demo.events import demo_events
from cxgap.demo.feedback import DemoFeedback, demo_feedback
from cxgap.demo.feedback_writers import with_writers
from cxgap.demo.generator import generate_demo
from cxgap.demo.journeys import demo_journeys
from cxgap.services import service_accounts, service_levels
from cxgap.services.action_demo import add_demo_actions, add_demo_schedule
from cxgap.services.answers import store_customer_answers, store_internal_answers
from cxgap.services.availability_incidents import IncidentInput, add_incident
from cxgap.services.campaigns import create_internal_campaign, create_survey
from cxgap.services.case_demo import add_demo_cases
from cxgap.services.community_demo import add_demo_community
from cxgap.services.demo_events import store_demo_events
from cxgap.services.idea_link_demo import add_demo_idea_links
from cxgap.services.integrity_demo import store_shops, with_shops
from cxgap.services.journeys import create_journey
from cxgap.services.ownership import add_demo_owners
from cxgap.services.segments import set_segment_rule
from cxgap.services.taxonomy import ensure_taxonomy
from cxgap.services.workspaces import add_segments, bump_revision, create_workspace, find_workspace

DEMO_KEY = "demo"


def create_demo_workspace(
    session: Session, *, seed: int = 2026, n_customers: int = 640, locale: str = "en"
) -> bool:
    """Create the ``demo`` workspace; returns False (and changes nothing) if it exists.

    Names (segments, journeys, stages, touchpoints, topics), persona needs, usages and
    behaviours and topic descriptions are stored in both languages, whatever ``locale``;
    the texts a workspace keeps in one language (touchpoint goals and interlocutors) are
    written in ``locale``."""
    if find_workspace(session, DEMO_KEY) is not None:
        return False
    demo = generate_demo(seed=seed, n_customers=n_customers)
    workspace = create_workspace(session, key=DEMO_KEY, name=demo.workspace_name)
    add_segments(
        session,
        workspace=workspace,
        segments=[(s.key, s.name_en, s.name_fr) for s in demo.segments],
    )
    campaign = create_internal_campaign(
        session, workspace=workspace, key="self-assessment", name=demo.internal_campaign_name
    )
    store_internal_answers(
        session,
        campaign=campaign,
        answers=demo.internal,
        submission_ids=[f"demo-internal-{i:03d}" for i in range(1, len(demo.internal) + 1)],
    )
    survey = create_survey(session, workspace=workspace, key="pillars", name=demo.survey_name)
    customers, shops, durations = with_shops(demo.customers, seed)  # one shop is gamed
    ids = store_customer_answers(
        session, workspace=workspace, answers=customers, source="demo", survey_id=survey.id
    )
    store_shops(session, ids, shops, durations)
    for key, rule in SEGMENT_RULES.items():
        set_segment_rule(session, workspace=workspace, key=key, rule=rule)
    for journey in demo_journeys(locale):
        create_journey(session, workspace=workspace, journey=journey)
    ensure_taxonomy(session, workspace)  # default topics, described in both languages
    events = demo_events(demo.customers, seed=seed)
    items = with_writers(demo_feedback(seed=seed), demo.customers, events, seed=seed)
    store_demo_feedback(session, workspace=workspace, items=items)
    add_demo_cases(session, workspace=workspace, locale=locale)
    add_demo_actions(session, workspace=workspace, locale=locale)
    add_demo_owners(session, workspace=workspace)
    add_demo_schedule(session, workspace=workspace, locale=locale)
    store_demo_service_levels(session, workspace=workspace)
    store_demo_events(session, workspace=workspace, events=events)
    add_demo_community(session, workspace=workspace, locale=locale)
    add_demo_idea_links(session, workspace=workspace)
    return True


def store_demo_service_levels(session: Session, *, workspace: Workspace) -> None:
    """The default three-tier menu saved and published at ``/menu/demo``, a few accounts on
    each tier and last month's incident (``demo/service_levels.py``)."""
    service_levels.set_publication(
        session, workspace=workspace, published=True, slug=DEMO_KEY, user_id=None
    )
    for key, name, tier in demo_levels.ACCOUNTS:
        service_accounts.save_account(session, workspace=workspace, key=key, name=name, tier=tier)
    incident = demo_levels.demo_incident(utcnow().date())
    item = IncidentInput(incident.start, incident.end, incident.accounts, incident.note)
    add_incident(session, workspace=workspace, item=item)


# One written definition per segment (seed 003), over survey answers and feedback attributes.
SEGMENT_RULES = {
    "busy_family": 'segment = "busy_family"',
    "design_lover": 'segment = "design_lover" or (generation = "Gen Y" and stars >= 5)',
    "pro_buyer": 'segment = "pro_buyer" or (generation = "Gen X" and source in ("ticket", '
    '"complaint"))',
    "bargain_hunter": 'segment = "bargain_hunter" or (birth_year < 1965 and nps <= 6)',
}


def store_demo_feedback(
    session: Session, *, workspace: Workspace, items: Sequence[DemoFeedback]
) -> int:
    """Store the demo's feedback items (not enriched: the text analysis does that)."""
    now = utcnow()
    rows = [
        {
            "workspace_id": workspace.id,
            "source_type": item.source_type,
            "source_id": item.source_id,
            "channel": item.channel,
            "collected_at": item.collected_at,
            "text": item.text,
            "nps": item.nps,
            "csat": item.csat,
            "stars": item.stars,
            "touchpoint": item.touchpoint,
            "customer_ref": item.customer_ref,
            "language_hint": item.language,
            "attributes": dict(item.attributes),
            "text_hash": hashlib.sha256(item.text.encode()).hexdigest(),
            "created_at": now,
            "updated_at": now,
        }
        for item in items
    ]
    if rows:
        session.execute(insert(Feedback), rows)
        listening_counts.rebuild(session, workspace.id)
    bump_revision(session, workspace.id)
    return len(rows)
