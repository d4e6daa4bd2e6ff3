"""The rules page applies the rules to older feedback: a preview count first (nothing
written), then the cases opened once; French and English; a bad day is refused by name."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cxgap.db.tables import CaseRow
from cxgap.services import case_rules
from cxgap.services.case_rules import RuleInput
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.services.test_cases import add_feedback
from tests.web.conftest import csrf_of, log_in


def _cases(cx: Cxgap) -> int:
    with cx.reading() as session:
        return session.scalar(select(func.count(CaseRow.id))) or 0


def test_preview_then_open_the_cases_once(sqlite_cx: Cxgap, sqlite_client: TestClient) -> None:
    with sqlite_cx.transaction() as session:
        acme = make_workspace(session)
        make_user(session, "ana@example.com", workspace=acme, role="analyst")
        for source, day, ref in (("a", 2, "c-1"), ("b", 3, "c-1"), ("c", 4, None), ("d", 5, "x")):
            add_feedback(session, acme, source, nps=2 if source != "d" else 10, customer_ref=ref,
                         collected_at=datetime(2026, 3, day, 10, tzinfo=UTC))  # fmt: skip
        case_rules.save_rule(session, workspace=acme, rule=RuleInput("Detractors", {"nps_max": 6}))
    log_in(sqlite_client, "ana@example.com")
    page = sqlite_client.get("/w/acme/cases/rules").text
    assert 'id="apply"' in page and "data-preview" not in page
    preview = sqlite_client.get("/w/acme/cases/rules?since=2026-03-01").text
    assert 'data-preview="3"' in preview
    assert "feedback items matching a rule: 3. Cases that would open: 2;" in preview
    assert 'name="since" value="2026-03-01"' in preview
    french = sqlite_client.get("/w/acme/cases/rules?since=2026-03-01&lang=fr").text
    assert "Dossiers qui seraient ouverts : 2 ;" in french and "Ouvrir les dossiers" in french
    assert _cases(sqlite_cx) == 0  # the preview wrote nothing
    token = csrf_of(page)
    done = sqlite_client.post(
        "/w/acme/cases/rules/apply",
        data={"since": "2026-03-01", "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/w/acme/cases/rules?opened=2&attached=1#apply"
    shown = sqlite_client.get(done.headers["location"]).text
    # in the language chosen before
    assert "Dossiers ouverts : 2 ; retours rattachés à un dossier ouvert : 1." in shown
    shown = sqlite_client.get("/w/acme/cases/rules?opened=2&attached=1&lang=en").text
    assert "Cases opened: 2; feedback items attached to an open case: 1." in shown
    assert _cases(sqlite_cx) == 2
    again = sqlite_client.get("/w/acme/cases/rules?since=2026-03-01").text
    assert 'data-preview="0"' in again and "no feedback that is not already on a case" in again
    sqlite_client.post(
        "/w/acme/cases/rules/apply", data={"since": "2026-03-01", "csrf_token": token}
    )
    assert _cases(sqlite_cx) == 2  # applied twice: nothing more
    bad = sqlite_client.post(
        "/w/acme/cases/rules/apply", data={"since": "2026-02-30", "csrf_token": token}
    )
    assert bad.status_code == 422 and "since" in bad.text and "2026-02-30" in bad.text
    french_bad = sqlite_client.get("/w/acme/cases/rules?since=March&lang=fr")
    assert french_bad.status_code == 422 and "AAAA-MM-JJ" in french_bad.text


def test_a_viewer_cannot_apply_the_rules(sqlite_cx: Cxgap, sqlite_client: TestClient) -> None:
    with sqlite_cx.transaction() as session:
        acme = make_workspace(session)
        make_user(session, "vic@example.com", workspace=acme, role="viewer")
        add_feedback(session, acme, "a", nps=1, customer_ref="c-1")
        case_rules.save_rule(session, workspace=acme, rule=RuleInput("Detractors", {"nps_max": 6}))
    log_in(sqlite_client, "vic@example.com")
    token = csrf_of(sqlite_client.get("/w/acme/cases").text)
    refused = sqlite_client.post(
        "/w/acme/cases/rules/apply", data={"since": "2026-01-01", "csrf_token": token}
    )
    assert refused.status_code in (403, 404)
    assert _cases(sqlite_cx) == 0
