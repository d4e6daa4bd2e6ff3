"""Survey answers that arrive together are committed together, one transaction per batch.

Under load, an answer's commit and its turn at the database's write gate (SQLite: a thread
lock and a file lock; PostgreSQL: a WAL flush) cost as much CPU as its statements. Each
web process has one writer: the first answer that finds it idle is stored at once, alone
(the short path as before); the answers that arrive while a transaction is running wait
for it to end and are then stored together in the next one, up to ``MOST_PER_BATCH``. So
an idle server adds no delay, and a busy one pays for one commit per batch.

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

from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from cxgap.jobs import enqueue_enrichment
from cxgap.services import public_answers
from cxgap.services.core import Cxgap

MOST_PER_BATCH = 64


@dataclass
class _Queue:
    """The answers waiting for the next transaction, and the task writing them."""

    waiting: list[tuple[public_answers.NewAnswer, asyncio.Future[bool]]] = field(
        default_factory=list
    )
    writing: asyncio.Task[None] | None = None


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
        if queue.writing is None:
            queue.writing = loop.create_task(self._write_all(queue))
        return await done

    async def _write_all(self, queue: _Queue) -> None:
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
            queue.writing = None

    def store_batch(self, answers: Sequence[public_answers.NewAnswer]) -> list[bool]:
        """Each answer stored (True) or declined (False), all in one transaction."""
        if len(answers) == 1:
            return [self.store_alone(answers[0])]
        cx = self.cx()
        secret, limit = cx.settings.resolved_secret_key(), cx.settings.survey_rate_limit
        with cx.sessions() as session:
            checked = [public_answers.check_answer(session, a, secret=secret) for a in answers]
            try:
                stored = [
                    None if c is None else public_answers.write_answer(session, c, rate_limit=limit)
                    for c in checked
                ]
                for one in stored:
                    if one is not None and one.commented is not None:
                        enqueue_enrichment(session, one.commented)
            except IntegrityError:  # an answer key stored already: each answer alone
                session.rollback()
                return [self.store_alone(a) for a in answers]
            session.commit()
            return [one is not None for one in stored]

    def store_alone(self, answer: public_answers.NewAnswer) -> bool:
        """One answer in its own transaction."""
        cx = self.cx()
        with cx.sessions() as session:
            try:
                stored = public_answers.store_new_answer(
                    session,
                    answer,
                    secret=cx.settings.resolved_secret_key(),
                    rate_limit=cx.settings.survey_rate_limit,
                )
                if stored is not None and stored.commented is not None:
                    enqueue_enrichment(session, stored.commented)
            except IntegrityError:  # this answer key is stored already: the route replaces it
                stored = None
            if stored is None:
                session.rollback()
                return False
            session.commit()
            return True
