"""``cxgap cases … --format json`` (the spelling of ``cxgap sla`` and ``cxgap credits``) prints
what ``--json`` prints; ``--format text`` is the default; both at once must agree."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services import cases
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.tickets.helpers import DATA

runner = CliRunner()
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)  # a Tuesday, in business hours


def cxgap(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"CXGAP_LOCALE": "en"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def common(cx: Cxgap, monkeypatch: pytest.MonkeyPatch) -> tuple[str, ...]:
    """A workspace with a member, and a clock that stands still (the SLA minutes left)."""
    monkeypatch.setattr(cases, "now_utc", lambda: NOW)
    with cx.transaction() as session:
        acme = make_workspace(session)
        make_user(session, "ana@example.com", workspace=acme)
    return ("--workspace", "acme", "--database-url", cx.settings.database_url)


def as_json(*args: str) -> object:
    code, out, err = cxgap(*args)
    assert code == 0, (args, err)
    return json.loads(out)


def test_every_case_command_prints_the_same_json_with_format_json(
    common: tuple[str, ...],
) -> None:
    opened = as_json("cases", "open", *common, "--subject", "Broken chair", "--format", "json")
    assert opened == as_json("cases", "show", *common, "1", "--json")
    for args in (
        ("reply", "1", "A new one is on its way", "--as", "ana@example.com"),
        ("note", "1", "Check the supplier"),
        ("assign", "1", "--to", "ana@example.com"),
        ("status", "1", "closed"),
        ("reopen", "1", "--why", "Still broken"),
    ):
        done = as_json("cases", args[0], *common, *args[1:], "--format", "json")
        assert done == as_json("cases", "show", *common, "1", "--json"), args
    shown = as_json("cases", "show", *common, "1", "--format", "json")
    assert shown == as_json("cases", "show", *common, "1", "--json")
    assert isinstance(shown, dict) and shown["status"] == "open" and len(shown["events"]) == 7
    for listing in (("list",), ("list", "--queue")):
        listed = as_json("cases", *listing, *common, "--format", "json")
        assert listed == as_json("cases", *listing, *common, "--json")
        assert isinstance(listed, dict) and [c["number"] for c in listed["cases"]] == [1]


def test_text_is_the_default_and_format_text_says_so(common: tuple[str, ...]) -> None:
    code, _, err = cxgap("cases", "open", *common, "--subject", "Broken chair")
    assert code == 0, err
    plain = cxgap("cases", "list", *common)
    assert plain == cxgap("cases", "list", *common, "--format", "text")
    assert plain[1].startswith("#1") and "Broken chair" in plain[1]


def test_json_with_format_text_is_refused_naming_both(common: tuple[str, ...]) -> None:
    code, out, err = cxgap("cases", "list", *common, "--json", "--format", "text")
    assert code == 2 and out == ""
    assert "--json and --format text" in err
    code, _, err = cxgap("cases", "list", *common, "--format", "yaml")
    assert code == 2 and "'yaml'" in err


def test_the_import_report_with_format_json(common: tuple[str, ...]) -> None:
    tickets = str(DATA / "zendesk_view.csv")
    first = as_json("cases", "import", *common, tickets, "--format", "json")
    again = as_json("cases", "import", *common, tickets, "--format", "json")
    assert isinstance(first, dict) and (first["created"], first["updated"]) == (4, 0)
    assert again == as_json("cases", "import", *common, tickets, "--json")
    assert isinstance(again, dict) and (again["created"], again["updated"]) == (0, 4)
