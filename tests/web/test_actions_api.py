"""Action plans over the REST API: planning, editing, the status, steps, comments, the list's
filters and refusals that name the field and the value in English and French."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cxgap.services.core import Cxgap
from tests.web.test_api_routes import Api, serve_api

ACTIONS = "/api/v1/workspaces/acme/actions"


@pytest.fixture
def api(sqlite_cx: Cxgap) -> Iterator[Api]:
    yield from serve_api(sqlite_cx)


def _as(api: Api, role: str = "analyst", **headers: str) -> dict[str, str]:
    return {"authorization": f"Bearer {api.tokens[role]}", **headers}


def test_an_action_is_planned_followed_and_done(api: Api) -> None:
    client = api.client
    body = {
        "title": "Faster refunds", "subject_kind": "topic", "subject_key": "waiting",
        "owner": "adam@example.com", "team": "care", "start_date": "2026-01-05",
        "due_date": "2026-02-01", "target": {"metric": "topic_negative_share", "topic": "waiting"},
    }  # fmt: skip
    made = client.post(ACTIONS, json=body, headers=_as(api))
    assert made.status_code == 201, made.text
    action = made.json()
    assert action["target"] == {
        "metric": "topic_negative_share", "pillar": None, "topic": "waiting", "touchpoint": None,
        "segment": None,
    }  # fmt: skip
    assert (action["owner"], action["team"], action["late"]) == ("adam@example.com", "care", True)
    url = f"{ACTIONS}/{action['id']}"
    client.post(
        f"{url}/steps", json={"title": "New form", "due_date": "2026-01-20"}, headers=_as(api)
    )
    step = client.get(url, headers=_as(api, "viewer")).json()["steps"][0]
    client.patch(f"{url}/steps/{step['id']}", json={"done": True}, headers=_as(api))
    client.post(f"{url}/comments", json={"body": "Form live in Lyon"}, headers=_as(api))
    late = client.get(ACTIONS, params={"late": "true"}, headers=_as(api, "viewer")).json()
    assert [a["id"] for a in late["items"]] == [action["id"]]
    done = client.patch(url, json={"status": "done", "target": None}, headers=_as(api)).json()
    assert (done["status"], done["progress"], done["late"], done["target"]) == (
        "done",
        100,
        False,
        None,
    )
    assert done["steps"][0]["done"] and done["comments"][0]["author"] == "adam@example.com"
    assert client.get(ACTIONS, params={"late": "true"}, headers=_as(api)).json()["items"] == []
    tied = client.get(ACTIONS, params={"subject_kind": "topic", "subject_key": "waiting"},
                      headers=_as(api)).json()  # fmt: skip
    assert [a["id"] for a in tied["items"]] == [action["id"]]
    assert client.delete(url, headers=_as(api)).status_code == 204
    assert client.get(url, headers=_as(api)).status_code == 404


def test_refusals_name_the_field_and_the_value_in_both_languages(api: Api) -> None:
    client = api.client
    bad = {"title": "X", "owner": "nobody@example.com"}
    refused = client.post(ACTIONS, json=bad, headers=_as(api))
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["field"] == "owner" and error["details"][0]["value"] == "nobody@example.com"
    dates = {"title": "X", "start_date": "2026-03-01", "due_date": "2026-02-01"}
    french = client.post(ACTIONS, json=dates, headers=_as(api, **{"accept-language": "fr"}))
    assert french.status_code == 422
    assert "est antérieure à la date de début 2026-03-01" in french.json()["error"]["message"]
    target = {"title": "X", "target": {"metric": "pillar"}}
    missing = client.post(ACTIONS, json=target, headers=_as(api)).json()["error"]
    assert missing["field"] == "pillar"
    unknown = client.post(ACTIONS, json={"title": "X", "status": "paused"}, headers=_as(api))
    assert unknown.status_code == 422
    assert client.get(ACTIONS, params={"status": "paused"}, headers=_as(api)).status_code == 422
