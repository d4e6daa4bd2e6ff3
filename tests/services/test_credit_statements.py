"""Service credits of a month from stored cases and incidents, worked by hand."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services import availability_incidents, cases, credit_statements, service_levels
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace

PARIS = ZoneInfo("Europe/Paris")
DOCUMENT = {
    "calendar": {
        "timezone": "Europe/Paris",
        "hours": {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    },
    "policies": [{"name": "gold", "match": {}, "targets": {"first_response": 60}}],
    "tiers": [
        {
            "name": "gold",
            "fee": 1000,
            "accounts": ["bigco"],
            "sla_credits": [{"below": 95, "percent": 10}],
            "availability_target": 99.9,
            "availability_credits": [{"below": 99.9, "percent": 25}],
            "cap_percent": 50,
        }
    ],
}


def store_march(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        service_levels.save_document(session, workspace=workspace, document=DOCUMENT, user_id=None)
        answered, _ = cases.open_case(
            session, workspace=workspace, subject="A", account="bigco",
            at=datetime(2026, 3, 2, 10, tzinfo=PARIS),
        )  # fmt: skip
        cases.reply(session, case=answered, body="Hello", actor_id=None,
                    at=datetime(2026, 3, 2, 10, 30, tzinfo=PARIS))  # fmt: skip
        cases.open_case(session, workspace=workspace, subject="B", account="bigco",
                        at=datetime(2026, 3, 3, 10, tzinfo=PARIS))  # fmt: skip
        cases.open_case(session, workspace=workspace, subject="April", account="bigco",
                        at=datetime(2026, 4, 1, 10, tzinfo=PARIS))  # fmt: skip
        availability_incidents.add_incident(
            session,
            workspace=workspace,
            item=availability_incidents.IncidentInput(
                "2026-03-10T10:00", "2026-03-10T11:00", "bigco"
            ),
        )


def test_a_months_credit_comes_from_its_cases_and_incidents(cx: Cxgap) -> None:
    store_march(cx)
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        now = datetime(2026, 4, 15, tzinfo=PARIS)
        (bigco,) = credit_statements.month_credits(session, workspace, date(2026, 3, 1), now)
    # March: case A answered in 30 business minutes (hit), case B never (missed) -> 50 % < 95:
    # 10 %; 60 minutes down of March in Paris, 31 x 1,440 - 60 (the clocks go forward on the
    # 29th) = 44,580 minutes -> 99.865 % < 99.9: 25 %; 35 % of 1,000 = 350.00
    assert (bigco.account, bigco.tier.name, bigco.hit, bigco.missed) == ("bigco", "gold", 1, 1)
    assert list(bigco.case_ids) == ["1", "2"]
    assert round(bigco.availability, 4) == round(100 * (1 - 60 / 44580), 4)
    assert bigco.credit_percent == 35 and bigco.credit_amount == Decimal("350.00")


def test_cxgap_credits_statement_prints_the_contracts_json(sqlite_cx: Cxgap) -> None:
    store_march(sqlite_cx)
    url = ["--database-url", sqlite_cx.settings.database_url, "--workspace", "acme"]
    run = CliRunner().invoke(
        app,
        ["credits", "statement", *url, "--month", "2026-03", "--now", "2026-04-15T00:00:00+02:00"],
    )
    assert run.exit_code == 0, run.output
    (account,) = json.loads(run.output)["accounts"]
    assert account == {
        "account": "bigco",
        "tier": "gold",
        "sla_hit_rate": 50,
        "availability": account["availability"],
        "credit_percent": 35,
        "credit_amount": 350.0,
    }
    refused = CliRunner().invoke(app, ["credits", "statement", *url, "--month", "2026-13"])
    assert refused.exit_code == 2 and "--month" in refused.output
