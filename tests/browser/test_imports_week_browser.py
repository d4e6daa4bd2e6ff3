"""A CX manager imports her own files in Chromium: the source type is proposed, a file with
unquoted commas or an unknown separator is caught at the mapping step, and a French page
says every problem in French."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer, logged_in_page
from tests.factories import PASSWORD, make_user, make_workspace

from cxgap.services.feedback_imports import count_feedback
from cxgap.services.workspaces import get_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser
UNQUOTED = (
    "id,date,comment,stars\n"
    "1,2024-03-04,Bien,5\n"
    "2,2024-03-05,Lent, très lent, vraiment,1\n"
    "3,2024-03-06,Parfait,5\n"
    "4,2024-03-07,Cher, mais bien,4\n"
)
TILDES = "id~date~comment~stars\nT1~2024-03-04~Bien, merci~5\nT2~2024-03-05~Moyen; lent~3\n"


@pytest.fixture
def manager_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    with live_server.cx.transaction() as session:
        make_user(session, "cx@example.com", workspace=make_workspace(session), role="analyst")
    with logged_in_page(browser, live_server, "cx@example.com") as page:
        yield page


def stored(live_server: LiveServer) -> int:
    with live_server.cx.reading() as session:
        return count_feedback(session, get_workspace(session, "acme"))


def upload(page: Page, live_server: LiveServer, path: Path, lang: str = "en") -> None:
    page.goto(f"{live_server.url}/w/acme/import/feedback?lang={lang}")
    page.locator("#feedback-upload input[type=file]").set_input_files(str(path))
    page.locator("#feedback-upload button[type=submit]").click()


def photograph(page: Page, name: str) -> None:
    """Desktop and phone screenshots of the page, for docs/screenshots/."""
    shots = Path("/tmp/cxgap-shots")
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(shots / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_unquoted_commas_are_caught_before_import_and_the_source_type_is_proposed(
    manager_page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    page = manager_page
    path = tmp_path / "avis-boutique.csv"
    path.write_text(UNQUOTED, encoding="utf-8")
    upload(page, live_server, path)
    page.wait_for_selector("#mapping-table")
    warning = page.locator("#file-warnings")
    assert "2 rows have more cells than the header's 4 (rows 3, 5)" in warning.inner_text()
    assert "Put such cells in double quotes" in warning.inner_text()
    assert page.locator("#const-source_type").input_value() == "review"
    assert "holds stars" in page.locator("#source-type-proposed").inner_text()
    photograph(page, "feedback-import-warnings-en")
    page.get_by_label("Skip the invalid rows and store the others").check()
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_url("**/import/feedback/imports/*", timeout=60_000)
    assert page.locator("#outcome").inner_text().startswith("2 records stored from 4 rows read")
    assert stored(live_server) == 2


def test_an_unknown_separator_is_chosen_at_the_mapping_step(
    manager_page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    page = manager_page
    path = tmp_path / "reviews.csv"
    path.write_text(TILDES, encoding="utf-8")
    upload(page, live_server, path)
    page.wait_for_selector("#mapping-table")
    assert "seem separated by '~'" in page.locator("#file-warnings").inner_text()
    assert page.locator("#mapping-table tbody tr").count() == 1
    page.get_by_label("Separator between cells").select_option("tilde")
    with page.expect_navigation():
        page.get_by_role("button", name="Check the mapping").click()
    assert page.locator("#file-warnings").count() == 0
    assert page.locator("#mapping-table tbody tr").count() == 4
    assert page.locator("select[data-column='comment']").input_value() == "text"
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_url("**/import/feedback/imports/*", timeout=60_000)
    assert stored(live_server) == 2


def test_a_french_page_says_import_problems_in_french(
    manager_page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    page = manager_page
    path = tmp_path / "avis-boutique.csv"
    path.write_text(UNQUOTED, encoding="utf-8")
    upload(page, live_server, path, lang="fr")
    page.wait_for_selector("#mapping-table")
    warning = page.locator("#file-warnings").inner_text()
    assert "2 lignes ont plus de cellules que les 4 de l'en-tête (lignes 3, 5)" in warning
    assert "contient des étoiles" in page.locator("#source-type-proposed").inner_text()
    photograph(page, "feedback-import-warnings-fr")
    page.get_by_label("Ignorer les lignes invalides et enregistrer les autres").check()
    page.get_by_role("button", name="Importer", exact=True).click()
    page.wait_for_url("**/import/feedback/imports/*", timeout=60_000)
    body = page.locator("main").inner_text()
    assert "a 5 cellules mais l'en-tête a 4 colonnes" in body
    assert "cells but the header" not in body


def test_a_refused_file_is_explained_in_french(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    """A 422 page: the browser logs the status as a console error, so this page is opened
    without ``logged_in_page``'s check of the console."""
    with live_server.cx.transaction() as session:
        make_user(session, "cx@example.com", workspace=make_workspace(session), role="analyst")
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    try:
        page.goto(f"{live_server.url}/login?lang=fr")
        page.get_by_label("E-mail").fill("cx@example.com")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(f"{live_server.url}/")
        for name, data, expected in (
            ("avis.xlsx", b"PK\x03\x04 not a workbook", "n'est pas un classeur .xlsx lisible"),
            ("avis.json", b'{"a": 1}', "ne contient aucune liste d'enregistrements"),
        ):
            path = tmp_path / name
            path.write_bytes(data)
            upload(page, live_server, path, lang="fr")
            text = page.locator("main").inner_text()
            assert f"{name} : {expected}" in text
            assert "is not a readable" not in text and "has no list" not in text
    finally:
        context.close()
    assert page_errors == []


def test_workbook_rows_beyond_the_header_are_caught_at_the_mapping_step_in_french(
    manager_page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    from tests.ingest.test_shape import workbook_with_values_beyond

    page = manager_page
    path = workbook_with_values_beyond(tmp_path / "avis.xlsx")
    upload(page, live_server, path, lang="fr")
    page.wait_for_selector("#mapping-table")
    warning = page.locator("#file-warnings").inner_text()
    assert "2 ligne(s) ont des valeurs au-delà des 3 colonnes de l'en-tête (lignes 3, 5)" in warning
    assert "beyond the header" not in warning
