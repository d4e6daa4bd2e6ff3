"""The executive report prepared as a background job: queued from the results page, followed
there, downloaded from a route that checks the workspace; the file is private."""

from __future__ import annotations

import re
import stat

from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import AuditEvent, Job
from cxgap.jobs import report, store
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in


def test_a_viewer_prepares_the_report_then_downloads_it(
    sqlite_cx: Cxgap, sqlite_client: TestClient
) -> None:
    with sqlite_cx.transaction() as session:
        acme = make_workspace(session)
        other = make_workspace(session, "other", "Other")
        make_user(session, "vic@example.com", workspace=acme, role="viewer")
        make_user(session, "olga@example.com", workspace=other, role="admin")
        mail_job = store.enqueue(session, "mail", workspace_id=acme.id).id
    log_in(sqlite_client, "vic@example.com")
    page = sqlite_client.get("/w/acme/results")
    assert "Prepare the report in the background" in page.text
    queued = sqlite_client.post(
        "/w/acme/report/prepare?min_group_size=10&confidence=0.9",
        data={"csrf_token": csrf_of(page.text)},
    )
    assert queued.status_code == 200 and "Preparing the report in the background" in queued.text
    assert 'hx-select="#report-job"' in queued.text
    context = JobContext.for_app(sqlite_cx, kinds={report.REPORT: report.KIND})
    assert Worker(context).run_once() is not None
    with sqlite_cx.reading() as session:
        job = session.scalar(select(Job).where(Job.kind == report.REPORT))
        assert job is not None and job.status == "done", job.error if job else None
        assert job.payload["min_group_size"] == 10 and job.payload["confidence"] == 0.9
    result = job.result or {}
    path = sqlite_cx.settings.data_dir / str(result["path"])
    assert str(result["path"]).startswith("reports/") and result["size"] == path.stat().st_size
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    done = sqlite_client.get("/w/acme/results").text
    link = re.search(r'href="(/w/acme/report/jobs/\d+)"', done)
    assert link and "Download the report prepared at" in done
    downloaded = sqlite_client.get(link.group(1))
    assert downloaded.status_code == 200 and "Acme" in downloaded.text
    assert 'filename="cxgap-acme-report-en.html"' in downloaded.headers["content-disposition"]
    assert sqlite_client.get(f"/w/acme/report/jobs/{mail_job}").status_code == 404
    with sqlite_cx.reading() as session:
        exports = session.scalars(select(AuditEvent).where(AuditEvent.action == "data.exported"))
        assert [(e.target_id, e.details.get("job")) for e in exports] == [("report", job.id)]
    log_in(sqlite_client, "olga@example.com")
    assert sqlite_client.get(link.group(1)).status_code == 404  # not her workspace
    assert sqlite_client.get(link.group(1).replace("/acme/", "/other/")).status_code == 404
