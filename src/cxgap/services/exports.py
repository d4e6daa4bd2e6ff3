"""Raw answers as CSV, one row per answer and one column per pillar score, so anyone can
recompute every figure. The customer file re-imports as it is (``cxgap assess import``).

Files are written as :mod:`cxgap.ingest.csvwrite` says: UTF-8 with a byte order mark, ``;``
for a French workspace and ``,`` otherwise, texts that look like formulas kept inert.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.analytics.generations import generation_of
from cxgap.db import feedback_export_queries
from cxgap.db.queries import NONE, Ids, not_in
from cxgap.db.tables import (
    CustomerPillarScore,
    CustomerResponse,
    CustomerSurvey,
    InternalCampaign,
    InternalPillarScore,
    InternalResponse,
    Pillar,
    Workspace,
)
from cxgap.errors import NotFoundError
from cxgap.files import open_private_text
from cxgap.ingest.csvwrite import csv_writer, delimiter_for
from cxgap.schema import importance_field, performance_field
from cxgap.services.workspaces import pillars_of

CUSTOMER_COLUMNS = (
    "response_id",
    "source",
    "survey",
    "submitted_at",
    "language",
    "nps",
    "csat",
    "ces",
    "birth_year",
    "generation",
    "segment",
    "consent",
    "customer_ref",
    "agent",
    "duration_seconds",
    "comment",
)
INTERNAL_COLUMNS = ("response_id", "campaign", "submitted_at", "department", "comment")


@dataclass(frozen=True)
class ExportSummary:
    internal_path: Path
    customer_path: Path
    internal_rows: int
    customer_rows: int


def workspace_language(session: Session, workspace: Workspace, default: str = "en") -> str:
    """``fr`` or ``en``: the language most of the workspace's customers write in (their
    answers' language and their feedback's); ``default`` while it has neither."""
    counts = dict.fromkeys(("fr", "en"), 0)
    answers = (
        select(CustomerResponse.language, func.count())
        .where(CustomerResponse.workspace_id == workspace.id)
        .group_by(CustomerResponse.language)
    )
    feedback = feedback_export_queries.language_counts(session, workspace.id)
    for code, n in [*session.execute(answers).all(), *feedback.items()]:
        if code in counts:
            counts[code] += n
    if counts["fr"] == counts["en"]:
        return default if counts["fr"] == 0 else "en"
    return "fr" if counts["fr"] > counts["en"] else "en"


def csv_delimiter(session: Session, workspace: Workspace, default_language: str = "en") -> str:
    """``;`` for a French workspace (French Excel reads ``,`` as the decimal mark), else ``,``."""
    return delimiter_for(workspace_language(session, workspace, default_language))


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _customer_rows(
    session: Session, workspace: Workspace, pillars: list[Pillar], excluded: Ids = NONE
) -> Iterator[list[object]]:
    key_of = {p.id: p.key for p in pillars}
    surveys = {
        survey_id: key
        for survey_id, key in session.execute(
            select(CustomerSurvey.id, CustomerSurvey.key).where(
                CustomerSurvey.workspace_id == workspace.id
            )
        )
    }
    responses = session.execute(
        select(CustomerResponse)
        .where(CustomerResponse.workspace_id == workspace.id, not_in(CustomerResponse.id, excluded))
        .order_by(CustomerResponse.id)
        .execution_options(yield_per=2000)
    ).scalars()
    scores = iter(
        session.execute(
            select(
                CustomerPillarScore.response_id,
                CustomerPillarScore.pillar_id,
                CustomerPillarScore.importance,
                CustomerPillarScore.performance,
            )
            .where(CustomerPillarScore.pillar_id.in_(list(key_of)))
            # The excluded answers' scores too: the cursor is read to its end (PostgreSQL's
            # server-side cursor closes then).
            .where(not_in(CustomerPillarScore.response_id, excluded))
            .order_by(CustomerPillarScore.response_id)
            .execution_options(yield_per=20000)
        )
    )
    pending = next(scores, None)
    for r in responses:
        by_key: dict[str, tuple[int | None, int | None]] = {}
        while pending is not None and pending[0] <= r.id:
            if pending[0] == r.id:
                by_key[key_of[pending[1]]] = (pending[2], pending[3])
            pending = next(scores, None)
        head = [
            r.external_id, r.source, surveys.get(r.survey_id or -1, ""), r.submitted_at,
            r.language, r.nps, r.csat, r.ces, r.birth_year, generation_of(r.birth_year),
            r.segment_key, r.consent, r.customer_ref, r.agent, r.duration_seconds, r.comment,
        ]  # fmt: skip
        tail = [v for p in pillars for v in by_key.get(p.key, (None, None))]
        yield [_cell(v) for v in head + tail]


def _internal_rows(
    session: Session, workspace: Workspace, pillars: list[Pillar]
) -> Iterator[list[object]]:
    key_of = {p.id: p.key for p in pillars}
    responses = session.execute(
        select(InternalResponse, InternalCampaign.key)
        .join(InternalCampaign, InternalCampaign.id == InternalResponse.campaign_id)
        .where(InternalCampaign.workspace_id == workspace.id)
        .order_by(InternalResponse.id)
    )
    for response, campaign_key in responses:
        by_key: dict[str, InternalPillarScore] = {key_of[s.pillar_id]: s for s in response.scores}
        head = [
            response.submission_id,
            campaign_key,
            response.submitted_at,
            response.department,
            response.comment,
        ]
        tail: list[object] = []
        for p in pillars:
            s = by_key.get(p.key)
            tail += [s.current, s.desired, s.rank] if s else [None, None, None]
        yield [_cell(v) for v in head + tail]


def _headers(pillars: list[Pillar]) -> tuple[list[str], list[str]]:
    internal = list(INTERNAL_COLUMNS) + [
        f"{p.key}_{part}" for p in pillars for part in ("current", "desired", "rank")
    ]
    customer = list(CUSTOMER_COLUMNS) + [
        f(p.key) for p in pillars for f in (importance_field, performance_field)
    ]
    return internal, customer


def write_answers_csv(
    session: Session,
    *,
    workspace: Workspace,
    which: str,
    handle: TextIO,
    default_language: str = "en",
    excluded: Ids = NONE,
) -> int:
    """Write ``internal`` or ``customer`` answers as CSV to an open text handle (opened
    with ``newline=""``); ``default_language`` sets the delimiter of an empty workspace;
    ``excluded``: customer answers left out (the flagged ones, ``services.flagged``)."""
    pillars = pillars_of(session, workspace, include_retired=True)
    internal_header, customer_header = _headers(pillars)
    delimiter = csv_delimiter(session, workspace, default_language)
    if which == "internal":
        rows = _internal_rows(session, workspace, pillars)
        return _write(handle, delimiter, internal_header, rows)
    if which == "customer":
        rows = _customer_rows(session, workspace, pillars, excluded)
        return _write(handle, delimiter, customer_header, rows)
    raise NotFoundError(f"No export {which!r}: choose internal or customer")


def export_answers(
    session: Session, *, workspace: Workspace, output_dir: Path, default_language: str = "en"
) -> ExportSummary:
    """Write ``internal_answers.csv`` and ``customer_answers.csv`` into ``output_dir``."""
    output_dir.mkdir(parents=True, exist_ok=True)
    paths = {w: output_dir / f"{w}_answers.csv" for w in ("internal", "customer")}
    counts = {}
    for which, path in paths.items():
        with open_private_text(path, newline="") as handle:
            counts[which] = write_answers_csv(
                session,
                workspace=workspace,
                which=which,
                handle=handle,
                default_language=default_language,
            )
    return ExportSummary(
        paths["internal"], paths["customer"], counts["internal"], counts["customer"]
    )


def _write(handle: TextIO, delimiter: str, header: list[str], rows: Iterator[list[object]]) -> int:
    writer = csv_writer(handle, delimiter=delimiter)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
