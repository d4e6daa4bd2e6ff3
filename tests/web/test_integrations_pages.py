"""The Integrations page: workspace admins create and revoke API tokens and webhooks."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in

TOKEN = re.compile(r'data-testid="new-token">(cxg_[^<]+)<')
SECRET = re.compile(r'data-testid="new-secret">(whsec_[^<]+)<')


@pytest.fixture
def admin(client: TestClient, cx: Cxgap) -> TestClient:
    with cx.transaction() as session:
        acme = make_workspace(session)
        make_user(session, "adam@example.com", workspace=acme, role="admin")
        make_user(session, "ana@example.com", workspace=acme, role="analyst")
    log_in(client, "adam@example.com")
    return client


def _post(client: TestClient, path: str, data: dict[str, object]) -> str:
    csrf = csrf_of(client.get("/w/acme/integrations").text)
    response = client.post(path, data={**data, "csrf_token": csrf})
    assert response.status_code in (200, 422), response.text
    return response.text


def test_a_token_is_shown_once_then_works_until_revoked(admin: TestClient) -> None:
    html = _post(admin, "/w/acme/integrations/tokens", {"name": "BI tool", "role": "analyst"})
    match = TOKEN.search(html)
    assert match
    token = match.group(1)
    headers = {"authorization": f"Bearer {token}"}
    assert admin.get("/api/v1/workspaces", headers=headers).json() == [
        {"key": "acme", "name": "Acme", "role": "analyst"}
    ]
    page = admin.get("/w/acme/integrations").text
    assert token not in page and "BI tool" in page and "never" not in page.split("BI tool")[1]
    revoke = re.search(r'action="(/w/acme/integrations/tokens/\d+/revoke)"', page)
    assert revoke
    assert "revoked" in _post(admin, revoke.group(1), {})
    assert admin.get("/api/v1/workspaces", headers=headers).status_code == 401


def test_a_webhook_is_refused_with_reasons_in_french_then_added(admin: TestClient) -> None:
    admin.get("/w/acme/integrations?lang=fr")
    html = _post(admin, "/w/acme/integrations/webhooks", {"url": "ftp://x", "events": []})
    assert "doit commencer par http://" in html and "au moins un événement" in html
    html = _post(
        admin,
        "/w/acme/integrations/webhooks",
        {"url": "https://hooks.example.com/cx", "events": ["import.finished"]},
    )
    assert SECRET.search(html) and "https://hooks.example.com/cx" in html
    assert SECRET.search(admin.get("/w/acme/integrations").text) is None


def test_only_admins_open_the_page(client: TestClient, cx: Cxgap) -> None:
    with cx.transaction() as session:
        acme = make_workspace(session)
        make_user(session, "ana@example.com", workspace=acme, role="analyst")
    log_in(client, "ana@example.com")
    assert client.get("/w/acme/integrations").status_code == 403
    assert "/integrations" not in client.get("/w/acme").text
