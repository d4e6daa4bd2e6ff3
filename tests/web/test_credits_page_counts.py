"""The compliance line of the Credits page counts its cases as people write it: "1 case",
"1 dossier ouvert", not "1 cases"/"1 dossiers"."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user
from tests.services.test_credit_statements import store_march
from tests.web.conftest import log_in


def test_the_cases_of_the_month_are_counted_in_the_singular_and_the_plural(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    store_march(sqlite_cx)  # March: two cases; April: one
    with sqlite_cx.transaction() as session:
        make_user(
            session, "vi@example.com", workspace=get_workspace(session, "acme"), role="viewer"
        )
    log_in(sqlite_client, "vi@example.com")
    base = "/w/acme/service-levels/credits?month="
    april = sqlite_client.get(f"{base}2026-04&lang=en").text
    assert "1 case opened this month" in april
    avril = sqlite_client.get(f"{base}2026-04&lang=fr").text
    assert "1 dossier ouvert ce mois-ci" in avril and "1 dossiers" not in avril
    mars = sqlite_client.get(f"{base}2026-03&lang=fr").text
    assert "2 dossiers ouverts ce mois-ci" in mars
    assert "2 cases opened this month" in sqlite_client.get(f"{base}2026-03&lang=en").text
