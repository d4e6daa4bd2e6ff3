"""The audit page shows a change to the service levels, in both languages."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from cxgap.services import accounts, service_levels
from cxgap.services.core import Cxgap
from cxgap.sla.defaults import default_document
from tests.factories import make_user, make_workspace
from tests.web.conftest import log_in


def test_the_audit_page_shows_the_change(sqlite_cx: Cxgap, sqlite_client: TestClient) -> None:
    with sqlite_cx.transaction() as session:
        workspace = make_workspace(session)
        user = accounts.get_user(
            session, email=make_user(session, workspace=workspace, role="admin")
        )
        document = default_document()
        document["calendar"]["holidays"] = ["2026-12-24"]
        service_levels.save_document(
            session, workspace=workspace, document=document, user_id=user.id
        )
    log_in(sqlite_client, "ana@example.com")
    french = html.unescape(sqlite_client.get("/audit?lang=fr").text)
    assert "Niveaux de service modifiés" in french and "parties modifiées" in french
    english = html.unescape(sqlite_client.get("/audit?lang=en&action=service_levels.changed").text)
    assert "Service levels changed" in english and "sections changed: calendar" in english


def test_the_changed_sections_are_words_not_json_keys(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    with sqlite_cx.transaction() as session:
        workspace = make_workspace(session)
        user = accounts.get_user(
            session, email=make_user(session, workspace=workspace, role="admin")
        )
        document = default_document()
        service_levels.save_document(
            session, workspace=workspace, document=document, user_id=user.id
        )
        document["calendar"]["holidays"] = ["2026-12-24"]
        document["tiers"] = [{"name": "premium", "fee": 500, "accounts": []}]
        service_levels.save_document(
            session, workspace=workspace, document=document, user_id=user.id
        )
    log_in(sqlite_client, "ana@example.com")
    english = html.unescape(sqlite_client.get("/audit?lang=en").text)
    assert "sections changed: calendar, service menu tiers<" in english
    assert "sections changed: calendar, priorities, policies, service menu tiers<" in english
    french = html.unescape(sqlite_client.get("/audit?lang=fr").text)
    assert "parties modifiées : calendrier, niveaux de l’offre de service<" in french
    assert "calendar, tiers" not in french + english
