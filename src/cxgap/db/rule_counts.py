"""Counting the feedback items a rule nobody saved matches, within a time budget.

A saved rule's members are materialised (``db.segment_members``); an unsaved one can only be
evaluated on the rows. At 10 M items that reads every row (6 to 34 s on PostgreSQL, 11.6 s
at 1 M on SQLite: docs/scale.md, "Unsaved rules"), so the check first tries the exact count
under a deadline (``count_within``: PostgreSQL's ``statement_timeout`` in a savepoint,
SQLite's progress handler), and past it draws a random sample of the workspace's ids
(``sample_matches``), each looked up by primary key, from which the service states the
count as an interval.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from cxgap.db.tables import Feedback

_QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement past its timeout
_PROGRESS_STEPS = 20_000  # SQLite virtual-machine steps between two looks at the clock
_LOOKUPS_PER_QUERY = 5_000  # ids per ``IN`` list: under SQLite's 32,766 bound parameters


@dataclass(frozen=True)
class SampleDraw:
    """``draws`` ids drawn uniformly, with replacement, from the ``span`` ids between the
    workspace's lowest and highest; ``matches`` of them were items the rule matches."""

    span: int
    draws: int
    matches: int


def count_within(session: Session, query: Select[Any], seconds: float) -> int | None:
    """``query``'s single integer, or None when it did not finish within ``seconds`` (the
    statement is cancelled and the session's transaction left as it was)."""
    if session.get_bind().dialect.name == "postgresql":
        return _postgres_within(session, query, seconds)
    return _sqlite_within(session, query, seconds)


def _postgres_within(session: Session, query: Select[Any], seconds: float) -> int | None:
    previous = session.scalar(text("SHOW statement_timeout"))
    try:
        with session.begin_nested():  # a cancelled statement rolls back to here only
            session.execute(text(f"SET LOCAL statement_timeout = {max(1, int(seconds * 1000))}"))
            value = session.scalar(query)
            session.execute(
                text("SELECT set_config('statement_timeout', :value, true)"),
                {"value": previous},
            )
    except OperationalError as error:
        if getattr(error.orig, "sqlstate", None) != _QUERY_CANCELED:
            raise
        return None
    return int(value or 0)


def _sqlite_within(session: Session, query: Select[Any], seconds: float) -> int | None:
    raw = session.connection().connection.dbapi_connection
    if not isinstance(raw, sqlite3.Connection):  # pragma: no cover - another driver
        return int(session.scalar(query) or 0)
    deadline = time.monotonic() + seconds
    # A read interrupted by its progress handler stops that statement only: SQLite rolls a
    # transaction back for an interrupted write, never for a SELECT.
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), _PROGRESS_STEPS)
    try:
        return int(session.scalar(query) or 0)
    except OperationalError as error:
        if "interrupted" not in str(error.orig):
            raise
        return None
    finally:
        raw.set_progress_handler(None, 0)


def id_range(session: Session, workspace_id: int) -> tuple[int, int] | None:
    """The workspace's lowest and highest item ids (None without items): two probes of the
    ``(workspace_id, id)`` index. SQLite reads the whole range for min() and max() together,
    hence one ordered probe per end."""
    ids = select(Feedback.id).where(Feedback.workspace_id == workspace_id).limit(1)
    low = session.scalar(ids.order_by(Feedback.id))
    high = session.scalar(ids.order_by(Feedback.id.desc()))
    return None if low is None or high is None else (low, high)


def sample_matches(
    session: Session,
    workspace_id: int,
    condition: ColumnElement[bool],
    id_range: tuple[int, int],
    *,
    draws: int,
    seed: int | None = None,
) -> SampleDraw:
    """Draw ``draws`` ids in ``id_range`` (the workspace's, from ``id_range``) and count
    those that are items of the workspace matching ``condition``: a primary-key lookup per
    distinct id, whatever the workspace's size.

    An id of a deleted item or of another workspace simply does not match: the share of
    matches times the span estimates the count without knowing the number of items."""
    low, high = id_range
    picker = random.Random(seed)
    drawn = Counter(picker.randint(low, high) for _ in range(draws))
    distinct = sorted(drawn)
    matched = 0
    for start in range(0, len(distinct), _LOOKUPS_PER_QUERY):
        chunk = distinct[start : start + _LOOKUPS_PER_QUERY]
        query = select(Feedback.id).where(
            Feedback.id.in_(chunk), Feedback.workspace_id == workspace_id, condition
        )
        matched += sum(drawn[found] for found in session.scalars(query))
    return SampleDraw(span=high - low + 1, draws=draws, matches=matched)
