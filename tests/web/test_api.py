"""REST API v1: token authentication, results, answers, OpenAPI served offline."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cxgap.services import accounts
from cxgap.services.core import Cxgap
from tests.factories import customer_form, make_user, make_workspace


@pytest.fixture
def token(cx: Cxgap) -> str:
    with cx.transaction() as session:
        ws = make_workspace(session)
        make_user(session, workspace=ws, role="analyst")
        make_user(session, "viewer@example.com", workspace=ws, role="viewer")
        return accounts.create_api_token(session, email="ana@example.com", name="test")


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def test_requests_without_a_valid_token_are_refused(client: TestClient, token: str) -> None:
    assert client.get("/api/v1/workspaces").status_code == 401
    response = client.get("/api/v1/workspaces", headers=auth("cxg_forged"))
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "AuthenticationError"


def test_workspaces_and_detail(client: TestClient, token: str) -> None:
    assert client.get("/api/v1/workspaces", headers=auth(token)).json() == [
        {"key": "acme", "name": "Acme", "role": "analyst"}
    ]
    detail = client.get("/api/v1/workspaces/acme", headers=auth(token)).json()
    assert len(detail["pillars"]) == 10 and detail["segments"][0]["key"] == "pro"


def test_post_answers_then_read_results(client: TestClient, token: str) -> None:
    answers = [customer_form(response_id=f"a{i}", nps=10) for i in range(4)]
    response = client.post(
        "/api/v1/workspaces/acme/customer-answers", json={"answers": answers}, headers=auth(token)
    )
    assert response.status_code == 200 and response.json()["stored"] == 4
    results = client.get("/api/v1/workspaces/acme/results", headers=auth(token)).json()
    assert results["nps"]["score"] == 100.0 and results["nps"]["n"] == 4


def test_invalid_answers_are_refused_with_their_position(client: TestClient, token: str) -> None:
    answers = [customer_form(response_id="a1"), customer_form(response_id="a2", nps=99)]
    answers[0]["shoe_size"] = 42
    response = client.post(
        "/api/v1/workspaces/acme/customer-answers", json={"answers": answers}, headers=auth(token)
    )
    assert response.status_code == 422
    problems = {(p["row"], p["field"]) for p in response.json()["error"]["problems"]}
    assert problems == {(1, "shoe_size"), (2, "nps")}
    results = client.get("/api/v1/workspaces/acme/results", headers=auth(token)).json()
    assert results["nps"]["n"] == 0


def test_openapi_and_docs_are_served_without_a_cdn(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert "/api/v1/workspaces/{key}/results" in spec["paths"]
    assert all(path.startswith("/api/") for path in spec["paths"])  # pages are not the API
    docs = client.get("/api/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "https://" not in docs
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
