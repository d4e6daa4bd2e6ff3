"""The measured overlay in the browser: the journey page, the persona filter, the current /
target comparison and the PNG / PDF downloads, in English and French."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace
from tests.enrichment_factory import enrich_demo
from tests.factories import make_user
from tests.prepared import Prepared
from tests.web.conftest import log_in


def _enriched_demo(session: Session) -> None:
    create_demo_workspace(session, n_customers=40)
    workspace = get_workspace(session, "demo")
    enrich_demo(session, workspace)
    make_user(session, "viewer@example.com", workspace=workspace, role="viewer")


@pytest.fixture
def viewer(sqlite_cx: Cxgap, sqlite_client: TestClient, prepared: Prepared) -> TestClient:
    prepared.into(sqlite_cx, "journey-overlay-pages", _enriched_demo)
    log_in(sqlite_client, "viewer@example.com")
    return sqlite_client


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", ("Measured overlay", "Top irritants", "Measured for")),
     ("fr", ("Mesures superposées", "Principaux irritants", "Mesuré pour"))],
)  # fmt: skip
def test_the_journey_page_shows_the_overlay(
    viewer: TestClient, lang: str, words: tuple[str, ...]
) -> None:
    page = viewer.get(f"/w/demo/journeys/claire-current?lang={lang}")
    assert page.status_code == 200
    for word in words:
        assert word in page.text
    rows = re.findall(r'<tr data-touchpoint="([a-z-]+)"( class="disagrees")?', page.text)
    assert len(rows) == 13
    assert any(flag for _, flag in rows), "the demo has touchpoints where team and customers differ"
    quote = "« " if lang == "fr" else "“"  # verbatims quoted the way the reader's language does
    assert '<details class="irritant">' in page.text and f"<li>{quote}" in page.text
    for fmt in ("svg", "png", "pdf", "json"):
        assert f"/w/demo/journeys/claire-current.{fmt}?lang={lang}" in page.text


def test_the_persona_filter_narrows_the_figures(viewer: TestClient) -> None:
    everyone = viewer.get("/w/demo/journeys/claire-current.json").json()
    claire = viewer.get("/w/demo/journeys/claire-current.json?persona=claire").json()

    def total(doc: dict[str, object]) -> int:
        stages = doc["stages"]
        assert isinstance(stages, list)
        return sum(tp["measured"]["feedback_count"] for s in stages for tp in s["touchpoints"])

    assert 0 < total(claire) < total(everyone)
    page = viewer.get("/w/demo/journeys/claire-current?persona=claire&lang=fr")
    assert "Chiffres du seul segment de Claire Martin" in page.text
    assert '<option value="claire" selected>' in page.text
    assert viewer.get("/w/demo/journeys/claire-current?persona=nobody").status_code == 404


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", ("Irritants removed", "Essentials secured", "WOW effects added", "SMS → App")),
     ("fr", ("Irritants supprimés", "Essentiels sécurisés", "Effets WAOUH", "SMS → Application"))],
)  # fmt: skip
def test_the_comparison_lists_what_changes(
    viewer: TestClient, lang: str, words: tuple[str, ...]
) -> None:
    for key in ("claire-current", "claire-target"):
        page = viewer.get(f"/w/demo/journeys/{key}/compare?lang={lang}")
        assert page.status_code == 200
        for word in words:
            assert word in page.text
        assert page.text.count("<svg") >= 2


def test_png_and_pdf_downloads_are_real_files(viewer: TestClient) -> None:
    png = viewer.get("/w/demo/journeys/claire-target.png?lang=fr")
    assert png.headers["content-type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png.content[16:20], "big") == 150 + 14 * 150 + 16
    pdf = viewer.get("/w/demo/journeys/claire-target.pdf?persona=claire")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")  # its pages: tests/web/test_journey_pdf_web.py
    assert 'filename="claire-target.pdf"' in pdf.headers["content-disposition"]


def test_the_persona_cards_show_the_rule_of_their_segment(viewer: TestClient) -> None:
    page = viewer.get("/w/demo/journeys?lang=fr")
    assert "birth_year &lt; 1965 and nps &lt;= 6" in page.text


def test_french_pages_write_numbers_the_french_way(viewer: TestClient) -> None:
    """Overlay table, map and comparison: decimal comma, true minus, narrow space before ":"."""
    doc = viewer.get("/w/demo/journeys/claire-current.json").json()
    measured = [tp["measured"] for s in doc["stages"] for tp in s["touchpoints"]]
    negative = next(m for m in measured if (m["sentiment_mean"] or 0) < -0.005)
    mean = f"{abs(negative['sentiment_mean']):.2f}"
    fr_mean, en_mean = "\u2212" + mean.replace(".", ","), "\u2212" + mean
    french = viewer.get("/w/demo/journeys/claire-current?lang=fr").text
    english = viewer.get("/w/demo/journeys/claire-current?lang=en").text
    assert f'<span class="neg">{fr_mean}</span>' in french
    assert f'<span class="neg">{en_mean}</span>' in english
    assert not re.search(r'<td class="num">-\d|<td class="num">[+\d][\d,]*\.\d', french)
    assert not re.search(r'class="(neg|pos)">[^<]*\.', french)
    svg = viewer.get("/w/demo/journeys/claire-current.svg?lang=fr").text
    assert f"Sentiment\u202f: {fr_mean}" in svg and "NPS\u202f: " in svg
    assert not re.search(r"NPS\u202f: -", svg) and "NPS :" not in svg
    compare = viewer.get("/w/demo/journeys/claire-target/compare?lang=fr").text
    assert "sentiment \u2212" in compare or "sentiment +" in compare
    assert not re.search(r"sentiment [+-]?\d+\.\d", compare)


def test_one_mention_is_one_item(viewer: TestClient) -> None:
    english = viewer.get("/w/demo/journeys/claire-current?lang=en").text
    assert re.search(r"\(1 item\)", english) and not re.search(r"\b1 items\b", english)
    assert re.search(r"\(\d+ items\)", english)
    compare = viewer.get("/w/demo/journeys/claire-target/compare?lang=en").text
    assert re.search(r"today: \d+ feedback items, sentiment", compare)
