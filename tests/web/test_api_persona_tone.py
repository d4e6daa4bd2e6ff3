"""The persona API carries the reply tone: read, written, refused naming the field and the
value (in the caller's language); on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cxgap.services.core import Cxgap
from tests.web.test_api_routes import Api, serve_api

ACME = "/api/v1/workspaces/acme"


@pytest.fixture
def api(cx: Cxgap) -> Iterator[Api]:
    yield from serve_api(cx)


def _json(response: Any, status: int) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def test_a_persona_is_given_its_reply_tone_through_the_api(api: Api) -> None:
    analyst = {"authorization": f"Bearer {api.tokens['analyst']}"}
    ana = _json(api.client.get(f"{ACME}/personas/ana", headers=analyst), 200)
    assert (ana["address"], ana["reply_length"]) == ("vous", "standard")
    body = {"key": "lea", "name": "Léa", "address": "tu", "reply_length": "short"}
    created = _json(api.client.post(f"{ACME}/personas", json=body, headers=analyst), 201)
    assert (created["address"], created["reply_length"]) == ("tu", "short")
    bad = {**body, "key": "leo", "address": "toi"}
    refused = _json(api.client.post(f"{ACME}/personas", json=bad, headers=analyst), 422)
    problem = refused["error"]["details"][0]
    assert problem["field"] == "address" and problem["value"] == "toi"
    french = api.client.post(
        f"{ACME}/personas", json=bad, headers={**analyst, "accept-language": "fr-FR"}
    )
    assert french.status_code == 422
    said = french.json()["error"]["message"]
    assert "« address »" in said and "« toi »" in said and "valeurs possibles" in said
