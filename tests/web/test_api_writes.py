"""What the API's writes do beyond their happy path: the services' refusals as field errors
in the caller's language, the guards the pages have, and the changes seen on reading back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace, segments_of
from tests.prepared import Prepared
from tests.web.test_api_routes import Api, serve_api

ACME = "/api/v1/workspaces/acme"
FR = {"accept-language": "fr-FR,fr;q=0.9"}


@pytest.fixture
def api(cx: Cxgap, prepared: Prepared) -> Iterator[Api]:
    """On SQLite and PostgreSQL: the writes go through the services' transactions."""
    yield from serve_api(cx, prepared)


def _as(api: Api, who: str, **extra: str) -> dict[str, str]:
    return {"authorization": f"Bearer {api.tokens[who]}", **extra}


def _json(response: Any, status: int) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def test_a_segment_rule_that_does_not_parse_is_a_field_error_in_french(api: Api, cx: Cxgap) -> None:
    body = {"key": "late", "name_en": "Late", "name_fr": "Tard", "rule": "nps >="}
    english = _json(
        api.client.post(f"{ACME}/segments", json=body, headers=_as(api, "analyst")), 422
    )
    assert english["error"]["field"] == "rule" and english["error"]["code"] == "invalid"
    assert "position 7" in english["error"]["details"][0]["message"]
    french = _json(
        api.client.post(f"{ACME}/segments", json=body, headers=_as(api, "analyst", **FR)), 422
    )
    detail = french["error"]["details"][0]
    assert detail["field"] == "rule"
    assert detail["message"].startswith("Règle refusée à la position 7 :")
    assert "la fin de la règle" in detail["message"]
    assert french["error"]["message"].startswith("Une valeur a été refusée")
    with cx.transaction() as session:
        assert "late" not in {s.key for s in segments_of(session, get_workspace(session, "acme"))}


def test_a_missing_field_is_said_in_the_callers_language(api: Api) -> None:
    body = {"key": "speed", "name_en": "Speed"}
    english = _json(api.client.post(f"{ACME}/pillars", json=body, headers=_as(api, "admin")), 422)
    assert english["error"]["field"] == "name_fr" and english["error"]["details"][0]["code"] == (
        "required"
    )
    french = _json(
        api.client.post(f"{ACME}/pillars", json=body, headers=_as(api, "admin", **FR)), 422
    )
    assert french["error"]["details"][0]["message"] == "est obligatoire"
    assert french["error"]["message"].endswith("enregistré. Champ « name_fr » : est obligatoire")


def test_other_errors_follow_accept_language_english_by_default(api: Api) -> None:
    anonymous = _json(api.client.get(f"{ACME}/pillars", headers=FR), 401)
    assert anonymous["error"]["message"].startswith("Envoyez un jeton d’API")
    unknown = _json(api.client.get("/api/v1/nothing-here", headers=FR), 404)
    assert unknown["error"]["message"].startswith("Introuvable")
    weak = _json(api.client.get(f"{ACME}/members", headers=_as(api, "viewer")), 403)
    assert "needs the admin role" in weak["error"]["message"]


def test_members_are_invited_given_a_role_and_removed(api: Api) -> None:
    admin = _as(api, "admin")
    added = _json(
        api.client.post(
            f"{ACME}/members", json={"email": "nina@example.com", "role": "analyst"}, headers=admin
        ),
        201,
    )
    assert added["invitation"] == "not_configured"  # no mail server in tests: the link is given
    assert added["link"].startswith("http://testserver/invite/")
    url = f"{ACME}/members/{added['id']}"
    assert added["pending"] is True
    again = _json(api.client.post(f"{url}/invitation", headers=admin), 200)
    assert again["link"].startswith("http://testserver/invite/") and again["link"] != added["link"]
    assert api.client.get(added["link"].removeprefix("http://testserver")).status_code == 410
    assert api.client.post(f"{url}/password", headers=admin).status_code == 404  # no password yet
    assert _json(api.client.put(url, json={"role": "viewer"}, headers=admin), 200)["role"] == (
        "viewer"
    )
    listed = _json(api.client.get(f"{ACME}/members", headers=admin), 200)["items"]
    assert {m["email"]: m["role"] for m in listed}["nina@example.com"] == "viewer"
    assert api.client.delete(url, headers=admin).status_code == 204
    listed = _json(api.client.get(f"{ACME}/members", headers=admin), 200)["items"]
    assert "nina@example.com" not in {m["email"] for m in listed}
    bad = _json(api.client.put(url, json={"role": "owner"}, headers=admin), 422)
    assert bad["error"]["field"] == "role"


def test_the_last_admin_can_be_neither_demoted_nor_removed(api: Api) -> None:
    admin = _as(api, "admin")
    members = _json(api.client.get(f"{ACME}/members", headers=admin), 200)["items"]
    adam = next(m for m in members if m["email"] == "adam@example.com")
    url = f"{ACME}/members/{adam['id']}"
    demoted = _json(api.client.put(url, json={"role": "analyst"}, headers=admin), 409)
    assert "last admin" in demoted["error"]["message"]
    removed = _json(api.client.delete(url, headers=_as(api, "admin", **FR)), 409)
    assert removed["error"]["message"].startswith("Cela contredit")


