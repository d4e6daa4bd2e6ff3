"""The Listening screens over HTTP: empty states, the explorer and its correction forms,
topics and irritants, trends and drivers, in English and French."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user, make_workspace
from tests.listening_factories import add_feedback, make_listening_sample, make_topics
from tests.prepared import Prepared
from tests.web.conftest import log_in

PAGES = ("", "/topics", "/trends", "/drivers")


def _world(role: str, n: int) -> Callable[[Session], None]:
    def build(session: Session) -> None:
        workspace = make_workspace(session)
        make_topics(session, workspace)
        if n:
            make_listening_sample(session, workspace, n=n)
        make_user(session, "ana@example.com", workspace=workspace, role=role)
        make_user(session, "outsider@example.com")

    return build


def _sign_in(cx: Cxgap, client: TestClient, role: str = "analyst", n: int = 0) -> TestClient:
    with cx.transaction() as session:
        _world(role, n)(session)
    log_in(client, "ana@example.com")
    return client


@pytest.fixture
def analyst(sqlite_cx: Cxgap, sqlite_client: TestClient, prepared: Prepared) -> TestClient:
    """400 verbatims and their analyst, written once per session and copied for each test."""
    prepared.into(sqlite_cx, "listening-pages-analyst-400", _world("analyst", 400))
    log_in(sqlite_client, "ana@example.com")
    return sqlite_client


@pytest.mark.parametrize("suffix", PAGES)
def test_empty_workspaces_say_what_to_do(
    sqlite_cx: Cxgap, sqlite_client: TestClient, suffix: str
) -> None:
    client = _sign_in(sqlite_cx, sqlite_client)
    page = client.get(f"/w/acme/listening{suffix}")
    assert page.status_code == 200
    assert "No feedback in this workspace yet." in page.text
    assert 'href="/w/acme/import"' in page.text or suffix == "/trends"
    with sqlite_cx.transaction() as session:
        add_feedback(
            session,
            get_workspace(session, "acme"),
            "Livraison en retard",
            collected_at=datetime(2026, 1, 5, tzinfo=UTC),
        )
    french = client.get(f"/w/acme/listening{suffix}?lang=fr").text
    if suffix != "/trends":
        assert "1 verbatim attend d&#39;être enrichi." in french
        assert "cxgap enrich --workspace acme" in french


def test_the_explorer_highlights_findings_and_offers_corrections(analyst: TestClient) -> None:
    page = analyst.get("/w/acme/listening")
    assert page.status_code == 200
    assert "400 verbatims" in page.text
    assert re.search(
        r'<mark class="finding finding-negative"[^>]*>[^<]+<span class="finding-label">', page.text
    )
    assert page.text.count('class="verbatim"') == 50
    assert 'action="/w/acme/listening/feedback/' in page.text
    for field in (
        'name="kind" value="sentiment"',
        'name="kind" value="topic"',
        'name="start"',
        'name="end"',
        'name="applies"',
        'name="csrf_token"',
    ):
        assert field in page.text
    assert 'href="/w/acme/listening"' in page.text and ">Listening<" in page.text  # the tab


def test_filters_search_and_the_next_page(analyst: TestClient) -> None:
    billing = analyst.get("/w/acme/listening?topic=billing&lang=fr").text
    count = int(re.search(r"<h2 id=\"verbatims-title\">(\d+) verbatims", billing).group(1))
    assert 0 < count < 400
    assert "Facturation" in billing
    searched = analyst.get("/w/acme/listening", params={"q": "FACTURE"}).text
    assert "facturé" in searched and "Staff at the showroom were lovely" not in searched
    first = analyst.get("/w/acme/listening").text
    cursor = re.search(r'hx-get="\?after=([^"&]+)&fragment=1"', first)
    assert cursor is not None
    more = analyst.get(f"/w/acme/listening?after={cursor.group(1)}&fragment=1")
    assert more.status_code == 200 and "<html" not in more.text
    assert more.text.count('class="verbatim"') == 50
    ids = set(re.findall(r'id="feedback-(\d+)"', first)) & set(
        re.findall(r'id="feedback-(\d+)"', more.text)
    )
    assert ids == set()


def test_bad_filters_get_a_clear_error(analyst: TestClient) -> None:
    page = analyst.get("/w/acme/listening?sentiment=furious")
    assert page.status_code == 422
    assert "sentiment" in page.text and "furious" in page.text


def test_viewers_read_but_cannot_correct(sqlite_cx: Cxgap, sqlite_client: TestClient) -> None:
    client = _sign_in(sqlite_cx, sqlite_client, role="viewer", n=20)
    page = client.get("/w/acme/listening")
    assert page.status_code == 200 and 'class="finding' in page.text
    assert "/labels" not in page.text


def test_outsiders_get_404(sqlite_cx: Cxgap, sqlite_client: TestClient) -> None:
    _sign_in(sqlite_cx, sqlite_client)
    sqlite_client.post("/logout", data={"csrf_token": ""})
    sqlite_client.cookies.clear()
    log_in(sqlite_client, "outsider@example.com")
    for suffix in PAGES:
        assert sqlite_client.get(f"/w/acme/listening{suffix}").status_code == 404


def test_topics_rank_irritants_with_formula_and_examples(analyst: TestClient) -> None:
    page = analyst.get("/w/acme/listening/topics").text
    assert "mentions × share of negative mentions × criticality weight" in page
    assert page.count('class="irritant card"') >= 3
    assert page.count('<mark class="finding finding-negative">') >= 3
    assert page.count('class="sparkline"') == 8
    french = analyst.get("/w/acme/listening/topics?lang=fr").text
    assert "Principaux irritants" in french and "Temps d&#39;attente" in french


def test_trends_hide_small_periods_without_drawing_them_at_a_value(analyst: TestClient) -> None:
    monthly = analyst.get("/w/acme/listening/trends").text
    # NPS, CSAT, CES and the share of negative verbatims; no stars in this sample.
    assert monthly.count('class="chart-svg"') == 4
    assert 'class="dot"' in monthly and 'id="trends-missing"' in monthly
    weekly = analyst.get("/w/acme/listening/trends?grain=week&lang=fr").text
    charts = re.findall(r"<svg.*?</svg>", weekly, re.S)
    assert any('class="hidden-period"' in c for c in charts)
    assert not any('class="suppressed"' in c for c in charts)
    assert "Hachuré : période masquée, moins de 30 réponses" in weekly
    assert analyst.get("/w/acme/listening/trends?grain=day").status_code == 422


def test_drivers_state_the_method_and_the_weights(analyst: TestClient) -> None:
    page = analyst.get("/w/acme/listening/drivers").text
    assert "Johnson" in page and "Drivers of NPS" in page
    r2 = re.search(r"Topic mentions explain (\d+)% of the differences", page)
    assert r2 is not None and 0 < int(r2.group(1)) < 100
    assert page.count("<tr>") >= 8
    pillars = analyst.get("/w/acme/listening/drivers?level=pillar&lang=fr").text
    assert "Leviers du NPS" in pillars and "Friction" in pillars


def test_every_screen_has_a_json_twin(analyst: TestClient) -> None:
    verbatims = analyst.get("/w/acme/listening/verbatims.json?topic=billing").json()
    assert verbatims["total"] == len(verbatims["verbatims"]) or verbatims["next_cursor"]
    first = verbatims["verbatims"][0]
    assert "billing" in first["topics"] and first["row"]["findings"]
    topics = analyst.get("/w/acme/listening/topics.json").json()
    assert topics["irritants"][0]["irritant"]["score"] > 0
    trends = analyst.get("/w/acme/listening/trends.json?grain=week").json()
    assert [s["metric"] for s in trends["series"]] == ["nps", "csat", "ces", "stars", "negative"]
    assert trends["sources"]["feedback"]["n"] == 400
    drivers = analyst.get("/w/acme/listening/drivers.json?level=pillar").json()
    weights = [d["weight"] for d in drivers["analysis"]["drivers"]]
    assert sum(weights) == pytest.approx(drivers["analysis"]["r_squared"])
    assert analyst.get("/w/acme/listening/topics.json?from=soon").status_code == 422
