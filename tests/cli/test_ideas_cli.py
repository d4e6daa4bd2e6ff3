"""``cxgap ideas list`` and ``cxgap ideas status``: the contract of issue 15."""

from __future__ import annotations

import json

import pytest
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
    assert "E-mails to its author, voters and followers: 2, waiting" in moved.stdout
    assert "CXGAP_SMTP_URL" in moved.stdout  # no mail server here: nothing is sent yet
    again = runner.invoke(app, ["ideas", "list", "-w", "acme", "--format", "json", "--status",
                                "planned", "--database-url", url])  # fmt: skip
    assert [r["id"] for r in json.loads(again.stdout)] == [idea_id]

    bad = runner.invoke(app, ["ideas", "status", "-w", "acme", str(idea_id), "shipped",
                              "--database-url", url])  # fmt: skip
    assert bad.exit_code == 2 and "shipped" in bad.stderr and "planned" in bad.stderr
    missing = runner.invoke(app, ["ideas", "status", "-w", "acme", "9999", "planned",
                                  "--database-url", url])  # fmt: skip
    assert missing.exit_code == 2 and "9999" in missing.stderr


def test_status_says_who_will_be_mailed_once_mail_is_configured_in_either_language(
    cx: Cxgap, monkeypatch: pytest.MonkeyPatch
) -> None:
    with cx.transaction() as session:
        ws = make_workspace(session)
        ana = person_by_email(session, workspace=ws, email="ana@example.com")
        idea_id = ideas.submit_idea(session, workspace=ws, person=ana, title="Gift wrap").id
    url = cx.settings.database_url
    monkeypatch.setenv("CXGAP_SMTP_URL", "smtp://127.0.0.1:2525")
    monkeypatch.setenv("CXGAP_MAIL_FROM", "cx@example.com")
    moved = runner.invoke(app, ["ideas", "status", "-w", "acme", str(idea_id), "planned",
                                "--database-url", url])  # fmt: skip
    assert moved.exit_code == 0, moved.output
    assert "followers: 1, sent by the worker within a minute" in moved.stdout
    monkeypatch.setenv("CXGAP_LOCALE", "fr")
    monkeypatch.delenv("CXGAP_SMTP_URL")
    back = runner.invoke(app, ["ideas", "status", "-w", "acme", str(idea_id), "open",
                               "--database-url", url])  # fmt: skip
    assert back.exit_code == 0, back.output
    assert "ses votants et ses abonnés : 1, en attente" in back.stdout
