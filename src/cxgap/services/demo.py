"""The demo workspace: a fictional bilingual brand with colleagues' and customers' answers."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cxgap.demo.generator import generate_demo
from cxgap.demo.journeys import demo_journeys
from cxgap.services.answers import store_customer_answers, store_internal_answers
from cxgap.services.campaigns import create_internal_campaign, create_survey
from cxgap.services.journeys import create_journey
from cxgap.services.workspaces import add_segments, create_workspace, find_workspace

DEMO_KEY = "demo"


def create_demo_workspace(session: Session, *, seed: int = 2026, n_customers: int = 640) -> bool:
    """Create the ``demo`` workspace; returns False (and changes nothing) if it exists."""
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
    store_customer_answers(
        session, workspace=workspace, answers=demo.customers, source="demo", survey_id=survey.id
    )
    for journey in demo_journeys():
        create_journey(session, workspace=workspace, journey=journey)
    return True
