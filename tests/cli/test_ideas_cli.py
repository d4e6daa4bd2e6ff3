"""``cxgap ideas list`` and ``cxgap ideas status``: the contract of issue 15."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services import ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from tests.factories import make_workspace

runner = CliRunner()


def test_list_and_status_contract(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = make_workspace(session)
        ana = person_by_email(session, workspace=ws, email="ana@example.com")
        bob = person_by_email(session, workspace=ws, email="bob@example.com")
        idea = ideas.submit_idea(session, workspace=ws, person=ana, title="Deliver on Saturdays")
        ideas.vote(session, workspace=ws, idea_id=idea.id, person=bob)
        other = ideas.submit_idea(session, workspace=ws, person=bob, title="Dark mode in the app")
        idea_id, other_id = idea.id, other.id
    url = cx.settings.database_url
    listed = runner.invoke(app, ["ideas", "list", "--workspace", "acme", "--format", "json",
                                 "--database-url", url])  # fmt: skip
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert {k for k in rows[0]} >= {"id", "title", "status", "votes", "followers"}
    by_id = {r["id"]: r for r in rows}
    assert (by_id[idea_id]["votes"], by_id[idea_id]["followers"]) == (2, 2)
    assert by_id[other_id]["status"] == "open"

    moved = runner.invoke(app, ["ideas", "status", "--workspace", "acme", str(idea_id), "planned",
                                "--message", "Next quarter", "--database-url", url])  # fmt: skip
    assert moved.exit_code == 0, moved.output
    again = runner.invoke(app, ["ideas", "list", "-w", "acme", "--format", "json", "--status",
                                "planned", "--database-url", url])  # fmt: skip
    assert [r["id"] for r in json.loads(again.stdout)] == [idea_id]

    bad = runner.invoke(app, ["ideas", "status", "-w", "acme", str(idea_id), "shipped",
                              "--database-url", url])  # fmt: skip
    assert bad.exit_code == 2 and "shipped" in bad.stderr and "planned" in bad.stderr
    missing = runner.invoke(app, ["ideas", "status", "-w", "acme", "9999", "planned",
                                  "--database-url", url])  # fmt: skip
    assert missing.exit_code == 2 and "9999" in missing.stderr
