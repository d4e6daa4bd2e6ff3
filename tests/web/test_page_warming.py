"""The ``warm_pages`` job: after an event import the paths, journey-map and retention/value
pages read what the job stored in the results cache (computing nothing on the first view),
and what it stored equals a computation made now; the activity mapping form queues it
again."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import Job, ResultsCache
from cxgap.jobs import event_imports, warming
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.journeys.model import Persona
from cxgap.services import journey_paths, retention_pages
from cxgap.services.core import Cxgap
from cxgap.services.journey_paths import PathsQuery, compute_paths_report
from cxgap.services.journeys import create_persona
from cxgap.services.retention_pages import compute_pages
from cxgap.services.retention_pages_settings import settings_from_query
from cxgap.services.workspaces import get_workspace
from tests.web.conftest import csrf_of
from tests.web.test_event_import_page import _setup

KINDS = {
    event_imports.EVENT_IMPORT: event_imports.KIND,
    warming.WARM_PAGES: warming.KIND,
}


def _log(customers: int = 60) -> str:
    """Customers who visit, call and buy (some again), as a process-mining file."""
    rng = random.Random(14)
    rows = ["case:concept:name,concept:name,time:timestamp,case:channel,amount"]
    start = datetime(2024, 1, 8, 9, tzinfo=UTC)
    for n in range(customers):
        at = start + timedelta(days=rng.randrange(200))
        for _ in range(rng.randint(1, 4)):
            for step, channel in rng.sample([("Call centre", "phone"), ("Visit", "web")], 2):
                rows.append(f"c{n},{step},{at:%Y-%m-%dT%H:%M:%S},{channel},")
                at += timedelta(hours=rng.randrange(1, 30))
            amount = round(rng.uniform(20, 200), 2)
            rows.append(f"c{n},Payment page,{at:%Y-%m-%dT%H:%M:%S},web,{amount}")
            at += timedelta(days=rng.randrange(10, 90))
    return "\n".join(rows) + "\n"


def _work(cx: Cxgap) -> list[str]:
    """Run the queued jobs of these kinds as a worker would; the kinds run, in order."""
    context = JobContext.for_app(cx, kinds=KINDS)
    ran: list[str] = []
    while (job_id := Worker(context).run_once()) is not None:
        with cx.reading() as session:
            ran.append(session.get(Job, job_id).kind)  # type: ignore[union-attr]
    return ran


def _without(payload: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k not in keys}


def test_after_an_import_the_pages_read_what_the_job_stored(
    cx: Cxgap, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _setup(cx, client)
    token = csrf_of(client.get("/w/acme/events/import").text)
    response = client.post(
        "/w/acme/events/import",
        data={"csrf_token": token, "preset": "process-mining"},
        files={"file": ("journeys.csv", _log().encode(), "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert _work(cx) == ["event_import", "warm_pages"]  # queued by the import, run after it
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        stored = {row.params: row.payload for row in session.scalars(select(ResultsCache))}
        # What the job stored is what a computation made now gives.
        paths = [p for name, p in stored.items() if name.startswith("paths:")]
        assert len(paths) == 2  # the paths page, and the journey map of "buy"
        fresh = compute_paths_report(session, workspace, PathsQuery())
        assert any(
            _without(p, "stamp", "computed_at") == _without(fresh, "computed_at") for p in paths
        )
        figures = next(p for name, p in stored.items() if not name.startswith("paths:"))
        now = compute_pages(session, workspace, settings_from_query({}))
        assert figures["retention"]["customers"] == 60
        assert _without(figures, "computed_at", "fingerprint") == _without(now, "computed_at")

    def computing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the page computed its report instead of reading the cache")

    monkeypatch.setattr(journey_paths, "compute_paths_report", computing)
    monkeypatch.setattr(retention_pages, "compute_pages", computing)
    for url in ("/w/acme/paths", "/w/acme/journeys/buy", "/w/acme/retention", "/w/acme/value"):
        page = client.get(url + "?lang=fr")
        assert page.status_code == 200, url
    assert "Rétention" in client.get("/w/acme/retention?lang=fr").text
    # A new mapping changes the paths: the form queues the job again, which computes them.
    monkeypatch.undo()
    form = {"csrf_token": token, "activity": ["Call centre"], "touchpoint": ["call-centre"]}
    assert client.post("/w/acme/events/mapping", data=form).status_code == 200
    assert _work(cx) == ["warm_pages"]


def test_the_paths_page_under_each_persona_is_warmed_too(
    cx: Cxgap, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _setup(cx, client)
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        create_persona(session, workspace=workspace, persona=Persona("zoe", "Zoé Martin"))
    token = csrf_of(client.get("/w/acme/events/import").text)
    response = client.post(
        "/w/acme/events/import",
        data={"csrf_token": token, "preset": "process-mining"},
        files={"file": ("journeys.csv", _log(20).encode(), "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert _work(cx) == ["event_import", "warm_pages"]
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        stored = [
            row.payload
            for row in session.scalars(select(ResultsCache))
            if row.params.startswith("paths:")
        ]
        assert len(stored) == 3  # the paths page, the map of "buy", the persona "zoe"
        fresh = compute_paths_report(session, workspace, PathsQuery(persona="zoe"))
        assert any(
            _without(p, "stamp", "computed_at") == _without(fresh, "computed_at") for p in stored
        )

    def computing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the page computed its report instead of reading the cache")

    monkeypatch.setattr(journey_paths, "compute_paths_report", computing)
    for lang in ("en", "fr"):
        assert client.get(f"/w/acme/paths?persona=zoe&lang={lang}").status_code == 200
