"""The demo's ideas are linked to its action plans and cases, so the idea's team page, the
action page and the case page are filled: the first idea to the delivery plan (done: its page
suggests Built) and to the first case, the call-back idea to the late call-back plan."""

from __future__ import annotations

from sqlalchemy import select

from cxgap.db.tables import ActionRow, Idea
from cxgap.services import idea_links
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.demo_prepared import prepare_demo
from tests.prepared import Prepared


def test_the_demos_ideas_are_linked_to_its_plans_and_cases(
    sqlite_cx: Cxgap, prepared: Prepared
) -> None:
    prepare_demo(prepared, sqlite_cx)
    with sqlite_cx.transaction() as session:
        demo = get_workspace(session, "demo")
        ideas = list(session.scalars(select(Idea).where(Idea.workspace_id == demo.id)
                                     .order_by(Idea.id)))  # fmt: skip
        saturday = idea_links.links_of(session, demo, ideas[0].id)
        assert [p.status for p in saturday.plans] == ["done"] and len(saturday.cases) == 1
        assert saturday.suggest_status == "completed"  # started, its plan done
        call_back = idea_links.links_of(session, demo, ideas[3].id)
        assert [(p.status, p.late) for p in call_back.plans] == [("in_progress", True)]
        late_plan = session.scalars(
            select(ActionRow).where(ActionRow.workspace_id == demo.id).order_by(ActionRow.id)
        ).all()[2]
        linked = idea_links.ideas_linked_to(session, action=late_plan)
        assert [i.id for i in linked] == [ideas[3].id] and linked[0].votes >= 10
