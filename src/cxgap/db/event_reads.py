"""Reading touchpoint events back: a workspace's events in case order (each case's path in
time order, ties in file order), streamed; totals; activities with their mapping."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from types import MappingProxyType
from typing import Any

from sqlalchemy import ColumnElement, distinct, func, or_, select, text
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from cxgap.db.event_tables import ActivityMapping, EventImport, EventRow
from cxgap.events.model import Event

STREAM = 5_000
# The memory PostgreSQL may sort in for the variants query (the default 4 MB spills the
# sort of a few hundred thousand events to disk), for that transaction only.
VARIANTS_WORK_MEM = "64MB"
_NONE: MappingProxyType[str, str] = MappingProxyType({})


def _event(row: Sequence[Any]) -> Event:
    (case, at, position, activity, channel, outcome, lifecycle, touchpoint, amount, attrs) = row
    return Event(
        case=case,
        timestamp=at,
        activity=activity,
        position=position,
        channel=channel,
        outcome=outcome,
        lifecycle=lifecycle,
        touchpoint=touchpoint,
        amount=amount,
        attributes=MappingProxyType(dict(attrs)) if attrs else _NONE,
    )


def workspace_events(session: Session, workspace_id: int) -> Iterator[Event]:
    """Every event of the workspace by case, time and file order, read in chunks (a server-side
    cursor on PostgreSQL), so a log of millions of events is never held whole."""
    statement = (
        select(
            EventRow.case_ref,
            EventRow.at,
            EventRow.position,
            EventRow.activity,
            EventRow.channel,
            EventRow.outcome,
            EventRow.lifecycle,
            EventRow.touchpoint,
            EventRow.amount,
            EventRow.attributes,
        )
        .where(EventRow.workspace_id == workspace_id)
        .order_by(EventRow.case_ref, EventRow.at, EventRow.id)
        .execution_options(yield_per=STREAM)
    )
    for row in session.connection().execute(statement):  # Core: no ORM row loading
        yield _event(row)


def event_totals(session: Session, workspace_id: int) -> tuple[int, int]:
    """(cases, events) stored for the workspace."""
    cases, events = session.execute(
        select(func.count(distinct(EventRow.case_ref)), func.count()).where(
            EventRow.workspace_id == workspace_id
        )
    ).one()
    return int(cases), int(events)


def activity_counts(session: Session, workspace_id: int) -> list[tuple[str, int, str | None]]:
    """Each (activity, touchpoint) stored with its number of events, most frequent first."""
    rows = session.execute(
        select(EventRow.activity, func.count(), EventRow.touchpoint)
        .where(EventRow.workspace_id == workspace_id)
        .group_by(EventRow.activity, EventRow.touchpoint)
        .order_by(func.count().desc(), EventRow.activity)
    )
    return [(str(activity), int(n), touchpoint) for activity, n, touchpoint in rows]


def activity_mapping(session: Session, workspace_id: int) -> dict[str, str | None]:
    """The analyst's activity → touchpoint choices for the workspace."""
    rows = session.execute(
        select(ActivityMapping.activity, ActivityMapping.touchpoint).where(
            ActivityMapping.workspace_id == workspace_id
        )
    )
    return {str(activity): touchpoint for activity, touchpoint in rows}


def event_imports(session: Session, workspace_id: int) -> list[EventImport]:
    """The workspace's event imports, newest first."""
    return list(
        session.scalars(
            select(EventImport)
            .where(EventImport.workspace_id == workspace_id)
            .order_by(EventImport.id.desc())
        )
    )


def case_paths(
    session: Session, workspace_id: int, lifecycles: Collection[str] | None = None
) -> Iterator[tuple[str, list[str]]]:
    """Each case with its activity names in time order, ties in file order, read in one
    ordered scan of two columns (no event objects built), in chunks. ``lifecycles``: only
    the events whose lifecycle transition is one of these (lower case) or blank."""
    statement = select(EventRow.case_ref, EventRow.activity).where(*_kept(workspace_id, lifecycles))
    ordered = statement.order_by(EventRow.case_ref, EventRow.at, EventRow.id).execution_options(
        yield_per=STREAM
    )
    rows = session.connection().execute(ordered)  # Core: no ORM row loading
    for case, group in groupby(rows, key=itemgetter(0)):
        yield case, [activity for _, activity in group]


def _kept(workspace_id: int, lifecycles: Collection[str] | None) -> list[ColumnElement[bool]]:
    """The events of the workspace, of the given lifecycle transitions (lower case) or blank."""
    kept = [EventRow.workspace_id == workspace_id]
    if lifecycles is not None:
        kept.append(
            or_(EventRow.lifecycle.is_(None), func.lower(EventRow.lifecycle).in_(lifecycles))
        )
    return kept


def variant_counts(
    session: Session, workspace_id: int, lifecycles: Collection[str] | None = None
) -> Iterator[tuple[tuple[str, ...], int]]:
    """PostgreSQL only: each variant with its number of cases, computed by the server (each
    case's activities aggregated in time and file order, then the paths counted), so only
    the distinct paths travel. Most cases first; equal counts in the order of their first
    case reference, which is the order :func:`case_paths` meets them in."""
    path = func.array_agg(aggregate_order_by(EventRow.activity, EventRow.at, EventRow.id))
    per_case = (
        select(EventRow.case_ref.label("case_ref"), path.label("path"))
        .where(*_kept(workspace_id, lifecycles))
        .group_by(EventRow.case_ref)
        .subquery()
    )
    cases, first = func.count(), func.min(per_case.c.case_ref)
    statement = (
        select(per_case.c.path, cases)
        .group_by(per_case.c.path)
        .order_by(cases.desc(), first)
        .execution_options(yield_per=STREAM)
    )
    conn = session.connection()
    conn.execute(text(f"SET LOCAL work_mem = '{VARIANTS_WORK_MEM}'"))
    for activities, count in conn.execute(statement):
        yield tuple(activities), int(count)


def activity_channels(session: Session, workspace_id: int) -> list[tuple[str, str | None, int]]:
    """Each (activity, channel) stored with its number of events."""
    rows = session.execute(
        select(EventRow.activity, EventRow.channel, func.count())
        .where(EventRow.workspace_id == workspace_id)
        .group_by(EventRow.activity, EventRow.channel)
    )
    return [(str(activity), channel, int(n)) for activity, channel, n in rows]


def path_events(session: Session, workspace_id: int) -> Iterator[Event]:
    """``workspace_events`` with only what the path analyses read (case, time, position,
    activity, channel, touchpoint): no attributes to decode, outcome, lifecycle or amount,
    so a large log is read faster; the same order."""
    statement = (
        select(
            EventRow.case_ref,
            EventRow.at,
            EventRow.activity,
            EventRow.position,
            EventRow.channel,
            EventRow.touchpoint,
        )
        .where(EventRow.workspace_id == workspace_id)
        .order_by(EventRow.case_ref, EventRow.at, EventRow.id)
        .execution_options(yield_per=STREAM)
    )
    rows = session.connection().execute(statement)  # Core: a third of the ORM's CPU
    for case, at, activity, position, channel, touchpoint in rows:
        yield Event(case, at, activity, position, channel, None, None, touchpoint)
