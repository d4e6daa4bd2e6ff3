"""A web client on a fresh database, and a helper to log in through the real form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from cxgap.services.core import Cxgap
from tests.factories import PASSWORD
from tests.prepared import Prepared
from tests.warm_routes import app_for

if TYPE_CHECKING:
    from tests.web.test_api_routes import SharedApi

CSRF_PATTERN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def log_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.fixture
def client(cx: Cxgap) -> Iterator[TestClient]:
    with TestClient(app_for(cx)) as test_client:
        yield test_client


@pytest.fixture
def sqlite_client(sqlite_cx: Cxgap) -> Iterator[TestClient]:
    with TestClient(app_for(sqlite_cx)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def module_api(
    prepared: Prepared, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[SharedApi, TestClient]]:
    """One app for the module's API tests and its client (``SharedApi`` in test_api_routes):
    ``module_api[0].fresh(module_api[1])`` gives a test serve_api's world in it."""
    from tests.web.test_api_routes import shared_api

    with shared_api(prepared, tmp_path_factory.mktemp("api")) as served:
        yield served