def test_only_a_site_administrators_personal_token_creates_workspaces(api: Api) -> None:
    body = {"name": "Beta Shop"}
    refused = api.client.post("/api/v1/workspaces", json=body, headers=_as(api, "admin"))
    assert refused.status_code == 403
    created = _json(api.client.post("/api/v1/workspaces", json=body, headers=_as(api, "site")), 201)
    assert created == {"key": "beta-shop", "name": "Beta Shop", "role": "admin"}
    again = api.client.post(
        "/api/v1/workspaces", json=body | {"key": "beta-shop"}, headers=_as(api, "site")
    )
    assert again.status_code == 409


def test_a_closed_survey_reads_back_closed_and_opens_again(api: Api) -> None:
    analyst = _as(api, "analyst")
    made = _json(api.client.post(f"{ACME}/surveys", json={"name": "Autumn"}, headers=analyst), 201)
    assert made["kind"] == "survey" and made["is_open"] and made["path"].startswith("/s/")
    url = f"{ACME}/surveys/{made['key']}"
    assert not _json(api.client.patch(url, json={"is_open": False}, headers=analyst), 200)[
        "is_open"
    ]
    assert api.client.get(made["path"]).status_code == 409  # the link says it is closed
    assert _json(api.client.patch(url, json={"is_open": True}, headers=analyst), 200)["is_open"]
    assert api.client.get(made["path"]).status_code == 200
    missing = api.client.patch(f"{ACME}/campaigns/nope", json={"is_open": True}, headers=analyst)
    assert missing.status_code == 404


def test_personas_refuse_lost_updates_and_deleting_one_a_journey_uses(api: Api) -> None:
    analyst = _as(api, "analyst")
    ana = _json(api.client.get(f"{ACME}/personas/ana", headers=analyst), 200)
    url = f"{ACME}/personas/ana"
    change = {"name": "Ana B.", "needs": ["Speed"], "segment": "pro"}
    saved = _json(
        api.client.put(
            url, json=change, params={"expected_fingerprint": ana["fingerprint"]}, headers=analyst
        ),
        200,
    )
    assert saved["name"] == "Ana B." and saved["fingerprint"] != ana["fingerprint"]
    stale = api.client.put(
        url, json=change, params={"expected_fingerprint": ana["fingerprint"]}, headers=analyst
    )
    assert stale.status_code == 409
    used = _json(api.client.delete(url, headers=analyst), 409)
    assert "sample" in used["error"]["message"]
    unknown_segment = api.client.put(url, json=change | {"segment": "ghosts"}, headers=analyst)
    assert unknown_segment.status_code == 422


def test_a_journey_is_replaced_then_deleted_and_a_stale_revision_refused(api: Api) -> None:
    analyst = _as(api, "analyst")
    url = f"{ACME}/journeys/sample"
    document = _json(api.client.get(url, headers=analyst), 200)
    revision = _json(api.client.get(f"{ACME}/journeys", headers=analyst), 200)["items"][0][
        "revision"
    ]
    document["name_en"] = "Buying, redrawn"
    params = {"expected_revision": revision}
    saved = _json(api.client.put(url, json=document, params=params, headers=analyst), 200)
    assert saved["name_en"] == "Buying, redrawn"
    assert api.client.put(url, json=document, params=params, headers=analyst).status_code == 409
    renamed = document | {"key": "other"}
    assert api.client.put(url, json=renamed, headers=analyst).status_code == 422
    assert api.client.delete(url, headers=analyst).status_code == 204
    assert api.client.get(url, headers=analyst).status_code == 404


def test_a_deleted_topic_is_retired_and_can_be_brought_back(api: Api) -> None:
    analyst = _as(api, "analyst")
    retired = _json(api.client.delete(f"{ACME}/topics/waiting", headers=analyst), 200)
    assert retired["active"] is False
    topics = _json(api.client.get(f"{ACME}/topics?limit=200", headers=analyst), 200)["items"]
    assert {t["key"]: t["active"] for t in topics}["waiting"] is False
    body = {"name_en": "Wait", "name_fr": "Att", "active": True}
    assert _json(api.client.put(f"{ACME}/topics/waiting", json=body, headers=analyst), 200)[
        "active"
    ]


def test_segments_are_edited_and_deleted_unless_a_persona_stands_for_them(
    api: Api, cx: Cxgap
) -> None:
    analyst = _as(api, "analyst")
    body = {"name_en": "Students", "name_fr": "Étudiants", "rule": 'generation = "Gen Z"'}
    saved = _json(api.client.put(f"{ACME}/segments/students", json=body, headers=analyst), 200)
    # The rule queued: the previous one (none) stays in use until its job is done.
    assert saved["name_fr"] == "Étudiants" and saved["rule"] is None
    change = saved["rule_change"]
    assert change["status"] == "queued" and change["rule"] == 'generation = "Gen Z"'
    served = api.cx or cx
    context = JobContext(sessions=served.sessions, data_dir=served.settings.data_dir)
    assert Worker(context).run_job_id(change["job"])  # a worker applies it
    found = _json(api.client.get(f"{ACME}/segments", headers=analyst), 200)["items"]
    students = next(s for s in found if s["key"] == "students")
    assert students["rule"] == 'generation = "Gen Z"' and students["rule_change"] is None
    assert api.client.delete(f"{ACME}/segments/students", headers=analyst).status_code == 204
    assert api.client.delete(f"{ACME}/segments/pro", headers=analyst).status_code == 409
    keys = [
        s["key"] for s in _json(api.client.get(f"{ACME}/segments", headers=analyst), 200)["items"]
    ]
    assert keys == ["pro", "home"]
