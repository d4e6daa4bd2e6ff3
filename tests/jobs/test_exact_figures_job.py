"""The ``exact_figures`` job (jobs/exact_figures.py, services.listening_exact): the exact
figures of a broad search's four Listening pages, computed in the background and stored;
equal to those the services compute directly, every match read; asked again, the same job
or nothing; stale once the data changes; resumed after a kill with the pages not stored;
failed with the reason."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from cxgap.db.tables import Job, utcnow
from cxgap.jobs import EXACT_FIGURES, request_exact_figures
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services import listening_exact
from cxgap.services.core import Cxgap
from cxgap.services.listening import explore, parse_filters
from cxgap.services.listening_exact import ExplorerFigures, Target, exact_filters, stored
from cxgap.services.listening_insights import drivers_view, topics_view, trends_view
from cxgap.services.view_codec import decode, encode
from cxgap.services.workspaces import bump_revision, get_workspace
from tests.listening_factories import enrich, random_verbatim
from tests.services.test_search_estimate import _matching, large  # noqa: F401 (fixture)

FIRST = Target("trends", grain="week", min_group_size=5)


class Killed(BaseException):
    """The worker's process dying: nothing in the job's code catches it."""


@pytest.fixture
def asked(large: Cxgap) -> Iterator[tuple[Cxgap, int]]:  # noqa: F811
    """The exact figures of ``delivery`` asked for from the trends page (by week)."""
    with large.transaction() as session:
        workspace = get_workspace(session, "acme")
        filters = exact_filters(session, workspace, parse_filters({"q": "delivery"}))
        job = request_exact_figures(session, workspace, filters, FIRST)
        assert job is not None
        job_id = job.id
    yield large, job_id


def _filters(session: Any) -> Any:
    workspace = get_workspace(session, "acme")
    return workspace, exact_filters(session, workspace, parse_filters({"q": "delivery"}))


def test_the_job_stores_the_exact_figures_the_services_compute(
    asked: tuple[Cxgap, int], context: JobContext
) -> None:
    cx, job_id = asked
    assert Worker(context).run_once() == job_id
    want = _matching(cx, "delivery")
    with cx.reading() as session:
        job = session.get_one(Job, job_id)
        assert (job.kind, job.status, job.done, job.total) == (EXACT_FIGURES, "done", 4, 4)
        assert job.result == {"pages": 4, "computed": 4, "matches": want}
        assert job.payload["targets"][0] == FIRST.as_dict()  # the page asked from first
        workspace, filters = _filters(session)
        whole = replace(parse_filters({"q": "delivery"}), exact=True)
        page = explore(session, workspace, whole)
        direct = {
            "explorer": ExplorerFigures(page.total, page.facets),
            "topics": topics_view(session, workspace, whole),
            "trends": trends_view(session, workspace, whole, grain="week", min_group_size=5),
            "drivers": drivers_view(session, workspace, whole, level="topic", min_group_size=5),
        }
        for target in listening_exact.targets_for(FIRST):
            found = stored(session, workspace, target, filters)
            assert found is not None and found.job_id == job_id, target
            assert found.view == direct[target.page], target
            assert getattr(found.view, "estimate", None) is None
        assert page.total == want and page.estimate is None
        # Asked again while current: nothing to compute.
        assert request_exact_figures(session, workspace, filters, Target("topics")) is None
        # Another grain of the trends page is other figures: not stored yet.
        month = Target("trends", grain="month", min_group_size=5)
        assert stored(session, workspace, month, filters) is None


def test_the_stored_figures_go_stale_when_the_data_changes(
    asked: tuple[Cxgap, int], context: JobContext
) -> None:
    cx, job_id = asked
    assert Worker(context).run_once() == job_id
    target = Target("explorer", min_group_size=5)
    with cx.transaction() as session:
        workspace, filters = _filters(session)
        assert stored(session, workspace, target, filters) is not None
        bump_revision(session, workspace.id)  # an import, an answer, a segment changed
    with cx.transaction() as session:
        workspace, filters = _filters(session)
        assert stored(session, workspace, target, filters) is None
        again = request_exact_figures(session, workspace, filters, target)
        assert again is not None and again.id != job_id
        again_id = again.id
    assert Worker(context).run_once() == again_id
    with cx.transaction() as session:
        workspace, filters = _filters(session)
        assert stored(session, workspace, target, filters) is not None
        # An enrichment moves no data revision: the stamp sees it.
        enrich(session, workspace, random_verbatim(random.Random(99)), counts=True)
    with cx.reading() as session:
        workspace, filters = _filters(session)
        assert stored(session, workspace, target, filters) is None


def test_asking_twice_while_it_waits_is_one_job(large: Cxgap) -> None:  # noqa: F811
    with large.transaction() as session:
        workspace = get_workspace(session, "acme")
        filters = exact_filters(session, workspace, parse_filters({"q": "delivery"}))
        first = request_exact_figures(session, workspace, filters, Target("topics"))
        again = request_exact_figures(session, workspace, filters, Target("explorer"))
        # (a job's trends and drivers take the minimum group size of the page asked from)
        assert first is not None and again is not None and again.id == first.id
        other = exact_filters(
            session, workspace, parse_filters({"q": "delivery", "source": "survey"})
        )
        elsewhere = request_exact_figures(session, workspace, other, Target("topics"))
        assert elsewhere is not None and elsewhere.id != first.id
        # The week's trends are not among the first job's pages: a job of their own.
        week = Target("trends", grain="week", min_group_size=5)
        weekly = request_exact_figures(session, workspace, filters, week)
        assert weekly is not None and weekly.id not in (first.id, elsewhere.id)


def test_a_killed_job_resumes_with_the_pages_not_stored(
    asked: tuple[Cxgap, int], context: JobContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    cx, job_id = asked
    real = listening_exact.compute
    calls: list[str] = []

    def dies_on_the_third(*args: Any) -> Any:
        calls.append(args[2].page)
        if len(calls) == 3:
            raise Killed
        return real(*args)

    monkeypatch.setattr(listening_exact, "compute", dies_on_the_third)
    with pytest.raises(Killed):
        Worker(context).run_once()
    with cx.reading() as session:
        job = session.get_one(Job, job_id)
        assert (job.status, job.done, job.total) == ("running", 2, 4)
        assert job.result == {"ready": ["trends:week:5", "explorer"]}
    with cx.transaction() as session:  # time passes: its heartbeat goes stale
        session.execute(update(Job).values(heartbeat_at=utcnow() - timedelta(minutes=10)))
    calls.clear()
    assert Worker(context).run_once() == job_id
    assert calls == ["topics", "drivers"]  # the two stored are not computed again
    with cx.reading() as session:
        job = session.get_one(Job, job_id)
        assert job.status == "done"
        assert job.result == {"pages": 4, "computed": 2, "matches": _matching(cx, "delivery")}


def test_a_long_step_keeps_its_heartbeat_and_hears_a_cancel(
    asked: tuple[Cxgap, int], context: JobContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page's step at 10 M may outlast the stale delay: its heartbeats go on meanwhile (so
    no other worker takes the job over), and a cancel asked for during it ends the job after
    it, nothing of the step stored."""
    cx, job_id = asked
    context.stale_seconds = 1  # a beat every third of a second
    real, beats = listening_exact.compute, []

    def slow(*args: Any) -> Any:
        with cx.reading() as session:
            before = session.get_one(Job, job_id).heartbeat_at
        time.sleep(1.5)
        with cx.reading() as session:
            beats.append((before, session.get_one(Job, job_id).heartbeat_at))
        with cx.transaction() as session:
            session.execute(update(Job).values(cancel_requested=True))
        return real(*args)

    monkeypatch.setattr(listening_exact, "compute", slow)
    assert Worker(context).run_once() == job_id
    assert len(beats) == 1 and beats[0][0] is not None and beats[0][1] > beats[0][0]
    with cx.reading() as session:
        job = session.get_one(Job, job_id)
        assert (job.status, job.done) == ("cancelled", 0)
        workspace, filters = _filters(session)
        assert stored(session, workspace, FIRST, filters) is None


