"""The community's team pages in a real browser: an admin edits the power-user levels on a
phone (a refused list explains itself beside the field, then the leaderboard shows the new
level at once); a tag is created, put on an idea, and the public board shows it; the board
is closed, then made private, as a customer sees it; a badge is made with an uploaded
image."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest
from PIL import Image
from tests.browser.conftest import logged_in_page
from tests.factories import PASSWORD, make_user, make_workspace

from cxgap.services import idea_statuses, ideas
from cxgap.services.community_people import person_by_email

if TYPE_CHECKING:
    from playwright.sync_api import Browser
    from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def _seed(live_server: LiveServer) -> int:
    """Ana's idea was built: 25 points, a Contributor by the default levels."""
    with live_server.cx.transaction() as session:
        ws = make_workspace(session)
        make_user(session, "admin@example.com", workspace=ws, role="admin")
        ana = person_by_email(session, workspace=ws, email="ana@example.com", name="Ana")
        idea = ideas.submit_idea(session, workspace=ws, person=ana, title="Deliver on Saturdays")
        idea_statuses.change_status(session, workspace=ws, idea_id=idea.id, status="completed")
        return idea.id


def test_an_admin_edits_the_levels_on_a_phone_and_the_leaderboard_follows(
    browser: Browser, live_server: LiveServer
) -> None:
    _seed(live_server)
    # Its own context: the refused form's 422 is expected (logged_in_page fails on it).
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{live_server.url}/login")
        page.get_by_label("E-mail").fill("admin@example.com")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/w/acme/community/levels?lang=fr")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.fill("#level-2-threshold", "100")  # the Regular level's threshold
        page.get_by_role("button", name="Enregistrer les niveaux").click()
        alert = page.get_by_role("alert")
        alert.wait_for()
        assert "Niveau 2" in alert.inner_text() and "est déjà le seuil de « Habitué »" in (
            alert.inner_text()
        )
        assert page.locator("#level-2-threshold").get_attribute("aria-invalid") == "true"
        page.fill("#level-2-threshold", "30")  # Ana's 25 points no longer reach it
        page.fill("#level-6-name_en", "Rising star")
        page.fill("#level-6-name_fr", "Étoile montante")
        page.fill("#level-6-threshold", "10")
        page.get_by_role("button", name="Enregistrer les niveaux").click()
        page.get_by_role("status").filter(has_text="Les niveaux sont enregistrés").wait_for()
        assert page.locator("#level-2-name_fr").input_value() == "Étoile montante"  # by threshold
        page.get_by_role("link", name="Ouvrir le classement").click()
        assert "Étoile montante" in page.locator("table.leaderboard").inner_text()
    finally:
        context.close()
    assert errors == []


def test_an_analyst_tags_an_idea_and_the_board_shows_it(
    browser: Browser, live_server: LiveServer
) -> None:
    idea_id = _seed(live_server)
    with logged_in_page(browser, live_server, "admin@example.com") as page:
        page.goto(f"{live_server.url}/w/acme/community/tags?lang=en")
        page.fill("#new-tag-name_en", "Delivery")
        page.fill("#new-tag-name_fr", "Livraison")
        page.locator("[data-new-tag] input[value='#047857']").check()
        page.get_by_role("button", name="Create the tag").click()
        page.locator("[data-tag-row=delivery]").wait_for()
        page.goto(f"{live_server.url}/w/acme/ideas")
        row = page.locator(f"#idea-{idea_id}")
        row.locator("summary").click()
        row.get_by_label("Delivery").check()
        row.get_by_role("button", name="Save the tags").click()
        page.locator(f"#idea-{idea_id} [data-tag=delivery]").wait_for()
        page.goto(f"{live_server.url}/community/acme/ideas?lang=fr")
        chip = page.locator(f"[data-idea='{idea_id}'] [data-tag=delivery]")
        assert chip.inner_text() == "Livraison"
        chip.click()
        page.wait_for_url("**/ideas?tag=delivery")
        assert page.locator("[data-idea]").count() == 1


def test_an_admin_closes_then_privatises_the_board_and_customers_see_it(
    browser: Browser, live_server: LiveServer
) -> None:
    idea_id = _seed(live_server)
    customer = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    reader = customer.new_page()
    with logged_in_page(browser, live_server, "admin@example.com") as page:
        page.goto(f"{live_server.url}/w/acme/community/board?lang=en")
        page.get_by_label("Closed: the board only reads").check()
        page.get_by_role("button", name="Save the settings").click()
        page.get_by_role("status").filter(has_text="settings are saved").wait_for()
        reader.goto(f"{live_server.url}/community/acme/ideas/{idea_id}?lang=fr")
        assert "Ce tableau est fermé" in reader.get_by_role("status").first.inner_text()
        assert reader.locator("[data-vote]").count() == 0
        assert reader.locator("#comment-form, [data-signin]").count() == 0
        page.get_by_label("Open: customers post ideas").check()
        page.get_by_label("Private: only people signed in").check()
        page.fill("#allow-list", "partner.fr")
        page.get_by_role("button", name="Save the settings").click()
        page.get_by_role("status").filter(has_text="settings are saved").wait_for()
        reader.goto(f"{live_server.url}/community/acme/ideas?lang=fr")
        assert "est privé" in reader.locator("h1").inner_text()
        assert reader.locator("[data-idea]").count() == 0
        assert reader.evaluate("document.documentElement.scrollWidth") <= 390
    customer.close()


def test_an_admin_creates_a_badge_with_an_uploaded_image(
    browser: Browser, live_server: LiveServer
) -> None:
    _seed(live_server)
    out = io.BytesIO()
    Image.new("RGB", (400, 400), (200, 120, 0)).save(out, format="PNG")
    with logged_in_page(browser, live_server, "admin@example.com") as page:
        page.goto(f"{live_server.url}/w/acme/community/badges/new?lang=en")
        page.fill("#badge-name_en", "Idea author")
        page.fill("#badge-name_fr", "Autrice d'idées")
        page.fill("#badge-description_en", "Posted an idea")
        page.fill("#badge-description_fr", "A proposé une idée")
        page.select_option("#badge-metric", "ideas")
        page.fill("#badge-threshold", "1")
        page.set_input_files(
            "#badge-image", {"name": "me.png", "mimeType": "image/png", "buffer": out.getvalue()}
        )
        page.get_by_role("button", name="Save the badge").click()
        page.get_by_role("status").filter(has_text="in the background").wait_for()
        image = page.locator("[data-badge=idea_author] img")
        assert (image.get_attribute("src") or "").startswith("/community/acme/badges/images/")
        assert image.evaluate("img => img.complete && img.naturalWidth") == 256
