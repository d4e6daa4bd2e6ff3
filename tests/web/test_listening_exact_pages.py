"""The "Exact figures" button of a broad search on the Listening pages (PostgreSQL, where a
broad search is estimated): it queues the ``exact_figures`` job (CSRF, the workspace's
members only) and comes back to the page, which shows the estimate with the job's progress
and polls it; once the job stored the figures the page shows them, computing nothing; the
job is on the jobs page in French and English; a failure says why, with a try again."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from cxgap.db.tables import Job
from cxgap.jobs import EXACT_FIGURES
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services import listening_exact
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user, make_workspace
from tests.services.test_search_estimate import _matching, large  # noqa: F401 (fixture)
from tests.warm_routes import app_for
from tests.web.conftest import csrf_of, log_in

pytestmark = pytest.mark.on_postgresql  # PostgreSQL's estimated counts

ACTION = re.compile(r'<form method="post" action="(/w/acme/listening/exact\?[^"]+)"')
STATUS = re.compile(r'hx-get="(/w/acme/listening/exact/\d+\?target=[^"]+)"')


def _worker(cx: Cxgap) -> Worker:
    return Worker(JobContext(sessions=cx.sessions, data_dir=cx.settings.data_dir))


def _jobs(cx: Cxgap) -> int:
    with cx.reading() as session:
        query = select(func.count()).select_from(Job).where(Job.kind == EXACT_FIGURES)
        return int(session.scalar(query) or 0)


def _ask(client: TestClient, path: str) -> str:
    """Press the page's button; where it leads."""
    page = client.get(path)
    found = ACTION.search(page.text)
    assert found, page.text
    token = csrf_of(page.text)
    response = client.post(
        html.unescape(found.group(1)), data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


@pytest.fixture
def pg(cx: Cxgap, request: pytest.FixtureRequest) -> Cxgap:
    if cx.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite reads every search whole, never estimates")
    found: Cxgap = request.getfixturevalue("large")
    return found


def test_the_button_queues_the_job_and_the_page_shows_its_figures(pg: Cxgap) -> None:
    want = _matching(pg, "delivery")
    client = TestClient(app_for(pg))
    log_in(client, "cx@example.com")
    page = client.get("/w/acme/listening/topics?q=delivery&lang=en").text
    assert "Estimated from a sample" in page and "Exact figures" in page
    assert "computed in the background" in page
    # Without the form's token: refused, nothing queued.
    action = html.unescape(ACTION.search(page).group(1))  # type: ignore[union-attr]
    assert client.post(action, data={}, follow_redirects=False).status_code == 403
    assert _jobs(pg) == 0
    back = _ask(client, "/w/acme/listening/topics?q=delivery&lang=en")
    assert urlsplit(back).path == "/w/acme/listening/topics"
    assert parse_qs(urlsplit(back).query) == {"q": ["delivery"], "exact": ["1"]}
    assert _jobs(pg) == 1
    # Asked again (here from the explorer) while it waits: the same job.
    _ask(client, "/w/acme/listening?q=delivery&lang=en")
    assert _jobs(pg) == 1
    waiting = client.get(back + "&lang=en").text
    assert "Estimated from a sample" in waiting and "≈" in waiting  # the estimate meanwhile
    assert "The exact figures are queued" in waiting
    status = html.unescape(STATUS.search(waiting).group(1))  # type: ignore[union-attr]
    polled = client.get(status + "&lang=en")
    assert polled.status_code == 200 and "HX-Refresh" not in polled.headers
    fr = html.unescape(client.get(back + "&lang=fr").text)
    assert "Les chiffres exacts sont en file d'attente" in fr
    assert _worker(pg).run_once() is not None
    polled = client.get(status + "&lang=en")
    assert polled.headers.get("HX-Refresh") == "true"
    assert "The exact figures are ready" in polled.text
    for path in ("", "/topics", "/trends", "/drivers"):
        shown = client.get(f"/w/acme/listening{path}?q=delivery&exact=1&lang=en").text
        assert "Estimated from a sample" not in shown and "≈" not in shown, path
        assert "Exact figures: every match read, computed in the background" in shown, path
        assert "data-exact-job=" in shown, path
        fr = html.unescape(client.get(f"/w/acme/listening{path}?q=delivery&exact=1&lang=fr").text)
        assert "Chiffres exacts : toutes les correspondances lues, calculés" in fr, path
    explorer = client.get("/w/acme/listening?q=delivery&exact=1&lang=en").text
    assert f"{want:,} verbatims" in explorer
    assert "the verbatims listed are the newest of the sample" in explorer
    assert explorer.count('class="verbatim') > 0
    # The figures shown are the stored ones: nothing recomputed in the request.
    calls: list[object] = []
    real = listening_exact.compute
    listening_exact.compute = lambda *a: calls.append(a) or real(*a)  # type: ignore[assignment]
    try:
        assert f"{want:,} verbatims" in client.get("/w/acme/listening?q=delivery&exact=1").text
    finally:
        listening_exact.compute = real  # type: ignore[assignment]
    assert calls == []
    # On the jobs page (analysts), in both languages.
    jobs_en = client.get("/w/acme/jobs?lang=en").text
    assert "Exact figures of a search" in jobs_en and f"matches: {want}" in jobs_en
    jobs_fr = html.unescape(client.get("/w/acme/jobs?lang=fr").text)
    assert "Chiffres exacts d'une recherche" in jobs_fr


def test_a_failed_job_shows_its_reason_and_a_try_again(pg: Cxgap) -> None:
    client = TestClient(app_for(pg))
    log_in(client, "cx@example.com")
    back = _ask(client, "/w/acme/listening?q=delivery")
    with pg.transaction() as session:
        session.execute(
            update(Job).values(status="failed", error="RuntimeError: statement timeout")
        )
    page = client.get(back + "&lang=en").text
    assert "The exact figures could not be computed. Reason: RuntimeError: statement" in page
    assert "Try again" in page and "Estimated from a sample" in page
    _ask(client, back)
    assert _jobs(pg) == 2  # a new job: the failed one is not reused
    fr = html.unescape(client.get(back + "&lang=fr").text)
    assert "en file d'attente" in fr


def test_only_the_workspaces_members_ask_and_follow(pg: Cxgap) -> None:
    with pg.transaction() as session:
        acme = get_workspace(session, "acme")
        make_user(session, "viewer@example.com", workspace=acme, role="viewer")
        other = make_workspace(session, key="other", name="Other")
        make_user(session, "out@example.com", workspace=other, role="admin")
    viewer = TestClient(app_for(pg))
    log_in(viewer, "viewer@example.com")
    back = _ask(viewer, "/w/acme/listening/drivers?q=delivery&level=pillar")
    assert parse_qs(urlsplit(back).query)["level"] == ["pillar"]
    waiting = viewer.get(back).text
    status = html.unescape(STATUS.search(waiting).group(1))  # type: ignore[union-attr]
    assert viewer.get(status).status_code == 200
    assert 'href="/w/acme/jobs"' not in waiting  # viewers do not see the jobs page
    outsider = TestClient(app_for(pg))
    log_in(outsider, "out@example.com")
    token = csrf_of(outsider.get("/w/other/listening").text)
    asked = outsider.post(
        "/w/acme/listening/exact?q=delivery&page=topics",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert asked.status_code == 404
    assert outsider.get(status).status_code == 404
    job_id = int(status.split("/")[-1].split("?")[0])
    assert viewer.get(f"/w/acme/listening/exact/{job_id + 100}").status_code == 404
    bad = viewer.post(
        "/w/acme/listening/exact?q=delivery&page=nowhere",
        data={"csrf_token": csrf_of(viewer.get("/w/acme/listening").text)},
        follow_redirects=False,
    )
    assert bad.status_code == 422
    assert _jobs(pg) == 1
