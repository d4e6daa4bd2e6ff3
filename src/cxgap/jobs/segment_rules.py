"""The ``segment_rule`` job: a segment's new rule applied (its members and their Listening
counts rebuilt) in the background, not in the request or command that saved it (150 s at
1 M items on PostgreSQL).

Saving a rule validates it (a bad rule raises ``SegmentRuleError`` and nothing is stored)
and queues one job per change, the rule asked for in its payload. Until the job is done the
segment's row keeps the rule in use, so every screen, filter and count (feedback members,
survey answers, Listening counts, overlay) keeps reading the previous membership, consistent
with itself; the segments page and Listening under that segment say that the membership is
being updated (:func:`rule_changes`). A second change of the same segment while a job waits
replaces it (the waiting one is cancelled, ``superseded_by`` the new one); while one runs, the
new one waits for it (the jobs of a segment are exclusive). The newest change wins: a job
with a newer job of its segment queued, running or done does nothing.

The job applies the rule in one transaction (``services.segments.apply_segment_rule``): the
rule stored on the segment, its members swapped, its counts moved, the workspace's revision
bumped, all or nothing. A job killed part-way leaves nothing behind and is run again by the
next worker (three attempts); one whose rule is already applied does nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cxgap.analytics.segment_rules import Rule, parse_rule
from cxgap.db.segment_members import member_counts
from cxgap.db.tables import Job, PersonaRow, Segment, Workspace, utcnow
from cxgap.errors import ConfigError, NotFoundError
from cxgap.jobs.heartbeat import Position, beating
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.jobs.progress import JobProgress, job_progress
from cxgap.jobs.worker import submit
from cxgap.services import segments

SEGMENT_RULE = "segment_rule"
STEPS = ("members", "counts")  # a rebuild's steps, as ``segment_members.rebuild`` names them
SHOWN = ("queued", "running", "failed")


def exclusive_key(segment_id: int) -> str:
    return f"{SEGMENT_RULE}:{segment_id}"


@dataclass(frozen=True)
class RuleChange:
    """A segment's rule change not applied yet: waiting, running, or failed."""

    segment_key: str
    rule: str | None  # as stored; None: the default, ``segment = "<key>"``
    progress: JobProgress

    @property
    def job_id(self) -> int:
        return self.progress.id

    @property
    def step(self) -> int:
        """The step the job is at (1-based, of ``len(STEPS)``)."""
        stage = self.progress.stage
        return STEPS.index(stage) + 1 if stage in STEPS else 1


def save_segment(
    session: Session,
    *,
    workspace: Workspace,
    key: str,
    name_en: str,
    name_fr: str,
    rule: str | None,
    requested_by_id: int | None = None,
) -> Job | None:
    """Rename segment ``key`` now and queue its new rule (``services.segments.update_segment``
    validates everything first: a refused form stores nothing and queues nothing). The job,
    or None when the rule is the one it has or will have."""
    row = segments.update_segment(
        session,
        workspace=workspace,
        key=key,
        name_en=name_en,
        name_fr=name_fr,
        rule=rule,
        apply_rule=False,
    )
    return request_rule(
        session, row, segments.normalise_rule(rule), requested_by_id=requested_by_id
    )


def change_segment_rule(
    session: Session,
    *,
    workspace: Workspace,
    key: str,
    rule: str | None,
    requested_by_id: int | None = None,
) -> tuple[Rule | None, Job | None]:
    """Queue the rule (None or blank: the default) of segment ``key``; the rule parsed (a
    bad one raises ``SegmentRuleError`` before anything is queued) and the job, or None."""
    parsed = parse_rule(rule) if rule and rule.strip() else None
    row = _segment(session, workspace, key)
    text = None if parsed is None else parsed.text
    return parsed, request_rule(session, row, text, requested_by_id=requested_by_id)


def request_rule(
    session: Session, segment: Segment, rule: str | None, *, requested_by_id: int | None = None
) -> Job | None:
    """Queue the change of ``segment``'s rule to ``rule`` (stored text): the job that will
    apply it, the one already asked for, or None when the segment has it and nothing else
    is pending. A job waiting for another rule is superseded."""
    active = list(
        session.scalars(
            select(Job)
            .where(
                Job.exclusive == exclusive_key(segment.id),
                Job.status.in_(("queued", "running")),
                Job.cancel_requested.is_(False),
            )
            .order_by(Job.id)
        )
    )
    if active and _rule_of(active[-1]) == rule:
        return active[-1]
    if not active and segment.rule == rule and not _failed_last(session, segment.id):
        return None
    job = submit(
        session,
        SEGMENT_RULE,
        workspace_id=segment.workspace_id,
        payload={"segment_id": segment.id, "segment": segment.key, "rule": rule},
        exclusive=exclusive_key(segment.id),
        max_attempts=3,
        requested_by_id=requested_by_id,
    )
    for waiting in active:
        # Conditional: a job a worker claimed meanwhile runs, and this one after it.
        session.execute(
            update(Job)
            .where(Job.id == waiting.id, Job.status == "queued")
            .values(
                status="cancelled",
                cancel_requested=True,
                finished_at=utcnow(),
                result={"superseded_by": job.id},
            )
            .execution_options(synchronize_session=False)
        )
    return job


