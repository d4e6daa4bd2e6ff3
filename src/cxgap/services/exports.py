"""Raw answers as CSV, one row per answer and one column per pillar score, so anyone can
recompute every figure. The customer file re-imports as it is."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.analytics.generations import generation_of
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
    "comment",
)
INTERNAL_COLUMNS = ("response_id", "campaign", "submitted_at", "department", "comment")


@dataclass(frozen=True)
class ExportSummary:
    internal_path: Path
    customer_path: Path
    internal_rows: int
    customer_rows: int


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _customer_rows(
    session: Session, workspace: Workspace, pillars: list[Pillar]
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
        .where(CustomerResponse.workspace_id == workspace.id)
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
            r.segment_key, r.consent, r.customer_ref, r.comment,
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


def write_answers_csv(session: Session, *, workspace: Workspace, which: str, handle: TextIO) -> int:
    """Write ``internal`` or ``customer`` answers as CSV to an open text handle."""
    pillars = pillars_of(session, workspace, include_retired=True)
    internal_header, customer_header = _headers(pillars)
    if which == "internal":
        return _write(handle, internal_header, _internal_rows(session, workspace, pillars))
    if which == "customer":
        return _write(handle, customer_header, _customer_rows(session, workspace, pillars))
    raise NotFoundError(f"No export {which!r}: choose internal or customer")


def export_answers(session: Session, *, workspace: Workspace, output_dir: Path) -> ExportSummary:
    """Write ``internal_answers.csv`` and ``customer_answers.csv`` into ``output_dir``."""
    output_dir.mkdir(parents=True, exist_ok=True)
    paths = {w: output_dir / f"{w}_answers.csv" for w in ("internal", "customer")}
    counts = {}
    for which, path in paths.items():
        with path.open("w", newline="", encoding="utf-8") as handle:
            counts[which] = write_answers_csv(
                session, workspace=workspace, which=which, handle=handle
            )
    return ExportSummary(
        paths["internal"], paths["customer"], counts["internal"], counts["customer"]
    )


def _write(handle: TextIO, header: list[str], rows: Iterator[list[object]]) -> int:
    writer = csv.writer(handle)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
