"""Persona texts and topic descriptions on pages and in the API: the reader's language, the
other one with a visible "missing" marker, both languages in what goes out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from cxgap.services import api_tokens
from cxgap.services.accounts import principal_of
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.warm_routes import app_for
from tests.web.conftest import csrf_of, log_in


@pytest.fixture
def analyst(sqlite_cx: Cxgap, sqlite_client: TestClient) -> TestClient:
    with sqlite_cx.transaction() as session:
        ws = make_workspace(session)
        make_user(session, "ana@example.com", workspace=ws, role="analyst")
    log_in(sqlite_client, "ana@example.com")
    return sqlite_client


def _create_in_french(client: TestClient) -> None:
    token = csrf_of(client.get("/w/acme/personas/new?lang=fr").text)
    form = {"csrf_token": token, "key": "nadia", "name": "Nadia Benali",
            "needs_fr": "Des délais fiables\nUn seul interlocuteur"}  # fmt: skip
    response = client.post("/w/acme/personas/new", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text


def test_a_french_only_persona_read_in_english_says_english_is_missing(
    analyst: TestClient,
) -> None:
    _create_in_french(analyst)
    french = analyst.get("/w/acme/personas/nadia?lang=fr").text
    assert "Des délais fiables" in french and 'data-missing="fr"' not in french
    english = analyst.get("/w/acme/personas/nadia?lang=en").text
    assert "Des délais fiables" in english and 'data-missing="en"' in english
    assert "EN missing" in english
    form = analyst.get("/w/acme/personas/nadia/edit?lang=en").text
    assert 'name="needs_fr"' in form and "Des délais fiables" in form
    assert form.index('name="needs"') < form.index('name="needs_fr"')  # the reader's first


def test_saving_in_english_without_english_lines_is_refused_in_english(
    analyst: TestClient,
) -> None:
    _create_in_french(analyst)
    page = analyst.get("/w/acme/personas/nadia/edit?lang=en").text
    fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
    form = {"csrf_token": csrf_of(page), "fingerprint": fingerprint, "name": "Nadia Benali",
            "needs_fr": "Des délais fiables"}  # fmt: skip
    refused = analyst.post("/w/acme/personas/nadia/edit", data=form)
    assert refused.status_code == 422
    assert "write it in this language too" in refused.text
    form["needs"] = "Reliable lead times"
    saved = analyst.post("/w/acme/personas/nadia/edit", data=form, follow_redirects=False)
    assert saved.status_code == 303
    english = analyst.get("/w/acme/personas/nadia?lang=en").text
    assert "Reliable lead times" in english and 'data-missing="en"' not in english


def test_the_taxonomy_shows_descriptions_in_the_readers_language(analyst: TestClient) -> None:
    french = analyst.get("/w/acme/listening/taxonomy?lang=fr").text
    assert "Faire arriver la commande chez le client" in french
    assert "Getting the order to the customer" not in french
    edit = analyst.get("/w/acme/listening/taxonomy/delivery?lang=fr").text
    assert edit.index('name="description_fr"') < edit.index('name="description"')
    token = csrf_of(edit)
    form = {"csrf_token": token, "action": "save", "name_en": "Delivery", "name_fr": "Livraison",
            "description": "", "description_fr": "Livraisons, tout simplement."}  # fmt: skip
    saved = analyst.post("/w/acme/listening/taxonomy/delivery", data=form, follow_redirects=False)
    assert saved.status_code == 303
    english = analyst.get("/w/acme/listening/taxonomy/delivery?lang=en").text
    assert "Livraisons, tout simplement." in english and 'data-missing="en"' in english


@pytest.fixture
def api(sqlite_cx: Cxgap) -> Iterator[tuple[TestClient, dict[str, str]]]:
    with sqlite_cx.transaction() as session:
        acme = make_workspace(session)
        make_user(session, "adam@example.com", workspace=acme, role="admin")
        adam = principal_of(acme.memberships[0].user)
        token = api_tokens.create_workspace_token(
            session, workspace=acme, principal=adam, name="t", role="analyst"
        )
    with TestClient(app_for(sqlite_cx)) as client:
        yield client, {"authorization": f"Bearer {token}"}


def test_the_api_takes_and_gives_both_languages_and_the_missing_list(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    client, headers = api
    body = {
        "key": "nadia",
        "name": "Nadia",
        "needs": ["Reliable lead times"],
        "needs_fr": ["Des délais fiables"],
        "usages_fr": ["Commande par téléphone"],
    }
    created = client.post("/api/v1/workspaces/acme/personas", json=body, headers=headers)
    assert created.status_code == 201, created.text
    read = client.get("/api/v1/workspaces/acme/personas/nadia", headers=headers).json()
    assert read["needs"] == ["Reliable lead times"]
    assert read["needs_fr"] == ["Des délais fiables"]
    assert read["missing"] == ["usages_en"]
