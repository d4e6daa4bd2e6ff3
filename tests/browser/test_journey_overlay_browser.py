"""A CX manager reads the measured overlay of a demo journey, filters it by persona, compares
the current and target versions and downloads the map as PNG and PDF, in French."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import SHOTS, LiveServer
from tests.demo_prepared import prepare_demo
from tests.factories import PASSWORD
from tests.prepared import Prepared

from cxgap.services.core import Cxgap

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(sqlite_cx: Cxgap, prepared: Prepared) -> Cxgap:
    """The enriched demo (prepared once) and a site administrator, before the server starts."""
    return prepare_demo(
        prepared, sqlite_cx, n_customers=40, enriched=True, users=[("cx@example.com", "superuser")]
    )


@pytest.fixture
def manager_page(demo: Cxgap, browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
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


def test_overlay_persona_filter_comparison_and_downloads(
    manager_page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    page = manager_page
    page.goto(f"{live_server.url}/w/demo/journeys/claire-current?lang=fr")
    table = page.locator("table.overlay-table")
    assert table.locator("tbody tr").count() == 13
    everyone = int(table.locator("tr[data-touchpoint=delivery] td.num").first.inner_text())

    page.select_option("#persona", "claire")
    page.get_by_role("button", name="Appliquer").click()
    page.wait_for_url("**persona=claire**")
    claire = int(table.locator("tr[data-touchpoint=delivery] td.num").first.inner_text())
    assert 0 < claire < everyone
    page.locator("details.irritant summary").first.click()
    assert page.locator("details.irritant[open] li").count() >= 1
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "journey-overlay-fr.png"), full_page=True)

    with page.expect_download() as png_download:
        page.get_by_role("link", name="PNG").click()
    png = tmp_path / "map.png"
    png_download.value.save_as(png)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(data[16:20], "big") == 2116
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="PDF").click()
    pdf = tmp_path / "map.pdf"
    pdf_download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")

    page.get_by_role("link", name="Comparer actuel et cible").click()
    page.wait_for_url("**/compare**")
    assert page.get_by_role("heading", name="Irritants supprimés").is_visible()
    assert page.locator(".compare-grid svg").count() == 2
    page.screenshot(path=str(SHOTS / "journey-compare-fr.png"), full_page=True)
