"""The jobs pages: a workspace's jobs for its analysts (running with progress, waiting,
failed with the reason; retry and cancel, audited), every job for instance admins."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import AuditEvent, Job, utcnow
from cxgap.jobs import store
from cxgap.services import accounts
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in


def _seed(cx: Cxgap) -> dict[str, int]:
    with cx.transaction() as session:
        acme = make_workspace(session)
        other = make_workspace(session, "other", "Other")
        make_user(session, "ana@example.com", workspace=acme, role="analyst")
        ana = accounts.get_user(session, email="ana@example.com")
        make_user(session, "vic@example.com", workspace=acme, role="viewer")
        make_user(session, "root@example.com", superuser=True)
        running = store.enqueue(session, "enrich", workspace_id=acme.id, requested_by_id=ana.id)
        running.status, running.done, running.total = "running", 40, 100
        running.started_at = utcnow() - timedelta(seconds=20)
        running.heartbeat_at = utcnow()
        failed = store.enqueue(session, "mail", workspace_id=acme.id)
        failed.status, failed.attempts = "failed", 3
        failed.error, failed.finished_at = "MailServerError: connection refused", utcnow()
        waiting = store.enqueue(
            session, "webhooks", workspace_id=acme.id, run_after=utcnow() + timedelta(hours=1)
        )
        elsewhere = store.enqueue(session, "enrich", workspace_id=other.id)
        purge = store.enqueue(session, "purge")  # an instance-level job
        session.flush()
        return {
            "running": running.id,
            "failed": failed.id,
            "waiting": waiting.id,
            "elsewhere": elsewhere.id,
            "purge": purge.id,
        }


def _row(html: str, job_id: int) -> str:
    start = html.index(f'data-job="{job_id}"')
    return html[start : html.index("</tr>", start)]


def test_analysts_see_the_workspace_jobs_with_progress_and_reasons(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    ids = _seed(sqlite_cx)
    log_in(sqlite_client, "ana@example.com")
    page = sqlite_client.get("/w/acme/jobs")
    assert page.status_code == 200
    html = page.text
    running = _row(html, ids["running"])
    assert "Enrichment" in running and 'data-status="running"' in running
    assert '<progress max="100" value="40">' in running and "per second" in running
    assert "ana@example.com" in running and "Cancel" in running
    failed = _row(html, ids["failed"])
    assert "MailServerError: connection refused" in failed and "Retry" in failed
    assert ">3 / 1</td>" in failed
    assert 'data-status="waiting"' in _row(html, ids["waiting"])
    assert f'data-job="{ids["elsewhere"]}"' not in html  # another workspace's
    assert f'data-job="{ids["purge"]}"' not in html  # the instance's
    assert 'hx-trigger="every 3s"' in html  # active jobs: the list refreshes itself
    only_failed = sqlite_client.get("/w/acme/jobs?status=failed").text
    assert f'data-job="{ids["failed"]}"' in only_failed
    assert f'data-job="{ids["running"]}"' not in only_failed
    assert 'hx-trigger="every 3s"' not in only_failed
    bad = sqlite_client.get("/w/acme/jobs?status=sleeping")
    assert bad.status_code == 422 and "sleeping" in bad.text
    french = sqlite_client.get("/w/acme/jobs", headers={"accept-language": "fr"}).text
    assert "Tâches de fond" in french and "En échec" in french


def test_retry_and_cancel_change_the_job_and_are_audited(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    ids = _seed(sqlite_cx)
    log_in(sqlite_client, "ana@example.com")
    token = csrf_of(sqlite_client.get("/w/acme/jobs").text)
    retried = sqlite_client.post(
        f"/w/acme/jobs/{ids['failed']}/retry", data={"csrf_token": token}, follow_redirects=False
    )
    assert retried.status_code == 303
    cancelled = sqlite_client.post(
        f"/w/acme/jobs/{ids['waiting']}/cancel", data={"csrf_token": token}
    )
    assert cancelled.status_code == 200
    again = sqlite_client.post(f"/w/acme/jobs/{ids['waiting']}/cancel", data={"csrf_token": token})
    assert again.status_code == 409
    # another workspace's job is not found from this one
    foreign = sqlite_client.post(
        f"/w/acme/jobs/{ids['elsewhere']}/cancel", data={"csrf_token": token}
    )
    assert foreign.status_code == 404
    with sqlite_cx.reading() as session:
        statuses = {
            job_id: status for job_id, status in session.execute(select(Job.id, Job.status))
        }
        actions = [a for (a,) in session.execute(select(AuditEvent.action).order_by(AuditEvent.id))]
    assert statuses[ids["failed"]] == "queued" and statuses[ids["waiting"]] == "cancelled"
    assert statuses[ids["elsewhere"]] == "queued"
    assert [a for a in actions if a.startswith("job.")] == ["job.retried", "job.cancelled"]


def test_viewers_do_not_see_jobs_and_instance_admins_see_every_job(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    ids = _seed(sqlite_cx)
    log_in(sqlite_client, "vic@example.com")
    assert sqlite_client.get("/w/acme/jobs").status_code == 403
    assert sqlite_client.get("/admin/jobs").status_code == 403
    log_in(sqlite_client, "root@example.com")
    html = sqlite_client.get("/admin/jobs").text
    for job_id in ids.values():
        assert f'data-job="{job_id}"' in html
    assert "other" in _row(html, ids["elsewhere"]) and "instance" in _row(html, ids["purge"])
    token = csrf_of(html)
    done = sqlite_client.post(f"/admin/jobs/{ids['purge']}/cancel", data={"csrf_token": token})
    assert done.status_code == 200
    with sqlite_cx.reading() as session:
        assert session.get(Job, ids["purge"]).status == "cancelled"  # type: ignore[union-attr]
