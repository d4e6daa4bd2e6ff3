"""The lived paths pages (issue 14) on the enriched demo, on SQLite and PostgreSQL: the paths
page and the conformance page in English and French, the filters (persona, segment, journey,
repeat window, contact activities), the empty state of a workspace without events, and the
refusals (unknown persona, a window out of range)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import create_workspace, get_workspace
from tests.enrichment_factory import enrich_demo
from tests.factories import make_user
from tests.prepared import Prepared
from tests.web.conftest import log_in


def _demo(session: Session) -> None:
    create_demo_workspace(session, n_customers=60)
    workspace = get_workspace(session, "demo")
    enrich_demo(session, workspace)
    make_user(session, "viewer@example.com", workspace=workspace, role="viewer")
    empty = create_workspace(session, key="empty", name="Empty")
    make_user(session, "empty@example.com", workspace=empty, role="viewer")


@pytest.fixture
def viewer(cx: Cxgap, client: TestClient, prepared: Prepared) -> TestClient:
    prepared.into(cx, "paths-pages", _demo)
    log_in(client, "viewer@example.com")
    return client


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", ("Journeys as lived", "Variants: the distinct paths", "Which step follows which",
             "Repeat contacts within 7 days", "Channel switches", "Loops and rework",
             "What these customers said", "Drop-off along the map")),
     ("fr", ("Parcours vécus", "Variantes : les parcours distincts", "Quelle étape suit laquelle",
             "Recontacts sous 7 jours", "Changements de canal", "Boucles et reprises",
             "Ce que ces clients ont dit", "Abandon le long de la carte"))],
)  # fmt: skip
def test_the_paths_page_shows_every_figure(
    viewer: TestClient, lang: str, words: tuple[str, ...]
) -> None:
    page = viewer.get(f"/w/demo/paths?lang={lang}")
    assert page.status_code == 200, page.text
    for word in words:
        assert word in page.text, word
    assert 'role="img" viewBox' in page.text  # the Sankey
    assert 'href="/w/demo/paths" aria-current="page"' in page.text  # the workspace tab
    assert page.text.count('<span class="path-steps">') >= 5


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", ("Lived paths against the map", "Designed touchpoints skipped",
             "Steps the map does not have", "Where customers leave the map")),
     ("fr", ("Parcours vécus et carte", "Points de contact prévus sautés",
             "Étapes absentes de la carte", "Où les clients quittent la carte"))],
)  # fmt: skip
def test_the_conformance_page(viewer: TestClient, lang: str, words: tuple[str, ...]) -> None:
    page = viewer.get(f"/w/demo/paths/conformance?lang={lang}")
    assert page.status_code == 200, page.text
    for word in words:
        assert word in page.text, word
    assert "Delivery rescheduled" in page.text  # an activity the demo map does not have


def test_the_filters_change_the_figures(viewer: TestClient) -> None:
    def cases(url: str) -> int:
        text = viewer.get(url).text
        label = r'stat-label">Cases \(customers\)</span><span class="stat-value">([\d,]+)'
        found = re.search(label, text)
        assert found, url
        return int(found.group(1).replace(",", ""))

    everyone = cases("/w/demo/paths")
    claire = cases("/w/demo/paths?persona=claire")
    assert 0 < claire < everyone
    page = viewer.get("/w/demo/paths?days=30&contact=Live+chat")
    assert "Repeat contacts within 30 days" in page.text
    assert 'value="Live chat" checked' in page.text
    assert 'value="Payment" checked' not in page.text
    assert viewer.get("/w/demo/paths?persona=nobody").status_code == 404
    assert viewer.get("/w/demo/paths?days=0").status_code == 422


def test_a_workspace_without_events_says_how_to_import_them(
    cx: Cxgap, client: TestClient, prepared: Prepared
) -> None:
    prepared.into(cx, "paths-pages", _demo)
    log_in(client, "empty@example.com")
    for url, lang, words in (
        ("/w/empty/paths", "en", "No events yet"),
        ("/w/empty/paths/conformance", "fr", "Aucun événement pour l’instant"),
    ):
        page = client.get(f"{url}?lang={lang}")
        assert page.status_code == 200
        assert words in page.text and "cxgap events import FILE.csv --workspace empty" in page.text
        assert "/w/empty/events/import" not in page.text  # the import page is for analysts


@pytest.mark.parametrize(("lang", "title"), [("en", "Lived lane"), ("fr", "Ligne vécue")])
def test_the_journey_map_gains_the_lived_lane(viewer: TestClient, lang: str, title: str) -> None:
    page = viewer.get(f"/w/demo/journeys/claire-current?lang={lang}")
    assert page.status_code == 200
    assert title in page.text
    assert len(re.findall(r'<tr data-lane="[a-z-]+">', page.text)) == 13  # every touchpoint
    assert "Measured overlay" in page.text or "Mesures superposées" in page.text  # still there
    narrowed = viewer.get("/w/demo/journeys/claire-current?persona=claire")
    assert 'href="/w/demo/paths?journey=claire-current&amp;persona=claire"' in narrowed.text