def test_a_failed_job_says_why(
    asked: tuple[Cxgap, int], context: JobContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    cx, job_id = asked

    def fails(*args: Any) -> Any:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(listening_exact, "compute", fails)
    for _ in range(2):  # two attempts
        with cx.transaction() as session:
            session.execute(update(Job).values(run_after=None))
        assert Worker(context).run_once() == job_id
    with cx.reading() as session:
        job = session.get_one(Job, job_id)
        assert job.status == "failed" and "the database went away" in job.error
        assert job.attempts == 2


def test_views_go_to_json_and_back_unchanged(large: Cxgap) -> None:  # noqa: F811
    """The codec's round trip on the four views as the services compute them (estimated or
    not), dates, intervals, NaN and all."""
    with large.reading() as session:
        workspace = get_workspace(session, "acme")
        for filters in (parse_filters({"q": "delivery"}), parse_filters({})):
            views = [
                explore(session, workspace, filters),
                topics_view(session, workspace, filters),
                trends_view(session, workspace, filters, grain="month", min_group_size=5),
                drivers_view(session, workspace, filters, level="pillar", min_group_size=5),
            ]
            for view in views:
                assert decode(type(view), encode(view)) == view
    assert str(decode(float, encode(float("nan")))) == "nan"
    with pytest.raises(ValueError, match="fits none"):
        decode(int | None, "x")
