"""The Retention and Value pages and their API (docs/retention.md "Pages" and "API"): filled
in French and English from a small purchase log, the empty state saying what to import, a
refused setting named with its value (422), the API's JSON with its sentences in the
language asked for, and a member of another workspace kept out."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from cxgap.services.accounts import get_user, principal_of
from cxgap.services.api_tokens import create_workspace_token
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user, make_workspace
from tests.services.test_retention_pages import _customers, _world
from tests.web.conftest import log_in


def _signed_in(client: TestClient, cx: Cxgap, *, filled: bool = True) -> None:
    if filled:
        _world(cx, _customers(n=120))
    with cx.transaction() as session:
        if not filled:
            make_workspace(session)
        make_user(
            session, "vera@example.com", workspace=get_workspace(session, "acme"), role="viewer"
        )
        make_workspace(session, key="other", name="Other")
    log_in(client, "vera@example.com")


def test_both_pages_show_the_figures_in_english_and_french(
    sqlite_client: TestClient, sqlite_cx: Cxgap
) -> None:
    _signed_in(sqlite_client, sqlite_cx)
    page = sqlite_client.get("/w/acme/retention?lang=en")
    assert page.status_code == 200
    html = page.text
    assert 'href="/w/acme/retention" aria-current="page"' in html  # the workspace tab
    assert "Cohorts by month of first purchase" in html and "2025-01" in html
    assert 'class="rt-cell num" style="--heat: 1.000"' in html  # month +0: the whole cohort
    assert "<polyline" in html and "Professionals" in html  # a curve per segment, named
    assert "What customers who stayed said" in html and "Wald" in html
    assert "Cohorts by persona" in html and "Cohorts of persona Paul (" in html
    french = sqlite_client.get("/w/acme/retention?lang=fr").text
    assert "Cohortes par persona" in french and "Cohortes du persona Paul (" in french
    value = sqlite_client.get("/w/acme/value?lang=fr")
    assert value.status_code == 200
    assert "Valeur vie client par segment, persona et parcours" in value.text
    assert "BG/NBD" in value.text and "Gamma-Gamma" in value.text
    assert "Valeur à risque" in value.text and "Paul" in value.text
    again = sqlite_client.get("/w/acme/value?lang=en&horizon=6")
    assert again.status_code == 200 and "over 6 months" in again.text
    assert 'href="/w/acme/retention?horizon=6"' in again.text  # the switch keeps the settings


def test_a_refused_setting_is_named_with_its_value(
    sqlite_client: TestClient, sqlite_cx: Cxgap
) -> None:
    _signed_in(sqlite_client, sqlite_cx, filled=False)
    page = sqlite_client.get("/w/acme/retention?lang=fr&inactivity_days=dix")
    assert page.status_code == 422
    assert "champ « inactivity_days » : doit être un nombre entier de 1 à 3650" in page.text
    assert "valeur « dix »" in page.text and 'aria-invalid="true"' in page.text
    english = sqlite_client.get("/w/acme/value?lang=en&basis=weekly")
    assert english.status_code == 422
    assert "field “basis”: is not one of the allowed values (got “weekly”)" in english.text


def test_an_empty_workspace_says_what_to_import(
    sqlite_client: TestClient, sqlite_cx: Cxgap
) -> None:
    _signed_in(sqlite_client, sqlite_cx, filled=False)
    for path, title in (("retention", "No events yet"), ("value", "No events yet")):
        page = sqlite_client.get(f"/w/acme/{path}?lang=en")
        assert page.status_code == 200 and title in page.text
        assert "cxgap events import" in page.text
    french = sqlite_client.get("/w/acme/retention?lang=fr")
    assert "Aucun événement pour l'instant" in french.text.replace("&#39;", "'")
    assert sqlite_client.get("/w/other/retention").status_code == 404  # not a member


def test_the_api_gives_both_documents(sqlite_client: TestClient, sqlite_cx: Cxgap) -> None:
    _world(sqlite_cx, _customers(n=120))
    with sqlite_cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        make_user(session, "ada@example.com", workspace=workspace, role="admin")
        principal = principal_of(get_user(session, email="ada@example.com"))
        token = create_workspace_token(
            session, workspace=workspace, principal=principal, name="t", role="viewer"
        )
    headers = {"authorization": f"Bearer {token}"}
    retention = sqlite_client.get("/api/v1/workspaces/acme/retention", headers=headers)
    assert retention.status_code == 200, retention.text
    body = retention.json()
    assert body["empty"] is None and body["retention"]["customers"] == 120
    assert set(body["retention"]["by"]) == {"segment", "persona", "entry", "path"}
    assert set(body["retention"]["cohorts_by"]["persona"]["groups"]) == {"paul"}
    value = sqlite_client.get("/api/v1/workspaces/acme/value?lang=fr", headers=headers).json()
    assert set(value["value"]["fit"]["bgnbd"]) >= {"r", "alpha", "a", "b"}
    assert value["value"]["words"]["how"].startswith("La valeur vie client")
    assert value["cached"] is True  # the retention call computed both
    refused = sqlite_client.get(
        "/api/v1/workspaces/acme/value?horizon=0",
        headers=headers | {"accept-language": "fr"},
    )
    assert refused.status_code == 422
    problem = refused.json()["error"]["problems"][0]
    assert (problem["field"], problem["value"]) == ("horizon", "0")
    assert re.search(r"1 à 120", problem["message"])
