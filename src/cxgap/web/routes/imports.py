"""Import customer answers collected with another survey tool (CSV)."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from cxgap.errors import PayloadTooLargeError, ValidationError
from cxgap.ingest.csvwrite import csv_writer
from cxgap.jobs import enqueue_enrichment
from cxgap.schema import importance_field, performance_field
from cxgap.services.accounts import Role
from cxgap.services.exports import csv_delimiter
from cxgap.services.survey_imports import OPTIONAL_COLUMNS, import_customer_csv
from cxgap.services.workspaces import pillars_of, segments_of
from cxgap.web.deps import CsrfDep, CxDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}/import")
ENCODINGS = ("auto", "utf-8", "cp1252", "latin-1")


def _columns(pillar_keys: list[str]) -> list[str]:
    required = ["nps"] + [f(k) for k in pillar_keys for f in (importance_field, performance_field)]
    return required + list(OPTIONAL_COLUMNS)


@router.get("", response_class=HTMLResponse)
def import_form(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    pillars = pillars_of(session, workspace)
    return page(
        request,
        "import.html",
        {
            "user": user,
            "workspace": workspace,
            "role": role,
            "pillar_keys": [p.key for p in pillars],
            "segments": segments_of(session, workspace),
            "encodings": ENCODINGS,
        },
    )


@router.get("/template.csv")
def template_csv(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    """An empty file with the expected header, plus one example row, written as the raw
    export is (BOM, ``;`` for a French workspace or, while it is empty, a French reader)."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    columns = _columns([p.key for p in pillars_of(session, workspace)])
    example = {c: "4" for c in columns if c.endswith(("_importance", "_performance"))}
    example.update(
        nps="8", csat="4", ces="6", birth_year="1984", response_id="example-1",
        submitted_at="2026-03-31T14:05:00", language="fr", consent="true",
        comment="Livraison rapide, conseiller très aimable.",
    )  # fmt: skip
    buffer = io.StringIO(newline="")
    writer = csv_writer(buffer, delimiter=csv_delimiter(session, workspace, locale_of(request)))
    writer.writerow(columns)
    writer.writerow([example.get(column, "") for column in columns])
    return Response(
        buffer.getvalue().encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{key}-import-template.csv"'},
    )


@router.post("", response_class=HTMLResponse)
async def import_upload(
    request: Request,
    key: str,
    cx: CxDep,
    user: UserDep,
    _csrf: CsrfDep,
    file: Annotated[UploadFile, File()],
    skip_invalid: Annotated[bool, Form()] = False,
    pseudonymise: Annotated[bool, Form()] = False,
    encoding: Annotated[str, Form()] = "auto",
) -> Response:
    limit = cx.settings.max_upload_bytes
    data = await file.read(limit + 1)
    source = file.filename or "upload.csv"
    if len(data) > limit:
        raise PayloadTooLargeError(f"{source} is larger than the {limit // 1_000_000} MB limit")
    # The import runs in its own transaction: refused means nothing stored.
    with cx.transaction() as session:
        workspace, role = open_workspace(session, user, key, Role.ANALYST)  # before any 422
        if encoding not in ENCODINGS:
            message = f"must be one of {', '.join(ENCODINGS)}"
            raise ValidationError.single("encoding", message, encoding)
        report = import_customer_csv(
            session,
            workspace=workspace,
            data=data,
            source=source,
            max_bytes=limit,
            skip_invalid=skip_invalid,
            encoding=None if encoding == "auto" else encoding,
            pseudonym_secret=cx.settings.resolved_secret_key() if pseudonymise else None,
        )
        if report.stored:  # their comments are feedback now: have them enriched
            enqueue_enrichment(session, workspace)
    return page(
        request,
        "import_done.html",
        {"user": user, "workspace": workspace, "role": role, "report": report},
    )
