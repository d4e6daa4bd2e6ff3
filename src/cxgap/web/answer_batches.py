"""Survey answers that arrive together are committed together, one transaction per batch.

Under load, an answer's commit and its turn at the database's write gate (SQLite: a thread
lock and a file lock; PostgreSQL: a WAL flush) cost as much CPU as its statements. Each
web process has one writer on SQLite (``WRITERS_POSTGRESQL`` on PostgreSQL): an answer that
finds one idle is stored at once, alone (the short path as before); the answers that arrive
while every writer is in a transaction wait for the first to end and are then stored
together in its next one, up to ``MOST_PER_BATCH``. So an idle server adds no delay, and a
busy one pays for one commit per batch.

Nothing changes for the respondent: an answer is acknowledged (303) only once the
transaction that holds it is committed; an answer the short path does not take (a problem
in the form, a client at its limit…) wrote nothing and goes to the route, as before. The
batch's reads and validation all run before its first write, so the write gate is held
only for the writes and the commit. An answer key already stored makes the database refuse
the batch (the unique key): it is rolled back whole and each of its answers is stored alone,
in its own transaction, as if it had come alone. A database that fails fails the batch:
each of its answers is told "nothing was saved" (503).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool

from cxgap.jobs import enqueue_enrichment
from cxgap.services import public_answers
from cxgap.services.core import Cxgap

MOST_PER_BATCH = 64
WRITERS_POSTGRESQL = 4


@dataclass
class _Queue:
    """The answers waiting for the next transaction, and the task writing them."""

    waiting: list[tuple[public_answers.NewAnswer, asyncio.Future[bool]]] = field(
        default_factory=list
    )
    writing: set[asyncio.Task[None]] = field(default_factory=set)


class AnswerWriter:
    """The writer of one web process (its event loop hands it the answers)."""

    def __init__(self, cx: Callable[[], Cxgap], most: int = MOST_PER_BATCH) -> None:
        self.cx, self.most = cx, most
        # Per event loop (a served process has one; a test client may run several).
        self._queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Queue] = (
            weakref.WeakKeyDictionary()
        )

    async def store(self, answer: public_answers.NewAnswer) -> bool:
        """Stored and committed (True), or nothing written (False: the route takes it)."""
        loop = asyncio.get_running_loop()
        queue = self._queues.setdefault(loop, _Queue())
        done: asyncio.Future[bool] = loop.create_future()
        queue.waiting.append((answer, done))
        if len(queue.writing) < self._writers():
            queue.writing.add(loop.create_task(self._write_all(queue)))
        return await done

    def _writers(self) -> int:
        """Transactions in flight per process: SQLite takes one writer at a time anyway;
        PostgreSQL takes several, and a round trip to the database server waits for that
        process to be scheduled: more than one keeps its answers flowing."""
        return 1 if self.cx().engine.dialect.name == "sqlite" else WRITERS_POSTGRESQL

    async def _write_all(self, queue: _Queue) -> None:
        me = asyncio.current_task()
        try:
            while queue.waiting:
                batch, queue.waiting = queue.waiting[: self.most], queue.waiting[self.most :]
                try:
                    stored = await run_in_threadpool(self.store_batch, [a for a, _ in batch])
                except Exception as exc:  # each waiting request answers it
                    for _, done in batch:
                        if not done.done():
                            done.set_exception(exc)
                    continue
                for (_, done), ok in zip(batch, stored, strict=True):
                    if not done.done():
                        done.set_result(ok)
        finally:
            if me is not None:
                queue.writing.discard(me)

    def store_batch(self, answers: Sequence[public_answers.NewAnswer]) -> list[bool]:
        return public_answers.store_batch(self.cx(), answers, enqueue_enrichment)
