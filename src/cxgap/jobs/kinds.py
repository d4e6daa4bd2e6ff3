"""What a kind of job is: a name, the function that runs one, and how it is retried.

Every piece of background work is a job of some kind, run by the same workers: the function
receives a :class:`JobRun` (the payload, the database, a way to report progress that also
renews the lease and notices a cancel request) and returns the job's result, stored on its row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from cxgap.errors import JobCancelled, StopRequested
from cxgap.jobs.store import Lease, cancel_requested, renew

if TYPE_CHECKING:
    from cxgap.jobs.runner import JobContext

JobProgressCallback = Callable[[int, int], None]
"""(units done in this job, units in the job) after each step."""


@dataclass
class JobRun:
    """One claimed job being run: what its function needs and may report."""

    context: JobContext
    lease: Lease
    payload: Mapping[str, object]
    done: int = 0
    total: int = 0
    listener: JobProgressCallback | None = field(default=None, repr=False)
    # The lease before the last renewal made in a caller's transaction: if that transaction
    # rolled back (the step failed after reporting), this one is still the row's.
    rolled_back_lease: Lease | None = field(default=None, repr=False)
    # Run, in order, once the job is stored as done (e.g. queue the work that follows it).
    after_done: list[Callable[[], None]] = field(default_factory=list, repr=False)

    @property
    def job_id(self) -> int:
        return self.lease.job_id

    @property
    def workspace_id(self) -> int | None:
        return self.lease.workspace_id

    def progress(
        self,
        done: int,
        total: int | None = None,
        *,
        session: Session | None = None,
        stage: str | None = None,
        details: Mapping[str, object] | None = None,
    ) -> None:
        """Record how far the job has got, renewing its lease. Given ``session``, in that
        session's transaction (so the progress never claims more than is stored); else in a
        transaction of its own. ``details``: live figures a page shows while the job runs
        (kept in the job's ``result`` until the job's own result replaces them). Raises
        :class:`JobCancelled` when a cancel was asked for and ``JobTakenOver`` when another
        worker resumed the job."""
        values: dict[str, object] = {"done": done}
        if total is not None:
            values["total"] = total
        if stage is not None:
            values["stage"] = stage[:64]
        if details is not None:
            values["result"] = dict(details)
        if session is None:
            with self.context.sessions() as own, own.begin():
                self._renew(own, values)
            self.rolled_back_lease = None
        else:
            before = self.lease
            self._renew(session, values)
            self.rolled_back_lease = before
        advanced, self.done = done > self.done, done
        if total is not None:
            self.total = total
        if advanced and self.listener is not None:
            self.listener(self.done, self.total)

    def _renew(self, session: Session, values: dict[str, object]) -> None:
        if cancel_requested(session, self.lease.job_id):
            raise JobCancelled(f"Job {self.lease.job_id} was cancelled")
        self.lease = renew(session, self.lease, **values)

    def check(self) -> None:
        """Between steps: stop if the worker is shutting down."""
        if self.context.stop.is_set():
            raise StopRequested(f"Job {self.lease.job_id} stopped: the worker is shutting down")

    @property
    def stopping(self) -> bool:
        return self.context.stop.is_set()


@dataclass(frozen=True)
class JobKind:
    """A kind of background work."""

    name: str
    run: Callable[[JobRun], Mapping[str, object] | None]
    # After a failure the job is queued again after retry_seconds × 2^(attempt-1), as long as
    # it has attempts left (``max_attempts`` is chosen when the job is queued).
    retry_seconds: float = 30.0
