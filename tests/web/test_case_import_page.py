"""Past tickets uploaded on the page: stored as cases, again without duplicates; a bad row
refused whole, named in the reader's language (SQLite and PostgreSQL)."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cxgap.db.tables import CaseRow
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.tickets.helpers import DATA
from tests.web.conftest import csrf_of, log_in

pytestmark = pytest.mark.on_postgresql  # the backend changes the path: imports

VIEW = (DATA / "zendesk_view.csv").read_bytes()


def _count(cx: Cxgap) -> int:
    with cx.reading() as session:
        return int(session.scalar(select(func.count()).select_from(CaseRow)) or 0)


def test_an_analyst_uploads_tickets_twice_and_a_bad_file_stores_nothing(
    cx: Cxgap, client: TestClient
) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, workspace=workspace, role="analyst")
    log_in(client, "ana@example.com")
    form = client.get("/w/acme/case-imports?lang=fr")
    assert form.status_code == 200 and "Importer des tickets passés" in form.text
    token = csrf_of(form.text)
    files = {"file": ("zendesk view.csv", VIEW, "text/csv")}
    done = client.post("/w/acme/case-imports?lang=en", data={"csrf_token": token}, files=files)
    assert done.status_code == 200
    assert "zendesk_view.csv: 4 tickets read from 4 rows (zendesk-csv): 4 cases created" in (
        html.unescape(done.text)
    )
    again = client.post("/w/acme/case-imports?lang=fr", data={"csrf_token": token}, files=files)
    assert "0 dossiers créés, 4 mis à jour" in html.unescape(again.text)
    assert _count(cx) == 4
    bad = VIEW.replace(b",Normal,", b",P1,")
    refused = client.post(
        "/w/acme/case-imports?lang=fr",
        data={"csrf_token": token},
        files={"file": ("bad.csv", bad, "text/csv")},
    )
    assert refused.status_code == 422
    text = html.unescape(refused.text)
    assert "Rien n’a été importé" in text
    assert "bad.csv, ligne 4, colonne « Priority » : la priorité d’un dossier" in text
    assert '(valeur : "P1")' in text
    assert _count(cx) == 4
    queue = client.get("/w/acme/cases").text  # the open ones: 103 was never answered
    assert "Where is my order" in queue and "Cannot log in" not in queue  # their subjects
    assert "/w/acme/case-imports" in queue


def test_a_viewer_cannot_import(cx: Cxgap, client: TestClient) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "vi@example.com", workspace=workspace, role="viewer")
    log_in(client, "vi@example.com")
    assert client.get("/w/acme/case-imports").status_code == 403
    assert "/w/acme/case-imports" not in client.get("/w/acme/cases").text
