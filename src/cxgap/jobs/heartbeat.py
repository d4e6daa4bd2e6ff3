"""Heartbeats written from a thread while one long step of a job computes in its own
transaction: a step longer than the stale delay is not taken for a dead worker's.

The step's transaction must not touch the job's row (the beats write it from another
connection). On SQLite a beat waits for the step's write lock and may give up (logged, the
next beat tries again): a job there shows its progress once the step commits.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cxgap.errors import JobCancelled, JobTakenOver
from cxgap.jobs.kinds import JobRun

log = logging.getLogger(__name__)


@dataclass
class Position:
    """Where the step is, as the beats write it (set by the step's thread)."""

    done: int = 0
    stage: str | None = None


@contextmanager
def beating(run: JobRun, position: Position | None = None) -> Iterator[None]:
    """Heartbeats (with ``position``'s progress and stage when given) every third of the
    stale delay, in transactions of their own, while the block runs. A cancel asked for, or
    the job taken over, stops the step after it (raised when the block ends)."""
    stop, failed = threading.Event(), []
    every = max(0.2, run.context.stale_seconds / 3)

    def beat() -> None:
        if position is None:
            run.progress(run.done)
        else:
            run.progress(position.done, stage=position.stage)

    def beat_every() -> None:
        while not stop.wait(every):
            try:
                beat()
            except (JobCancelled, JobTakenOver) as exc:  # raised after the step
                failed.append(exc)
                return
            except Exception:  # e.g. SQLite's writer busy: the next beat tries again
                log.warning("Job %s: a heartbeat was not written", run.job_id, exc_info=True)

    thread = threading.Thread(target=beat_every, name=f"job-{run.job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
    if not failed:  # one beat more, now: a cancel asked for since the thread's last beat
        try:
            beat()
        except (JobCancelled, JobTakenOver) as exc:
            failed.append(exc)
        except Exception:  # as in the thread: the next step's beats try again
            log.warning("Job %s: a heartbeat was not written", run.job_id, exc_info=True)
    if failed:
        raise failed[0]
