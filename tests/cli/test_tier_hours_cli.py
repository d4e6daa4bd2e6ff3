"""A tier's support hours through ``cxgap sla policy set|show`` and ``cxgap credits compute``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services.core import Cxgap
from tests.factories import make_workspace
from tests.sla.test_tier_calendars import menu_document

runner = CliRunner()


def test_policy_set_and_show_carry_a_tiers_hours_and_credits_use_them(
    sqlite_cx: Cxgap, tmp_path: Path
) -> None:
    with sqlite_cx.transaction() as session:
        make_workspace(session)
    url = ["--database-url", sqlite_cx.settings.database_url, "--workspace", "acme"]
    menu = tmp_path / "menu.json"
    menu.write_text(json.dumps(menu_document()))
    saved = runner.invoke(app, ["sla", "policy", "set", str(menu), *url])
    assert saved.exit_code == 0, saved.output
    shown = json.loads(runner.invoke(app, ["sla", "policy", "show", *url]).output)
    assert shown["tiers"][1]["calendar"] == menu_document()["tiers"][1]["calendar"]
    # Friday 17:30, answered at 19:45: 30 office minutes (hit), 135 Premium minutes (missed).
    reply = {"at": "2026-12-04T19:45:00+01:00", "type": "reply", "by": "agent"}
    cases = [
        {"id": a, "account": a, "created_at": "2026-12-04T17:30:00+01:00", "events": [reply]}
        for a in ("small", "mid")
    ]
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    (tmp_path / "shown.json").write_text(json.dumps(shown))
    computed = runner.invoke(
        app,
        ["credits", "compute", "--menu", str(tmp_path / "shown.json"), "--cases",
         str(tmp_path / "cases.json"), "--month", "2026-12", "--now", "2027-01-15T00:00:00Z"],
    )  # fmt: skip
    assert computed.exit_code == 0, computed.output
    rates = {a["account"]: a["sla_hit_rate"] for a in json.loads(computed.output)["accounts"]}
    assert rates == {"small": 100, "mid": 0, "big": None}
    compliance = runner.invoke(
        app,
        ["sla", "compliance", "--policy", str(tmp_path / "shown.json"), "--cases",
         str(tmp_path / "cases.json"), "--month", "2026-12", "--by", "tier",
         "--now", "2027-01-15T00:00:00Z"],
    )  # fmt: skip
    assert compliance.exit_code == 0, compliance.output
    tiers = {
        g["value"]: (g["hit"], g["missed"]) for g in json.loads(compliance.output)["by"]["tier"]
    }
    assert tiers == {"standard": (1, 0), "premium": (0, 1)}


def test_a_bad_tier_calendar_is_refused_with_its_path(sqlite_cx: Cxgap, tmp_path: Path) -> None:
    with sqlite_cx.transaction() as session:
        make_workspace(session)
    document = menu_document()
    document["tiers"][2]["calendar"] = {"hours": {"sun": [["25:00", "26:00"]]}}
    bad = tmp_path / "menu.json"
    bad.write_text(json.dumps(document))
    url = ["--database-url", sqlite_cx.settings.database_url, "--workspace", "acme"]
    result = runner.invoke(app, ["sla", "policy", "set", str(bad), *url])
    assert result.exit_code == 2
    assert "menu.json, tiers[2].calendar.hours.sun[0][0]" in result.output
