"""Storing touchpoint events: an import row, the events in batches (a binary ``COPY`` on
PostgreSQL, the driver's ``executemany`` of one prepared ``INSERT`` on SQLite; memory bounded
by one batch whatever the file's size), and the analyst's activity → touchpoint mapping,
applied to the events already stored.

The store path takes plain tuples (``EventValues``), never ORM objects: at a few hundred
thousand events per file, building and flushing one object per event cost most of an
import's time (``bench/events_import.py``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC
from itertools import islice
from typing import Any, cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from cxgap.db.copy import binary_types, copies, copy_rows
from cxgap.db.event_tables import ActivityMapping, EventImport, EventRow
from cxgap.db.table_base import utcnow
from cxgap.events.convert import EventValues
from cxgap.events.model import Event

BATCH = 20_000
SQLITE_CACHE_KIB = -65_536  # negative: KiB (64 MiB), as SQLite reads it
COLUMNS = (
    "workspace_id",
    "import_id",
    "case_ref",
    "at",
    "position",
    "activity",
    "channel",
    "outcome",
    "lifecycle",
    "touchpoint",
    "amount",
    "attributes",
)
# Whether PostgreSQL takes the events in COPY's binary format (half the client's CPU of the
# text format: psycopg packs the values instead of writing and escaping text); the bench
# (bench/events_import.py) sets False to time the text format in the same run.
binary_copy = True


def start_import(session: Session, workspace_id: int, filename: str, preset: str) -> int:
    """A new import row (status ``running``); its id tags the events stored under it."""
    row = EventImport(
        workspace_id=workspace_id,
        filename=filename[:255],
        preset=preset,
        status="running",
        events=0,
        cases=0,
        skipped=0,
        report={},
    )
    session.add(row)
    session.flush()
    return row.id


def finish_import(
    session: Session,
    import_id: int,
    *,
    events: int,
    cases: int,
    skipped: int,
    report: Mapping[str, object] | None = None,
) -> None:
    """Mark the import done with its totals and report."""
    session.execute(
        update(EventImport)
        .where(EventImport.id == import_id)
        .values(
            status="done", events=events, cases=cases, skipped=skipped, report=dict(report or {})
        )
    )


def _values(event: Event) -> EventValues:
    attributes = dict(event.attributes) if event.attributes else None
    at = event.timestamp
    return (
        event.case,
        at if at.tzinfo is not None else at.replace(tzinfo=UTC),  # naive: UTC, as the ORM
        event.position,
        event.activity,
        event.channel,
        event.outcome,
        event.lifecycle,
        event.touchpoint,
        event.amount,
        None if attributes is None else json.dumps(attributes, ensure_ascii=False),
    )


def _batches(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        yield batch


def store_events(
    session: Session, workspace_id: int, import_id: int | None, events: Iterable[Event]
) -> int:
    """Store ``events`` (consumed lazily, in file order) in the session's transaction; how
    many. The ids follow the order given, which keeps ties in file order when read back."""
    return store_values(session, workspace_id, import_id, (_values(e) for e in events))


def store_values(
    session: Session, workspace_id: int, import_id: int | None, rows: Iterable[EventValues]
) -> int:
    """Store events given as ``EventValues`` (an aware timestamp, which the binary ``COPY``
    requires; attributes as JSON text), consumed lazily in file order, in the session's
    transaction; how many."""
    conn = session.connection()
    if copies(conn):
        prefix = (workspace_id, import_id)
        types = binary_types(cast(Table, EventRow.__table__), COLUMNS) if binary_copy else None
        return copy_rows(conn, "events", COLUMNS, ((*prefix, *row) for row in rows), binary=types)
    names = ", ".join(COLUMNS)
    marks = ", ".join("?" for _ in COLUMNS)
    statement = f"INSERT INTO events ({names}) VALUES ({marks})"
    driver: Any = conn.connection.driver_connection  # sqlite3: one prepared statement
    cursor = driver.cursor()
    # A larger page cache while the events go in: the case index takes them in the order
    # of the (pseudonymised) case references, i.e. all over the B-tree.
    (cache,) = cursor.execute("PRAGMA cache_size").fetchone()
    cursor.execute(f"PRAGMA cache_size={SQLITE_CACHE_KIB:d}")
    count = 0
    try:
        for batch in _batches(_sqlite_rows(workspace_id, import_id, rows)):
            cursor.executemany(statement, batch)
            count += len(batch)
    finally:
        cursor.execute(f"PRAGMA cache_size={int(cache):d}")
        cursor.close()
    return count


def _sqlite_rows(
    workspace_id: int, import_id: int | None, rows: Iterable[EventValues]
) -> Iterator[tuple[Any, ...]]:
    """The rows as SQLite stores them: timestamps as SQLAlchemy writes a UTC ``DateTime``
    (``YYYY-MM-DD HH:MM:SS.ffffff``, so they sort and compare as the ORM's do)."""
    for case, at, position, activity, channel, outcome, lifecycle, tp, amount, attrs in rows:
        utc = at if at.tzinfo is UTC else at.astimezone(UTC)
        yield (
            workspace_id,
            import_id,
            case,
            utc.isoformat(" ", "microseconds")[:26],  # the offset (+00:00) cut off
            position,
            activity,
            channel,
            outcome,
            lifecycle,
            tp,
            amount,
            attrs,
        )


def delete_import(session: Session, import_id: int) -> None:
    """Remove an import and its events (a failed or unwanted import)."""
    session.execute(delete(EventRow).where(EventRow.import_id == import_id))
    session.execute(delete(EventImport).where(EventImport.id == import_id))


def delete_workspace_events(session: Session, workspace_id: int) -> None:
    """Remove every event and event import of a workspace (the mapping stays)."""
    session.execute(delete(EventRow).where(EventRow.workspace_id == workspace_id))
    session.execute(delete(EventImport).where(EventImport.workspace_id == workspace_id))


def set_activity_mapping(
    session: Session, workspace_id: int, mapping: Mapping[str, str | None]
) -> None:
    """Store the analyst's touchpoint key for each activity (None: not a touchpoint) and
    rewrite the ``touchpoint`` of the events already stored under those activities."""
    existing = {
        row.activity: row
        for row in session.scalars(
            select(ActivityMapping).where(
                ActivityMapping.workspace_id == workspace_id,
                ActivityMapping.activity.in_(list(mapping)),
            )
        )
    }
    now = utcnow()
    for activity, touchpoint in mapping.items():
        row = existing.get(activity)
        if row is None:
            session.add(
                ActivityMapping(
                    workspace_id=workspace_id,
                    activity=activity,
                    touchpoint=touchpoint,
                    updated_at=now,
                )
            )
        else:
            row.touchpoint = touchpoint
            row.updated_at = now
        session.execute(
            update(EventRow)
            .where(EventRow.workspace_id == workspace_id, EventRow.activity == activity)
            .values(touchpoint=touchpoint)
        )
    session.flush()
