"""``cxgap sla policy show|set`` and ``cxgap credits accounts|incidents`` on a stored workspace;
what ``policy show`` prints is a MENU.json ``cxgap credits compute`` reads."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services.core import Cxgap
from tests.factories import make_workspace

runner = CliRunner()


def test_set_show_accounts_incidents_and_credits_from_the_stored_menu(
    sqlite_cx: Cxgap, tmp_path: Path
) -> None:
    with sqlite_cx.transaction() as session:
        make_workspace(session)
    url = ["--database-url", sqlite_cx.settings.database_url, "--workspace", "acme"]
    shown = runner.invoke(app, ["sla", "policy", "show", *url])
    assert shown.exit_code == 0, shown.output
    document = json.loads(shown.output)
    document["tiers"][1]["accounts"] = ["acme-corp"]
    menu = tmp_path / "menu.json"
    menu.write_text(json.dumps(document))
    saved = runner.invoke(app, ["sla", "policy", "set", str(menu), *url])
    assert saved.exit_code == 0 and "version 1" in saved.output, saved.output
    listed = json.loads(runner.invoke(app, ["credits", "accounts", *url]).output)
    assert listed == [{"key": "acme-corp", "name": "acme-corp", "tier": "premium", "contact": None}]
    csv = tmp_path / "incidents.csv"
    csv.write_text("start,end,accounts,note\n2026-04-02T10:00,2026-04-02T11:12,acme-corp,db\n")
    imported = runner.invoke(app, ["credits", "incidents", "--import", str(csv), *url])
    assert imported.exit_code == 0 and "Imported 1" in imported.output, imported.output
    incidents = tmp_path / "incidents.json"
    incidents.write_text(runner.invoke(app, ["credits", "incidents", *url]).output)
    (tmp_path / "menu.json").write_text(runner.invoke(app, ["sla", "policy", "show", *url]).output)
    cases = tmp_path / "cases.json"
    cases.write_text("[]")
    computed = runner.invoke(
        app,
        ["credits", "compute", "--menu", str(menu), "--cases", str(cases), "--incidents",
         str(incidents), "--month", "2026-04"],
    )  # fmt: skip
    assert computed.exit_code == 0, computed.output
    [acme] = [a for a in json.loads(computed.output)["accounts"] if a["account"] == "acme-corp"]
    assert acme["credit_percent"] == 10 and acme["credit_amount"] == 99.0


def test_a_bad_document_is_refused_with_its_path_and_exit_code_2(
    sqlite_cx: Cxgap, tmp_path: Path
) -> None:
    with sqlite_cx.transaction() as session:
        make_workspace(session)
    bad = tmp_path / "menu.json"
    bad.write_text(json.dumps({"calendar": {"timezone": "Europe/Paris"}, "policies": []}))
    url = ["--database-url", sqlite_cx.settings.database_url, "--workspace", "acme"]
    result = runner.invoke(
        app, ["sla", "policy", "set", str(bad), *url], env={"CXGAP_LOCALE": "fr"}
    )
    assert result.exit_code == 2
    assert "menu.json, calendar.hours" in result.output and "obligatoire" in result.output
