"""The Listening screens with and without the comments of flagged survey answers: without
them, every screen's figures (explorer, topics, trends, drivers, the export) equal those of
the twin workspace that never had those answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import Feedback
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.enrichment_factory import add_topic, enrich
from tests.factories import make_user
from tests.integrity.flagged_factories import flagged_rows, planted_workspace
from tests.warm_routes import app_for
from tests.web.conftest import csrf_of, log_in

PLANTED = len(flagged_rows())
# What differs between two workspaces holding the same answers, and the enrichment's progress
# over every stored text (a state of the pipeline, not a figure).
IGNORED = {"id", "feedback_id", "enrichment_id", "next_cursor", "after", "workspace"}
IGNORED |= {"computed_at", "coverage"}
SCREENS = ("verbatims.json", "topics.json", "trends.json", "drivers.json")


@pytest.fixture
def client(cx: Cxgap) -> Iterator[TestClient]:
    """``gamed`` and ``clean`` as in test_flagged_results.py, every survey comment enriched:
    the planted gibberish read as praise of delivery, the clean ones mildly (no mismatch)."""
    with cx.transaction() as session:
        for key, planted in (("gamed", True), ("clean", False)):
            workspace = planted_workspace(session, key, with_flagged=planted)
            make_user(session, f"ana-{key}@example.com", workspace=workspace)
            make_user(session, f"vic-{key}@example.com", workspace=workspace, role="viewer")
            make_user(session, f"adm-{key}@example.com", workspace=workspace, role="admin")
            for topic in ("delivery", "staff"):
                add_topic(session, workspace, topic)
            rows = session.execute(
                select(Feedback.text_hash, Feedback.source_id)
                .where(Feedback.workspace_id == workspace.id)
                .order_by(Feedback.source_id)
            ).all()
            for i, (text_hash, source_id) in enumerate(rows):
                gamed = source_id.startswith("planted-")
                score = 0.8 if gamed else (-0.4, 0.1, 0.45)[i % 3]
                topic = "delivery" if gamed or i % 2 else "staff"
                enrich(session, workspace, text_hash, score, None, [(topic, score)])
    with TestClient(app_for(cx), follow_redirects=False) as client:
        yield client


def _plain(value: Any) -> Any:
    """A screen's JSON without what differs between two workspaces holding the same answers:
    database ids, cursors, keys and moments of computation."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in IGNORED}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _screens(client: TestClient, key: str, query: str = "") -> dict[str, Any]:
    found = {}
    for screen in SCREENS:
        response = client.get(f"/w/{key}/listening/{screen}{query}")
        assert response.status_code == 200, (screen, response.text[:300])
        found[screen] = _plain(response.json())
    return found


def test_every_screen_without_flagged_comments_is_the_twins(client: TestClient) -> None:
    query = "?topic=delivery&source=survey"
    log_in(client, "ana-clean@example.com")
    twin, twin_filtered = _screens(client, "clean"), _screens(client, "clean", query)
    client.cookies.clear()
    log_in(client, "ana-gamed@example.com")
    with_flagged = _screens(client, "gamed")
    for screen in SCREENS:
        assert with_flagged[screen] != twin[screen], screen
    without = _screens(client, "gamed", "?flagged=exclude")
    for screen in SCREENS:
        assert without[screen] == twin[screen], screen
    # Filters combine with the reading: a topic and a source, without the flagged comments.
    assert _screens(client, "gamed", query + "&flagged=exclude") == twin_filtered
    refused = client.get("/w/gamed/listening/topics.json?flagged=sometimes")
    assert refused.status_code in (400, 422) and "flagged" in refused.text


def test_the_choice_reaches_listening_and_its_notice(client: TestClient) -> None:
    log_in(client, "ana-gamed@example.com")
    page = client.get("/w/gamed/listening/topics").text
    assert 'data-flagged-mode="include"' in page
    assert f"Listening counts {PLANTED} verbatims from them." in page
    token = csrf_of(page)
    response = client.post(
        "/w/gamed/integrity/choice",
        data={"csrf_token": token, "exclude": "1", "next": "/w/gamed/listening/topics"},
    )
    assert response.headers["location"] == "/w/gamed/listening/topics"
    for path in ("", "/topics", "/trends", "/drivers"):
        html = client.get(f"/w/gamed/listening{path}?lang=fr").text
        assert 'data-flagged-mode="exclude"' in html, path
        assert f"{PLANTED} verbatims issus d’elles écartés." in html, path
    twin_client_view = _screens(client, "gamed")  # no parameter: the workspace's choice
    client.cookies.clear()
    log_in(client, "ana-clean@example.com")
    assert twin_client_view == _screens(client, "clean")
    assert "data-flagged-notice" not in client.get("/w/clean/listening").text
    export = "/w/{}/listening/export.json"
    client.cookies.clear()
    log_in(client, "ana-gamed@example.com")
    gamed_export = client.get(export.format("gamed"))
    assert gamed_export.status_code == 200, gamed_export.text[:300]
    assert "planted-" not in gamed_export.text
    assert "planted-" in client.get(export.format("gamed") + "?flagged=include").text


def test_a_viewer_sees_the_other_reading_without_switching(client: TestClient, cx: Cxgap) -> None:
    log_in(client, "vic-gamed@example.com")
    page = client.get("/w/gamed/listening/trends").text
    assert 'href="/w/gamed/listening/trends?flagged=exclude"' in page
    assert "integrity/choice" not in page
    other = client.get("/w/gamed/listening/trends?flagged=exclude").text
    assert 'data-flagged-mode="exclude"' in other
    assert 'name="flagged" value="exclude"' in other  # the filter form keeps the reading
    with cx.transaction() as session:
        from cxgap.services.flagged import workspace_choice

        assert workspace_choice(session, get_workspace(session, "gamed")) == "include"


def test_the_feedback_api_takes_the_reading(client: TestClient, cx: Cxgap) -> None:
    from cxgap.services import api_tokens
    from cxgap.services.accounts import principal_of

    with cx.transaction() as session:
        workspace = get_workspace(session, "gamed")
        admin = next(m.user for m in workspace.memberships if m.role == "admin")
        token = api_tokens.create_workspace_token(
            session, workspace=workspace, principal=principal_of(admin), name="v", role="viewer"
        )
    headers = {"authorization": f"Bearer {token}"}
    route = "/api/v1/workspaces/gamed/feedback?limit=200"
    every = client.get(route, headers=headers).json()["items"]
    kept = client.get(route + "&flagged=exclude", headers=headers).json()["items"]
    assert len(every) - len(kept) == PLANTED
    assert {i["id"] for i in kept} < {i["id"] for i in every}
    refused = client.get(route + "&flagged=no", headers=headers)
    assert refused.status_code == 422 and "flagged" in refused.text
