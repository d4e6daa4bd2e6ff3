"""A segment's rule change as a background job (jobs/segment_rules.py), on SQLite and
PostgreSQL with a real worker run through the job runner: the rule saved from the page is
queued and the response returns; until the job is done the pages show the previous figures
with a notice (English and French, the segments page and Listening under the segment or a
persona of it); after it, the members are the rule evaluated row by row and every Listening
count equals a full rebuild. A second change while one waits supersedes it; one asked while
a job runs runs after it; a job killed mid-way leaves the previous membership and counts
whole and is resumed.

(A job running when a newer change of its segment comes finishes and the newer one runs
after it; one that had not begun its transaction then does nothing: the newest wins.)"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from cxgap.analytics.segment_rules import evaluate, parse_rule
from cxgap.db import listening_segments
from cxgap.db.tables import Feedback, Job, PersonaRow, Segment, SegmentMember, utcnow
from cxgap.jobs import SEGMENT_RULE, change_segment_rule
from cxgap.jobs.runner import JobContext, run_job
from cxgap.jobs.store import claim
from cxgap.jobs.worker import Worker
from cxgap.services.core import Cxgap
from cxgap.services.segments import set_segment_rule
from cxgap.services.workspaces import add_segments, get_workspace
from tests.db.test_listening_counts import _assert_cube_is_rebuild
from tests.db.test_listening_sets import corrected  # noqa: F401 (fixture)
from tests.factories import make_user
from tests.warm_routes import app_for
from tests.web.conftest import csrf_of, log_in

pytestmark = pytest.mark.on_postgresql  # the backend changes the path: jobs

OLD, NEW, NEWER = "nps <= 6", 'nps >= 9 or channel = "web"', 'source = "review"'
NOTICE_EN = "Membership being updated to the new rule"
NOTICE_FR = "Appartenance en cours de mise à jour selon la nouvelle règle"


class Killed(BaseException):
    """The worker's process dying: nothing in the job's code catches it."""


@pytest.fixture
def world(corrected: tuple[Cxgap, int]) -> Iterator[Cxgap]:  # noqa: F811
    """160 enriched feedback items; segment ``detractor`` (``nps <= 6``) with its members
    and counts, a persona standing for it, an analyst."""
    cx, _ = corrected
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        add_segments(session, workspace=workspace, segments=[("detractor", "Det", "Dét")])
        set_segment_rule(session, workspace=workspace, key="detractor", rule=OLD)
        session.add(
            PersonaRow(workspace_id=workspace.id, key="dan", name="Dan", segment_key="detractor")
        )
        make_user(session, "analyst@example.com", workspace=workspace, role="analyst")
    yield cx


@pytest.fixture
def context(world: Cxgap) -> JobContext:
    return JobContext(sessions=world.sessions, data_dir=world.settings.data_dir, stale_seconds=60)


@pytest.fixture
def client(world: Cxgap) -> Iterator[TestClient]:
    with TestClient(app_for(world)) as test_client:  # no worker thread: the test runs it
        log_in(test_client, "analyst@example.com")
        yield test_client


def _save(client: TestClient, rule: str) -> None:
    token = csrf_of(client.get("/w/acme/segments").text)
    form = {"csrf_token": token, "name_en": "Detractors", "name_fr": "Détracteurs", "rule": rule}
    saved = client.post("/w/acme/segments/detractor", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text


def _members(cx: Cxgap) -> set[int]:
    with cx.reading() as session:
        query = (
            select(SegmentMember.feedback_id)
            .join(Segment, Segment.id == SegmentMember.segment_id)
            .where(Segment.key == "detractor")
        )
        return set(session.scalars(query))


def _evaluated(cx: Cxgap, rule: str) -> set[int]:
    """The rule evaluated row by row, in Python (``analytics.segment_rules.evaluate``)."""
    parsed = parse_rule(rule)
    with cx.reading() as session:
        rows = session.execute(
            select(Feedback.id, Feedback.nps, Feedback.channel, Feedback.source_type)
        ).all()
    return {
        i
        for i, nps, channel, source in rows
        if evaluate(parsed, {"nps": nps, "channel": channel, "source": source})
    }


def _rule(cx: Cxgap) -> str | None:
    with cx.reading() as session:
        return session.scalar(select(Segment.rule).where(Segment.key == "detractor"))


def _jobs(cx: Cxgap) -> list[tuple[int, str, Any, Any]]:
    with cx.reading() as session:
        found = session.execute(
            select(Job.id, Job.status, Job.payload, Job.result)
            .where(Job.kind == SEGMENT_RULE)
            .order_by(Job.id)
        )
        return [(i, s, p["rule"], r) for i, s, p, r in found]


def _row(page: str) -> str:
    start = page.index('id="segment-detractor"')
    return html.unescape(page[start : page.index("</tr>", start)])


def _feedback_cell(row: str) -> int:
    return int(row.split('<td class="num">')[1].split("<", 1)[0])


def test_a_saved_rule_is_queued_shown_as_pending_then_applied_by_a_worker(
    world: Cxgap, client: TestClient, context: JobContext
) -> None:
    cx = world
    before = _members(cx)
    assert before == _evaluated(cx, OLD) and 10 < len(before) < 150
    assert _evaluated(cx, NEW) != before
    _save(client, NEW)
    ((job_id, status, rule, _),) = _jobs(cx)
    assert (status, rule) == ("queued", NEW)
    # Until the job is done: the previous rule, members and counts, and the notice.
    assert _rule(cx) == OLD and _members(cx) == before
    _assert_cube_is_rebuild(cx)
    page = html.unescape(client.get("/w/acme/segments").text)
    notice = page[page.index('id="segment-rule-change-detractor"') : page.index("</section>")]
    assert NOTICE_EN in notice and "waiting for a worker" in notice and "Detractors" in notice
    assert f"<code>{NEW}</code>" in notice
    row = _row(page)  # its previous rule and figures, badged with the new rule
    assert "updating to the new rule" in row and f"<code>{NEW}</code>" in row
    assert _feedback_cell(row) == len(before) and f"<code>{OLD}</code>" in row
    assert 'hx-trigger="every 3s"' in row  # the row reloads itself until it is applied
    edit = client.get("/w/acme/segments/detractor?edit=1", headers={"HX-Request": "true"})
    assert f">{NEW}</textarea>" in html.unescape(edit.text)  # saving again keeps the change
    for query in ("segment=detractor", "persona=dan"):
        for page in ("", "/topics", "/trends", "/drivers"):
            shown = html.unescape(client.get(f"/w/acme/listening{page}?{query}").text)
            assert NOTICE_EN in shown and f"<code>{NEW}</code>" in shown, (page, query)
    assert NOTICE_EN not in client.get("/w/acme/listening").text  # no segment: no notice
    assert NOTICE_FR in html.unescape(client.get("/w/acme/segments?lang=fr").text)
    assert NOTICE_FR in html.unescape(client.get("/w/acme/listening?segment=detractor").text)
    client.get("/w/acme/segments?lang=en")
    assert client.get("/w/acme/jobs?kind=segment_rule").status_code == 200

    assert Worker(context).run_once() == job_id
    ((_, status, _, result),) = _jobs(cx)
    assert status == "done" and result is not None
    assert result["applied"] is True and result["members"] == len(_evaluated(cx, NEW))
    assert _rule(cx) == NEW
    assert _members(cx) == _evaluated(cx, NEW)
    _assert_cube_is_rebuild(cx)
    page = client.get("/w/acme/segments").text
    assert NOTICE_EN not in page and _feedback_cell(_row(page)) == len(_evaluated(cx, NEW))
    assert "updating to the new rule" not in page
    assert NOTICE_EN not in client.get("/w/acme/listening?segment=detractor").text
    assert Worker(context).run_once() is None  # nothing left to do


def test_a_bad_rule_stores_nothing_and_queues_nothing(world: Cxgap, client: TestClient) -> None:
    token = csrf_of(client.get("/w/acme/segments").text)
    form = {"csrf_token": token, "name_en": "X", "name_fr": "X", "rule": "nps >> 3"}
    assert client.post("/w/acme/segments/detractor", data=form).status_code == 422
    assert _jobs(world) == [] and _rule(world) == OLD


def test_a_change_while_one_waits_supersedes_it(
    world: Cxgap, client: TestClient, context: JobContext
) -> None:
    cx = world
    _save(client, NEW)
    _save(client, NEWER)
    (first, second) = _jobs(cx)
    assert first[1:] == ("cancelled", NEW, {"superseded_by": second[0]})
    assert second[1:3] == ("queued", NEWER)
    _save(client, NEWER)  # the same rule again: the same job
    assert len(_jobs(cx)) == 2
    page = html.unescape(client.get("/w/acme/segments").text)
    assert f"<code>{NEWER}</code>" in page and f"<code>{NEW}</code>" not in page
    assert Worker(context).run_once() == second[0]
    assert Worker(context).run_once() is None  # the superseded one never runs
    assert _rule(cx) == NEWER and _members(cx) == _evaluated(cx, NEWER)
    _assert_cube_is_rebuild(cx)
    _save(client, NEWER)  # the rule in use: nothing to queue
    assert len(_jobs(cx)) == 2


def test_a_change_while_one_runs_runs_after_it(world: Cxgap, context: JobContext) -> None:
    cx = world
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        _, job = change_segment_rule(session, workspace=workspace, key="detractor", rule=NEW)
        assert job is not None
        first = job.id
    lease = claim(cx.sessions, first, stale_seconds=60)  # a worker takes it…
    assert lease is not None
    with cx.transaction() as session:  # …and another change comes meanwhile
        workspace = get_workspace(session, "acme")
        _, job = change_segment_rule(session, workspace=workspace, key="detractor", rule=NEWER)
        assert job is not None and job.id != first
        second = job.id
    assert Worker(context).run_once() is None  # it waits for the running one
    # The running one had not begun its transaction: the newer change wins, it does nothing.
    assert run_job(context, lease) == "done"
    assert _rule(cx) == OLD and _members(cx) == _evaluated(cx, OLD)
    assert Worker(context).run_once() == second
    assert _rule(cx) == NEWER and _members(cx) == _evaluated(cx, NEWER)
    _assert_cube_is_rebuild(cx)
    (_, status, _, result), (_, newer, _, applied) = _jobs(cx)
    assert (status, result) == ("done", {"superseded": True})
    assert newer == "done" and applied["applied"] is True


def test_a_job_killed_mid_way_leaves_the_previous_figures_and_is_resumed(
    world: Cxgap, client: TestClient, context: JobContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    cx = world
    before = _members(cx)
    _save(client, NEW)
    ((job_id, _, _, _),) = _jobs(cx)
    real = listening_segments.joined

    def dies_moving_the_counts(*args: Any) -> None:
        raise Killed  # members already swapped in the job's transaction, counts not moved

    monkeypatch.setattr(listening_segments, "joined", dies_moving_the_counts)
    with pytest.raises(Killed):
        Worker(context).run_once()
    monkeypatch.setattr(listening_segments, "joined", real)
    ((_, status, _, _),) = _jobs(cx)
    assert status == "running"  # its worker died holding it
    assert _rule(cx) == OLD and _members(cx) == before  # nothing half-applied
    _assert_cube_is_rebuild(cx)
    assert "updating to the new rule" in _row(client.get("/w/acme/segments").text)
    assert Worker(context).run_once() is None  # not stale yet: its worker may be alive
    with cx.transaction() as session:  # time passes: its heartbeat goes stale
        session.execute(update(Job).values(heartbeat_at=utcnow() - timedelta(minutes=10)))
    assert Worker(context).run_once() == job_id
    assert _rule(cx) == NEW and _members(cx) == _evaluated(cx, NEW)
    _assert_cube_is_rebuild(cx)
    ((_, status, _, _),) = _jobs(cx)
    assert status == "done"


def test_while_a_job_runs_pages_read_the_previous_state_and_a_newer_change_waits(
    world: Cxgap, client: TestClient, context: JobContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: the job paused inside its transaction (members swapped, counts not moved
    yet); SQLite's one writer would hold every other write until it commits."""
    cx = world
    if not cx.settings.database_url.startswith("postgresql"):
        pytest.skip("a write beside a running job's transaction needs PostgreSQL")
    before = _members(cx)
    _save(client, NEW)
    ((first, _, _, _),) = _jobs(cx)
    inside, carry_on = threading.Event(), threading.Event()
    real = listening_segments.joined

    def paused(*args: Any) -> None:
        inside.set()
        assert carry_on.wait(60)
        real(*args)

    monkeypatch.setattr(listening_segments, "joined", paused)
    worker = threading.Thread(target=Worker(context).run_once)
    worker.start()
    try:
        assert inside.wait(60)
        # Readers see the previous rule, members and counts whole; the notice says it runs.
        assert _rule(cx) == OLD and _members(cx) == before
        page = html.unescape(client.get("/w/acme/segments").text)
        assert "step 1 of 2" in page or "step 2 of 2" in page
        assert _feedback_cell(_row(page)) == len(before)
        _save(client, NEWER)  # a newer change: queued, it waits for the running one
        assert [status for _, status, _, _ in _jobs(cx)] == ["running", "queued"]
        assert Worker(context).run_once() is None
    finally:
        carry_on.set()
        worker.join(60)
    monkeypatch.setattr(listening_segments, "joined", real)
    assert _rule(cx) == NEW and _members(cx) == _evaluated(cx, NEW)
    _assert_cube_is_rebuild(cx)
    (_, second, *_) = [job_id for job_id, *_ in _jobs(cx)]
    assert Worker(context).run_once() == second
    assert _rule(cx) == NEWER and _members(cx) == _evaluated(cx, NEWER)
    _assert_cube_is_rebuild(cx)
    assert [status for _, status, _, _ in _jobs(cx)] == ["done", "done"] and first < second
