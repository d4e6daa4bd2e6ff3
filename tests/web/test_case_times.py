"""The case page shows its history and due times in the workspace's time zone, the zone named
and UTC on hover; the API keeps ISO 8601 instants with their offset (SQLite and PostgreSQL).

The case opens on Monday 2 March 2026 at 09:00 UTC = 10:00 in Paris (CET, UTC+1); the default
same-day first response is 240 business minutes on the office week with a lunch break: 10:00
→ 12:30 (150), then 13:30 + 90 = 15:00 CET = 14:00 UTC. A reply on Tuesday 31 March 2026 at
07:15 UTC is 09:15 in Paris, summer time (CEST, UTC+2).
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from cxgap.services import accounts, cases
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user, make_workspace
from tests.web.conftest import log_in


def _case(cx: Cxgap) -> str:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, workspace=workspace, role="analyst")
        cases.open_case(
            session,
            workspace=workspace,
            subject="Late parcel",
            at=datetime(2026, 3, 2, 9, tzinfo=UTC),
        )
        return accounts.create_api_token(session, email="ana@example.com", name="t")


def _reply(cx: Cxgap) -> None:
    with cx.transaction() as session:
        case = cases.get_case(session, get_workspace(session, "acme"), 1)
        cases.reply(
            session,
            case=case,
            body="On its way",
            actor_id=None,
            at=datetime(2026, 3, 31, 7, 15, tzinfo=UTC),
        )


def test_history_and_due_times_are_local_with_the_zone_named(cx: Cxgap, client: TestClient) -> None:
    token = _case(cx)
    log_in(client, "ana@example.com")
    page = html.unescape(client.get("/w/acme/cases/1?lang=fr").text)
    assert "Heures dans le fuseau horaire de l’espace, Europe/Paris" in page
    assert '<time datetime="2026-03-02T09:00:00+00:00" title="2026-03-02 09:00 UTC">' in page
    assert "2026-03-02 10:00 CET</time>" in page  # the creation, in the history
    assert (
        '<time datetime="2026-03-02T15:00:00+01:00" title="2026-03-02 14:00 UTC">'
        "2026-03-02 15:00 CET</time>" in page
    )  # the first response due
    assert "09:00 UTC ·" not in page  # no longer UTC in the history
    _reply(cx)
    english = html.unescape(client.get("/w/acme/cases/1?lang=en").text)
    assert "Times in the workspace's time zone, Europe/Paris" in english
    assert 'title="2026-03-31 07:15 UTC">2026-03-31 09:15 CEST</time>' in english
    shown = client.get(
        "/api/v1/workspaces/acme/cases/1", headers={"authorization": f"Bearer {token}"}
    ).json()
    assert [e["at"] for e in shown["events"]][:2] == [
        "2026-03-02T09:00:00Z",
        "2026-03-31T07:15:00Z",
    ]
    assert shown["sla"]["metrics"]["first_response"]["due"] == "2026-03-02T15:00:00+01:00"
