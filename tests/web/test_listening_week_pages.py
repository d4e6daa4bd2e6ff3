"""Listening numbers over HTTP: the overview's NPS names its source and period, and the
Trends page reconciles it with imported feedback, in English and French."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.listening_factories import make_topics
from tests.listening_week_factories import make_two_sources
from tests.web.conftest import log_in


@pytest.fixture
def viewer(sqlite_cx: Cxgap, sqlite_client: TestClient) -> TestClient:
    with sqlite_cx.transaction() as session:
        workspace = make_workspace(session)
        make_topics(session, workspace)
        make_two_sources(session, workspace)
        make_user(session, "vic@example.com", workspace=workspace, role="viewer")
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
