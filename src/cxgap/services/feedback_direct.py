"""An import's records copied straight into ``feedback`` while the file is read (PostgreSQL).

Why: the staged path (``feedback_stage``) writes ``feedback`` once the whole file is read,
by one ``INSERT … SELECT`` whose index upkeep (eight indexes) and foreign-key checks run on
the server after the reading, while the Python waits. Copied into ``feedback`` as the rows
are mapped, that upkeep runs in the server's process beside the Python's, on the other
core, and there is no stage to fill then read back.

When: only where ``COPY`` is (PostgreSQL through psycopg), and only where the import can
only add rows: the workspace holds none of the first ``LEAD`` records' keys (a pre-check on
``(source_type, source_id)``). A later record whose key the workspace holds makes the
``COPY`` fail on the unique key: the transaction rolls back, nothing of it stays, and the
import runs again the staged way, the file read again (``reread``). Survey responses an
earlier import stored and this one replaces are deleted, and the Listening counts
retracted, by the same conditions the staged path applies. The result is the staged
path's: the same rows, report, refusals, Listening counts and segment membership
(``tests/services/test_import_direct.py`` compares the two on SQLite's and PostgreSQL's
reference imports).

What it costs: the write transaction lasts as long as the reading. Another import of the
same keys waits for it; an answer stored meanwhile takes a higher id than the import's rows
(the overlay index sees rows appear under its mark and rebuilds, ``services.overlay``).
``created_at`` and ``updated_at`` are the time the copy began.

How: the rows go in ``COPY``'s binary format (``binary_row``, ``db.copy.binary_types``),
which the server reads with less work than the text the stage gets (no escapes to undo, no
dates or numbers to parse: about 3 µs a row of the server's ~25); the values stored are the
same (``tests/services/test_import_direct.py`` compares the two paths column by column).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from itertools import chain, islice
from typing import cast

from sqlalchemy import ColumnElement, Connection, Table, and_, delete, or_, select, text
from sqlalchemy.orm import Session

from cxgap.db import listening_counts
from cxgap.db.copy import binary_types, copies, copy_rows, unique_violation
from cxgap.db.tables import Feedback, utcnow
from cxgap.ingest import FeedbackRecord, ImportReport
from cxgap.ingest.pipeline import Rewind
from cxgap.services.feedback_stage import STAGED, Segment, attributes_json

# Whether imports on PostgreSQL may take this path; bench/import_speed.py sets False to
# time the staged path in the same run.
enabled = True
# Records read before deciding (the pre-check on keys); they wait in memory meanwhile.
LEAD = 2_000
COLUMNS = (*STAGED, "workspace_id", "import_id", "created_at", "updated_at")

Counts = tuple[int, int, int]  # created, updated, removed
Finish = Callable[[Session, Counts], None]


def write(
    session: Session,
    items: Iterator[FeedbackRecord | Rewind],
    report: ImportReport,
    *,
    workspace_id: int,
    import_id: int,
    mask: bool,
    finish: Finish,
    reread: Callable[[], Iterator[FeedbackRecord | Rewind]],
) -> Iterator[FeedbackRecord | Rewind] | None:
    """Import the stream straight into ``feedback`` in ``session``'s own transaction
    (committed when the report is ok, rolled back when not); None when done so. Otherwise
    the stream for the staged path: the same one (not eligible) or the file read again (a
    key the workspace holds met after the pre-check)."""
    conn = session.connection()
    if not (enabled and copies(conn)):
        session.rollback()
        return items
    stream = items
    lead = list(islice(stream, LEAD))
    items = chain(lead, stream)
    if _holds_any(conn, workspace_id, lead):
        session.rollback()
        return items
    try:
        copied, keyed = _copy(conn, items, report, workspace_id, import_id, mask)
        if not report.ok:  # refused: nothing stays
            session.rollback()
            return None
        removed = _drop_replaced(conn, workspace_id, import_id) if keyed else 0
        scope = Feedback.import_id == import_id  # the search's index: a job after it
        # Rows just copied: in no segment yet (their membership is written by `finish`).
        listening_counts.add(conn, workspace_id, scope, indexed=True, search=False, new=True)
        finish(session, (copied, 0, removed))
        session.commit()
    except BaseException as exc:
        session.rollback()
        if not unique_violation(exc):
            raise
        close = getattr(stream, "close", None)  # the file of the first read
        if close is not None:
            close()
        report.restart()
        return reread()
    return None


def _holds_any(conn: Connection, workspace_id: int, lead: list[FeedbackRecord | Rewind]) -> bool:
    """Whether the workspace holds the key of one of the lead's records."""
    records = [item for item in lead if isinstance(item, FeedbackRecord)]
    if not records:
        return False
    query = text(
        "SELECT EXISTS (SELECT 1 FROM unnest(CAST(:types AS text[]), CAST(:ids AS text[]))"
        " AS k(t, i) JOIN feedback f ON f.workspace_id = :ws AND f.source_type = k.t"
        " AND f.source_id = k.i)"
    )
    types = [record.source_type for record in records]
    ids = [record.source_id for record in records]
    return bool(conn.execute(query, {"types": types, "ids": ids, "ws": workspace_id}).scalar())


