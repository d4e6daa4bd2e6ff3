"""The Listening explorer's download: the feedback records it shows (its filters applied) as
CSV, XLSX or JSON, the same file as ``cxgap export feedback``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from cxgap.services import feedback_export, listening
from cxgap.services.accounts import Role
from cxgap.web.audit_hooks import note_export
from cxgap.web.deps import SessionDep, UserDep, open_workspace
from cxgap.web.feedback_download import feedback_download
from cxgap.web.render import locale_of

router = APIRouter(prefix="/w/{key}/listening")


@router.get("/export.{fmt}")
def export_feedback(
    request: Request, key: str, fmt: str, session: SessionDep, user: UserDep
) -> StreamingResponse:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    feedback_export.parse_format(fmt)
    filters = listening.parse_filters(request.query_params)
    where = feedback_export.listening_filter(session, workspace, filters)
    response = feedback_download(
        session, workspace, fmt, where, default_language=locale_of(request)
    )
    note_export(request, session, user, workspace, what="feedback", fmt=fmt)
    return response
