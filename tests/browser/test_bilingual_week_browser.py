"""A French CX manager on a demo created in French: personas, channels, numbers and segment
rule errors all in French, in a real browser (issue 9, "one language at a time")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session
from tests.browser.conftest import LiveServer
from tests.enrichment_factory import enrich_demo
from tests.factories import PASSWORD, make_user
from tests.prepared import Prepared

from cxgap.db.tables import Topic
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


def _french_demo(session: Session) -> None:
    create_demo_workspace(session, n_customers=40, locale="fr")
    workspace = get_workspace(session, "demo")
    # enrich_demo stands in for the text analysis with topics of its own.
    session.execute(delete(Topic).where(Topic.workspace_id == workspace.id))
    enrich_demo(session, workspace)
    make_user(session, "cx@example.com", superuser=True)


@pytest.fixture
def french_demo(sqlite_cx: Cxgap, prepared: Prepared) -> Cxgap:
    """The French demo, enriched (written once per session), before the server starts."""
    prepared.into(sqlite_cx, "bilingual-week-browser", _french_demo)
    return sqlite_cx


@pytest.fixture
def french_page(french_demo: Cxgap, browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/login")
    page.locator("input[name=email]").fill("cx@example.com")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    yield page
    context.close()
    assert errors == []


def test_personas_and_channels_read_in_french(french_page: Page, live_server: LiveServer) -> None:
    page = french_page
    page.goto(f"{live_server.url}/w/demo/journeys?lang=fr")
    claire = page.locator("section.persona", has_text="Claire Martin")
    facts = claire.locator("dl.persona-facts").inner_text()
    assert "Application, SMS, Magasin / showroom" in facts
    assert "Milléniaux (génération Y)" in facts and "Des meubles solides et lavables" in facts
    assert "app, sms" not in facts and "Sturdy" not in facts
    page.goto(f"{live_server.url}/w/demo/personas/claire?lang=fr")
    assert page.get_by_text("Navigue sur son téléphone le soir").is_visible()


def test_journey_numbers_are_written_the_french_way(
    french_page: Page, live_server: LiveServer
) -> None:
    page = french_page
    page.goto(f"{live_server.url}/w/demo/journeys/claire-current?lang=fr")
    row = page.locator("table.overlay-table tr[data-touchpoint=delivery]")
    sentiment = row.locator("td.num span").first.inner_text()
    assert re.fullmatch(r"[+\u2212]\d,\d\d", sentiment), sentiment
    cells = " ".join(page.locator("table.overlay-table td.num").all_inner_texts())
    assert "-" not in cells and not re.search(r"\d\.\d", cells)
    map_text = page.locator("svg").first.inner_html()
    assert "NPS\u202f: " in map_text and "NPS :" not in map_text
    page.goto(f"{live_server.url}/w/demo/journeys/claire-target/compare?lang=fr")
    today = " ".join(page.get_by_text("aujourd'hui").all_inner_texts())
    assert re.search(r"sentiment [+\u2212]\d,\d\d", today), today


def test_a_refused_segment_rule_is_explained_in_french(
    french_page: Page, live_server: LiveServer
) -> None:
    page = french_page
    page.goto(f"{live_server.url}/w/demo/segments?lang=fr")
    form = page.locator("#add-segment")
    if not form.locator("details").get_attribute("open"):
        form.locator("summary").click()
    form.locator("textarea[name=rule]").fill("nps >= 9 and")
    form.get_by_role("button", name="Vérifier la règle").click()
    error = form.locator(".segment-rule-error")
    error.wait_for()
    said = error.inner_text()
    assert "Règle refusée à la position 13" in said
    assert "nom attendu (par exemple nps ou generation), trouvé : la fin de la règle" in said
    assert "expected" not in said
