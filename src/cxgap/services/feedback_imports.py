"""Store imported feedback: stream a file through ``cxgap.ingest`` and upsert its records.

Records are keyed by ``(workspace, source_type, source_id)``: re-importing the same file, or
an overlapping one, updates the records it already holds and adds the new ones. Every import
leaves a ``feedback_imports`` row with its report. ``run_feedback_import`` reads the file
before it writes anything, so a long import holds no database lock while it reads
(``import_runs``); ``import_feedback`` works inside the caller's transaction. Refused
imports raise the report's ``ValidationError`` so that the caller's transaction rolls back
and nothing is stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db import search_index, segment_members
from cxgap.db.tables import Feedback, FeedbackImport, Workspace
from cxgap.errors import ImportRefused, NotFoundError
from cxgap.ingest import (
    FeedbackRecord,
    ImportReport,
    MappingSpec,
    Mode,
    Progress,
    read_feedback,
)
from cxgap.ingest.pipeline import Rewind, stream_feedback, stream_options
from cxgap.services import case_rules, feedback_direct, feedback_stage, import_runs
from cxgap.services.core import Cxgap
from cxgap.services.feedback_specs import choose_spec
from cxgap.services.feedback_specs import mapping_spec as mapping_spec
from cxgap.services.feedback_store import batches, drop_replaced, upsert
from cxgap.services.workspaces import bump_revision, get_workspace
from cxgap.webhooks import store as webhooks

BATCH_SIZE = 1_000
# Whether an import reads its file once (``ingest.stream_feedback``); bench/import_speed.py
# sets False to time, in the same run, the two reads every import made before.
read_once = True
# Problems kept in the stored report (the full count stays in ``problems_total``).
MAX_PROBLEMS_STORED = 100

# Called inside the import's transaction once it succeeded (e.g. to queue enrichment).
AfterImport = Callable[[Session, Workspace], None]


@dataclass
class ImportProgress:
    """What a running import has done so far, for a front end to show while it runs.

    Written by the importing thread, read by others: plain counters, each assignment atomic.
    """

    rows_read: int = 0
    records_stored: int = 0
    problems: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    started: float = field(default_factory=time.monotonic)

    def rows_per_second(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.rows_read / elapsed if elapsed > 0 else 0.0

    def share_done(self) -> float | None:
        return self.bytes_done / self.bytes_total if self.bytes_total else None


@dataclass(frozen=True)
class ImportOutcome:
    """How an import ended: its history row, its report, and the refusal if it was refused."""

    import_id: int
    report: ImportReport
    refusal: ImportRefused | None = None
    preset: str | None = None
    # Earlier imports of the workspace found interrupted (their process gone) and so marked.
    interrupted: tuple[int, ...] = ()


def run_feedback_import(
    cx: Cxgap,
    *,
    workspace_key: str,
    source: Path | BinaryIO,
    name: str,
    preset: str | None = None,
    mapping: Path | None = None,
    spec: MappingSpec | None = None,
    mode: Mode = "all_or_nothing",
    pseudonymise: bool = False,  # every front end asks for it by default
    progress: Progress | None = None,
    watch: ImportProgress | None = None,
    after: AfterImport | None = None,
    max_problems: int = MAX_PROBLEMS_STORED,
    date_order: str | None = None,
    jobs: int | None = None,
) -> ImportOutcome:
    """Import a file: its history row (``running``) in a first short transaction, the file
    read, checked and staged in a temporary table (no lock on the database), then its
    records written in one short transaction (``feedback_stage``, ``import_runs``). A
    refusal is kept in the history and returned, not raised, so that each front end says it
    its way.

    With neither ``spec``, ``preset`` nor ``mapping`` the preset is detected from the file's
    layout, as the browser does; ``date_order`` ("dmy" or "mdy") reads a date column whose
    values do not show their order; ``jobs``: processes mapping rows (``import_jobs``)."""
    if spec is None:
        spec = choose_spec(preset, mapping, source=source, name=name)
    key = cx.settings.resolved_secret_key() if pseudonymise else None
    import_id, interrupted = import_runs.start_import(
        cx, workspace_key=workspace_key, source=source, name=name, preset=spec.name, mode=mode
    )
    report = ImportReport(source=name, mode=mode)
    options = stream_options(
        name=name,
        pseudonym_key=key,
        progress=_watched(progress, watch, report),
        date_order=date_order,
        jobs=cx.settings.import_jobs if jobs is None else jobs,
    )
    refusal: ImportRefused | None = None

    def finish(session: Session, counts: tuple[int, int, int]) -> None:
        workspace = get_workspace(session, workspace_key)
        row = session.get_one(FeedbackImport, import_id)
        _finish_row(session, workspace, row, report, counts, max_problems)
        if watch is not None:
            watch.records_stored = counts[0] + counts[1]
        if after is not None:
            after(session, workspace)

    def read() -> Iterator[FeedbackRecord | Rewind]:
        # Read once (the stage forgets what came before a rewind).
        if not isinstance(source, Path):
            source.seek(start)
        return stream_feedback(source, spec, report, options, rewinds=read_once)

    start = 0 if isinstance(source, Path) else source.tell()
    mask = cx.settings.mask_contacts  # contact details never reach the database
    try:
        with cx.engine.connect() as conn:
            workspace_id = _workspace_id(cx, workspace_key)
            with cx.sessions(bind=conn) as session:
                items = feedback_direct.write(
                    session,
                    read(),
                    report,
                    workspace_id=workspace_id,
                    import_id=import_id,
                    mask=mask,
                    finish=finish,
                    reread=read,
                )
            if items is not None:  # the staged path
                table = feedback_stage.create_stage(conn)
                try:
                    staged = feedback_stage.stage_file(
                        conn, table, items, report, BATCH_SIZE, mask=mask
                    )
                    if report.ok:
                        with cx.sessions(bind=conn) as session, session.begin():
                            counts = feedback_stage.apply_stage(
                                session.connection(),
                                table,
                                workspace_id=workspace_id,
                                import_id=import_id,
                                staged=staged,
                            )
                            finish(session, counts)
                finally:
                    feedback_stage.drop_stage_quietly(conn)
            if watch is not None:
                watch.rows_read, watch.problems = report.rows_read, report.problems_total
            if not report.ok:
                refusal = _refuse(cx, workspace_key, report, spec.name, max_problems, import_id)
    except BaseException as exc:
        with cx.transaction() as session:
            import_runs.mark_failed(session, import_id, type(exc).__name__)
        raise
    return ImportOutcome(import_id, report, refusal, spec.name, interrupted)


def _workspace_id(cx: Cxgap, workspace_key: str) -> int:
    with cx.transaction() as session:
        return get_workspace(session, workspace_key).id


def _refuse(
    cx: Cxgap,
    workspace_key: str,
    report: ImportReport,
    preset: str,
    max_problems: int,
    import_id: int,
) -> ImportRefused:
    """End the running import as refused, in the history; the refusal to return."""
    with cx.transaction() as session:
        record_refusal(
            session,
            workspace=get_workspace(session, workspace_key),
            report=report,
            preset=preset,
            max_problems=max_problems,
            import_id=import_id,
        )
    return ImportRefused(report.problems, summary=report.summary(), report=report)


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
    spec: MappingSpec | None = None,
    watch: ImportProgress | None = None,
    max_problems: int = MAX_PROBLEMS_STORED,
    date_order: str | None = None,
) -> ImportReport:
    """Import one file into the workspace; raise ValidationError when it is refused.

    ``spec`` (a mapping built elsewhere, e.g. in the browser) replaces preset and mapping
    file; ``watch`` is kept up to date while the rows stream through.
    """
    return _import(
        session,
        workspace=workspace,
        source=source,
        name=name,
        preset=preset,
        mapping=mapping,
        mode=mode,
        pseudonym_key=pseudonym_key,
        progress=progress,
        spec=spec,
        watch=watch,
        max_problems=max_problems,
        date_order=date_order,
    )[0]


def _import(
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
    spec: MappingSpec | None = None,
    watch: ImportProgress | None = None,
    max_problems: int = MAX_PROBLEMS_STORED,
    date_order: str | None = None,
) -> tuple[ImportReport, FeedbackImport]:
    spec = spec if spec is not None else choose_spec(preset, mapping, source=source, name=name)
    report = ImportReport(source=name, mode=mode)
    row = FeedbackImport(
        workspace_id=workspace.id, file_name=name, preset=spec.name, mode=mode, status="done"
    )
    session.add(row)
    session.flush()
    records = read_feedback(
        source,
        spec,
        report,
        name=name,
        pseudonym_key=pseudonym_key,
        progress=_watched(progress, watch, report),
        date_order=date_order,
    )
    kept = (batch for batch in batches(records, BATCH_SIZE) if report.ok)
    _write(session, workspace, row, report, kept, watch, max_problems)
    if not report.ok:
        raise ImportRefused(report.problems, summary=report.summary(), report=report)
    return report, row


def _write(
    session: Session,
    workspace: Workspace,
    row: FeedbackImport,
    report: ImportReport,
    batches_: Iterable[list[FeedbackRecord]],
    watch: ImportProgress | None,
    max_problems: int,
) -> None:
    """Upsert the batches and finish the history row (``done``), unless the report says
    the file is refused by the time the batches run out (nothing more is then written)."""
    created = updated = removed = 0
    for batch in batches_:
        new, known = upsert(session, workspace.id, row.id, batch)
        created, updated = created + new, updated + known
        removed += drop_replaced(session, workspace.id, row.id, batch)
        if watch is not None:
            watch.records_stored = created + updated
    if watch is not None:
        watch.rows_read, watch.problems = report.rows_read, report.problems_total
    if report.ok:
        _finish_row(session, workspace, row, report, (created, updated, removed), max_problems)


def _finish_row(
    session: Session,
    workspace: Workspace,
    row: FeedbackImport,
    report: ImportReport,
    counts: tuple[int, int, int],
    max_problems: int,
) -> None:
    """The history row of a successful import (``done``), the workspace's revision, the
    webhook: in the transaction that wrote the records."""
    created, updated, removed = counts
    digest = row.report.get("file_sha256") if row.report else None
    row.status = "done"
    row.rows_read, row.records_stored = report.rows_read, created + updated
    row.report = stored_report(report, max_problems=max_problems) | {
        "records_created": created,
        "records_updated": updated,
        "records_removed": removed,
        **({"file_sha256": digest} if digest else {}),
    }
    segment_members.refresh_import(session, workspace.id, row.id)
    # The search's index takes the import's rows in a job after it (db.search_index); the
    # search reads them in `feedback` meanwhile.
    search_index.defer(session, workspace.id, row.id, updated=updated > 0)
    bump_revision(session, workspace.id)
    webhooks.emit_import(session, row, created=created)
    case_rules.apply_rules(session, workspace.id, Feedback.import_id == row.id)


def _watched(
    progress: Progress | None, watch: ImportProgress | None, report: ImportReport
) -> Progress | None:
    """The reader's progress callback, also copying the counts into ``watch``."""
    if watch is None:
        return progress

    def tick(rows: int, bytes_done: int, bytes_total: int) -> None:
        watch.rows_read, watch.problems = rows, report.problems_total
        watch.bytes_done, watch.bytes_total = bytes_done, bytes_total
        if progress is not None:
            progress(rows, bytes_done, bytes_total)

    return tick


