"""Learning from corrections: an analyst corrects a label of one feedback item; the workspace
model is retrained and the feedback re-enriched by the background job, not in the request."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from cxgap.jobs import enqueue_enrichment
from cxgap.services import corrections
from cxgap.services.accounts import Role
from cxgap.services.corrections import CorrectionInput
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import page

router = APIRouter(prefix="/w/{key}/listening")


@router.post("/feedback/{feedback_id}/labels", response_class=HTMLResponse)
def correct_label(
    request: Request,
    key: str,
    feedback_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    kind: Annotated[str, Form(max_length=16)],
    value: Annotated[str, Form(max_length=64)],
    applies: Annotated[bool, Form()] = True,
    start: Annotated[int | None, Form(ge=0)] = None,
    end: Annotated[int | None, Form(ge=0)] = None,
) -> Response:
    """Store the correction; the workspace model is retrained and the feedback re-enriched by
    the background job (not in this request)."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    correction = corrections.record_correction(
        session,
        workspace=workspace,
        feedback_id=feedback_id,
        correction=CorrectionInput(kind=kind, value=value, applies=applies, start=start, end=end),
        user_id=user.user_id,
    )
    job = enqueue_enrichment(session, workspace)
    context = {"workspace": workspace, "role": role, "correction": correction, "job_id": job.id}
    return page(request, "_taxonomy_label_saved.html", context)
