"""Time a segment's rule change on PostgreSQL: the save inline (before: the request rebuilt
the members and Listening counts) against the save that queues the ``segment_rule`` job
(after), and the job itself run by a worker through the job runner.

The base is ``bench.pg_base``'s (``BENCH_SEG_JOB_ROWS`` items, 200,000 by default, database
``cxgap_bench_<rows>``, built once and reused); segment ``pro_buyer`` switches between its
rule and one matching about a third of the items, so every change moves many members.
Before and after alternate, each ``ROUNDS`` times, the load average printed with each.
Then the save as a browser sends it (``POST /w/bench/segments/pro_buyer``, a superuser
signed in, the app without its worker thread), its job run after each.

``python -m bench.segment_rule_job``; ``BENCH_SEG_JOB_DIR`` is the data folder.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from bench.pg_base import RULE, ensure_base, open_base
from cxgap.db.segment_members import member_counts
from cxgap.db.tables import Job, Segment
from cxgap.errors import NotFoundError
from cxgap.jobs import change_segment_rule
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services import accounts
from cxgap.services.core import Cxgap
from cxgap.services.segments import set_segment_rule
from cxgap.services.workspaces import get_workspace
from cxgap.web.app import create_app

ROWS = int(os.environ.get("BENCH_SEG_JOB_ROWS", "200000"))
DATA = Path(os.environ.get("BENCH_SEG_JOB_DIR", "/tmp/cxgap-bench-segment-rule-job"))
OTHER = 'nps <= 6 or channel = "web"'  # about a third of the items or more
ROUNDS = 2
SEGMENT = "pro_buyer"
EMAIL, PASSWORD = "bench-segment-rule@example.com", "bench-segment-rule-only"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def _members(cx: Cxgap) -> int:
    with cx.reading() as session:
        workspace = get_workspace(session, "bench")
        segment_id = session.scalar(
            select(Segment.id).where(Segment.workspace_id == workspace.id, Segment.key == SEGMENT)
        )
        assert segment_id is not None
        return member_counts(session, [segment_id])[segment_id]


def inline(cx: Cxgap, rule: str) -> float:
    """The save as it was: the rule stored and its members and counts rebuilt, committed."""
    started = time.perf_counter()
    with cx.transaction() as session:
        workspace = get_workspace(session, "bench")
        set_segment_rule(session, workspace=workspace, key=SEGMENT, rule=rule)
    return time.perf_counter() - started


def queued(cx: Cxgap, rule: str) -> tuple[float, int]:
    """The save now: the rule validated and its job queued, committed; the job's id."""
    started = time.perf_counter()
    with cx.transaction() as session:
        workspace = get_workspace(session, "bench")
        _, job = change_segment_rule(session, workspace=workspace, key=SEGMENT, rule=rule)
        assert job is not None
        job_id = job.id
    return time.perf_counter() - started, job_id


def run_job(cx: Cxgap, job_id: int) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    assert Worker(JobContext.for_app(cx)).run_job_id(job_id)
    wall = time.perf_counter() - started
    with cx.reading() as session:
        job = session.get_one(Job, job_id)
        assert job.status == "done", (job.status, job.error)
        return wall, dict(job.result or {})


def signed_in(cx: Cxgap, client: TestClient) -> None:
    with cx.transaction() as session:
        try:
            accounts.get_user(session, email=EMAIL)
        except NotFoundError:
            accounts.create_user(session, email=EMAIL, password=PASSWORD, is_superuser=True)
    token = _csrf(client.get("/login").text)
    form = {"email": EMAIL, "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303


def _csrf(page: str) -> str:
    found = CSRF.search(page)
    assert found is not None, "no CSRF token"
    return found.group(1)


def web_save(cx: Cxgap, client: TestClient, rule: str) -> tuple[float, int]:
    """The save request the segments page sends (htmx), timed; the job it queued."""
    token = _csrf(client.get("/w/bench/segments").text)
    form = {"csrf_token": token, "name_en": "Pro", "name_fr": "Pro", "rule": rule}
    started = time.perf_counter()
    answer = client.post(f"/w/bench/segments/{SEGMENT}", data=form, headers={"HX-Request": "true"})
    wall = time.perf_counter() - started
    assert answer.status_code == 200, answer.text[:300]
    with cx.reading() as session:
        job_id = session.scalar(select(Job.id).order_by(Job.id.desc()).limit(1))
    assert job_id is not None
    return wall, job_id


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    ensure_base(ROWS, DATA)
    cx = open_base(ROWS, DATA)
    try:
        print(f"segment rule change, {ROWS:,} items, PostgreSQL, segment {SEGMENT}")
        for round_ in range(ROUNDS):
            for rule in (OTHER, RULE):
                before = inline(cx, rule)
                print(
                    f"  round {round_ + 1} before (inline save) -> {rule!r}: {before:.2f} s, "
                    f"{_members(cx):,} members ({_load()})"
                )
            for rule in (OTHER, RULE):
                save, job_id = queued(cx, rule)
                said = f"{save * 1000:.1f} ms ({_load()})"
                print(f"  round {round_ + 1} after (save queues) -> {rule!r}: {said}")
                wall, result = run_job(cx, job_id)
                print(
                    f"  round {round_ + 1} after: job {job_id} {wall:.2f} s "
                    f"(in its transaction {result.get('seconds')} s), "
                    f"{result.get('members'):,} members ({_load()})"
                )
        with TestClient(create_app(cx=cx)) as client:
            signed_in(cx, client)
            for round_ in range(ROUNDS):
                for rule in (OTHER, RULE):
                    save, job_id = web_save(cx, client, rule)
                    said = f"{save * 1000:.0f} ms ({_load()})"
                    print(f"  round {round_ + 1} after, POST (htmx) -> {rule!r}: {said}")
                    wall, _ = run_job(cx, job_id)
                    print(f"  round {round_ + 1} after: job {job_id} {wall:.2f} s ({_load()})")
    finally:
        cx.dispose()


if __name__ == "__main__":
    main()
