"""Store imported feedback: stream a file through ``cxgap.ingest`` and upsert its records.

Records are keyed by ``(workspace, source_type, source_id)``: re-importing the same file, or
an overlapping one, updates the records it already holds and adds the new ones. Every import
leaves a ``feedback_imports`` row with its report. Refused imports raise the report's
``ValidationError`` so that the caller's transaction rolls back and nothing is stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from cxgap.db.tables import Feedback, FeedbackImport, Workspace, utcnow
from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest import (
    FeedbackRecord,
    ImportReport,
    MappingSpec,
    Mode,
    Progress,
    get_preset,
    load_mapping,
    parse_mapping,
    read_feedback,
)
from cxgap.services.workspaces import bump_revision

BATCH_SIZE = 1_000
# Problems kept in the stored report (the full count stays in ``problems_total``).
MAX_PROBLEMS_STORED = 100


@dataclass
class ImportRefused(ValidationError):
    """Nothing may be stored; ``report`` says why (the front ends keep it in the history)."""

    report: ImportReport | None = None


def import_feedback(
    session: Session,
    *,
    workspace: Workspace,
    source: Path | BinaryIO,
    name: str,
    preset: str | None,
    mapping: Path | None,
    mode: Mode = "all_or_nothing",
    pseudonym_key: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import one file into the workspace; raise ValidationError when it is refused."""
    spec = mapping_spec(preset, mapping)
    report = ImportReport(source=name, mode=mode)
    row = FeedbackImport(
        workspace_id=workspace.id, file_name=name, preset=spec.name, mode=mode, status="done"
    )
    session.add(row)
    session.flush()
    records = read_feedback(
        source, spec, report, name=name, pseudonym_key=pseudonym_key, progress=progress
    )
    stored = 0
    for batch in _batches(records, BATCH_SIZE):
        if report.ok:  # all-or-nothing: no use writing what will be rolled back
            stored += _upsert(session, workspace.id, row.id, batch)
    if not report.ok:
        raise ImportRefused(report.problems, summary=report.summary(), report=report)
    row.rows_read, row.records_stored = report.rows_read, stored
    row.report = stored_report(report)
    bump_revision(session, workspace.id)
    return report


def record_refusal(
    session: Session, *, workspace: Workspace, report: ImportReport, preset: str | None
) -> FeedbackImport:
    """Keep a refused import in the history (call it in a transaction of its own)."""
    row = FeedbackImport(
        workspace_id=workspace.id,
        file_name=report.source,
        preset=preset,
        mode=report.mode,
        status="refused",
        rows_read=report.rows_read,
        records_stored=0,
        report=stored_report(report),
    )
    session.add(row)
    session.flush()
    return row


def mapping_spec(preset: str | None, mapping: Path | None) -> MappingSpec:
    """The preset, the mapping file, or the mapping file applied on top of the preset."""
    if mapping is None:
        return get_preset(preset or "generic")
    spec = load_mapping(mapping)  # refuses files that are not valid mappings
    if preset is None:
        return spec
    data = json.loads(mapping.read_text(encoding="utf-8-sig"))
    if data.get("preset") not in (None, preset):
        message = f"names preset {data['preset']!r} but --preset is {preset!r}"
        problem = FieldProblem("preset", message, preset, source=mapping.name, code="choice")
        raise ValidationError([problem], summary="Mapping file refused")
    return parse_mapping({**data, "preset": preset}, source=mapping.name)


def stored_report(report: ImportReport) -> dict[str, object]:
    """The report as JSON, with at most MAX_PROBLEMS_STORED problems."""
    data = report.as_dict()
    problems = data["problems"]
    assert isinstance(problems, list)
    kept = problems[:MAX_PROBLEMS_STORED]
    data["problems"] = kept
    data["problems_not_kept"] = report.problems_total - len(kept)
    return data


def count_feedback(session: Session, workspace: Workspace) -> int:
    query = select(func.count()).select_from(Feedback)
    return session.scalar(query.where(Feedback.workspace_id == workspace.id)) or 0


def list_imports(session: Session, workspace: Workspace) -> list[FeedbackImport]:
    """The workspace's import history, oldest first."""
    query = select(FeedbackImport).where(FeedbackImport.workspace_id == workspace.id)
    return list(session.scalars(query.order_by(FeedbackImport.id)))


def _batches(records: Iterable[FeedbackRecord], size: int) -> Iterator[list[FeedbackRecord]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


def _upsert(
    session: Session, workspace_id: int, import_id: int, batch: list[FeedbackRecord]
) -> int:
    """Update the records whose source id is known, insert the others; the count written."""
    values = {(r.source_type, r.source_id): _values(r, import_id) for r in batch}
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
    if updates:
        session.execute(update(Feedback), updates)
    if inserts:
        session.execute(insert(Feedback), inserts)
    return len(values)


def _values(record: FeedbackRecord, import_id: int) -> dict[str, object]:
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
        "text_hash": hashlib.sha256(record.text.encode()).hexdigest(),
        "import_id": import_id,
    }