def record_refusal(
    session: Session,
    *,
    workspace: Workspace,
    report: ImportReport,
    preset: str | None,
    max_problems: int = MAX_PROBLEMS_STORED,
    import_id: int | None = None,
) -> FeedbackImport:
    """Keep a refused import in the history (call it in a transaction of its own): as a
    new row, or as the end of the running import ``import_id``."""
    row = session.get(FeedbackImport, import_id) if import_id is not None else None
    if row is None:
        row = FeedbackImport(workspace_id=workspace.id, file_name=report.source, report={})
        session.add(row)
    digest = row.report.get("file_sha256") if row.report else None
    row.preset, row.mode, row.status = preset, report.mode, "refused"
    row.rows_read, row.records_stored = report.rows_read, 0
    row.report = stored_report(report, max_problems=max_problems) | (
        {"file_sha256": digest} if digest else {}
    )
    session.flush()
    webhooks.emit_import(session, row)
    return row


def stored_report(
    report: ImportReport, *, max_problems: int = MAX_PROBLEMS_STORED
) -> dict[str, object]:
    """The report as JSON, with at most ``max_problems`` problems."""
    data = report.as_dict()
    problems = data["problems"]
    assert isinstance(problems, list)
    kept = problems[:max_problems]
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


def get_import(session: Session, workspace: Workspace, import_id: int) -> FeedbackImport:
    """One import of the workspace's history; another workspace's is not found."""
    row = session.get(FeedbackImport, import_id)
    if row is None or row.workspace_id != workspace.id:
        raise NotFoundError(f"No feedback import {import_id} in workspace {workspace.key!r}")
    return row
