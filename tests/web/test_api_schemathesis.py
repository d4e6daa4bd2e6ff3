"""Schemathesis against the app's own OpenAPI document: every operation, every check.

Each operation is called with cases generated from the document, valid (positive) and invalid
(negative), with an admin token of a seeded workspace ``acme`` (its surveys, campaigns,
journeys, personas, topics, feedback and an import). Every response must follow the document:
no 5xx, a documented status code, content type and headers, a body of the declared schema,
invalid data refused, valid data accepted, authentication not ignored. Deterministic
(derandomized, no example database) and bounded by ``MAX_EXAMPLES`` per operation and mode.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from cxgap.config import Settings
from cxgap.services.core import Cxgap
from cxgap.web.app import create_app
from tests.web.test_api_routes import Api, serve_api

MAX_EXAMPLES = 10


def documented_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation of the document (it needs no database)."""
    settings = Settings(data_dir=Path("/nonexistent"), database_url="sqlite://", secret_key="k")
    spec = create_app(cx=Cxgap(settings)).openapi()
    return [(method.upper(), path) for path, ops in spec["paths"].items() for method in ops]


@pytest.fixture
def api(sqlite_cx: Cxgap) -> Iterator[Api]:
    yield from serve_api(sqlite_cx)


def _has_parameters(operation: Any) -> bool:
    return bool(list(operation.iter_parameters()) or list(operation.body))


def loaded_schema(api: Api) -> Any:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", api.client.app)
    schema.config.update(
        headers={"Authorization": f"Bearer {api.tokens['admin']}"},
    )
    return schema


@pytest.mark.slow
@pytest.mark.parametrize("mode", list(GenerationMode), ids=str)
@pytest.mark.parametrize(("method", "path"), documented_operations(), ids=lambda v: str(v))
def test_every_operation_follows_the_openapi_document(
    api: Api, method: str, path: str, mode: GenerationMode
) -> None:
    operation = loaded_schema(api)[path][method]
    if mode is GenerationMode.NEGATIVE and not _has_parameters(operation):
        pytest.skip("nothing to make invalid: no parameter and no body")
    # Valid calls go to the seeded workspace (a random key is a 404 and tests nothing more);
    # invalid ones may get any key, an invalid one included.
    fixed = {"key": "acme"} if mode is GenerationMode.POSITIVE and "{key}" in path else {}

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed))
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
