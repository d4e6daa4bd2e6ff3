"""Schemathesis against the app's own OpenAPI document: every operation, every check.

Each operation is called with cases generated from the document, valid (positive) and invalid
(negative), with an admin token of a seeded workspace ``acme`` (its surveys, campaigns,
journeys, personas, topics, feedback and an import). Every response must follow the document:
no 5xx, a documented status code, content type and headers, a body of the declared schema,
invalid data refused, valid data accepted, authentication not ignored. Deterministic
(derandomized, no example database) and bounded by ``MAX_EXAMPLES`` per operation and mode.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.config import PositiveDataAcceptanceConfig
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES

from cxgap.config import Settings
from cxgap.errors import MissingTextDependencyError
from cxgap.services.core import Cxgap
from cxgap.services.replies import bundled_analyzer
from cxgap.web.app import create_app
from tests.prepared import Prepared
from tests.web.test_api_routes import Api, SharedApi, shared_api

MAX_EXAMPLES = 5  # 8 cost 265–375 s of the suite's 2,500–3,000 test seconds on 2 cores

# Operations whose valid calls do real work on what they are sent: a longer request timeout
# than schemathesis' 10 seconds (seconds, why). Every case is still called and checked.
SLOW_OPERATIONS = {
    "check_reply": (
        60,
        "the text models read a draft of up to 20,000 characters (DRAFT_LIMIT): on a busy "
        "2-core machine its first positive case passed 10 s once",
    ),
}

# Operations whose bodies are checked against what the workspace holds or against a grammar
# that JSON Schema cannot state: a schema-valid request may be refused with 422 (and the
# refusal must still follow the document). Everything else must take what the schema allows.
CHECKED_AGAINST_STORED_DATA = {
    "post_customer_answers": "each row needs the workspace's own pillars, scored",
    "import_journey": "a journey document follows docs/journeys.md (stages, ids, personas)",
    "update_journey": "the same journey document rules",
    "create_segment": "the rule follows the segment grammar of docs/segments.md",
    "update_segment": "the same segment grammar",
    "import_feedback": "the file's content is read: columns, dates, scores",
    "import_cases": "the ticket file's content is read: columns, dates, priorities; map names "
    "its columns",
    "create_correction": "the feedback id must exist; the value depends on the kind",
    "update_persona": "the persona's segment must be a segment of the workspace",
    "create_persona": "the persona's segment must be a segment of the workspace",
    "create_topic": "pillar_keys must be pillars of the workspace",
    "update_topic": "pillar_keys must be pillars of the workspace",
    "list_feedback": "the persona filter must name a persona of the workspace",
    "export_feedback": "the persona filter must name a persona of the workspace",
    "check_reply": "timezone must be a known zone; a draft in neither French nor English needs "
    "its language given",
    "create_case": "a subject or an existing feedback id is needed",
    "get_retention": "purchases must name activities of the workspace's stored events",
    "get_value": "purchases must name activities of the workspace's stored events",
    "list_cases": "the assignee must be a member, the team a team of the workspace",
    "assign_case": "the assignee must be a member, the team a team of the workspace",
    "put_service_levels": "the document follows docs/sla.md (calendar, policies, tiers)",
    "put_service_account": "the tier must be a tier of the workspace's menu",
    "create_availability_incident": "the accounts must exist; the end must follow the start",
    "create_case_rule": "conditions as on the rules page: one at least, NPS 0-10, CSAT 1-5, "
    "a topic and a team of the workspace",
    "put_case_rule": "the same conditions as create_case_rule",
    "reorder_case_rules": "every rule id of the workspace once",
    "apply_case_rules": "the day is 1900-01-01 or later",
    "create_team": "the members must be members of the workspace",
    "put_team": "the members must be members of the workspace",
    "list_actions": "the owner must be a member, the team a team of the workspace",
    "create_action": "the owner must be a member, the team, pillar, topic, persona and segment "
    "keys of the workspace; the due date not before the start; the metric's subject given",
    "update_action": "the same checks as create_action",
    "add_action_step": "the owner must be a member of the workspace",
    "case_queue": "the assignee must be a member, the team a team of the workspace",
    "get_executive_report": "the period follows a grammar: 2026-11, 2026-Q3, 2026 or "
    "2026-09-01..2026-11-30",
    "put_owners": "the pillar or touchpoint and the teams must be the workspace's",
    "change_idea_status": "the status must be one of the board's statuses (the workspace "
    "defines them), and a duplicate is merged, not set",
    "link_idea": "the plan or the case must be one of the workspace's (a case by its number)",
}


def openapi_document() -> dict[str, Any]:
    """The app's OpenAPI document, built without a database."""
    settings = Settings(data_dir=Path("/nonexistent"), database_url="sqlite://", secret_key="k")
    return create_app(cx=Cxgap(settings)).openapi()


