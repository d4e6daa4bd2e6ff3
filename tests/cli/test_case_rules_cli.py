"""``cxgap cases rules|teams|apply-rules`` and ``cxgap credits compliance`` on a real database
(both backends): the same services as the rules page and the API, refusals that name the
field and the value with exit code 2, in English and French."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import func, select
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.db.tables import CaseRow
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.services.test_cases import add_feedback
from tests.services.test_credit_statements import store_march

runner = CliRunner()


def cxgap(*args: str, locale: str = "en") -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"CXGAP_LOCALE": locale})
    return result.exit_code, result.stdout, result.stderr


def test_rules_and_teams_from_the_command_line(cx: Cxgap) -> None:
    with cx.transaction() as session:
        acme = make_workspace(session)
        make_user(session, "ana@example.com", workspace=acme, role="analyst")
        make_user(session, "bo@example.com", workspace=acme, role="analyst")
    w = ("--workspace", "acme", "--database-url", cx.settings.database_url)
    code, out, err = cxgap("cases", "teams", "add", *w, "care", "--name", "Care",
                           "--member", "ana@example.com")  # fmt: skip
    assert code == 0 and "care" in out, err
    code, out, err = cxgap("cases", "teams", "members", *w, "care", "--add", "bo@example.com",
                           "--remove", "ana@example.com", "--format", "json")  # fmt: skip
    assert json.loads(out) == {"key": "care", "name": "Care", "members": ["bo@example.com"]}
    assert cxgap("cases", "teams", "rename", *w, "care", "--name", "Customer care")[0] == 0
    code, out, _ = cxgap("cases", "rules", "add", *w, "--name", "Detractors", "--nps-max", "6",
                         "--team", "care", "--format", "json")  # fmt: skip
    first = json.loads(out)
    assert first["conditions"] == {"nps_max": 6} and first["team"] == "care"
    code, out, _ = cxgap("cases", "rules", "add", *w, "--name", "Unhappy", "--csat-max", "2",
                         "--priority", "high")  # fmt: skip
    assert code == 0 and out.startswith("2. #") and "CSAT ≤ 2" in out
    second = int(out.split("#")[1].split()[0])
    code, out, _ = cxgap("cases", "rules", "order", *w, str(second), str(first["id"]))
    assert out.index("Unhappy") < out.index("Detractors"), out
    code, out, _ = cxgap("cases", "rules", "update", *w, str(first["id"]), "--name", "Angry",
                         "--nps-max", "3", "--disabled")  # fmt: skip
    assert code == 0 and "Angry [off]" in out and "NPS ≤ 3" in out
    code, out, _ = cxgap("cases", "rules", "list", *w, "--format", "json")
    assert [(r["position"], r["name"], r["enabled"]) for r in json.loads(out)["rules"]] == [
        (1, "Unhappy", True), (2, "Angry", False)
    ]  # fmt: skip
    code, out, _ = cxgap("cases", "rules", "list", *w, locale="fr")
    assert "Angry [désactivée]: NPS ≤ 3" in out and "(Haute)" in out
    code, out, _ = cxgap("cases", "teams", "list", *w, "--format", "json")
    assert json.loads(out)["teams"][0]["name"] == "Customer care"
    assert cxgap("cases", "rules", "remove", *w, str(second))[0] == 0
    code, out, _ = cxgap("cases", "teams", "remove", *w, "care")
    assert code == 0 and "care" in out
    code, out, _ = cxgap("cases", "rules", "list", *w, "--format", "json")
    assert [r["team"] for r in json.loads(out)["rules"]] == [None]


def test_refusals_name_the_field_and_value_in_both_languages(cx: Cxgap) -> None:
    with cx.transaction() as session:
        make_workspace(session)
    w = ("--workspace", "acme", "--database-url", cx.settings.database_url)
    code, _, err = cxgap("cases", "rules", "add", *w, "--name", "Bad", "--nps-max", "12")
    assert code == 2 and "nps_max" in err and "12" in err and "0 to 10" in err
    code, _, err = cxgap("cases", "rules", "add", *w, "--name", "Bad", "--nps-max", "12",
                         locale="fr")  # fmt: skip
    assert code == 2 and "nps_max" in err and "doit être un nombre entier de 0 à 10" in err
    code, _, err = cxgap("cases", "rules", "add", *w, "--name", "Bad", "--topic", "weather",
                         locale="fr")  # fmt: skip
    assert code == 2 and "weather" in err and "topic" in err
    code, _, err = cxgap("cases", "apply-rules", *w, "--since", "2026-02-30", locale="fr")
    assert code == 2 and "--since" in err and "AAAA-MM-JJ" in err and "2026-02-30" in err
    code, _, err = cxgap("cases", "teams", "add", *w, "Big Team", "--name", "B")
    assert code == 2 and "'Big Team'" in err
    code, _, err = cxgap("cases", "rules", "remove", *w, "99")
    assert code == 2 and "No case rule 99" in err


def test_apply_rules_previews_then_opens_cases_once(cx: Cxgap) -> None:
    with cx.transaction() as session:
        acme = make_workspace(session)
        for source, day, ref in (("a", 2, "c-1"), ("b", 3, "c-1"), ("c", 4, None)):
            add_feedback(session, acme, source, nps=2, customer_ref=ref,
                         collected_at=datetime(2026, 3, day, 10, tzinfo=UTC))  # fmt: skip
    w = ("--workspace", "acme", "--database-url", cx.settings.database_url)
    code, out, err = cxgap("cases", "apply-rules", *w, "--since", "2026-03-01", "--dry-run")
    assert code == 0 and "items matching a rule 0," in out, err  # no rule yet
    cxgap("cases", "rules", "add", *w, "--name", "Detractors", "--nps-max", "6")
    code, out, _ = cxgap("cases", "apply-rules", *w, "--since", "2026-03-01", "--dry-run",
                         locale="fr")  # fmt: skip
    assert "correspondant à une règle 3," in out and "dossiers qui seraient ouverts 2," in out, out
    code, out, _ = cxgap("cases", "apply-rules", *w, "--since", "2026-03-03", "--batch-size",
                         "1", "--format", "json")  # fmt: skip
    assert json.loads(out) == {"since": "2026-03-03", "matched": 2, "opened": 2, "attached": 0,
                               "batches": 2, "dry_run": False}  # fmt: skip
    code, out, _ = cxgap("cases", "apply-rules", *w, "--since", "2026-03-01")
    assert "items matching a rule 1, cases opened 0, items attached to an open case 1." in out, out
    with cx.reading() as session:
        assert session.scalar(select(func.count(CaseRow.id))) == 2


def test_credits_compliance_prints_the_months_compliance(sqlite_cx: Cxgap) -> None:
    store_march(sqlite_cx)
    w = ("--workspace", "acme", "--database-url", sqlite_cx.settings.database_url)
    now = ("--now", "2026-04-15T00:00:00+02:00")
    code, out, err = cxgap("credits", "compliance", *w, "--month", "2026-03", *now)
    assert code == 0, err
    shown = json.loads(out)
    assert shown["cases"] == 2 and shown["overall"]["ci95"] == [9.45, 90.55]
    assert [g["value"] for g in shown["by"]["tier"]] == ["gold"]
    code, out, _ = cxgap("credits", "compliance", *w, "--month", "2026-03", *now, "--format",
                         "table", locale="fr")  # fmt: skip
    assert code == 0 and "gold" in out and "50.0" in out
    code, _, err = cxgap("credits", "compliance", *w, "--month", "2026-13")
    assert code == 2 and "--month" in err
