"""``cxgap ideas link``: link an idea to an action plan or a case and unlink it, text and JSON,
refusals with exit code 2 (another workspace's plan, neither or both options)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services import action_plans, cases, ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from tests.factories import make_workspace

runner = CliRunner()


def test_link_and_unlink_a_plan_and_a_case(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws, other = make_workspace(session), make_workspace(session, "other", "Other")
        ana = person_by_email(session, workspace=ws, email="ana@example.com")
        idea = ideas.submit_idea(session, workspace=ws, person=ana, title="Deliver on Saturdays")
        plan = action_plans.create_action(
            session, workspace=ws, values={"title": "New partner", "status": "done"},
            actor_id=None,
        )  # fmt: skip
        case, _ = cases.open_case(session, workspace=ws, subject="Missed parcel")
        foreign = action_plans.create_action(
            session, workspace=other, values={"title": "Theirs"}, actor_id=None
        )
        ids = (str(idea.id), str(plan.id), str(case.number), str(foreign.id))
    idea_id, plan_id, number, foreign_id = ids
    base = ["ideas", "link", "-w", "acme", idea_id, "--database-url", cx.settings.database_url]

    linked = runner.invoke(app, [*base, "--plan", plan_id, "--format", "json"])
    assert linked.exit_code == 0, linked.output
    body = json.loads(linked.stdout)
    assert [(p["id"], p["status"], p["progress"]) for p in body["plans"]] == [
        (int(plan_id), "done", 100)
    ]
    assert body["suggest_status"] == "completed"  # the plan is done, the idea still open

    text = runner.invoke(app, [*base, "--case", number])
    assert text.exit_code == 0, text.output
    assert f"Idea {idea_id} linked to case {number}." in text.stdout
    assert "Missed parcel" in text.stdout and "ideas status -w acme" in text.stdout

    twice = runner.invoke(app, [*base, "--case", number])
    assert twice.exit_code == 2 and "already linked" in twice.stderr
    gone = runner.invoke(app, [*base, "--case", number, "--unlink", "--json"])
    assert gone.exit_code == 0, gone.output
    assert json.loads(gone.stdout)["cases"] == []

    foreign = runner.invoke(app, [*base, "--plan", foreign_id])
    assert foreign.exit_code == 2
    assert "plan" in foreign.stderr and "not an action plan of workspace 'acme'" in foreign.stderr
    neither = runner.invoke(app, base)
    both = runner.invoke(app, [*base, "--plan", plan_id, "--case", number])
    assert neither.exit_code == both.exit_code == 2 and "--plan" in neither.stderr
