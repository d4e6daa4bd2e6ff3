"""An import's records staged in a temporary table of its own connection, then written to
``feedback`` by three set-based statements in one short transaction.

Why: on SQLite a transaction that writes ``feedback`` holds the database's only write lock
until it commits. Writing an import's records one batch after another in that transaction
held the lock for as long as the import ran (minutes for a large file), and every other
write (a survey answer) failed with "database is locked" after the busy timeout. A
temporary table lives in the connection's own temporary database: filling it, while the
file is read, takes no lock on the main database. Only the final statements do, for a time
that grows far more slowly than the import (no Python per row). The import stays
all-or-nothing for everyone else: its records appear together at that commit, or never. A
process killed midway leaves nothing behind: the temporary table dies with the connection.
On PostgreSQL the same steps run; there they only keep the import's one write transaction
short, and the stage is filled by ``COPY … FROM STDIN`` (``cxgap.db.copy``), which is where
an INSERT-staged import spent most of its database time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import cast

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    MetaData,
    Table,
    and_,
    delete,
    exists,
    insert,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from cxgap.db import key_checks, listening_counts
from cxgap.db.copy import copies, copy_rows
from cxgap.db.tables import Feedback, utcnow
from cxgap.ingest import FeedbackRecord, ImportReport
from cxgap.ingest.pipeline import Rewind
from cxgap.services.feedback_store import batches, record_values
from cxgap.text.contacts import mask_contacts

STAGE = "feedback_stage"
# What a staged record carries: the columns record_values() fills.
STAGED = (
    "source_type",
    "source_id",
    "channel",
    "collected_at",
    "text",
    "nps",
    "csat",
    "ces",
    "stars",
    "customer_ref",
    "touchpoint",
    "language_hint",
    "attributes",
    "question",
    "response_key",
    "text_hash",
)


def create_stage(conn: Connection) -> Table:
    """A fresh temporary table on ``conn`` (inside a transaction of its own)."""
    columns = _feedback().c
    table = Table(
        STAGE,
        MetaData(),
        *(Column(name, columns[name].type) for name in STAGED),
        prefixes=["TEMPORARY"],
    )
    with conn.begin():
        drop_stage(conn)
        table.create(conn)
    return table


def drop_stage(conn: Connection) -> None:
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {STAGE}")


def drop_stage_quietly(conn: Connection) -> None:
    """Drop the stage; a connection broken by the error being raised drops it on closing."""
    try:
        with conn.begin():
            drop_stage(conn)
    except SQLAlchemyError:
        conn.invalidate()


def stage_file(
    conn: Connection,
    table: Table,
    items: Iterable[FeedbackRecord | Rewind],
    report: ImportReport,
    batch_size: int,
    *,
    mask: bool = False,
) -> int:
    """Stage a file's records as they are read, their contact details masked if ``mask``;
    how many. The temporary table's own transaction takes no lock on the main database. A
    ``REWIND`` in the stream (``ingest.stream_feedback``: the file is read again) empties
    the stage: what came before it is forgotten."""
    stream = iter(items)
    with conn.begin():
        while True:
            segment = Segment(stream, report, mask)
            if copies(conn):  # one COPY for the whole file
                staged = copy_rows(conn, table.name, STAGED, map(copy_row, segment))
            else:
                staged = sum(stage(conn, table, b) for b in batches(segment, batch_size))
            if not segment.rewound:
                return staged
            conn.execute(delete(table))


class Segment:
    """The records of a stream up to its next ``REWIND`` (``rewound`` then says so), masked
    if asked; none once the report says nothing will be stored (all-or-nothing: no use
    staging what will not be written)."""

    def __init__(
        self, stream: Iterator[FeedbackRecord | Rewind], report: ImportReport, mask: bool
    ) -> None:
        self.stream, self.report, self.mask = stream, report, mask
        self.rewound = False

    def __iter__(self) -> Iterator[FeedbackRecord]:
        report, mask = self.report, self.mask
        for item in self.stream:
            if isinstance(item, Rewind):
                self.rewound = True
                return
            if report.ok:
                yield masked(item) if mask else item


def masked(record: FeedbackRecord) -> FeedbackRecord:
    """The record with its contact details masked; itself when it has none (copying every
    record cost a large import a tenth of its time)."""
    text = mask_contacts(record.text)
    return record if text == record.text else replace(record, text=text)


def stage(conn: Connection, table: Table, batch: list[FeedbackRecord]) -> int:
    """Add records to the stage (their source ids are distinct: the reader drops repeats);
    how many. PostgreSQL gets them through ``COPY``, the others through ``INSERT``."""
    if copies(conn):
        return copy_rows(conn, table.name, STAGED, (copy_row(record) for record in batch))
    conn.execute(insert(table), [_staged(record) for record in batch])
    return len(batch)


def apply_stage(
    conn: Connection, table: Table, *, workspace_id: int, import_id: int, staged: int
) -> tuple[int, int, int]:
    """Write the ``staged`` records into ``feedback`` in the caller's transaction:
    (created, updated, removed), with the rules ``feedback_store.upsert`` and
    ``drop_replaced`` apply batch by batch. (An INSERT … SELECT's row count is not reported
    by every driver: what was not updated was created.)"""
    now = utcnow()
    staged_here = tuple_(Feedback.source_type, Feedback.source_id).in_(
        select(table.c.source_type, table.c.source_id)
    )
    # The Listening counts follow in this transaction: out go the records replaced or
    # updated, in come the records as written (db.listening_counts).
    listening_counts.retract(conn, workspace_id, or_(staged_here, _replaced(table, workspace_id)))
    removed = _count(conn.execute(delete(_feedback()).where(_replaced(table, workspace_id))))
    updated = _update_known(conn, table, workspace_id, import_id, now)
    _insert_new(conn, table, workspace_id, import_id, now)
    # Written or updated now, so marked with this import (its index finds them).
    scope = Feedback.import_id == import_id  # the search's index: a job after it
    listening_counts.add(conn, workspace_id, scope, indexed=True, search=False)
    return staged - updated, updated, removed


def _feedback() -> Table:
    return cast(Table, Feedback.__table__)


def _same_record(table: Table, workspace_id: int) -> ColumnElement[bool]:
    feedback = _feedback()
    return and_(
        feedback.c.workspace_id == workspace_id,
        feedback.c.source_type == table.c.source_type,
        feedback.c.source_id == table.c.source_id,
    )


def _replaced(table: Table, workspace_id: int) -> ColumnElement[bool]:
    """What an earlier import stored for the staged survey responses and this import no
    longer gives (a question left out, an older whole-response record); never a record this
    import updates."""
    feedback = _feedback()
    keyed = table.c.response_key.is_not(None)
    keys = select(table.c.response_key).where(keyed)
    return and_(
        feedback.c.workspace_id == workspace_id,
        feedback.c.source_type.in_(select(table.c.source_type).where(keyed)),
        or_(feedback.c.response_key.in_(keys), feedback.c.source_id.in_(keys)),
        ~exists(select(literal(1)).select_from(table).where(_same_record(table, workspace_id))),
    )


def _update_known(
    conn: Connection, table: Table, workspace_id: int, import_id: int, now: datetime
) -> int:
    feedback = _feedback()
    values = {name: table.c[name] for name in STAGED if name not in ("source_type", "source_id")}
    statement = (
        update(feedback)
        .where(_same_record(table, workspace_id))
        .values(**values, updated_at=now, import_id=import_id)
    )
    return _count(conn.execute(statement))


def _insert_new(
    conn: Connection, table: Table, workspace_id: int, import_id: int, now: datetime
) -> None:
    feedback = _feedback()
    known = exists(
        select(literal(1)).select_from(feedback).where(_same_record(table, workspace_id))
    )
    stamp = feedback.c.created_at.type
    rows = select(
        *(table.c[name] for name in STAGED),
        literal(workspace_id),
        literal(import_id),
        literal(now, stamp),
        literal(now, stamp),
    ).where(~known)
    names = [*STAGED, "workspace_id", "import_id", "created_at", "updated_at"]
    shared = {"workspace_id": workspace_id, "import_id": import_id}  # every row's
    with key_checks.once(conn, "feedback", shared):
        conn.execute(insert(feedback).from_select(names, rows))


def _staged(record: FeedbackRecord) -> dict[str, object]:
    values = record_values(record, import_id=0)
    return {name: values[name] for name in STAGED}


def copy_row(record: FeedbackRecord) -> tuple[object, ...]:
    """A record as a ``COPY`` row in the order of ``STAGED``: the values ``_staged`` gives,
    converted as the column types would bind them (``UTCDateTime``: the UTC instant, sent
    as its ISO 8601 text, which the server reads back exactly and psycopg writes four times
    faster than it dumps a ``datetime``; ``JSON``: ``json.dumps``, SQLAlchemy's own
    serialiser, so the text stored is the same)."""
    return (
        record.source_type,
        record.source_id,
        record.channel,
        _instant(record.collected_at, record.collected_at.utcoffset()),
        record.text,
        record.nps,
        record.csat,
        record.ces,
        record.stars,
        record.customer_ref,
        record.touchpoint,
        record.language,
        attributes_json(tuple(record.attributes.items())),
        record.question,
        record.response_key,
        hashlib.sha256(record.text.encode()).hexdigest(),
    )


@lru_cache(maxsize=4_096)
def _instant(when: datetime, offset: timedelta | None) -> str:
    """The UTC instant's ISO 8601 text, remembered: a file's dates repeat (a day, a
    timestamp to the minute), and converting and formatting each was ~1.3 µs a row.
    ``offset`` (``when.utcoffset()``) is in the key because two datetimes of one zone that
    differ only by ``fold`` (an hour that repeats when clocks go back) compare equal
    although they are different instants."""
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return when.isoformat()


@lru_cache(maxsize=4_096)
def attributes_json(items: tuple[tuple[str, str], ...]) -> str:
    """The attributes' JSON text, remembered: a file's rows mostly repeat a few (a shop, a
    region), and ``json.dumps`` of each was a tenth of the Python a staged row cost."""
    return json.dumps(dict(items))


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
