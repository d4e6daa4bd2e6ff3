"""The event import page: upload, the import job (progress from its row, any web process,
a worker killed mid-import), how the file was read, refusals naming row, column and value in
both languages, the activity → touchpoint form with suggestions, roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from cxgap.db.event_reads import activity_mapping, event_totals
from cxgap.db.tables import Job, utcnow
from cxgap.jobs import event_imports
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.journeys.model import Journey, Phase, Stage, Text, Touchpoint
from cxgap.services.core import Cxgap
from cxgap.services.event_uploads import staging_root
from cxgap.services.journeys import create_journey
from tests.factories import make_user, make_workspace
from tests.warm_routes import app_for
from tests.web.conftest import csrf_of, log_in

pytestmark = pytest.mark.on_postgresql  # event imports: COPY on PostgreSQL

LOG = (
    "case:concept:name,concept:name,time:timestamp,case:channel\n"
    "A,Call centre,2024-03-01T10:00:00,phone\n"
    "A,Payment page,2024-03-01T10:05:00,web\n"
    "B,Call centre,2024-03-02T09:00:00,phone\n"
)


def _journey() -> Journey:
    touchpoints = (
        Touchpoint("call-centre", Text("Call centre", "Centre d’appels"), "phone", False),
        Touchpoint("checkout", Text("Payment", "Paiement"), "website", True),
    )
    return Journey(
        "buy",
        Text("Buying", "Achat"),
        stages=(Stage("s", Text("Buy", "Achat"), Phase.DURING, touchpoints),),
    )


def _setup(cx: Cxgap, client: TestClient, role: str = "analyst") -> int:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        create_journey(session, workspace=workspace, journey=_journey())
        make_user(session, workspace=workspace, role=role)
        workspace_id = workspace.id
    log_in(client, "ana@example.com")
    return workspace_id


def _upload(client: TestClient, body: str, lang: str = "en", **form: str) -> object:
    token = csrf_of(client.get(f"/w/acme/events/import?lang={lang}").text)
    return client.post(
        "/w/acme/events/import",
        data={"csrf_token": token, **form},
        files={"file": ("journeys.csv", body.encode(), "text/csv")},
        follow_redirects=False,
    )


def work(client: TestClient) -> None:
    """Run the queued event import jobs as a worker would (the test app starts none)."""
    cx = client.app.state.cx  # type: ignore[attr-defined]
    context = JobContext.for_app(cx, kinds={event_imports.EVENT_IMPORT: event_imports.KIND})
    while Worker(context).run_once() is not None:
        pass


def _imported(client: TestClient, body: str, lang: str = "en", **form: str) -> str:
    """Upload, let a worker run the job, follow the progress fragment to the page: its URL."""
    response = _upload(client, body, lang, **form)
    assert response.status_code == 303, response.text  # type: ignore[attr-defined]
    location = str(response.headers["location"])  # type: ignore[attr-defined]
    assert "Waiting for a worker" in client.get(location).text
    work(client)
    job_id = location.rsplit("=", 1)[1]
    progress = client.get(f"/w/acme/events/import/jobs/{job_id}")
    assert progress.status_code == 204
    assert progress.headers["hx-redirect"] == location
    return location


def test_upload_shows_the_columns_read_and_suggests_touchpoints(
    cx: Cxgap, client: TestClient
) -> None:
    workspace_id = _setup(cx, client)
    page = client.get(_imported(client, LOG, preset="process-mining")).text
    assert "Stored 3 events of 2 cases from journeys.csv." in page
    assert "<code>case:concept:name</code>" in page and "<code>case:channel</code>" in page
    # Suggested by name: "Call centre" -> call-centre, "Payment page" -> checkout.
    assert '<option value="call-centre" selected>' in page
    assert '<option value="checkout" selected>' in page
    with cx.reading() as session:
        assert event_totals(session, workspace_id) == (2, 3)
    token = csrf_of(page)
    saved = client.post(
        "/w/acme/events/mapping",
        data={
            "csrf_token": token,
            "activity": ["Call centre", "Payment page"],
            "touchpoint": ["call-centre", ""],
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    with cx.reading() as session:
        assert activity_mapping(session, workspace_id) == {
            "Call centre": "call-centre",
            "Payment page": None,
        }


def test_a_refused_file_lists_row_column_value_and_stores_nothing(
    cx: Cxgap, client: TestClient
) -> None:
    workspace_id = _setup(cx, client)
    bad = LOG + "C,Call centre,yesterday,phone\n"
    location = _imported(client, bad)
    text = client.get(location).text
    assert "nothing was stored" in text
    assert "journeys.csv, row 5, column “time:timestamp”" in text
    assert "(value “yesterday”)" in text
    # The refusal is kept on the job row: said again in the reader's language.
    french = client.get(location + "&lang=fr").text
    assert "rien n’a été enregistré" in french
    assert "journeys.csv, ligne 5, colonne « time:timestamp »" in french
    with cx.reading() as session:
        assert event_totals(session, workspace_id) == (0, 0)
        job = session.scalars(select(Job).where(Job.kind == "event_import")).one()
    assert (job.status, job.attempts) == ("done", 1)
    assert not list(staging_root(cx.settings).iterdir())  # the staged file is gone


def test_another_web_process_follows_the_job(cx: Cxgap, client: TestClient) -> None:
    """Two web processes on one database: the import queued through one is followed through
    the other (the job row, not the memory of the process that queued it)."""
    workspace_id = _setup(cx, client)
    location = _upload(client, LOG).headers["location"]  # type: ignore[attr-defined]
    second = Cxgap(cx.settings)
    try:
        with TestClient(app_for(second)) as other:
            log_in(other, "ana@example.com")
            waiting = other.get(location).text
            assert "Waiting for a worker" in waiting and 'hx-trigger="every 1s"' in waiting
            work(client)
            assert "Stored 3 events of 2 cases from journeys.csv." in other.get(location).text
    finally:
        second.engine.dispose()
    with cx.reading() as session:
        assert event_totals(session, workspace_id) == (2, 3)


class WorkerKilled(BaseException):
    """Stands for the worker process dying mid-import: nothing in cxgap catches it."""


def _long_log(cases: int) -> str:
    rows = [LOG.splitlines()[0]]
    for n in range(cases):
        rows.append(f"C{n},Call centre,2024-03-01T10:{n % 60:02d}:00,phone")
        rows.append(f"C{n},Payment page,2024-03-02T10:{n % 60:02d}:00,web")
    return "\n".join(rows) + "\n"


def test_a_worker_killed_mid_import_stored_nothing_and_the_job_resumes_once(
    cx: Cxgap, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace_id = _setup(cx, client)
    body = _long_log(20_000)
    location = _upload(client, body).headers["location"]  # type: ignore[attr-defined]
    seen: list[int] = []
    monkeypatch.setattr(event_imports, "REPORT_EVERY_S", 0.0)
    real = event_imports._reporter

    def dying(run: object, live: bool) -> event_imports.Report:
        report = real(run, live)  # type: ignore[arg-type]

        def killed_halfway(done: int, total: int) -> None:
            report(done, total)
            if live and done:
                with cx.reading() as session:  # another process sees the share read
                    seen.append(session.scalars(select(Job.done)).one())
            if done > total // 2:
                raise WorkerKilled

        return killed_halfway

    monkeypatch.setattr(event_imports, "_reporter", dying)
    with pytest.raises(WorkerKilled):
        work(client)
    with cx.reading() as session:
        assert event_totals(session, workspace_id) == (0, 0)  # rolled back with its worker
    if cx.engine.dialect.name == "postgresql":
        assert seen and max(seen) > 0
    monkeypatch.setattr(event_imports, "_reporter", real)
    with cx.transaction() as session:  # its heartbeat stops: presumed dead after a while
        session.execute(update(Job).values(heartbeat_at=utcnow() - timedelta(hours=1)))
    assert "Its worker stopped" in client.get(location).text
    work(client)  # another worker resumes it, from the file
    with cx.reading() as session:
        assert event_totals(session, workspace_id) == (20_000, 40_000)
        job = session.scalars(select(Job).where(Job.kind == "event_import")).one()
    assert (job.status, job.attempts) == ("done", 1)
    assert "Stored 40,000 events of 20,000 cases" in client.get(location).text


def test_viewers_may_not_import(cx: Cxgap, client: TestClient) -> None:
    _setup(cx, client, role="viewer")
    assert client.get("/w/acme/events/import").status_code == 403
    token = csrf_of(client.get("/w/acme").text)
    response = client.post(
        "/w/acme/events/import",
        data={"csrf_token": token},
        files={"file": ("journeys.csv", LOG.encode(), "text/csv")},
    )
    assert response.status_code == 403
    assert client.get("/w/acme/events/import/jobs/1").status_code == 403
    mapping = client.post("/w/acme/events/mapping", data={"csrf_token": token})
    assert mapping.status_code == 403
