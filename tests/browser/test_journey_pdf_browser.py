"""A CX manager downloads a demo journey's PDF from its page and gets printable pages: the
map on landscape A4 (French) or Letter (English) pages, then the measured overlay table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer, logged_in_page
from tests.demo_prepared import prepare_demo
from tests.prepared import Prepared

from cxgap.services.core import Cxgap

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


A4, LETTER = (842, 595), (792, 612)


@pytest.fixture
def demo(sqlite_cx: Cxgap, prepared: Prepared) -> Cxgap:
    """The enriched demo (prepared once) and a site administrator, before the server starts."""
    return prepare_demo(
        prepared, sqlite_cx, n_customers=40, enriched=True, users=[("cx@example.com", "superuser")]
    )


@pytest.mark.parametrize(
    ("lang", "size", "words", "other", "other_size"),
    [("fr", A4, ("Mesures superposées", "Livraison à domicile", "sur"), "Lettre US", LETTER),
     ("en", LETTER, ("Measured overlay", "Delivery at home", "of"), "A4", A4)],
)  # fmt: skip
def test_the_downloaded_pdf_prints_on_landscape_pages(
    demo: Cxgap,
    browser: Browser,
    live_server: LiveServer,
    tmp_path: Path,
    lang: str,
    size: tuple[int, int],
    words: tuple[str, ...],
    other: str,
    other_size: tuple[int, int],
) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    with logged_in_page(browser, live_server, "cx@example.com") as page:
        page.goto(f"{live_server.url}/w/demo/journeys/claire-current?lang={lang}")
        with page.expect_download() as download:
            page.get_by_role("link", name="PDF").click()
        target = tmp_path / "map.pdf"
        download.value.save_as(target)
        # The other paper is one click away.
        with page.expect_download() as other_download:
            page.get_by_role("link", name=other, exact=True).click()
        other_target = tmp_path / "other.pdf"
        other_download.value.save_as(other_target)
    document = pdfium.PdfDocument(target.read_bytes())
    sizes = {tuple(round(x) for x in p.get_size()) for p in document}
    texts = [" ".join(p.get_textpage().get_text_range().split()) for p in document]
    document.close()
    assert sizes == {size}
    assert len(texts) >= 3  # the map over several pages, then the table
    table = " ".join(texts[1:])
    for word in words:
        assert word in table
    assert f"page {len(texts)} {words[-1]} {len(texts)}" in texts[-1]
    other_document = pdfium.PdfDocument(other_target.read_bytes())
    assert {tuple(round(x) for x in p.get_size()) for p in other_document} == {other_size}
    other_document.close()