def rule_changes(
    session: Session, workspace: Workspace, *, stale_seconds: int = 120
) -> dict[str, RuleChange]:
    """The segments of the workspace whose newest rule change is not applied yet (waiting,
    running, or failed), by segment key: what the screens say while the previous
    membership stays in use."""
    found = session.scalars(
        select(Job)
        .where(Job.workspace_id == workspace.id, Job.kind == SEGMENT_RULE, Job.status.in_(SHOWN))
        .order_by(Job.id)
    )
    newest: dict[str, Job] = {}
    for job in found:
        if job.exclusive is not None and not job.cancel_requested:
            newest[job.exclusive] = job
    changes = {}
    for job in newest.values():
        if job.status == "failed" and _newer(session, job):
            continue
        key = str((job.payload or {}).get("segment", ""))
        changes[key] = RuleChange(
            key, _rule_of(job), job_progress(job, stale_seconds=stale_seconds)
        )
    return changes


def rule_change_of(
    session: Session, workspace: Workspace, segment_key: str | None, *, stale_seconds: int = 120
) -> RuleChange | None:
    """The pending change of one segment (None: none, or no segment)."""
    if not segment_key:
        return None
    return rule_changes(session, workspace, stale_seconds=stale_seconds).get(segment_key)


def persona_segment(session: Session, workspace: Workspace, persona: str | None) -> str | None:
    """The segment a persona stands for (None: none, or no persona)."""
    if not persona:
        return None
    return session.scalar(
        select(PersonaRow.segment_key).where(
            PersonaRow.workspace_id == workspace.id, PersonaRow.key == persona
        )
    )


def run_segment_rule(run: JobRun) -> dict[str, object]:
    """Apply the payload's rule in one transaction, with heartbeats from a thread."""
    segment_id = run.payload.get("segment_id")
    if not isinstance(segment_id, int):
        raise ConfigError(f"Job {run.job_id} ({run.lease.kind}) names no segment")
    rule = run.payload.get("rule")
    rule = rule if isinstance(rule, str) else None
    run.progress(0, len(STEPS), stage=STEPS[0])
    position = Position(0, STEPS[0])

    def step(name: str) -> None:
        position.done, position.stage = STEPS.index(name), name

    started = time.perf_counter()
    with beating(run, position), run.context.sessions() as session, session.begin():
        segment = session.get(Segment, segment_id)
        if segment is None:
            return {"segment_gone": True}
        if _superseded(session, run.job_id, segment_id):
            return {"superseded": True}
        applied = segments.apply_segment_rule(session, segment=segment, rule=rule, on_step=step)
        members = member_counts(session, [segment_id])[segment_id]
    return {
        "applied": applied,
        "members": members,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _rule_of(job: Job) -> str | None:
    rule = (job.payload or {}).get("rule")
    return rule if isinstance(rule, str) else None


def _superseded(session: Session, job_id: int, segment_id: int) -> bool:
    """A newer change of the segment is queued, running or done: it wins."""
    newer = select(Job.id).where(
        Job.exclusive == exclusive_key(segment_id),
        Job.id > job_id,
        Job.status.in_(("queued", "running", "done")),
        Job.cancel_requested.is_(False),
    )
    return session.scalar(newer.limit(1)) is not None


def _newer(session: Session, job: Job) -> bool:
    """A later job of the same segment exists (any status): a failed one is history."""
    later = select(Job.id).where(Job.exclusive == job.exclusive, Job.id > job.id)
    return session.scalar(later.limit(1)) is not None


def _failed_last(session: Session, segment_id: int) -> bool:
    last = session.scalar(
        select(Job.status)
        .where(Job.exclusive == exclusive_key(segment_id))
        .order_by(Job.id.desc())
        .limit(1)
    )
    return last == "failed"


def _segment(session: Session, workspace: Workspace, key: str) -> Segment:
    row = session.scalar(
        select(Segment).where(Segment.workspace_id == workspace.id, Segment.key == key)
    )
    if row is None:
        raise NotFoundError(f"No segment {key!r} in workspace {workspace.key!r}")
    return row


KIND = JobKind(SEGMENT_RULE, run_segment_rule, retry_seconds=10.0)
