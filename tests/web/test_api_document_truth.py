"""The OpenAPI document tells the truth (the security run found undocumented statuses, errors
outside the documented shape, and an empty ``answers`` list valid by the schema but refused);
schemathesis checks it at large in test_api_schemathesis.py, these pin the cases it found."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cxgap.services.core import Cxgap
from cxgap.web.api.errors import ErrorOut
from cxgap.web.api.fields import EMAIL_PATTERN, KEY_PATTERN, NOT_BLANK
from tests.web.test_api_routes import Api, SharedApi, serve_api, shared_or_own

WS = "/api/v1/workspaces/acme"


@pytest.fixture
def api(request: pytest.FixtureRequest, module_api: tuple[SharedApi, TestClient]) -> Iterator[Api]:
    yield from shared_or_own(request, module_api)  # the module's one app (test_api_routes)


def _spec(api: Api) -> dict[str, Any]:
    return api.client.get("/api/openapi.json").json()


def _headers(api: Api, role: str = "admin") -> dict[str, str]:
    return {"authorization": f"Bearer {api.tokens[role]}"}


def test_an_empty_answers_list_is_refused_by_the_document_too(api: Api) -> None:
    schema = _spec(api)["components"]["schemas"]["AnswersIn"]["properties"]["answers"]
    assert schema["minItems"] == 1
    sent = api.client.post(f"{WS}/customer-answers", json={"answers": []}, headers=_headers(api))
    assert sent.status_code == 422
    ErrorOut.model_validate(sent.json())
    assert sent.json()["error"]["field"] == "answers"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/topics", {"key": "Bad Key", "name_en": "a", "name_fr": "b"}, "key"),
        ("/topics", {"key": "ok", "name_en": "   ", "name_fr": "b"}, "name_en"),
        ("/surveys", {"name": "\x1c"}, "name"),
        ("/members", {"email": "nobody", "role": "viewer"}, "email"),
    ],
)
def test_what_the_services_refuse_the_document_refuses(
    api: Api, path: str, body: dict[str, str], field: str
) -> None:
    """Keys, blank names and e-mail addresses were refused by the services (422) although
    the document allowed any string: schemathesis' positive runs failed on them."""
    sent = api.client.post(f"{WS}{path}", json=body, headers=_headers(api))
    assert sent.status_code == 422, sent.text
    ErrorOut.model_validate(sent.json())
    assert sent.json()["error"]["field"] == field
    assert re.search(_documented(api, path, field)["pattern"], body[field]) is None
    assert re.search(KEY_PATTERN, "bad key") is None and re.search(NOT_BLANK, " \x1f") is None


def _documented(api: Api, path: str, field: str) -> dict[str, Any]:
    """The schema the document gives to ``field`` of the body of ``POST path``."""
    spec = _spec(api)
    operation = spec["paths"][f"/api/v1/workspaces/{{key}}{path}"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return dict(schema["properties"][field])


def test_every_error_of_every_operation_is_documented_in_the_one_shape(api: Api) -> None:
    for path, operations in _spec(api)["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path)


def test_an_upload_over_the_limit_answers_in_the_documented_shape(api: Api) -> None:
    big = b"x" * (3 * 1024 * 1024)
    files = {"file": ("big.csv", big, "text/csv")}
    sent = api.client.post(f"{WS}/feedback/imports", files=files, headers=_headers(api))
    assert sent.status_code == 413
    assert ErrorOut.model_validate(sent.json()).error.code == "too_large"
    documented = _spec(api)["paths"]["/api/v1/workspaces/{key}/feedback/imports"]["post"]
    assert "413" in documented["responses"]


def test_a_body_that_is_not_utf8_is_a_documented_422_not_a_bare_400(api: Api) -> None:
    headers = _headers(api) | {"content-type": "application/json"}
    sent = api.client.post(f"{WS}/surveys", content=b'{"name": "\xff"}', headers=headers)
    assert sent.status_code == 422
    assert ErrorOut.model_validate(sent.json()).error.details[0].code == "encoding"


def test_the_feedback_filters_are_typed_in_the_document(api: Api) -> None:
    parameters = _spec(api)["paths"]["/api/v1/workspaces/{key}/feedback"]["get"]["parameters"]
    by_name = {p["name"]: p["schema"] for p in parameters}
    assert by_name["from"]["anyOf"][0]["format"] == "date"
    assert "survey" in str(by_name["source"])
    bad = api.client.get(f"{WS}/feedback", params={"source": "nonsense"}, headers=_headers(api))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "source"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/members/9223372036854775808", {"role": "admin"}),
        ("POST", "/corrections", {"feedback_id": 2**63, "kind": "sentiment", "value": "x"}),
        ("GET", "/feedback/imports/9223372036854775808", None),
    ],
)
def test_an_id_beyond_64_bits_is_refused_not_a_server_error(
    sqlite_cx: Cxgap, method: str, path: str, body: dict[str, Any] | None
) -> None:
    """Schemathesis sent 2**63 as an id: SQLite cannot bind it (OverflowError, HTTP 500)."""
    for api in serve_api(sqlite_cx):
        client = TestClient(api.client.app, raise_server_exceptions=False)
        sent = client.request(method, f"{WS}{path}", json=body, headers=_headers(api))
        assert sent.status_code == 422, sent.text
        ErrorOut.model_validate(sent.json())


def test_an_email_with_a_control_character_is_refused_by_the_document(api: Api) -> None:
    body = {"email": "a@\x1db.fr", "role": "viewer"}
    sent = api.client.post(f"{WS}/members", json=body, headers=_headers(api))
    assert sent.status_code == 422 and sent.json()["error"]["field"] == "email"
    assert _documented(api, "/members", "email")["pattern"] == EMAIL_PATTERN
    assert re.search(EMAIL_PATTERN, "a@\x1db.fr") is None


def test_every_api_error_has_the_one_shape_and_a_documented_code(api: Api) -> None:
    """``GET /api`` answered Starlette's ``{"detail": …}``; an unreadable multipart body the
    undocumented code ``http_error``; a JSON page's sign-in refusal ``bad_request`` for a 401;
    a body that is not JSON named the parser's character position as its field."""
    headers = _headers(api)
    answers = [
        (api.client.get("/api"), 404, "not_found", None),
        (
            api.client.post(
                f"{WS}/feedback/imports",
                content=b"xx",
                headers=headers | {"content-type": "multipart/form-data"},
            ),
            400,
            "bad_request",
            None,
        ),
        (TestClient(api.client.app).get("/w/acme/results.json"), 401, "unauthenticated", None),
        (
            api.client.post(
                f"{WS}/surveys",
                content=b"not json",
                headers=headers | {"content-type": "application/json"},
            ),
            422,
            "invalid",
            "(body)",
        ),
    ]
    for response, status, code, field in answers:
        assert response.status_code == status, response.text
        error = ErrorOut.model_validate(response.json()).error
        assert (error.code, error.field) == (code, field)
