"""A verbatims cursor no page ever gave (an id past PostgreSQL's 32-bit ``feedback.id``, a
negative or a 40-digit one, a date out of range once in UTC) is refused with a 422 in the
reader's language, by the Listening page and by the API, on SQLite and on PostgreSQL: it
answered 500/503 (integer out of range, or Python's own overflow on SQLite)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from cxgap.services import accounts
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.listening_factories import make_listening_sample, make_topics
from tests.web.conftest import log_in

pytestmark = pytest.mark.on_postgresql  # the backend changes the path: keyset paging

DAY = "2026-01-01T00:00:00+00:00"
FORGED = (
    f"{DAY}~2147483648",  # one past int4
    f"{DAY}~3000000000",
    f"{DAY}~-5",
    f"{DAY}~0",
    f"{DAY}~{'9' * 40}",
    "9999-12-31T23:00:00-05:00~5",  # the year 10000 in UTC
    "0001-01-01T00:00:00+05:00~5",  # before the year 1 in UTC
    "yesterday~5",
)


@pytest.fixture
def signed_in(cx: Cxgap, client: TestClient) -> tuple[TestClient, str]:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_topics(session, workspace)
        make_listening_sample(session, workspace, n=60)
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")
        token = accounts.create_api_token(session, email="ana@example.com", name="test")
    log_in(client, "ana@example.com")
    return client, token


def test_a_forged_cursor_is_refused_in_the_readers_language(
    signed_in: tuple[TestClient, str],
) -> None:
    client, token = signed_in
    for cursor in FORGED:
        _assert_refused(client, token, cursor)


def _assert_refused(client: TestClient, token: str, cursor: str) -> None:
    english = client.get("/w/acme/listening", params={"after": cursor, "lang": "en"})
    assert english.status_code == 422
    assert "is not the cursor of a page of this list" in english.text
    french = client.get("/w/acme/listening", params={"after": cursor, "lang": "fr"})
    assert french.status_code == 422
    assert "n&#39;est pas le curseur d&#39;une page de cette liste" in french.text
    api = client.get(
        "/api/v1/workspaces/acme/feedback",
        params={"cursor": cursor},
        headers={"authorization": f"Bearer {token}", "accept-language": "fr"},
    )
    assert api.status_code == 422
    error = api.json()["error"]
    assert error["field"] == "cursor"
    assert "n'est pas le curseur d'une page" in error["problems"][0]["message"]


def test_the_cursors_pages_give_still_work_at_the_edges(
    signed_in: tuple[TestClient, str],
) -> None:
    """The largest id a row can have is a cursor like any other, and the page's own next
    cursor leads to the next page: the check refuses only what no row can be."""
    client, _ = signed_in
    first = client.get("/w/acme/listening").text
    cursor = re.search(r'hx-get="\?after=([^"&]+)&fragment=1"', first)
    assert cursor is not None
    assert client.get(f"/w/acme/listening?after={cursor.group(1)}&fragment=1").status_code == 200
    last = client.get("/w/acme/listening", params={"after": f"{DAY}~2147483647"})
    assert last.status_code == 200
