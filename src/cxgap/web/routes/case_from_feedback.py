""" "Open a case" from a Listening verbatim (issue 12: cases are opened "by hand from any
verbatim; duplicates of an open case of the same customer are attached to it"). The case
page then says which happened."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from cxgap.services import cases
from cxgap.services.accounts import Role
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace

router = APIRouter(prefix="/w/{key}/listening")


@router.post("/feedback/{feedback_id}/case")
def open_case_from_feedback(
    key: str, feedback_id: int, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    """A new case from the verbatim, or the customer's open case it is attached to."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    case, created = cases.open_case(
        session, workspace=workspace, feedback_id=feedback_id, actor_id=user.user_id
    )
    said = "opened" if created else "attached"
    return RedirectResponse(f"/w/{key}/cases/{case.number}?from_feedback={said}", status_code=303)
