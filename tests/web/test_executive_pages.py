"""The three gaps page and the executive report page (generate as a job, download), and the
REST API's executive report, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import stat

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import Job, ReportSchedule, User
from cxgap.jobs import executive
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services import api_tokens
from cxgap.services.accounts import principal_of
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.executive_factories import make_executive_workspace
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in


def _world(cx: Cxgap) -> None:
    with cx.transaction() as session:
        acme = make_executive_workspace(session)
        make_user(session, "vic@example.com", workspace=acme, role="viewer")
        other = make_workspace(session, "other", "Other")
        make_user(session, "olga@example.com", workspace=other, role="admin")


def test_gaps_side_by_side_with_their_trend(cx: Cxgap, client: TestClient) -> None:
    _world(cx)
    log_in(client, "vic@example.com")
    page = client.get("/w/acme/gaps?lang=fr")
    assert page.status_code == 200
    html = page.text
    assert "Les trois écarts" in html and "Wave 2" in html and "Wave 1" in html
    row = html.split('data-pillar="service"')[1].split("</tr>")[0]
    # Latest wave: colleagues 13/3 now, customers since 1 Oct: performance of answers 20–39.
    late = [2 + i % 3 for i in range(20, 40)]
    early = [2 + i % 3 for i in range(20)]
    change = (13 / 3 - sum(late) / 20) - (10 / 3 - sum(early) / 20)
    expected = f"{change:+.2f}".replace(".", ",").replace("-", "−")
    assert expected in row.split('data-figure="knowledge-trend"')[1].split("</small>")[0]
    # Desire: wave 2 (5 − 13/3) against wave 1 (14/3 − 10/3).
    desire = f"{(5 - 13 / 3) - (14 / 3 - 10 / 3):+.2f}".replace(".", ",").replace("-", "−")
    assert desire in row.split('data-figure="desire-trend"')[1].split("</small>")[0]
    assert 'data-action-status="no_action"' in row and "Aucune action" in row
    log_in(client, "olga@example.com")
    assert client.get("/w/acme/gaps").status_code == 404


def test_generate_now_as_a_job_then_download(cx: Cxgap, client: TestClient) -> None:
    _world(cx)
    log_in(client, "vic@example.com")
    page = client.get("/w/acme/reports/executive")
    assert "Generate the report" in page.text
    bad = client.post(
        "/w/acme/reports/executive/generate",
        data={"csrf_token": csrf_of(page.text), "period": "November", "format": "pdf"},
    )
    assert bad.status_code == 422 and "November" in bad.text
    queued = client.post(
        "/w/acme/reports/executive/generate",
        data={"csrf_token": csrf_of(page.text), "period": "2026-11", "format": "pdf",
              "lang": "fr", "paper": "a4"},
    )  # fmt: skip
    assert queued.status_code == 200 and 'data-status="queued"' in queued.text
    context = JobContext.for_app(cx, kinds={executive.EXECUTIVE_REPORT: executive.KIND})
    assert Worker(context).run_once() is not None
    with cx.reading() as session:
        job = session.scalar(select(Job).where(Job.kind == executive.EXECUTIVE_REPORT))
        assert job is not None and job.status == "done", job.error if job else None
    path = cx.settings.data_dir / str((job.result or {})["path"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    done = client.get("/w/acme/reports/executive").text
    link = re.search(r'href="(/w/acme/reports/executive/jobs/\d+)"', done)
    assert link
    downloaded = client.get(link.group(1))
    assert downloaded.status_code == 200 and downloaded.content.startswith(b"%PDF")
    assert "executive-2026-11-fr.pdf" in downloaded.headers["content-disposition"]
    log_in(client, "olga@example.com")
    assert client.get(link.group(1)).status_code == 404


@pytest.mark.parametrize("fmt", ["json", "html", "pdf"])
def test_rest_api_serves_each_format(cx: Cxgap, client: TestClient, fmt: str) -> None:
    _world(cx)
    with cx.transaction() as session:
        acme = get_workspace(session, "acme")
        make_user(session, "adam@example.com", workspace=acme, role="admin")
        adam = principal_of(next(m.user for m in acme.memberships if m.role == "admin"))
        token = api_tokens.create_workspace_token(
            session, workspace=acme, principal=adam, name="bi", role="viewer"
        )
    headers = {"authorization": f"Bearer {token}"}
    url = f"/api/v1/workspaces/acme/reports/executive?period=2026-11&lang=en&format={fmt}"
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    if fmt == "json":
        data = json.loads(response.text)
        assert data["headlines"]["nps"]["value"] == 40.0
        assert {"knowledge", "desire", "action"} <= data["gaps"][0].keys()
    elif fmt == "html":
        assert response.headers["content-type"].startswith("text/html")
        assert "Executive report · Acme" in response.text
    else:
        assert response.content.startswith(b"%PDF")
    refused = client.get(url.replace("2026-11", "2026-99"), headers=headers)
    assert refused.status_code in (400, 422) and "2026-99" in refused.text


def test_an_admin_saves_the_monthly_schedule(cx: Cxgap, client: TestClient) -> None:
    _world(cx)
    with cx.transaction() as session:
        acme = get_workspace(session, "acme")
        make_user(session, "adam@example.com", workspace=acme, role="admin")
    with cx.reading() as session:
        ids = {u.email: u.id for u in session.scalars(select(User))}
    log_in(client, "adam@example.com")
    page = client.get("/w/acme/reports/executive?lang=fr")
    assert "Envoi mensuel" in page.text and "vic@example.com" in page.text
    assert "olga@example.com" not in page.text  # not a member: not offered
    form = {"csrf_token": csrf_of(page.text), "enabled": "true", "lang": "fr", "paper": "a4"}
    stranger = client.post(
        "/w/acme/reports/executive/schedule",
        data={**form, "recipients": [str(ids["olga@example.com"])]},
    )
    assert stranger.status_code == 422
    saved = client.post(
        "/w/acme/reports/executive/schedule",
        data={**form, "recipients": [str(ids["vic@example.com"]), str(ids["adam@example.com"])]},
    )
    assert saved.status_code == 200
    with cx.reading() as session:
        schedule = session.scalar(select(ReportSchedule))
        assert schedule is not None and schedule.enabled and schedule.locale == "fr"
        assert schedule.recipient_ids == sorted([ids["vic@example.com"], ids["adam@example.com"]])
    log_in(client, "vic@example.com")
    viewer = client.get("/w/acme/reports/executive").text
    assert "Seuls les administrateurs de l&#39;espace modifient l&#39;envoi." in viewer
