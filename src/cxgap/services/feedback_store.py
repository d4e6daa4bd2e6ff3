"""Writing imported feedback records: batches that keep a survey response together, the
upsert keyed by ``(workspace, source_type, source_id)``, and the removal of what a re-import
no longer gives for a response."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import replace

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from cxgap.db import listening_counts
from cxgap.db.tables import Feedback, utcnow
from cxgap.ingest import FeedbackRecord
from cxgap.services.contact_masking import stored_text


def batches(records: Iterable[FeedbackRecord], size: int) -> Iterator[list[FeedbackRecord]]:
    """Lists of about ``size`` records; the records of one survey response stay together."""
    batch: list[FeedbackRecord] = []
    for record in records:
        if len(batch) >= size and (
            record.response_key is None or record.response_key != batch[-1].response_key
        ):
            yield batch
            batch = []
        batch.append(record)
    if batch:
        yield batch


def upsert(
    session: Session, workspace_id: int, import_id: int, batch: list[FeedbackRecord]
) -> tuple[int, int]:
    """Update the records whose source id is known, insert the others; (created, updated)."""
    batch = [replace(r, text=stored_text(session, r.text)) for r in batch]  # privacy
    values = {(r.source_type, r.source_id): record_values(r, import_id) for r in batch}
    known = session.execute(
        select(Feedback.id, Feedback.source_type, Feedback.source_id).where(
            Feedback.workspace_id == workspace_id,
            Feedback.source_id.in_({source_id for _, source_id in values}),
        )
    )
    ids = {(row.source_type, row.source_id): row.id for row in known}
    now = utcnow()
    updates = [values[key] | {"id": ids[key], "updated_at": now} for key in values if key in ids]
    inserts = [
        values[key] | {"workspace_id": workspace_id, "created_at": now, "updated_at": now}
        for key in values
        if key not in ids
    ]
    # The Listening counts follow in this transaction (db.listening_counts).
    scope = and_(
        Feedback.workspace_id == workspace_id,
        Feedback.source_id.in_({source_id for _, source_id in values}),
    )
    with listening_counts.changing(session, workspace_id, scope):
        if updates:
            session.execute(update(Feedback), updates)
        if inserts:
            session.execute(insert(Feedback), inserts)
    return len(inserts), len(updates)


def drop_replaced(
    session: Session, workspace_id: int, import_id: int, batch: list[FeedbackRecord]
) -> int:
    """Delete what an earlier import stored for the survey responses of this batch and this
    import no longer gives: a verbatim of a question now left out, or the single record of
    the whole response an older cxgap stored (its id is the response's). A response's
    records are thus replaced as a whole, and its scores never counted twice. Records this
    import wrote, in this batch or an earlier one, are kept."""
    keys = {r.response_key for r in batch if r.response_key}
    if not keys:
        return 0
    replaced = and_(
        Feedback.workspace_id == workspace_id,
        Feedback.source_type.in_({r.source_type for r in batch if r.response_key}),
        or_(Feedback.response_key.in_(keys), Feedback.source_id.in_(keys)),
        or_(Feedback.import_id.is_(None), Feedback.import_id != import_id),
    )
    listening_counts.retract(session, workspace_id, replaced)
    result = session.execute(delete(Feedback).where(replaced))
    return int(getattr(result, "rowcount", 0) or 0)


def record_values(record: FeedbackRecord, import_id: int) -> dict[str, object]:
    """The ``feedback`` columns of a record, as this import writes them."""
    return {
        "source_type": record.source_type,
        "source_id": record.source_id,
        "channel": record.channel,
        "collected_at": record.collected_at,
        "text": record.text,
        "nps": record.nps,
        "csat": record.csat,
        "ces": record.ces,
        "stars": record.stars,
        "customer_ref": record.customer_ref,
        "touchpoint": record.touchpoint,
        "language_hint": record.language,
        "attributes": dict(record.attributes),
        "question": record.question,
        "response_key": record.response_key,
        "text_hash": hashlib.sha256(record.text.encode()).hexdigest(),
        "import_id": import_id,
    }
