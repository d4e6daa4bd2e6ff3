"""POST /api/v1/workspaces/{key}/replies/check: findings and guidance in both languages,
refusals that name the field, and the route documented in the OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.test_api_routes import Api, SharedApi, shared_or_own

PATH = "/api/v1/workspaces/acme/replies/check"
DRAFT = "Comme indiqué, vous auriez dû vérifier. Réponse sous 48h!!"


@pytest.fixture
def api(request: pytest.FixtureRequest, module_api: tuple[SharedApi, TestClient]) -> Iterator[Api]:
    yield from shared_or_own(request, module_api)  # the module's one app (test_api_routes)


def post(api: Api, body: dict[str, object], role: str = "analyst", **headers: str) -> object:
    auth = {"authorization": f"Bearer {api.tokens[role]}", **headers}
    return api.client.post(PATH, json=body, headers=auth)


def test_the_check_answers_findings_with_spans_and_guidance(api: Api) -> None:
    body = {
        "text": DRAFT,
        "channel": "email",
        "due": "2026-12-04T14:00:00+01:00",
        "now": "2026-12-04T10:00:00+01:00",
        "customer_sentiment": "negative",
        "customer_intensity": 0.9,
    }
    response = post(api, body)
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    document = response.json()  # type: ignore[attr-defined]
    assert document["language"] == "fr"
    codes = [f["code"] for f in document["findings"]]
    assert codes.count("blame") == 2 and "promise_after_due" in codes
    assert "exclamations" in codes and "no_signature" in codes
    promise = next(f for f in document["findings"] if f["code"] == "promise_after_due")
    assert DRAFT[promise["start"] : promise["end"]] == "sous 48h"
    assert "SLA" in promise["message"]["en"] and "échéance" in promise["message"]["fr"]
    guidance = document["guidance"]
    assert guidance["apology_first"] is True and guidance["words"] == {"min": 50, "max": 220}


def test_a_viewer_may_not_check(api: Api) -> None:
    response = post(api, {"text": "Hello", "channel": "chat"}, role="viewer")
    assert response.status_code == 403  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "Hello", "channel": "fax"}, "channel"),
        ({"text": "", "channel": "chat"}, "text"),
        ({"text": "Hello", "channel": "chat", "customer_intensity": 2}, "customer_intensity"),
        ({"text": "Hello", "channel": "chat", "due": "2026-12-04T14:00:00"}, "due"),
        ({"text": "Hello", "channel": "chat", "timezone": "Mars/Olympus"}, "timezone"),
        ({"text": "Hola amigos, ¿qué tal? Todo bien por aquí.", "channel": "chat"}, "language"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    api: Api, body: dict[str, object], field: str
) -> None:
    response = post(api, body)
    assert response.status_code == 422, response.text  # type: ignore[attr-defined]
    error = response.json()["error"]  # type: ignore[attr-defined]
    assert error["code"] == "invalid"
    assert field in response.text  # type: ignore[attr-defined]


def test_the_route_is_documented_with_its_choices(api: Api) -> None:
    spec = api.client.get("/api/openapi.json").json()
    operation = spec["paths"]["/api/v1/workspaces/{key}/replies/check"]["post"]
    assert operation["operationId"] == "check_reply"
    schema = spec["components"]["schemas"]["ReplyCheckIn"]["properties"]
    assert set(schema["channel"]["enum"]) == {"email", "chat", "phone", "social", "sms", "letter"}
    assert {"401", "403", "404", "422"} <= set(operation["responses"])


def test_the_customers_messages_and_the_draft_are_read_by_the_analyzer(api: Api) -> None:
    body = {
        "text": "Your complaint is rejected. There is nothing more we can do for you.",
        "channel": "sms",
        "customer_messages": ["This is unacceptable, three weeks and still no parcel!"],
        "analyze_draft": True,
    }
    response = post(api, body)
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    document = response.json()  # type: ignore[attr-defined]
    assert document["customer_mood"]["sentiment"] == "negative"
    assert document["draft_sentiment"] == "negative"
    codes = {f["code"] for f in document["findings"]}
    assert {"reads_negative", "too_cold"} <= codes
