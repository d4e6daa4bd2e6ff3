"""The case rules, the teams, the rules applied to older feedback, and the month's compliance
and credits over the REST API: what each answers, and refusals that name the field and the
value in English and French."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cxgap.services import api_tokens
from cxgap.services.accounts import get_user, principal_of
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user
from tests.listening_factories import add_feedback
from tests.services.test_credit_statements import store_march
from tests.warm_routes import app_for
from tests.web.test_api_routes import Api, serve_api

RULES = "/api/v1/workspaces/acme/case-rules"
TEAMS = "/api/v1/workspaces/acme/teams"


@pytest.fixture
def api(sqlite_cx: Cxgap) -> Iterator[Api]:
    yield from serve_api(sqlite_cx)


def _as(api: Api, role: str = "analyst", **headers: str) -> dict[str, str]:
    return {"authorization": f"Bearer {api.tokens[role]}", **headers}


def test_rules_are_added_refused_replaced_reordered_and_deleted(api: Api) -> None:
    client, rule_id = api.client, api.ids["rule_id"]
    [listed] = client.get(RULES, headers=_as(api)).json()
    assert listed == {
        "id": rule_id, "position": 1, "name": "Detractors", "enabled": True,
        "conditions": {"nps_max": 6}, "priority": "normal", "team": "care",
    }  # fmt: skip
    bad = {"name": "Bad", "conditions": {"nps_max": 12}}
    refused = client.post(RULES, json=bad, headers=_as(api))
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["field"] == "nps_max" and error["details"][0]["value"] == "12"
    french = client.post(RULES, json=bad, headers=_as(api, **{"accept-language": "fr"}))
    assert "doit être un nombre entier de 0 à 10" in french.json()["error"]["message"]
    unknown = client.post(
        RULES, json={"name": "T", "conditions": {"topic": "weather"}}, headers=_as(api)
    )
    assert unknown.status_code == 422 and unknown.json()["error"]["details"][0]["value"] == (
        "weather"
    )
    empty = client.post(RULES, json={"name": "None", "conditions": {}}, headers=_as(api))
    assert empty.status_code == 422 and empty.json()["error"]["field"] == "conditions"
    added = client.post(
        RULES, json={"name": "Unhappy", "conditions": {"csat_max": 2}, "priority": "high"},
        headers=_as(api),
    ).json()  # fmt: skip
    assert (added["position"], added["priority"], added["team"]) == (2, "high", None)
    replaced = client.put(
        f"{RULES}/{rule_id}",
        json={"name": "Angry", "conditions": {"nps_max": 3}, "enabled": False},
        headers=_as(api),
    ).json()
    assert (replaced["name"], replaced["position"], replaced["enabled"]) == ("Angry", 1, False)
    order = client.put(f"{RULES}/order", json={"rules": [added["id"], rule_id]}, headers=_as(api))
    assert [r["name"] for r in order.json()] == ["Unhappy", "Angry"]
    partial = client.put(f"{RULES}/order", json={"rules": [rule_id]}, headers=_as(api))
    assert partial.status_code == 422 and partial.json()["error"]["field"] == "rules"
    assert client.delete(f"{RULES}/{rule_id}", headers=_as(api)).status_code == 204
    assert client.delete(f"{RULES}/{rule_id}", headers=_as(api)).status_code == 404
    assert [r["name"] for r in client.get(RULES, headers=_as(api)).json()] == ["Unhappy"]


def test_apply_previews_then_opens_cases_once(api: Api, sqlite_cx: Cxgap) -> None:
    with sqlite_cx.transaction() as session:
        acme = get_workspace(session, "acme")
        for day, text in ((2, "Still no parcel."), (9, "Nobody answers.")):
            add_feedback(session, acme, text, collected_at=datetime(2026, 6, day, tzinfo=UTC),
                         nps=2, customer_ref="c-1")  # fmt: skip
    body: dict[str, Any] = {"since": "2026-06-01", "dry_run": True}
    preview = api.client.post(f"{RULES}/apply", json=body, headers=_as(api)).json()
    assert (preview["matched"], preview["opened"], preview["attached"]) == (2, 1, 1)
    assert preview["dry_run"] is True
    cases = api.client.get("/api/v1/workspaces/acme/cases", headers=_as(api)).json()["items"]
    assert len(cases) == 1  # the preview opened nothing
    done = api.client.post(f"{RULES}/apply", json=body | {"dry_run": False}, headers=_as(api))
    assert done.status_code == 200, done.text
    assert (done.json()["opened"], done.json()["attached"]) == (1, 1)
    again = api.client.post(f"{RULES}/apply", json={"since": "2026-06-01"}, headers=_as(api))
    assert again.json()["matched"] == 0
    cases = api.client.get("/api/v1/workspaces/acme/cases", headers=_as(api)).json()["items"]
    opened = [c for c in cases if c["customer_ref"] == "c-1"]
    assert len(opened) == 1 and opened[0]["team"] == "care"
    bad = api.client.post(f"{RULES}/apply", json={"since": "June"}, headers=_as(api))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "since"


def test_teams_are_created_renamed_staffed_and_deleted(api: Api) -> None:
    client = api.client
    made = client.post(
        TEAMS, json={"key": "billing", "name": "Billing", "members": ["vera@example.com"]},
        headers=_as(api),
    )  # fmt: skip
    assert made.status_code == 201
    assert made.json() == {"key": "billing", "name": "Billing", "members": ["vera@example.com"]}
    twice = client.post(TEAMS, json={"key": "billing", "name": "B"}, headers=_as(api))
    assert twice.status_code == 409
    bad_key = client.post(TEAMS, json={"key": "Big Team", "name": "B"}, headers=_as(api))
    assert bad_key.status_code == 422 and bad_key.json()["error"]["field"] == "key"
    stranger = client.put(
        f"{TEAMS}/billing", json={"members": ["zed@example.com"]}, headers=_as(api)
    )
    assert stranger.status_code == 422
    assert stranger.json()["error"]["details"][0]["value"] == "zed@example.com"
    changed = client.put(
        f"{TEAMS}/billing",
        json={"name": "Invoices", "members": ["adam@example.com"]},
        headers=_as(api),
    ).json()
    assert changed == {"key": "billing", "name": "Invoices", "members": ["adam@example.com"]}
    assert client.delete(f"{TEAMS}/care", headers=_as(api)).status_code == 204
    assert client.put(f"{TEAMS}/care", json={"name": "X"}, headers=_as(api)).status_code == 404
    listed = client.get(TEAMS, headers=_as(api, "viewer")).json()
    assert [t["key"] for t in listed] == ["billing"]
    rules = client.get(RULES, headers=_as(api)).json()
    assert rules[0]["team"] is None  # the deleted team's rule now opens cases for nobody


@pytest.fixture
def march(sqlite_cx: Cxgap) -> Iterator[tuple[TestClient, dict[str, str]]]:
    store_march(sqlite_cx)
    with sqlite_cx.transaction() as session:
        acme = get_workspace(session, "acme")
        admin = make_user(session, "adam@example.com", workspace=acme, role="admin")
        token = api_tokens.create_workspace_token(
            session,
            workspace=acme,
            principal=principal_of(get_user(session, email=admin)),
            name="v",
            role="viewer",
        )
    with TestClient(app_for(sqlite_cx)) as client:
        yield client, {"authorization": f"Bearer {token}"}


def test_compliance_and_credits_of_a_month(march: tuple[TestClient, dict[str, str]]) -> None:
    client, headers = march
    levels = "/api/v1/workspaces/acme/service-levels"
    compliance = client.get(f"{levels}/compliance?month=2026-03", headers=headers).json()
    # March: case A answered in 30 business minutes (hit), case B never (missed); Wilson 95 %
    # for 1 of 2: 0.5 ± 1.96 √(0.125 + 0.2401) / 2.9207 = 9.45 – 90.55 %
    assert compliance["month"] == "2026-03" and compliance["cases"] == 2
    overall = compliance["overall"]
    assert (overall["hit"], overall["missed"], overall["rate"]) == (1, 1, 50)
    assert overall["ci95"] == [9.45, 90.55] and overall["small"] is True
    assert overall["metrics"]["first_response"]["n"] == 2
    assert [g["value"] for g in compliance["by"]["tier"]] == ["gold"]
    assert set(compliance["by"]) == {"tier", "priority", "team", "channel"}
    assert compliance["period"]["start"] == "2026-03-01T00:00:00+01:00"
    credits = client.get(f"{levels}/credits?month=2026-03", headers=headers).json()
    [bigco] = credits["accounts"]
    # 50 % < 95: 10 %; 60 minutes down of 44,580: 99.865 % < 99.9: 25 %; 35 % of 1,000
    assert (bigco["account"], bigco["tier"], bigco["sla_hit_rate"]) == ("bigco", "gold", 50)
    assert (bigco["credit_percent"], bigco["credit_amount"], bigco["fee"]) == (35, 350.0, 1000)
    assert bigco["cases"] == [1, 2] and bigco["downtime_minutes"] == 60
    assert bigco["incidents"] == [
        {"start": "2026-03-10T10:00:00+01:00", "end": "2026-03-10T11:00:00+01:00",
         "accounts": ["bigco"]}
    ]  # fmt: skip
    april = client.get(f"{levels}/credits?month=2026-04", headers=headers).json()
    assert april["accounts"][0]["cases"] == [3]
    bad = client.get(f"{levels}/compliance?month=2026-13", headers=headers)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "month"
