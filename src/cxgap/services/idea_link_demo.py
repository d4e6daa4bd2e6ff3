"""The demo's ideas linked to its action plans and cases (``docs/community.md``), so the
idea's team page, the action page and the case page show their links: "Deliver on Saturdays"
(started) answered by the new delivery partner (done: its page suggests moving it to Built)
and by the first case; the call-back idea by the late call-back plan; the refunds idea (built)
by the case closed after a refund."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import ActionRow, CaseRow, Idea, Workspace
from cxgap.services import idea_links

# (the idea's place in community_demo.IDEAS, the action's in action_demo._ACTIONS)
PLAN_LINKS = ((0, 0), (3, 2))
# (the idea's place, the case's place in case_demo._STORIES, oldest first)
CASE_LINKS = ((0, 0), (5, 2))


def add_demo_idea_links(session: Session, *, workspace: Workspace) -> int:
    """Link the demo's ideas to its plans and cases; how many links were made."""
    here = workspace.id
    ideas = session.scalars(select(Idea.id).where(Idea.workspace_id == here).order_by(Idea.id))
    plans = session.scalars(
        select(ActionRow.id).where(ActionRow.workspace_id == here).order_by(ActionRow.id)
    )
    cases = session.scalars(
        select(CaseRow.number).where(CaseRow.workspace_id == here).order_by(CaseRow.number)
    )
    idea_ids, targets = list(ideas), {"action_plan": list(plans), "case": list(cases)}
    made = 0
    for kind, pairs in (("action_plan", PLAN_LINKS), ("case", CASE_LINKS)):
        for idea_place, target_place in pairs:
            if idea_place < len(idea_ids) and target_place < len(targets[kind]):
                idea_links.link(
                    session,
                    workspace=workspace,
                    idea_id=idea_ids[idea_place],
                    kind=kind,
                    target=targets[kind][target_place],
                )
                made += 1
    return made
