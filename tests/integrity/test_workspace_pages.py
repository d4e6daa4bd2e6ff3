"""The integrity of a workspace: the demo's gamed shop found by the service, the page, the
REST route and the results page's with/without-flagged panel, the choice audit-logged."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import AuditEvent
from cxgap.services import api_tokens
from cxgap.services.accounts import principal_of
from cxgap.services.core import Cxgap
from cxgap.services.demo import DEMO_KEY
from cxgap.services.integrity import workspace_integrity
from cxgap.services.integrity_demo import GAMED
from cxgap.services.workspaces import get_workspace
from tests.demo_prepared import prepare_demo
from tests.prepared import Prepared
from tests.warm_routes import app_for
from tests.web.conftest import csrf_of, log_in


@pytest.fixture
def demo(cx: Cxgap, prepared: Prepared) -> Cxgap:
    users = (("ana@example.com", "analyst"), ("vic@example.com", "viewer"))
    return prepare_demo(prepared, cx, n_customers=240, users=(*users, ("adm@example.com", "admin")))


def _token(cx: Cxgap, role: str) -> dict[str, str]:
    with cx.transaction() as session:
        workspace = get_workspace(session, DEMO_KEY)
        admin = next(m.user for m in workspace.memberships if m.user.email == "adm@example.com")
        token = api_tokens.create_workspace_token(
            session, workspace=workspace, principal=principal_of(admin), name=role, role=role
        )
    return {"authorization": f"Bearer {token}"}


def test_the_demo_gamed_shop_is_found(demo: Cxgap) -> None:
    with demo.transaction() as session:
        found = workspace_integrity(session, workspace=get_workspace(session, DEMO_KEY))
    flagged = {a.agent: [f.name for f in a.flags] for a in found.report.agents if a.flagged}
    assert flagged == {GAMED: ["top_score_share", "score_begging"]}
    gamed = next(a for a in found.report.agents if a.agent == GAMED)
    assert gamed.rank == 1 and gamed.begging >= 2
    assert len(found.report.responses) == 240  # every answer checked
    nps = next(m for m in found.moves if m.key == "nps")
    assert nps.n_without < nps.n_with and nps.change is not None


def test_page_api_and_results_panel(demo: Cxgap) -> None:
    with TestClient(app_for(demo), follow_redirects=False) as client:
        log_in(client, "ana@example.com")
        html = client.get(f"/w/{DEMO_KEY}/integrity").text
        assert f'data-unit="{GAMED}"' in html and "data-flagged" in html
        assert "<svg" in html and "Top scores far above peers" in html
        french = client.get(f"/w/{DEMO_KEY}/integrity?lang=fr").text
        assert "Notes maximales bien au-dessus des pairs" in french
        route = f"/api/v1/workspaces/{DEMO_KEY}/integrity"
        assert client.get(route, headers=_token(demo, "viewer")).status_code == 403
        document = client.get(route, headers=_token(demo, "analyst")).json()
        assert len(document["responses"]) == 240
        assert any(a["agent"] == GAMED and a["flagged"] for a in document["agents"])
        assert document["figures"][0]["figure"] == "nps"
        results = client.get(f"/w/{DEMO_KEY}/results").text
        token = csrf_of(results)
        response = client.post(
            f"/w/{DEMO_KEY}/integrity/choice", data={"csrf_token": token, "exclude": "1"}
        )
        assert response.status_code == 303
        assert response.headers["location"].endswith("/results?flagged=exclude#integrity")
        panel = client.get(f"/w/{DEMO_KEY}/results?flagged=exclude").text
        assert 'data-integrity-mode="exclude"' in panel
        change = re.search(r'data-figure="nps">.*?<td data-change>([^<]+)</td>', panel, re.S)
        assert change is not None and change.group(1).strip() not in ("—", "")
    with demo.transaction() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "integrity.choice")
        ).all()
    assert [e.details["exclude_flagged"] for e in events] == [True]


def test_viewers_cannot_see_the_flags(demo: Cxgap) -> None:
    with TestClient(app_for(demo), follow_redirects=False) as client:
        log_in(client, "vic@example.com")
        assert client.get(f"/w/{DEMO_KEY}/integrity").status_code == 403
        assert "integrity/choice" not in client.get(f"/w/{DEMO_KEY}/results").text
