"""The Credits and compliance page: a month's credit per account and its cases' compliance."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user
from tests.services.test_credit_statements import store_march
from tests.web.conftest import log_in


def test_the_credits_page_shows_each_accounts_credit_and_the_compliance(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    store_march(sqlite_cx)
    with sqlite_cx.transaction() as session:
        make_user(
            session, "vi@example.com", workspace=get_workspace(session, "acme"), role="viewer"
        )
    log_in(sqlite_client, "vi@example.com")
    page = sqlite_client.get("/w/acme/service-levels/credits?month=2026-03")
    assert page.status_code == 200
    row = page.text.split('data-account="bigco"')[1].split("</tr>")[0]
    assert (
        "€350" in row and "35\u00a0%" in row and "1 of 2" in row and 'href="/w/acme/cases/1"' in row
    )
    assert row.startswith(' class="owed"')
    compliance = page.text.split("data-compliance")[1]
    assert "gold" in compliance and "50\u00a0%" in compliance and "few cases" in compliance
    french = sqlite_client.get("/w/acme/service-levels/credits?month=2026-03&lang=fr").text
    assert "Avoirs et conformité" in french and "350\u00a0€" in french and "1 sur 2" in french
    april = sqlite_client.get("/w/acme/service-levels/credits?month=2026-04&lang=en").text
    april_row = april.split('data-account="bigco"')[1].split("</tr>")[0]
    # the April case was never answered (missed: 0 of 1 -> 10 %), no incident that month
    assert "0 of 1" in april_row and "€100" in april_row and "#3" in april_row
    assert sqlite_client.get("/w/acme/service-levels/credits?month=2026-13").status_code == 422
