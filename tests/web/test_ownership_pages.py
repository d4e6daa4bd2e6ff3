"""The ownership page (owners per pillar and per touchpoint by journey and stage; analysts
assign them) and a team's digest page, in English and French."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import Ownership, utcnow
from cxgap.services.core import Cxgap
from tests.factories import make_user
from tests.ownership_factories import worsened_workspace
from tests.web.conftest import csrf_of, log_in


def _world(cx: Cxgap) -> None:
    with cx.transaction() as session:
        acme = worsened_workspace(session, now=utcnow())
        make_user(session, "vic@example.com", workspace=acme, role="viewer")


def test_analysts_assign_owners_per_touchpoint(sqlite_cx: Cxgap, sqlite_client: TestClient) -> None:
    _world(sqlite_cx)
    log_in(sqlite_client, "ana@example.com")
    page = sqlite_client.get("/w/acme/ownership")
    assert page.status_code == 200
    html = page.text
    assert "Buying a sofa" in html and "Receiving it" in html
    assert 'data-subject="touchpoint:delivery"' in html and "Logistique" in html
    response = sqlite_client.post(
        "/w/acme/ownership",
        data={
            "csrf_token": csrf_of(html),
            "kind": "touchpoint",
            "subject": "assembly",
            "teams": ["logistics", "web"],
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/w/acme/ownership#touchpoint-assembly"
    with sqlite_cx.reading() as session:
        owned = session.scalars(
            select(Ownership.subject_key).where(Ownership.subject_key == "assembly")
        ).all()
        assert len(owned) == 2
    french = sqlite_client.get("/w/acme/ownership?lang=fr").text
    assert "Acheter un canapé" in french and "Équipes responsables" in french
    refused = sqlite_client.post(
        "/w/acme/ownership",
        data={"csrf_token": csrf_of(html), "kind": "touchpoint", "subject": "moon"},
        follow_redirects=False,
    )
    assert refused.status_code == 422 and "moon" in refused.text


def test_viewers_read_owners_and_digests_but_cannot_assign(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    _world(sqlite_cx)
    log_in(sqlite_client, "vic@example.com")
    html = sqlite_client.get("/w/acme/ownership").text
    assert 'name="teams"' not in html
    refused = sqlite_client.post(
        "/w/acme/ownership",
        data={
            "csrf_token": csrf_of(sqlite_client.get("/account").text),
            "kind": "pillar",
            "subject": "digital",
        },
        follow_redirects=False,
    )
    assert refused.status_code == 403
    digest = sqlite_client.get("/w/acme/teams/logistics/digest")
    assert digest.status_code == 200
    assert 'data-moved="1"' in digest.text and "1 subject got significantly worse" in digest.text
    assert 'data-subject="touchpoint:delivery"' in digest.text
    french = sqlite_client.get("/w/acme/teams/web/digest?lang=fr").text
    assert 'data-moved="0"' in french and "pas de dégradation significative" in french
    assert sqlite_client.get("/w/acme/teams/nobody/digest").status_code == 404
