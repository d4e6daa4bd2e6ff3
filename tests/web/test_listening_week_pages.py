"""Listening numbers over HTTP: the overview's NPS names its source and period, and the
Trends page reconciles it with imported feedback, in English and French."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user, make_workspace
from tests.listening_factories import CLAUSES, add_feedback, compose, enrich, make_topics
from tests.listening_week_factories import build_two_sources
from tests.prepared import Prepared
from tests.web.conftest import log_in


@pytest.fixture
def viewer(sqlite_cx: Cxgap, sqlite_client: TestClient, prepared: Prepared) -> TestClient:
    prepared.into(sqlite_cx, "two-sources", build_two_sources)
    with sqlite_cx.transaction() as session:
        make_user(
            session, "vic@example.com", workspace=get_workspace(session, "acme"), role="viewer"
        )
    log_in(sqlite_client, "vic@example.com")
    return sqlite_client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_overview_nps_says_it_comes_from_the_survey_answers(viewer: TestClient) -> None:
    english = _text(viewer.get("/w/acme").text)
    assert "Survey answers, n = 100 · 5 Jan 2026 – 24 Jan 2026" in english
    french = viewer.get("/w/acme?lang=fr").text
    assert "Réponses à l&#39;enquête, n = 100" in french
    assert 'href="/w/acme/listening/trends#nps-sources"' in french


def test_trends_reconcile_the_survey_with_imported_feedback(viewer: TestClient) -> None:
    page = viewer.get("/w/acme/listening/trends").text
    block = _text(page[page.index('id="nps-sources"') : page.index("</section>")])
    assert "Survey answers (your cxgap survey) +10 " in block
    assert "Imported feedback, all sources −45 " in block and " 110 " in block
    assert "Review −60" in block and "Ticket too few answers" in block
    assert "Their intervals do not overlap" in block and "different customers" in block
    assert "They do not cover the same period" in block
    french = _text(viewer.get("/w/acme/listening/trends?lang=fr").text)
    assert "NPS par source" in french and "ne se chevauchent pas" in french


def test_drivers_are_read_with_their_sign_and_negative_share(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    # Delivery: 30 negative mentions scoring 2 and 10 positive ones scoring 9, so 40 % of
    # answers mention it, 75 % of those mentions are negative, and they score
    # (30 × 2 + 10 × 9) / 40 = 3.75 against (40 × 9 + 20 × 8) / 60 = 8.67: 4.9 points lower.
    plan = [("The delivery took", 2, 30), ("the sofa arrived", 9, 10)]
    plan += [("staff at the", 9, 40), ("what are your", 8, 20)]
    with sqlite_cx.transaction() as session:
        workspace = make_workspace(session)
        make_topics(session, workspace)
        for start, score, count in plan:
            verbatim = compose([next(c for c in CLAUSES if c[0].startswith(start))], ". ")
            enrich(session, workspace, verbatim)
            for index in range(count):
                add_feedback(
                    session,
                    workspace,
                    verbatim.text,
                    collected_at=datetime(2026, 2, 1 + index % 27, tzinfo=UTC),
                    source_id=f"{start}-{index}",
                    nps=score,
                )
        make_user(session, "vic@example.com", workspace=workspace, role="viewer")
    log_in(sqlite_client, "vic@example.com")
    page = sqlite_client.get("/w/acme/listening/drivers").text
    delivery = _text(page[page.index('id="driver-delivery"') :].split("</div>")[0])
    assert "Mentioned in 40% of answers." in delivery
    assert "75% of those mentions are negative." in delivery
    assert "score 4.9 points lower on the 0–10 scale (3.8 against 8.7)" in delivery
    # Held equal with staff (a cell model here): 3.75 − 8 = −4.25 points, shown −4.3.
    assert "With the other topics held equal: −4.3 points." in delivery
    assert "raises" not in delivery
    staff = _text(page[page.index('id="driver-staff"') :].split("</div>")[0])
    assert "0% of those mentions are negative" in staff and "points higher" in staff
    french = sqlite_client.get("/w/acme/listening/drivers?lang=fr").text
    assert "75 % de ces mentions sont négatives." in _text(french)
