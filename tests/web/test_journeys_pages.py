"""Personas and journey maps in the browser (read-only): list, map, JSON and SVG twins."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user
from tests.prepared import Prepared
from tests.web.conftest import log_in


def _demo(session: Session) -> None:
    create_demo_workspace(session, n_customers=60)
    make_user(
        session, "viewer@example.com", workspace=get_workspace(session, "demo"), role="viewer"
    )
    make_user(session, "outsider@example.com")


@pytest.fixture
def viewer(cx: Cxgap, client: TestClient, prepared: Prepared) -> TestClient:
    prepared.into(cx, "journeys-pages", _demo)
    log_in(client, "viewer@example.com")
    return client


@pytest.mark.parametrize(
    ("lang", "heading"), [("en", "Personas and journeys"), ("fr", "Personas et parcours")]
)
def test_the_list_shows_personas_and_maps(viewer: TestClient, lang: str, heading: str) -> None:
    page = viewer.get(f"/w/demo/journeys?lang={lang}")
    assert page.status_code == 200
    assert heading in page.text
    assert "Claire Martin" in page.text and "/w/demo/journeys/claire-target" in page.text


def test_a_map_page_embeds_the_svg_and_links_its_counterpart(viewer: TestClient) -> None:
    page = viewer.get("/w/demo/journeys/claire-current?lang=fr")
    assert page.status_code == 200
    assert "<svg" in page.text and "Avant l" in page.text  # the French phase band
    assert "/w/demo/journeys/claire-target" in page.text  # the target version is one click away


def test_analysts_get_the_editing_links_and_viewers_do_not(cx: Cxgap, viewer: TestClient) -> None:
    edit = "/w/demo/journeys/claire-current/edit"
    assert edit not in viewer.get("/w/demo/journeys/claire-current").text
    assert "/w/demo/journeys/new" not in viewer.get("/w/demo/journeys").text
    with cx.transaction() as session:
        make_user(
            session, "ana@example.com", workspace=get_workspace(session, "demo"), role="analyst"
        )
    viewer.cookies.clear()
    log_in(viewer, "ana@example.com")
    assert edit in viewer.get("/w/demo/journeys/claire-current").text
    listing = viewer.get("/w/demo/journeys?lang=fr").text
    assert "/w/demo/journeys/new" in listing and "/w/demo/journey-import" in listing
    assert "/w/demo/personas/claire" in listing  # each persona card opens its page


def test_the_json_twin_follows_the_contract(viewer: TestClient) -> None:
    document = viewer.get("/w/demo/journeys/claire-current.json").json()
    assert document["persona"]["key"]
    stage = document["stages"][0]
    assert {"key", "name", "phase", "touchpoints"} <= set(stage)
    touchpoint = stage["touchpoints"][0]
    assert {"key", "name", "channel", "digital", "moment_of_truth", "declared_criticality",
            "measured"} <= set(touchpoint)  # fmt: skip


def test_the_svg_download_is_a_real_svg(viewer: TestClient) -> None:
    response = viewer.get("/w/demo/journeys/claire-target.svg?lang=en")
    assert response.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(response.text)
    assert root.tag.endswith("svg")


def test_unknown_maps_and_outsiders_get_404(viewer: TestClient) -> None:
    assert viewer.get("/w/demo/journeys/nope").status_code == 404
    viewer.post("/logout", data={"csrf_token": ""})
    viewer.cookies.clear()
    log_in(viewer, "outsider@example.com")
    assert viewer.get("/w/demo/journeys").status_code == 404
