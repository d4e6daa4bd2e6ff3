"""Ideas linked to action plans and cases, on both databases: what each side shows, one link
per pair, both ends in the same workspace, deletes that cascade both ways, and the
suggestion to move an idea to a completed status once a linked plan is done."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cxgap.db.tables import ActionRow, AuditEvent, CaseRow, Idea, IdeaLink, Workspace
from cxgap.errors import ConflictError, NotFoundError, ValidationError
from cxgap.services import action_plans, cases, idea_links, idea_pages, idea_statuses, ideas
from cxgap.services.accounts import get_user
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace


def _world(session: Session) -> tuple[Workspace, Workspace, Idea, ActionRow, CaseRow]:
    acme, other = make_workspace(session), make_workspace(session, "other", "Other")
    ana = person_by_email(session, workspace=acme, email="ana@example.com")
    idea = ideas.submit_idea(session, workspace=acme, person=ana, title="Deliver on Saturdays")
    plan = action_plans.create_action(
        session, workspace=acme, values={"title": "New delivery partner", "progress": 40,
                                         "status": "in_progress"}, actor_id=None,
    )  # fmt: skip
    case, _ = cases.open_case(session, workspace=acme, subject="Missed parcel on Friday")
    return acme, other, idea, plan, case


def _count(session: Session) -> int:
    return len(list(session.scalars(select(IdeaLink.id))))


def test_an_idea_shows_its_plans_and_cases_and_they_show_the_idea(cx: Cxgap) -> None:
    with cx.transaction() as session:
        acme, _, idea, plan, case = _world(session)
        bob = person_by_email(session, workspace=acme, email="bob@example.com")
        second = ideas.submit_idea(session, workspace=acme, person=bob, title="Weekend slots")
        ideas.vote(session, workspace=acme, idea_id=idea.id, person=bob)
        idea_links.link(session, workspace=acme, idea_id=idea.id, kind="action_plan",
                        target=plan.id)  # fmt: skip
        idea_links.link(session, workspace=acme, idea_id=idea.id, kind="case", target=case.number)
        idea_links.link(session, workspace=acme, idea_id=second.id, kind="action_plan",
                        target=plan.id)  # fmt: skip
        links = idea_links.links_of(session, acme, idea.id)
        assert [(p.id, p.status, p.progress, p.late) for p in links.plans] == [
            (plan.id, "in_progress", 40, False)
        ]
        assert [(c.number, c.status, c.subject) for c in links.cases] == [
            (case.number, "new", "Missed parcel on Friday")
        ]
        assert links.suggest_status is None  # the plan is not done
        body = links.as_json()
        assert body["plans"][0]["kind"] == "action_plan" and body["cases"][0]["kind"] == "case"
        # the plan lists both ideas, the most voted first; the case its one idea
        on_plan = idea_links.ideas_linked_to(session, action=plan)
        assert [(i.id, i.votes, i.status) for i in on_plan] == [
            (idea.id, 2, "open"), (second.id, 1, "open"),
        ]  # fmt: skip
        assert [i.id for i in idea_links.ideas_linked_to(session, case=case)] == [idea.id]
        offered = idea_links.choices(session, acme, links)
        assert offered.plans == [] and offered.cases == []  # both already linked


def test_one_link_per_pair_and_unlinking(cx: Cxgap) -> None:
    with cx.transaction() as session:
        acme, _, idea, plan, case = _world(session)
        make_user(session, "ana@example.com", workspace=acme, role="analyst")
        ana = get_user(session, email="ana@example.com")
        link = idea_links.link
        link(session, workspace=acme, idea_id=idea.id, kind="action_plan", target=plan.id,
             user_id=ana.id)  # fmt: skip
        with pytest.raises(ConflictError) as twice:
            link(session, workspace=acme, idea_id=idea.id, kind="action_plan", target=plan.id)
        assert twice.value.message_key == "idea_links.error.already_action_plan"
        idea_links.unlink(session, workspace=acme, idea_id=idea.id, kind="action_plan",
                          target=plan.id)  # fmt: skip
        assert _count(session) == 0
        trail = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.action, e.actor_user_id, e.target_type, e.target_id, e.details)
                for e in trail if e.action.startswith("idea.")] == [
            ("idea.linked", ana.id, "idea", str(idea.id), {"action_plan": plan.id}),
            ("idea.unlinked", None, "idea", str(idea.id), {"action_plan": plan.id}),
        ]  # fmt: skip
        with pytest.raises(NotFoundError):
            idea_links.unlink(session, workspace=acme, idea_id=idea.id, kind="case",
                              target=case.number)  # fmt: skip
        with pytest.raises(ValidationError) as bad:
            link(session, workspace=acme, idea_id=idea.id, kind="roadmap", target=plan.id)
        assert bad.value.problems[0].field == "kind"


def test_the_database_refuses_a_second_link_of_the_same_pair(cx: Cxgap) -> None:
    with cx.transaction() as session:
        acme, _, idea, plan, _ = _world(session)
        ids = {"workspace_id": acme.id, "idea_id": idea.id, "target_kind": "action_plan",
               "action_id": plan.id}  # fmt: skip
    with pytest.raises(IntegrityError), cx.transaction() as session:
        session.add_all([IdeaLink(**ids), IdeaLink(**ids)])
        session.flush()
    with pytest.raises(IntegrityError), cx.transaction() as session:
        session.add(IdeaLink(**(ids | {"target_kind": "case"})))  # kind and column disagree
        session.flush()


def test_both_ends_must_be_of_the_same_workspace(cx: Cxgap) -> None:
    with cx.transaction() as session:
        acme, other, idea, _, case = _world(session)
        zed = person_by_email(session, workspace=other, email="zed@example.com")
        foreign_idea = ideas.submit_idea(session, workspace=other, person=zed, title="Elsewhere")
        foreign_plan = action_plans.create_action(
            session, workspace=other, values={"title": "Their plan"}, actor_id=None
        )
        with pytest.raises(ValidationError) as plan_refused:
            idea_links.link(session, workspace=acme, idea_id=idea.id, kind="action_plan",
                            target=foreign_plan.id)  # fmt: skip
        problem = plan_refused.value.problems[0]
        assert (problem.field, problem.value, problem.code) == (
            "plan", foreign_plan.id, "idea_link_no_plan",
        )  # fmt: skip
        with pytest.raises(ValidationError) as case_refused:
            idea_links.link(session, workspace=acme, idea_id=idea.id, kind="case", target=999)
        assert case_refused.value.problems[0].field == "case"
        with pytest.raises(NotFoundError):  # another workspace's idea
            idea_links.link(session, workspace=acme, idea_id=foreign_idea.id, kind="case",
                            target=case.number)  # fmt: skip
        assert _count(session) == 0


@pytest.mark.parametrize("deleted", ["idea", "plan", "case"])
def test_deleting_either_end_deletes_the_link(cx: Cxgap, deleted: str) -> None:
    with cx.transaction() as session:
        acme, _, idea, plan, case = _world(session)
        idea_links.link(session, workspace=acme, idea_id=idea.id, kind="action_plan",
                        target=plan.id)  # fmt: skip
        idea_links.link(session, workspace=acme, idea_id=idea.id, kind="case", target=case.number)
        ids = {"idea": idea.id, "plan": plan.id, "case": case.id}
    with cx.transaction() as session:
        row = {"idea": Idea, "plan": ActionRow, "case": CaseRow}[deleted]
        session.delete(session.get(row, ids[deleted]))
    with cx.transaction() as session:
        kinds = sorted(session.scalars(select(IdeaLink.target_kind)))
        expected = {"idea": [], "plan": ["case"], "case": ["action_plan"]}[deleted]
        assert kinds == expected
        if deleted != "idea":
            assert session.get(Idea, ids["idea"]) is not None  # the idea stays


def test_a_done_plan_suggests_moving_the_idea_to_completed(cx: Cxgap) -> None:
    with cx.transaction() as session:
        acme, _, idea, plan, _ = _world(session)
        idea_links.link(session, workspace=acme, idea_id=idea.id, kind="action_plan",
                        target=plan.id)  # fmt: skip
        idea_statuses.change_status(session, workspace=acme, idea_id=idea.id, status="started")
        action_plans.set_status(session, action=plan, status="done", actor_id=None)
        links = idea_links.links_of(session, acme, idea.id)
        assert links.suggest_status == "completed" and links.plans_done == [plan.title]
        assert links.as_json()["suggest_status"] == "completed"
        assert idea_pages.idea_view(session, acme, idea.id).status == "started"  # not moved
        for status, suggested in (
            ("completed", None),
            ("declined", None),
            ("planned", "completed"),
        ):
            idea_statuses.change_status(session, workspace=acme, idea_id=idea.id, status=status)
            assert idea_links.links_of(session, acme, idea.id).suggest_status == suggested
