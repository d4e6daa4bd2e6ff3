"""``cxgap owners list|set|unset|check`` on a real database (both backends): the services of
the ownership page, refusals naming the field and value with exit code 2."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services.core import Cxgap
from tests.ownership_factories import NOW, worsened_workspace

runner = CliRunner()


def cxgap(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"CXGAP_LOCALE": "en"})
    return result.exit_code, result.stdout, result.stderr


def test_owners_from_the_command_line(cx: Cxgap) -> None:
    with cx.transaction() as session:
        worsened_workspace(session)
    w = ("--workspace", "acme", "--database-url", cx.settings.database_url)
    code, out, err = cxgap("owners", "set", *w, "touchpoint", "assembly", "--team", "logistics")
    assert (code, out.strip()) == (0, "logistics"), err
    code, out, _ = cxgap("owners", "set", *w, "touchpoint", "assembly", "--team", "web", "--add")
    assert out.strip() == "logistics, web"
    code, out, _ = cxgap("owners", "unset", *w, "touchpoint", "assembly", "--team", "logistics")
    assert out.strip() == "web"
    code, out, _ = cxgap("owners", "list", *w, "--format", "json")
    subjects = {(s["kind"], s["key"]): s["teams"] for s in json.loads(out)["subjects"]}
    assert subjects[("touchpoint", "assembly")] == ["web"]
    assert subjects[("pillar", "digital")] == ["web"]
    code, out, _ = cxgap("owners", "list", *w)
    assert code == 0 and "delivery" in out and "logistics" in out
    code, out, _ = cxgap("owners", "unset", *w, "touchpoint", "assembly")
    assert out.strip() == "(nobody)"


def test_check_reports_the_worsening_without_sending(cx: Cxgap) -> None:
    with cx.transaction() as session:
        worsened_workspace(session)
    w = ("--workspace", "acme", "--database-url", cx.settings.database_url)
    code, out, err = cxgap("owners", "check", *w, "--now", NOW.isoformat())
    assert code == 0, err
    run = json.loads(out)
    assert run["window"] == {"from": "2026-11-26T00:00:00+00:00", "to": "2026-12-03T00:00:00+00:00"}
    worsened = {s["key"]: s["worsened"] for s in run["subjects"]}
    assert worsened == {"digital": False, "delivery": True}
    delivery = next(s for s in run["subjects"] if s["key"] == "delivery")
    share = next(m for m in delivery["measures"] if m["measure"] == "negative_share")
    # 35 of 50 negative this week against 16 of 160 before.
    assert (share["window"], share["baseline"]) == (0.7, 0.1)
    assert share["significant"] and share["p_adjusted"] < 1e-6


def test_unknown_subjects_are_refused_with_exit_code_2(cx: Cxgap) -> None:
    with cx.transaction() as session:
        worsened_workspace(session)
    w = ("--workspace", "acme", "--database-url", cx.settings.database_url)
    code, _, err = cxgap("owners", "set", *w, "touchpoint", "moon", "--team", "web")
    assert code == 2 and "moon" in err and "touchpoint" in err
    code, _, err = cxgap("owners", "set", *w, "pillar", "digital", "--team", "nobody")
    assert code == 2 and "nobody" in err
