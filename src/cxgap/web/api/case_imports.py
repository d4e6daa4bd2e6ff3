"""Past help-desk tickets imported as cases through the API: the twin of ``cxgap cases
import`` and of the Import tickets page (``services/case_imports.py``, docs/cases.md).

Analysts and admins upload the file with the CLI's options (``preset``, ``map``,
``date_order``); the whole file is stored or nothing (a refusal is a 422 naming the file, the
row, the column and the value), and the answer is the import's report."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, UploadFile
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from cxgap.errors import PayloadTooLargeError, ValidationError
from cxgap.services.accounts import Role
from cxgap.services.api_tokens import ApiCaller
from cxgap.services.case_imports import import_ticket_cases
from cxgap.services.core import Cxgap
from cxgap.tickets.importing import PRESETS
from cxgap.web.api.deps import CallerApartDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.deps import CxDep

router = APIRouter(prefix="/api/v1/workspaces/{key}")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
PRESET_PATTERN = "^(" + "|".join(PRESETS) + ")?$"
MAX_MAPPINGS = 32
MAX_HISTORY_FILES = 8


class CaseImportOut(BaseModel):
    """What the import stored and what reading the file counted."""

    layout: str = Field(description="zendesk-csv, zendesk-json, freshdesk-csv, mapped or events")
    rows: int = Field(description="Rows (or JSON tickets) read")
    cases: int = Field(description="Tickets found in the file")
    created: int
    updated: int = Field(description="Tickets imported before: their cases updated")
    unknown_teams: int = Field(description="Cases whose team is not a team of the workspace")
    skipped: dict[str, int] = Field(description="Rows skipped, by reason (no_id, ragged…)")
    defaulted: dict[str, int] = Field(description="Values defaulted, by field (priority…)")
    unmeasured: dict[str, int] = Field(
        description="Metrics the file cannot measure, by metric (left out of compliance)"
    )


def mapping_of(pairs: list[str]) -> dict[str, str]:
    """``["subject=Titre", …]`` as a mapping; a pair without ``=`` is refused by name."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        if not sep or not name.strip() or not column:
            raise ValidationError.single(
                "map", "is not field=Column (for example subject=Titre)", pair, code="format"
            )
        mapping[name.strip()] = column
    return mapping


def _stored(
    cx: Cxgap,
    caller: ApiCaller,
    key: str,
    files: list[tuple[str, bytes]],
    options: dict[str, object],
) -> dict[str, object]:
    """The file (first) and its history files imported in one transaction: refused, nothing
    stays."""
    with cx.transaction() as session:
        workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
        with tempfile.TemporaryDirectory(prefix="cxgap-tickets-") as folder:
            paths = []
            for position, (name, data) in enumerate(files):
                # each in its own folder: two uploads of the same name stay apart
                path = Path(folder) / str(position) / name
                path.parent.mkdir()
                path.write_bytes(data)
                paths.append(path)
            done = import_ticket_cases(
                session,
                workspace=workspace,
                path=paths[0],
                history=paths[1:],
                **options,  # type: ignore[arg-type]
            )
        return done.report


async def _read(upload: UploadFile, limit: int, default: str) -> tuple[str, bytes]:
    """An upload's safe name and bytes, refused by name above the size limit."""
    data = await upload.read(limit + 1)
    name = _UNSAFE.sub("_", Path(upload.filename or default).name)[-120:] or default
    if len(data) > limit:
        raise PayloadTooLargeError(f"{name} is larger than the {limit // 1_000_000} MB limit")
    return name, data


@router.post(
    "/cases/import",
    response_model=CaseImportOut,
    tags=["cases"],
    operation_id="import_cases",
    responses=error_responses(400, 413),
)
async def import_cases(
    key: str,
    cx: CxDep,
    caller: CallerApartDep,
    file: Annotated[
        UploadFile, File(description="The tickets: a CSV, an Excel workbook or Zendesk's JSON")
    ],
    preset: Annotated[
        str | None,
        Form(pattern=PRESET_PATTERN, description="The layout; detected when absent"),
    ] = None,
    map: Annotated[
        list[str] | None,
        Form(
            max_length=MAX_MAPPINGS,
            description="field=Column, repeated (id, created_at, subject…), as the CLI's --map",
        ),
    ] = None,
    date_order: Annotated[
        Literal["dmy", "mdy"] | None,
        Form(description="When no date of the file shows whether the day or the month is first"),
    ] = None,
    history: Annotated[
        list[UploadFile] | None,
        File(
            description="Zendesk JSON with ticket metric events, audits or users, repeated "
            "(the CLI's --history): replayed as each case's replies and status changes"
        ),
    ] = None,
) -> CaseImportOut:
    """Store past tickets as cases (imported again: updated, never duplicated), measured by
    the SLA engine and counted in credits and compliance; a bad row stores nothing (422
    naming the file, the row, the column and the value)."""
    with cx.transaction() as session:
        open_workspace(session, caller, key, Role.ANALYST)
    mapping = mapping_of(map or [])
    extra = history or []
    if len(extra) > MAX_HISTORY_FILES:
        raise ValidationError.single(
            "history", f"at most {MAX_HISTORY_FILES} files", len(extra), code="too_long"
        )
    limit = cx.settings.max_upload_bytes
    files = [await _read(file, limit, "tickets.csv")]
    files += [await _read(upload, limit, "history.json") for upload in extra]
    options: dict[str, object] = {
        "preset": preset or None, "mapping": mapping, "date_order": date_order,
    }  # fmt: skip
    report = await run_in_threadpool(_stored, cx, caller, key, files, options)
    return CaseImportOut.model_validate(report)
