"""Without JavaScript, a creation form sent with its key left empty gets the name's key."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in


def test_empty_keys_are_derived_by_the_server(sqlite_cx: Cxgap, sqlite_client: TestClient) -> None:
    with sqlite_cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "cx@example.com", workspace=workspace, role="admin", superuser=True)
    client = sqlite_client
    log_in(client, "cx@example.com")
    token = csrf_of(client.get("/").text)
    created = client.post(
        "/workspaces",
        data={"name": "Maison Lumière", "key": "", "csrf_token": token},
        follow_redirects=False,
    )
    assert created.headers["location"] == "/w/maison-lumiere"
    for form, name in (("surveys", "Été 2027"), ("surveys", "Été 2027"), ("campaigns", "Q1")):
        sent = client.post(f"/w/acme/collect/{form}", data={"name": name, "csrf_token": token})
        assert sent.status_code == 200
    page = client.get("/w/acme/collect").text
    for key in ("ete-2027", "ete-2027-2", "q1"):
        assert f"/collect/{'campaigns' if key == 'q1' else 'surveys'}/{key}/toggle" in page
    persona = client.post(
        "/w/acme/personas/new",
        data={"name": "Chloé Dubois", "key": "", "csrf_token": token},
        follow_redirects=False,
    )
    assert persona.headers["location"] == "/w/acme/personas/chloe-dubois"
    journey = client.post(
        "/w/acme/journeys/new",
        data={"name_en": "Chloé moves in", "journey_key": "", "csrf_token": token},
        follow_redirects=False,
    )
    assert journey.headers["location"] == "/w/acme/journeys/chloe-moves-in/edit"