class _Keyed:
    """Whether a record with a survey response key went by."""

    seen = False


def _copy(
    conn: Connection,
    items: Iterator[FeedbackRecord | Rewind],
    report: ImportReport,
    workspace_id: int,
    import_id: int,
    mask: bool,
) -> tuple[int, bool]:
    """Copy the records into ``feedback``; (how many, whether one had a response key). A
    ``REWIND`` (the file read again) deletes what was copied before it."""
    now = utcnow()
    tail = (workspace_id, import_id, now, now)
    types = binary_types(_feedback(), COLUMNS)
    keyed = _Keyed()
    shared = {"workspace_id": workspace_id, "import_id": import_id}  # every row's (tail)
    stream = cast(Iterator[FeedbackRecord], items)  # Segment tells REWIND apart
    while True:
        segment = Segment(stream, report, mask)
        rows = _rows(segment, tail, keyed)
        copied = copy_rows(conn, "feedback", COLUMNS, rows, binary=types, shared=shared)
        if not segment.rewound:
            return copied, keyed.seen
        keyed.seen = False
        conn.execute(delete(_feedback()).where(_feedback().c.import_id == import_id))


def _rows(
    records: Segment, tail: tuple[object, ...], keyed: _Keyed
) -> Iterator[tuple[object, ...]]:
    for record in records:
        if record.response_key is not None:
            keyed.seen = True
        yield binary_row(record, tail)


def binary_row(record: FeedbackRecord, tail: tuple[object, ...] = ()) -> tuple[object, ...]:
    """A record as a binary ``COPY`` row in the order of ``STAGED``, then ``tail``:
    ``copy_row``'s values, except the date, which goes as the aware ``datetime`` itself
    (its instant, in microseconds since 2000 UTC: what the text ``copy_row`` sends reads
    back to)."""
    return (
        record.source_type,
        record.source_id,
        record.channel,
        record.collected_at,
        record.text,
        record.nps,
        record.csat,
        record.ces,
        record.stars,
        record.customer_ref,
        record.touchpoint,
        record.language,
        attributes_json(tuple(record.attributes.items())) if record.attributes else "{}",
        record.question,
        record.response_key,
        hashlib.sha256(record.text.encode()).hexdigest(),
        *tail,
    )


def _feedback() -> Table:
    return cast(Table, Feedback.__table__)


def _replaced(workspace_id: int, import_id: int) -> ColumnElement[bool]:
    """``feedback_stage._replaced`` with the import's rows for the stage: what an earlier
    import stored for this one's survey responses and this one no longer gives. (A record
    this import would update never gets here: its key made the copy fail.)"""
    feedback = _feedback()
    new = feedback.alias("new")
    keyed = and_(new.c.import_id == import_id, new.c.response_key.is_not(None))
    keys = select(new.c.response_key).where(keyed)
    return and_(
        feedback.c.workspace_id == workspace_id,
        feedback.c.source_type.in_(select(new.c.source_type).where(keyed)),
        or_(feedback.c.response_key.in_(keys), feedback.c.source_id.in_(keys)),
        feedback.c.import_id.is_distinct_from(import_id),
    )


def _drop_replaced(conn: Connection, workspace_id: int, import_id: int) -> int:
    """Retract and delete the replaced records; how many."""
    replaced = _replaced(workspace_id, import_id)
    listening_counts.retract(conn, workspace_id, replaced)
    result = conn.execute(delete(_feedback()).where(replaced))
    return int(getattr(result, "rowcount", 0) or 0)
