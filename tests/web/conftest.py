"""A web client on a fresh database, and a helper to log in through the real form."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from cxgap.services.core import Cxgap
from cxgap.web.app import create_app
from tests.factories import PASSWORD

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
    with TestClient(create_app(cx=cx)) as test_client:
        yield test_client


@pytest.fixture
def sqlite_client(sqlite_cx: Cxgap) -> Iterator[TestClient]:
    with TestClient(create_app(cx=sqlite_cx)) as test_client:
        yield test_client
