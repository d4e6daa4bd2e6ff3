"""An idea's links over the REST API: read (viewer), link and unlink (analyst), the plan's
status and progress and the case's state, refusals naming the field in English and French,
409 for a pair linked twice, 404 for a link that is not there."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.test_api_routes import Api, SharedApi, shared_or_own


@pytest.fixture
def api(request: pytest.FixtureRequest, module_api: tuple[SharedApi, TestClient]) -> Iterator[Api]:
    yield from shared_or_own(request, module_api)  # the module's one app (test_api_routes)


def _as(api: Api, role: str = "analyst", **headers: str) -> dict[str, str]:
    return {"authorization": f"Bearer {api.tokens[role]}", **headers}


def test_links_are_read_made_and_removed(api: Api) -> None:
    url = f"/api/v1/workspaces/acme/ideas/{api.ids['idea_id']}/links"
    seeded = api.client.get(url, headers=_as(api, "viewer")).json()
    plan = seeded["plans"][0]
    assert (plan["kind"], plan["id"], plan["title"], plan["status"], plan["progress"]) == (
        "action_plan", api.ids["action_id"], "Call back", "not_started", 0,
    )  # fmt: skip
    assert seeded["cases"] == [] and seeded["suggest_status"] is None

    made = api.client.post(url, json={"kind": "case", "target": 1}, headers=_as(api))
    assert made.status_code == 201, made.text
    (case,) = made.json()["cases"]
    assert (case["number"], case["status"]) == (1, "new")
    again = api.client.post(url, json={"kind": "case", "target": 1}, headers=_as(api))
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"

    gone = api.client.delete(f"{url}/case/1", headers=_as(api))
    assert gone.status_code == 204
    missing = api.client.delete(f"{url}/case/1", headers=_as(api))
    assert missing.status_code == 404
    assert api.client.get(url, headers=_as(api)).json()["cases"] == []


def test_a_case_or_plan_not_of_the_workspace_is_refused_naming_the_field(api: Api) -> None:
    url = f"/api/v1/workspaces/acme/ideas/{api.ids['idea_id']}/links"
    english = api.client.post(url, json={"kind": "case", "target": 404}, headers=_as(api))
    assert english.status_code == 422
    error = english.json()["error"]
    assert error["field"] == "case" and error["details"][0]["value"] == "404"
    assert error["details"][0]["message"] == "is not a case of workspace 'acme'"
    french = api.client.post(
        url, json={"kind": "action_plan", "target": 99999},
        headers=_as(api, **{"accept-language": "fr"}),
    )  # fmt: skip
    assert french.status_code == 422
    assert "n’est pas un plan d’action de cet espace (acme)" in french.json()["error"]["message"]
    bad_kind = api.client.post(url, json={"kind": "roadmap", "target": 1}, headers=_as(api))
    assert bad_kind.status_code == 422
    no_idea = api.client.get("/api/v1/workspaces/acme/ideas/99999/links", headers=_as(api))
    assert no_idea.status_code == 404
