"""The explorer's download links: the filtered records as CSV, XLSX or JSON, for analysts of
the workspace only, labelled in English and French."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from cxgap.services.core import Cxgap
from cxgap.services.feedback_export import COLUMNS
from tests.factories import make_user, make_workspace
from tests.listening_factories import make_listening_sample, make_topics
from tests.prepared import Prepared
from tests.web.conftest import log_in


def _sign_in(
    cx: Cxgap, client: TestClient, role: str, prepared: Prepared | None = None
) -> TestClient:
    """120 verbatims and a member of that role; with ``prepared``, written once per session
    and copied for each test."""

    def build(session: Session) -> None:
        workspace = make_workspace(session)
        make_workspace(session, "other", "Other")
        make_topics(session, workspace)
        make_listening_sample(session, workspace, n=120)
        make_user(session, "ana@example.com", workspace=workspace, role=role)

    if prepared is None:
        with cx.transaction() as session:
            build(session)
    else:
        prepared.into(cx, f"listening-export-{role}", build)
    log_in(client, "ana@example.com")
    return client


@pytest.fixture
def analyst(sqlite_cx: Cxgap, sqlite_client: TestClient, prepared: Prepared) -> TestClient:
    return _sign_in(sqlite_cx, sqlite_client, "analyst", prepared)


def test_the_explorer_links_to_the_filtered_export(analyst: TestClient) -> None:
    page = analyst.get("/w/acme/listening?source=review").text
    assert "Download these verbatims:" in page
    assert 'href="/w/acme/listening/export.csv?source=review"' in page
    assert 'href="/w/acme/listening/export.xlsx?source=review"' in page
    french = analyst.get("/w/acme/listening?lang=fr").text
    assert "Télécharger ces verbatims :" in french
    assert 'href="/w/acme/listening/export.json"' in french


def test_the_download_holds_what_the_filters_keep(analyst: TestClient) -> None:
    everything = analyst.get("/w/acme/listening/export.json")
    assert everything.status_code == 200
    assert everything.headers["content-disposition"] == 'attachment; filename="acme-feedback.json"'
    items = json.loads(everything.content)
    assert len(items) == 120
    reviews = json.loads(analyst.get("/w/acme/listening/export.json?source=review").content)
    assert 0 < len(reviews) < 120
    assert {item["source_type"] for item in reviews} == {"review"}
    assert len(reviews) == sum(item["source_type"] == "review" for item in items)
    negative = analyst.get("/w/acme/listening/export.csv?sentiment=negative")
    assert negative.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(negative.content.decode("utf-8-sig"), newline="")))
    assert rows and {row["sentiment"] for row in rows} == {"negative"}
    workbook = load_workbook(io.BytesIO(analyst.get("/w/acme/listening/export.xlsx").content))
    sheet = workbook.active
    assert sheet is not None and sheet.max_row == 121
    assert [c.value for c in sheet[1]] == list(COLUMNS)


def test_bad_requests_are_refused(analyst: TestClient) -> None:
    assert analyst.get("/w/acme/listening/export.pdf").status_code == 422
    assert analyst.get("/w/acme/listening/export.csv?source=fax").status_code == 422
    assert analyst.get("/w/other/listening/export.csv").status_code == 404  # not a member


def test_viewers_neither_see_nor_get_the_export(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    viewer = _sign_in(sqlite_cx, sqlite_client, "viewer")
    assert "listening/export." not in viewer.get("/w/acme/listening").text
    assert viewer.get("/w/acme/listening/export.csv").status_code == 403
