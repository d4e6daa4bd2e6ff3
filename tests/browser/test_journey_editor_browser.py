"""An analyst builds personas and journeys in a real browser: forms, drag and drop, undo,
saving, and a colleague saving the same journey first."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer
from tests.factories import PASSWORD, make_user, make_workspace
from tests.journeys.samples import sample_journey

from cxgap.journeys.model import Criticality, Journey, Phase
from cxgap.services import journeys
from cxgap.services.workspaces import get_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.browser

PageFor = Callable[[str], "Page"]


@pytest.fixture
def page_for(browser: Browser, live_server: LiveServer) -> Iterator[PageFor]:
    """A logged-in page per analyst; every script error fails the test."""
    with live_server.cx.transaction() as session:
        ws = make_workspace(session)
        journeys.create_journey(session, workspace=ws, journey=sample_journey(6))
        for email in ("ana@example.com", "bob@example.com"):
            make_user(session, email, workspace=ws, role="analyst")
    contexts = []
    errors: list[str] = []

    def log_in(email: str) -> Page:
        context = browser.new_context(locale="en-GB", viewport={"width": 1500, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{live_server.url}/login")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield log_in
    for context in contexts:
        context.close()
    # The browser logs the refused save of the conflict test; that one is expected.
    assert [e for e in errors if "status of 409 (Conflict)" not in e] == []


def stored(live_server: LiveServer, key: str) -> tuple[Journey, int]:
    with live_server.cx.reading() as session:
        return journeys.get_journey(session, workspace=get_workspace(session, "acme"), key=key)


def stage(page: Page, name: str) -> Locator:
    return page.locator(".je-stage", has=page.locator(".je-stage-head .je-name", has_text=name))


def card(page: Page, name: str) -> Locator:
    return page.locator(".je-tp", has=page.locator(".je-name", has_text=name))


def type_name(page: Page, name: str) -> None:
    box = page.locator("[data-je-name-input]")
    box.fill(name)
    box.press("Enter")


def add_stage(page: Page, name: str, phase: str) -> None:
    page.get_by_role("button", name="Add a stage").click()
    type_name(page, name)
    stage(page, name).locator("select.je-phase-select").select_option(phase)


def add_touchpoint(page: Page, stage_name: str, name: str) -> None:
    stage(page, stage_name).get_by_role("button", name="Add a touchpoint").click()
    type_name(page, name)


GRIP = {"x": 8, "y": 10}  # where a person grabs a stage or a card: its ⋮⋮ handle


def save(page: Page) -> None:
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_selector("[data-journey-editor][data-dirty='false']")
    assert page.locator(".je-status").inner_text() == "All changes saved"


def test_create_a_persona_through_the_form(page_for: PageFor, live_server: LiveServer) -> None:
    page = page_for("ana@example.com")
    page.goto(f"{live_server.url}/w/acme/personas")
    page.get_by_role("link", name="New persona").click()
    page.get_by_label("Key").fill("bob")
    page.get_by_label("Name", exact=True).fill("Bob Leroy")
    avatar = page.locator("[data-avatar-for]")
    avatar.filter(has_text="BL").wait_for(timeout=5000)  # follows the name (script, may lag)
    assert avatar.inner_text() == "BL"
    page.get_by_label("Quote").fill("Moins cher, et livré vite.")
    page.locator("#needs").fill("Low prices\nFast delivery")
    page.get_by_label("SMS").check()
    page.get_by_label("App", exact=True).check()
    page.get_by_label("Generation").fill("Gen Z")
    page.get_by_label("Segment it stands for").select_option(label="Households")
    page.get_by_role("button", name="Create the persona").click()
    page.wait_for_url(f"{live_server.url}/w/acme/personas/bob")
    assert page.get_by_role("heading", name="Bob Leroy").count() >= 1
    with live_server.cx.reading() as session:
        bob = journeys.get_persona(session, workspace=get_workspace(session, "acme"), key="bob")
    assert bob.needs == ("Low prices", "Fast delivery")
    assert bob.preferred_channels == ("app", "sms") and bob.segment == "home"


def build_journey(page: Page, live_server: LiveServer) -> None:
    """A 3-stage journey made by adding, dragging and flagging, then saved."""
    page.goto(f"{live_server.url}/w/acme/journeys/new?persona=ana")
    page.get_by_label("Key").fill("buy-sofa")
    page.get_by_label("Name in English").fill("Buys a sofa")
    page.get_by_label("Name in French").fill("Achète un canapé")
    page.get_by_role("button", name="Create and open the editor").click()
    page.wait_for_selector("[data-journey-editor][data-ready='true']")
    add_stage(page, "Purchase", "during")
    add_stage(page, "Discover", "before")
    add_stage(page, "Delivery", "after")
    add_touchpoint(page, "Discover", "Sees an ad")
    add_touchpoint(page, "Discover", "Reads reviews")
    add_touchpoint(page, "Discover", "Pays online")
    add_touchpoint(page, "Delivery", "Receives the sofa")
    # Discover goes first: dropped on the left half of Purchase.
    stage(page, "Discover").locator(".je-stage-head").drag_to(
        stage(page, "Purchase"), source_position=GRIP, target_position={"x": 10, "y": 60}
    )
    # "Pays online" moves across stages, into the empty Purchase stage.
    card(page, "Pays online").drag_to(
        stage(page, "Purchase").locator("[data-je-dropzone]"), source_position=GRIP
    )
    # "Reads reviews" goes above "Sees an ad": dropped on the top half of its card.
    card(page, "Reads reviews").drag_to(
        card(page, "Sees an ad"), source_position=GRIP, target_position={"x": 40, "y": 4}
    )
    assert page.locator("[data-journey-editor]").get_attribute("data-dirty") == "true"
    card(page, "Pays online").get_by_role("button", name="Details").click()
    details = page.locator("[data-je-details]")
    details.get_by_label("Moment of truth").check()
    details.get_by_label("Declared criticality").select_option("critical")
    details.get_by_label("Channel").select_option("website")
    details.get_by_label("Customer's goal").fill("Pay in three instalments")
    assert card(page, "Pays online").locator("[data-je-mot]").inner_text() == "◆ Critical"
    save(page)


def test_build_a_three_stage_journey_by_drag_and_drop(
    page_for: PageFor, live_server: LiveServer
) -> None:
    page = page_for("ana@example.com")
    build_journey(page, live_server)
    journey, revision = stored(live_server, "buy-sofa")
    assert revision == 2 and journey.persona is not None and journey.persona.key == "ana"
    shape = [(s.name.en, s.phase, [tp.name.en for tp in s.touchpoints]) for s in journey.stages]
    assert shape == [
        ("Discover", Phase.BEFORE, ["Reads reviews", "Sees an ad"]),
        ("Purchase", Phase.DURING, ["Pays online"]),
        ("Delivery", Phase.AFTER, ["Receives the sofa"]),
    ]
    pays = journey.stages[1].touchpoints[0]
    assert pays.moment_of_truth and pays.declared_criticality is Criticality.CRITICAL
    assert pays.goal == "Pay in three instalments" and pays.digital
    page.reload()
    page.wait_for_selector("[data-journey-editor][data-ready='true']")
    names = page.locator(".je-stage-head .je-name").all_inner_texts()
    assert names == ["Discover", "Purchase", "Delivery"]
    # The keyboard way: the arrow buttons move a card without dragging.
    card(page, "Sees an ad").get_by_role("button", name="Move up").click()
    assert stage(page, "Discover").locator(".je-tp .je-name").all_inner_texts() == [
        "Sees an ad",
        "Reads reviews",
    ]


def test_export_png_of_built_journey(page_for: PageFor, live_server: LiveServer) -> None:
    page = page_for("ana@example.com")
    build_journey(page, live_server)
    png = page.request.get(f"{live_server.url}/w/acme/journeys/buy-sofa.png")
    svg = page.request.get(f"{live_server.url}/w/acme/journeys/buy-sofa.svg")
    assert png.ok and svg.ok
    body = png.body()
    assert body[:8] == b"\x89PNG\r\n\x1a\n" and body[12:16] == b"IHDR"
    width, height = struct.unpack(">II", body[16:24])
    root = ET.fromstring(svg.text())
    svg_width, svg_height = float(root.attrib["width"]), float(root.attrib["height"])
    scale = width / svg_width
    assert 1 <= scale <= 4 and abs(height - svg_height * scale) <= 1


def test_undo_restores_a_deleted_touchpoint(page_for: PageFor, live_server: LiveServer) -> None:
    page = page_for("ana@example.com")
    page.goto(f"{live_server.url}/w/acme/journeys/sample/edit")
    page.wait_for_selector("[data-journey-editor][data-ready='true']")
    name = "Touchpoint 2.0 with a rather long descriptive name to wrap"
    before = page.locator(".je-tp").count()
    card(page, name).get_by_role("button", name="Delete the touchpoint").click()
    assert card(page, name).count() == 0 and page.locator(".je-tp").count() == before - 1
    assert page.locator(".je-status").inner_text() == "Unsaved changes"
    page.keyboard.press("Control+z")
    assert card(page, name).count() == 1 and page.locator(".je-tp").count() == before
    assert page.locator(".je-status").inner_text() == "All changes saved"  # back as stored
    page.keyboard.press("Control+Shift+z")
    assert card(page, name).count() == 0
    page.get_by_role("button", name="Undo").click()
    assert card(page, name).count() == 1
    order = stage(page, "Stage 2").locator(".je-tp .je-name").all_inner_texts()
    assert order[0] == name  # back where it was, not at the end


def test_two_analysts_editing_the_same_journey(page_for: PageFor, live_server: LiveServer) -> None:
    ana, bob = page_for("ana@example.com"), page_for("bob@example.com")
    for page in (ana, bob):
        page.goto(f"{live_server.url}/w/acme/journeys/sample/edit")
        page.wait_for_selector("[data-journey-editor][data-ready='true']")
    ana.get_by_role("button", name="Stage 0 of the journey").click()
    type_name(ana, "Ana's first stage")
    save(ana)
    bob.locator(".je-tp").first.get_by_role("button", name="Delete the touchpoint").click()
    bob.get_by_role("button", name="Save", exact=True).click()
    conflict = bob.locator("[data-je-message][data-kind='conflict']")
    conflict.wait_for()
    assert "Someone else saved this journey" in conflict.inner_text()
    assert "now at revision 2; your edit started from revision 1" in conflict.inner_text()
    assert bob.locator(".je-status").inner_text() == "Unsaved changes"
    journey, revision = stored(live_server, "sample")
    assert revision == 2 and journey.stages[0].name.en == "Ana's first stage"
    assert len(journey.touchpoints) == 6  # Bob's deletion did not overwrite Ana's save
    conflict.get_by_role("button", name="Reload their version").click()
    bob.wait_for_selector("[data-journey-editor][data-ready='true']")
    assert stage(bob, "Ana's first stage").count() == 1


def test_a_target_version_marks_what_changes(page_for: PageFor, live_server: LiveServer) -> None:
    page = page_for("ana@example.com")
    page.goto(f"{live_server.url}/w/acme/journeys/sample/edit?lang=fr")
    page.get_by_text("Version et suppression").click()
    assert page.get_by_label("Clé de la version cible").input_value() == "sample-target"
    page.get_by_role("button", name="Créer la version cible").click()
    page.wait_for_url(f"{live_server.url}/w/acme/journeys/sample-target/edit")
    page.wait_for_selector("[data-journey-editor][data-ready='true']")
    first = page.locator(".je-tp").first
    first.get_by_role("button", name="Détails").click()
    page.locator("[data-je-details]").get_by_label("Changement dans la cible").select_option("wow")
    assert first.locator(".je-change").inner_text() == "Effet WAOUH"
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_selector("[data-journey-editor][data-dirty='false']")
    target, _ = stored(live_server, "sample-target")
    assert target.based_on == "sample" and target.touchpoints[0].change is not None
    assert target.touchpoints[0].change.value == "wow"
    assert all(tp.change is None for tp in target.touchpoints[1:])


def test_without_javascript_the_editor_points_to_the_json(
    browser: Browser, page_for: PageFor, live_server: LiveServer
) -> None:
    page_for("ana@example.com")  # the workspace and the analysts
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/login")
    page.get_by_label("E-mail").fill("ana@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/w/acme/journeys/sample/edit")
    assert "The journey editor needs JavaScript" in page.locator("main").inner_text()
    assert page.locator("[data-journey-editor]").is_hidden()
    assert page.get_by_role("link", name="Import a journey (JSON)").count() == 1
    context.close()


def test_names_typed_in_french_are_french_only_and_english_says_so(
    page_for: PageFor, live_server: LiveServer
) -> None:
    """A stage and a touchpoint typed inline in the French editor are saved in French only:
    the editor marks them "EN manquant", the English export shows the French name with a note
    and lists the missing language, and writing the English name clears the mark."""
    page = page_for("ana@example.com")
    page.goto(f"{live_server.url}/w/acme/journeys/sample/edit?lang=fr")
    page.wait_for_selector("[data-journey-editor][data-ready='true']")
    page.get_by_role("button", name="Ajouter une étape").click()
    type_name(page, "Livraison")
    stage(page, "Livraison").get_by_role("button", name="Ajouter un point de contact").click()
    type_name(page, "Reçoit le canapé")
    marks = stage(page, "Livraison").locator("[data-je-missing='en']")
    assert marks.count() == 2 and marks.first.inner_text() == "EN manquant"
    assert marks.first.is_visible()
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_selector("[data-journey-editor][data-dirty='false']")
    journey, _ = stored(live_server, "sample")
    added = journey.stages[-1]
    assert (added.name.en, added.name.fr) == ("", "Livraison")
    assert (added.touchpoints[0].name.en, added.touchpoints[0].name.fr) == ("", "Reçoit le canapé")
    english = page.request.get(f"{live_server.url}/w/acme/journeys/sample.json?lang=en").json()
    last = english["stages"][-1]
    assert last["name"] == "Livraison" and last["missing"] == ["en"]
    assert "missing" not in english["stages"][0]
    svg = page.request.get(f"{live_server.url}/w/acme/journeys/sample.svg?lang=en").text()
    assert "2 names not yet written in English are shown in French." in svg
    # The English name, written in the details, completes the pair.
    card(page, "Reçoit le canapé").get_by_role("button", name="Détails").click()
    page.locator("[data-je-details]").get_by_label("Nom en anglais").fill("Receives the sofa")
    page.locator("[data-je-details]").get_by_label("Nom en anglais").blur()
    assert card(page, "Reçoit le canapé").locator("[data-je-missing]").count() == 0
    assert stage(page, "Livraison").locator("[data-je-missing='en']").count() == 1


def test_a_journey_started_in_french_asks_only_for_its_french_name(
    page_for: PageFor, live_server: LiveServer
) -> None:
    page = page_for("ana@example.com")
    page.goto(f"{live_server.url}/w/acme/journeys/new?lang=fr")
    assert page.get_by_label("Nom en anglais").get_attribute("required") is None
    assert page.get_by_label("Nom en français").get_attribute("required") is not None
    page.get_by_label("Clé").fill("rend-canape")
    page.get_by_label("Nom en français").fill("Rend un canapé")
    page.get_by_role("button", name="Créer et ouvrir l'éditeur").click()
    page.wait_for_selector("[data-journey-editor][data-ready='true']")
    english = page.get_by_label("Nom du parcours (anglais)")
    assert english.input_value() == "" and english.get_attribute("placeholder") == "EN manquant"
    journey, _ = stored(live_server, "rend-canape")
    assert (journey.name.en, journey.name.fr) == ("", "Rend un canapé")
