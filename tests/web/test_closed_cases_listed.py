"""Resolved and closed cases (imported past tickets among them) listed by status on the queue
page, through the REST API (list and queue) and by ``cxgap cases list``: the same cases, the
most recently closed first."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.services import api_tokens, cases
from cxgap.services.accounts import principal_of
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.web.conftest import log_in

DAY = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _seed(cx: Cxgap) -> str:
    """#1 open; #2 resolved on the 10th; #3 closed on the 5th; #4 closed on the 12th;
    #5 resolved on the 20th then closed (still closed on the 20th)."""
    with cx.transaction() as session:
        acme = make_workspace(session)
        make_user(session, "ana@example.com", workspace=acme, role="admin")
        ended = {2: ("resolved", 10), 3: ("closed", 5), 4: ("closed", 12), 5: ("resolved", 20)}
        for number in range(1, 6):
            case, _ = cases.open_case(session, workspace=acme, subject=f"Ticket {number}", at=DAY)
            if number in ended:
                status, day = ended[number]
                at = DAY.replace(day=day)
                cases.set_status(session, case=case, status=status, actor_id=None, at=at)
        five = cases.get_case(session, acme, 5)
        cases.set_status(session, case=five, status="closed", actor_id=None,
                         at=DAY.replace(day=25))  # fmt: skip
        ana = principal_of(acme.memberships[0].user)
        return api_tokens.create_workspace_token(
            session, workspace=acme, principal=ana, name="t", role="viewer"
        )


def _numbers(html: str) -> list[int]:
    return [int(part.split('"', 1)[0]) for part in html.split('data-case="')[1:]]


def test_closed_cases_are_listed_most_recently_closed_first(cx: Cxgap, client: TestClient) -> None:
    token = _seed(cx)
    log_in(client, "ana@example.com")
    assert _numbers(client.get("/w/acme/cases").text) == [1]
    closed = client.get("/w/acme/cases?status=closed").text
    assert _numbers(closed) == [5, 4, 3]
    assert "data-closed" in closed and "2026-11-20" in closed and "most recently closed" in closed
    french = client.get("/w/acme/cases?status=resolved&lang=fr").text
    assert _numbers(french) == [2] and "Résolu le" in french
    for status in cases.STATUSES:  # the filter offers every status
        assert f'<option value="{status}"' in closed
    headers = {"authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/workspaces/acme/cases?status=closed", headers=headers).json()
    assert [c["number"] for c in listed["items"]] == [5, 4, 3]
    both = client.get(
        "/api/v1/workspaces/acme/cases?status=closed&status=resolved", headers=headers
    ).json()
    assert [c["number"] for c in both["items"]] == [5, 4, 2, 3]
    queue = "/api/v1/workspaces/acme/cases/queue"
    assert [c["number"] for c in client.get(queue, headers=headers).json()["items"]] == [1]
    narrowed = client.get(f"{queue}?status=new&status=closed", headers=headers).json()
    assert [c["number"] for c in narrowed["items"]] == [1, 5, 4, 3]
    refused = client.get(f"{queue}?status=lost", headers=headers)
    assert refused.status_code == 422 and "lost" in refused.text
    url = cx.settings.database_url
    common = ("--workspace", "acme", "--database-url", url, "--json")
    for extra in ((), ("--queue",)):
        result = CliRunner().invoke(
            app, ["cases", "list", *common, "--status", "closed", "--status", "resolved", *extra]
        )
        assert result.exit_code == 0, result.stderr
        assert [c["number"] for c in json.loads(result.stdout)["cases"]] == [5, 4, 2, 3]
