"""A CX manager imports a Trustpilot and a Zendesk export, and a broken file, in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer, logged_in_page
from tests.factories import make_user, make_workspace

from cxgap.services.feedback_imports import count_feedback
from cxgap.services.workspaces import get_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser
DATA = Path(__file__).resolve().parents[1] / "data" / "feedback"


@pytest.fixture
def manager_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    with live_server.cx.transaction() as session:
        make_user(session, "cx@example.com", workspace=make_workspace(session), role="analyst")
    with logged_in_page(browser, live_server, "cx@example.com") as page:
        yield page


def wait_for_report(page: Page, timeout: float = 60_000) -> None:
    """Wait until the import's report replaces the progress (htmx's redirect)."""
    page.wait_for_url("**/import/feedback/imports/*", timeout=timeout)


def stored(live_server: LiveServer) -> int:
    with live_server.cx.reading() as session:
        return count_feedback(session, get_workspace(session, "acme"))


def import_through_the_browser(page: Page, live_server: LiveServer, file: Path) -> None:
    page.goto(f"{live_server.url}/w/acme/import")
    page.get_by_role("link", name="Import a feedback file").click()
    page.get_by_label("File", exact=True).set_input_files(str(file))
    page.get_by_role("button", name="Upload and map the columns").click()
    page.wait_for_selector("#mapping-table")


def test_trustpilot_and_zendesk_exports_import_end_to_end(
    manager_page: Page, live_server: LiveServer, shots: Path
) -> None:
    page = manager_page
    import_through_the_browser(page, live_server, DATA / "trustpilot.csv")
    assert "layout detected: Trustpilot reviews" in page.content()
    assert page.locator("#col-6").input_value() == "stars"  # Review Stars, from the preset
    assert page.locator("#preview-table tbody tr").count() == 5
    page.screenshot(path=str(shots / "feedback-import-mapping-en.png"), full_page=True)
    page.get_by_role("button", name="Import", exact=True).click()
    wait_for_report(page)  # progress, then htmx's redirect
    assert page.locator("#outcome").inner_text() == "6 records stored from 6 rows read."
    assert page.locator("#created").inner_text() == "6"
    page.screenshot(path=str(shots / "feedback-import-report-en.png"), full_page=True)

    import_through_the_browser(page, live_server, DATA / "zendesk.csv")
    assert "layout detected: Zendesk tickets" in page.content()
    # The analyst decides the ticket priority is worth keeping as an attribute.
    page.locator("select[data-column='Priority']").select_option("attribute")
    page.get_by_role("button", name="Import", exact=True).click()
    wait_for_report(page)
    assert page.locator("#created").inner_text() == "5"
    assert stored(live_server) == 11
    page.get_by_role("link", name="Import another file").click()
    history = page.locator("table").inner_text()
    assert "trustpilot.csv" in history and "zendesk.csv" in history


def test_a_broken_file_is_refused_in_french_and_stores_nothing(
    manager_page: Page, live_server: LiveServer, shots: Path, tmp_path: Path
) -> None:
    page = manager_page
    page.goto(f"{live_server.url}/w/acme/import/feedback?lang=fr")
    too_big = tmp_path / "trop.csv"
    too_big.write_bytes(b"x" * (live_server.cx.settings.max_upload_bytes + 1))
    page.get_by_label("Fichier", exact=True).set_input_files(str(too_big))
    assert "dépasse la limite de 2 Mo" in page.locator("#file-error").inner_text()
    page.get_by_label("Fichier", exact=True).set_input_files(str(DATA / "trustpilot_broken.csv"))
    assert page.locator("#file-error").is_hidden()
    page.get_by_role("button", name="Déposer et associer les colonnes").click()
    page.wait_for_selector("#mapping-table")
    assert "format détecté : Avis Trustpilot" in page.content()
    page.get_by_role("button", name="Importer", exact=True).click()
    wait_for_report(page)
    assert "Import refusé : rien n'a été enregistré." in page.locator("#outcome").inner_text()
    problems = page.locator("#problems-table").inner_text()
    assert "Review Stars" in problems and "doit être un nombre entier de 1 à 5" in problems
    page.screenshot(path=str(shots / "feedback-import-refused-fr.png"), full_page=True)
    assert stored(live_server) == 0
    # The file is kept after a refusal: skip the bad row this time.
    page.get_by_role("link", name="Modifier les associations et réessayer").click()
    page.get_by_label("Ignorer les lignes invalides et enregistrer les autres").check()
    page.get_by_role("button", name="Importer", exact=True).click()
    wait_for_report(page)
    assert "2 retours enregistrés sur 3 lignes lues." in page.locator("#outcome").inner_text()
    assert stored(live_server) == 2


def test_progress_updates_by_itself_until_the_report(
    manager_page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    lines = ["source_id,source_type,collected_at,text,nps"]
    lines += [f"r{i},survey,2024-03-05T10:00:00,Réponse numéro {i},{i % 11}" for i in range(12_000)]
    big = tmp_path / "answers.csv"
    big.write_text("\n".join(lines), encoding="utf-8")
    page = manager_page
    page.goto(f"{live_server.url}/w/acme/import/feedback")
    page.get_by_label("File", exact=True).set_input_files(str(big))
    page.get_by_role("button", name="Upload and map the columns").click()
    page.wait_for_selector("#mapping-table")
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_selector("#import-progress")
    first = page.locator("#rows-read").inner_text()
    # htmx replaces the figures every second, without reloading the page, then goes to
    # the report by itself.
    page.wait_for_url("**/import/feedback/imports/*", timeout=120_000)
    assert first != "12,000"  # the progress was seen before the end
    assert page.locator("#outcome").inner_text() == "12,000 records stored from 12,000 rows read."
