"""Signed-in pages, exports and API answers are never kept by a browser or shared cache."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cxgap.services import accounts
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.warm_routes import app_for
from tests.web.conftest import log_in

PAGES = (
    "/",
    "/w/acme",
    "/w/acme/results",
    "/w/acme/listening",
    "/account",
    "/w/acme/no-such-page",  # an error page names the workspace too
)
EXPORTS = (
    "/w/acme/export/customer_answers.csv",
    "/w/acme/export/internal_answers.csv",
    "/w/acme/import/template.csv",
    "/w/acme/listening/export.csv",
    "/w/acme/results.json",
)
API = ("/api/v1/workspaces", "/api/v1/workspaces/acme/answers/export?which=customer")


def test_signed_in_pages_exports_and_api_answers_say_no_store(sqlite_cx: Cxgap) -> None:
    with sqlite_cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, workspace=workspace, role="admin")
        token = accounts.create_api_token(session, email="ana@example.com", name="t")
    with TestClient(app_for(sqlite_cx)) as client:
        log_in(client, "ana@example.com")
        for path in PAGES + EXPORTS:
            response = client.get(path)
            expected = 404 if "no-such" in path else 200
            assert response.status_code == expected, (path, response.status_code)
            assert response.headers.get("cache-control") == "no-store", path
    with TestClient(app_for(sqlite_cx)) as api:
        for path in API:
            response = api.get(path, headers={"authorization": f"Bearer {token}"})
            assert response.status_code == 200, (path, response.text)
            assert response.headers.get("cache-control") == "no-store", path


def test_static_files_stay_cacheable(client: TestClient) -> None:
    response = client.get("/static/cxgap.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("cache-control", "")
    assert response.headers.get("etag")