# Generating the document takes FastAPI 1.5-3 s on a busy 2-core machine: built once here, and
# handed to each test's app as its ``openapi`` method, which the app then serves at
# /api/openapi.json (FastAPI's own cache, ``app.openapi_schema``, is not enough: FastAPI
# regenerates it when its record of the routes' version is not the app's, and it is not on an
# app that never generated it). test_each_app_serves_the_document_the_cases_come_from checks
# that an app built for a test generates this very document, and that the app serves it.
DOCUMENT = openapi_document()


def documented_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation of the document."""
    return [(method.upper(), path) for path, ops in DOCUMENT["paths"].items() for method in ops]


@pytest.fixture(scope="module")
def module_api(
    prepared: Prepared, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[SharedApi, TestClient]]:
    """One app for the module's 200-odd tests (``SharedApi``: its route state built once),
    serving the document built above."""
    # The bundled text models, loaded on the reply check's first call (cached per process),
    # loaded here: 5-10 s on a busy machine would otherwise count against that call's
    # 10-second request timeout.
    with suppress(MissingTextDependencyError):  # a slim install: the check says so itself
        bundled_analyzer()
    with shared_api(prepared, tmp_path_factory.mktemp("schemathesis")) as (shared, client):
        shared.app.openapi = _given(copy.deepcopy(DOCUMENT))  # type: ignore[method-assign]
        yield shared, client


@pytest.fixture
def api(module_api: tuple[SharedApi, TestClient]) -> Api:
    """The seeded world of ``serve_api``, put back before each test."""
    shared, client = module_api
    return shared.fresh(client)


def _given(document: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    return lambda: document


def test_each_app_serves_the_document_the_cases_come_from(api: Api, sqlite_cx: Cxgap) -> None:
    assert create_app(cx=sqlite_cx).openapi() == DOCUMENT
    with patch("fastapi.applications.get_openapi", side_effect=AssertionError("generated again")):
        assert loaded_schema(api, "GET", "/api/v1/workspaces").raw_schema == DOCUMENT


def _has_parameters(operation: Any) -> bool:
    return bool(list(operation.iter_parameters()) or list(operation.body))


def loaded_schema(api: Api, method: str, path: str) -> Any:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", api.client.app)
    schema.config.update(headers={"Authorization": f"Bearer {api.tokens['admin']}"})
    operation_id = schema.raw_schema["paths"][path][method.lower()]["operationId"]
    if operation_id in SLOW_OPERATIONS:
        schema.config.update(request_timeout=SLOW_OPERATIONS[operation_id][0])
    if operation_id in CHECKED_AGAINST_STORED_DATA:
        statuses = [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "422"]
        schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
            expected_statuses=statuses
        )
    return schema


def without_cursor(case: Any) -> Any:
    """A cursor is issued by the API (the next page's), so a valid call sends none or one
    it was given (test_api_routes follows them); random ones are for the negative runs."""
    if case.query:
        case.query.pop("cursor", None)
    return case


@pytest.mark.slow
@pytest.mark.parametrize("mode", list(GenerationMode), ids=str)
@pytest.mark.parametrize(("method", "path"), documented_operations(), ids=lambda v: str(v))
def test_every_operation_follows_the_openapi_document(
    api: Api, method: str, path: str, mode: GenerationMode
) -> None:
    operation = loaded_schema(api, method, path)[path][method]
    if mode is GenerationMode.NEGATIVE and not _has_parameters(operation):
        pytest.skip("nothing to make invalid: no parameter and no body")
    # Valid calls go to the seeded workspace (a random key is a 404 and tests nothing more);
    # invalid ones may get any key, an invalid one included.
    fixed = {"key": "acme"} if mode is GenerationMode.POSITIVE and "{key}" in path else {}

    strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)
    if mode is GenerationMode.POSITIVE:
        strategy = strategy.map(without_cursor)

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate()

    try:
        run()
    except Unsatisfiable:
        if mode is GenerationMode.NEGATIVE:
            pytest.skip("nothing of this operation can be made invalid")
        raise
