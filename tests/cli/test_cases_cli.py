"""``cxgap cases …`` on a real database: open, answer, assign, close, reopen, list, show."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace

runner = CliRunner()


def cxgap(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_case_from_opening_to_reopening(cx: Cxgap) -> None:
    url = cx.settings.database_url
    with cx.transaction() as session:
        acme = make_workspace(session)
        make_user(session, "ana@example.com", workspace=acme)
    common = ("--workspace", "acme", "--database-url", url)
    code, out, err = cxgap("cases", "open", *common, "--subject", "Broken chair", "--json")
    assert code == 0, err
    assert json.loads(out)["number"] == 1 and json.loads(out)["status"] == "new"
    for args in (
        ("reply", "1", "A new one is on its way", "--as", "ana@example.com"),
        ("note", "1", "Check the supplier"),
        ("assign", "1", "--to", "ana@example.com"),
        ("status", "1", "closed"),
        ("reopen", "1", "--why", "Still broken"),
    ):
        code, out, err = cxgap("cases", args[0], *common, *args[1:])
        assert code == 0, (args, err)
    code, out, err = cxgap("cases", "show", *common, "1", "--json")
    shown = json.loads(out)
    assert shown["assignee"] == "ana@example.com" and shown["status"] == "open"
    assert [e["type"] for e in shown["events"]] == [
        *("created", "reply", "status", "note", "assign", "status", "reopened"),
    ]
    assert (
        shown["events"][1]["actor"] == "ana@example.com" and shown["events"][3]["public"] is False
    )
    assert set(shown["sla"]["metrics"]) == {"first_response", "next_response", "resolution"}
    code, out, _ = cxgap("cases", "list", *common, "--queue", "--json")
    assert [c["number"] for c in json.loads(out)["cases"]] == [1]
    code, out, _ = cxgap("cases", "list", *common)
    assert out.startswith("#1") and "Broken chair" in out


def test_bad_input_exits_2_naming_the_value(cx: Cxgap) -> None:
    url = cx.settings.database_url
    with cx.transaction() as session:
        make_workspace(session)
    common = ("--workspace", "acme", "--database-url", url)
    code, _, err = cxgap("cases", "open", *common, "--subject", "x", "--priority", "asap")
    assert code == 2 and "'asap'" in err
    code, _, err = cxgap("cases", "show", *common, "7")
    assert code == 2 and "No case 7" in err


def test_closing_with_the_recovery_survey(cx: Cxgap, monkeypatch: pytest.MonkeyPatch) -> None:
    url = cx.settings.database_url
    with cx.transaction() as session:
        make_workspace(session)
    common = ("--workspace", "acme", "--database-url", url)
    code, _, err = cxgap("cases", "open", *common, "--subject", "Late", "--customer", "C-7")
    assert code == 0, err
    code, _, err = cxgap("cases", "status", *common, "1", "resolved", "--survey")
    assert code == 2 and "CXGAP_PUBLIC_URL" in err
    monkeypatch.setenv("CXGAP_PUBLIC_URL", "https://cx.example.com")
    code, _, err = cxgap("cases", "status", *common, "1", "resolved", "--survey")
    assert code == 2 and "no customer e-mail address" in err
    code, out, err = cxgap(
        "cases", "status", *common, "1", "resolved", "--survey", "--email", "jo@example.com",
        "--language", "fr", "--json",
    )  # fmt: skip
    assert code == 0, err
    shown = json.loads(out)
    assert shown["status"] == "resolved" and shown["recoveries"][0]["language"] == "fr"
