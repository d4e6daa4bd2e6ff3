"""The journey PDF from the web: landscape pages of the reader's paper, ``?paper=`` to choose
another, a bad value refused naming it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user
from tests.prepared import Prepared
from tests.web.conftest import log_in

pdfium = pytest.importorskip("pypdfium2")


def _demo(session: Session) -> None:
    create_demo_workspace(session, n_customers=40)
    make_user(
        session, "viewer@example.com", workspace=get_workspace(session, "demo"), role="viewer"
    )


@pytest.fixture
def viewer(sqlite_cx: Cxgap, sqlite_client: TestClient, prepared: Prepared) -> TestClient:
    prepared.into(sqlite_cx, "journey-pdf-web", _demo)
    log_in(sqlite_client, "viewer@example.com")
    return sqlite_client


def _pages(data: bytes) -> tuple[set[tuple[int, int]], str]:
    document = pdfium.PdfDocument(data)
    sizes = {(round(p.get_size()[0]), round(p.get_size()[1])) for p in document}
    text = " ".join(" ".join(p.get_textpage().get_text_range().split()) for p in document)
    document.close()
    return sizes, text


@pytest.mark.parametrize(
    ("query", "size", "words"),
    [("lang=fr", (842, 595), ("Mesures superposées", "Principaux irritants", "page 1 sur")),
     ("lang=en", (792, 612), ("Measured overlay", "Top irritants", "page 1 of")),
     ("lang=en&paper=a4", (842, 595), ("Measured overlay",))],
)  # fmt: skip
def test_the_pdf_prints_on_landscape_pages(
    viewer: TestClient, query: str, size: tuple[int, int], words: tuple[str, ...]
) -> None:
    response = viewer.get(f"/w/demo/journeys/claire-current.pdf?{query}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    sizes, text = _pages(response.content)
    assert sizes == {size}
    for word in words:
        assert word in text


def test_an_unknown_paper_is_refused(viewer: TestClient) -> None:
    response = viewer.get("/w/demo/journeys/claire-current.pdf?paper=a3")
    assert response.status_code == 422
    assert "paper" in response.text and "a3" in response.text
