"""Keys fill themselves in from the name while it is typed, in English and French; a key typed
by hand stays; a name whose key is taken gets the next free one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer, logged_in_page
from tests.factories import make_user, make_workspace

from cxgap.services import campaigns
from cxgap.services.workspaces import get_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    with live_server.cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "cx@example.com", workspace=workspace, role="admin", superuser=True)
    with logged_in_page(browser, live_server, "cx@example.com") as page:
        yield page


def _survey_keys(live_server: LiveServer) -> list[str]:
    with live_server.cx.reading() as session:
        workspace = get_workspace(session, "acme")
        return sorted(s.key for s, _ in campaigns.surveys_of(session, workspace))


def test_survey_keys_follow_the_name_until_typed_by_hand(
    admin_page: Page, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    page = admin_page
    page.goto(f"{live_server.url}/w/acme/collect?lang=fr")
    form = page.locator("form[action$='/collect/surveys']")
    name, key = form.get_by_label("Nom"), form.get_by_label("Clé")
    assert "Déduite du nom" in (form.text_content() or "")
    name.press_sequentially("Été 2027 : clients fidèles")
    expect(key).to_have_value("ete-2027-clients-fideles")
    form.get_by_role("button").click()
    page.wait_for_url("**/w/acme/collect")
    assert _survey_keys(live_server) == ["ete-2027-clients-fideles"]

    # The same name again: the form shows the name's key, the server makes it unique.
    form = page.locator("form[action$='/collect/surveys']")
    form.get_by_label("Nom").fill("Été 2027 : clients fidèles")
    expect(form.get_by_label("Clé")).to_have_value("ete-2027-clients-fideles")
    form.get_by_role("button").click()
    page.wait_for_url("**/w/acme/collect")
    assert _survey_keys(live_server) == ["ete-2027-clients-fideles", "ete-2027-clients-fideles-2"]

    # A key of one's own is kept while the name changes.
    form = page.locator("form[action$='/collect/surveys']")
    key = form.get_by_label("Clé")
    form.get_by_label("Nom").fill("Spring")
    expect(key).to_have_value("spring")
    key.fill("my-spring")
    form.get_by_label("Nom").fill("Spring wave")
    expect(key).to_have_value("my-spring")
    form.get_by_role("button").click()
    page.wait_for_url("**/w/acme/collect")
    assert "my-spring" in _survey_keys(live_server)


def test_workspace_persona_and_journey_keys_come_from_their_names(
    admin_page: Page, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    page = admin_page
    page.goto(f"{live_server.url}/?lang=fr")
    page.get_by_label("Nom", exact=True).fill("Maison Lumière")
    expect(page.get_by_label("Clé (utilisée dans les liens)")).to_have_value("maison-lumiere")
    page.get_by_role("button", name="Créer").click()
    page.wait_for_url("**/w/maison-lumiere")

    page.goto(f"{live_server.url}/w/acme/personas/new?lang=en")
    page.get_by_label("Name", exact=True).fill("Chloé Dubois")
    expect(page.locator("#key")).to_have_value("chloe-dubois")
    page.get_by_role("button", name="Create the persona").click()
    page.wait_for_url("**/w/acme/personas/chloe-dubois")

    page.goto(f"{live_server.url}/w/acme/journeys/new?lang=fr")
    page.get_by_label("Nom en anglais").fill("Chloé moves in")
    expect(page.locator("#journey_key")).to_have_value("chloe-moves-in")
    page.locator("#journey_key").fill("")
    page.get_by_label("Nom en français").fill("Chloé emménage")
    # Emptied by hand, the key follows the names again.
    expect(page.locator("#journey_key")).to_have_value("chloe-moves-in")
    page.get_by_role("button", name="Créer et ouvrir l'éditeur").click()
    page.wait_for_url("**/w/acme/journeys/chloe-moves-in/edit")


TRICKY = [
    "Cœur de cible",
    "L'avis d'Hugo",
    "  Straße & Co.  ",
    "NPS_Q1 — Île-de-France",
    "2027 wave",
    "客户调查",
    "Ørsted, Łódź, Æsir",
    "The customer journey of a first-time buyer who furnishes a whole flat in one go",
]


def test_the_browser_derives_the_same_keys_as_the_server(
    admin_page: Page, live_server: LiveServer
) -> None:
    from cxgap.services.slugs import slugify

    page = admin_page
    page.goto(f"{live_server.url}/w/acme/collect?lang=en")
    form = page.locator("form[action$='/collect/surveys']")
    for name in TRICKY:
        form.get_by_label("Name").fill(name)
        assert form.get_by_label("Key").input_value() == slugify(name, fallback="survey"), name
