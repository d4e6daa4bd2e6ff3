"""The verbatims that ask for an idea, for the team (``docs/community.md``):
``/w/{key}/ideas/{idea_id}/evidence`` shows the count, the topics and touchpoints involved
(each a link to the Listening explorer filtered on it) and the best-matching verbatims.
Viewers read it; the public idea page shows the count and the topics only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from cxgap.services import idea_evidence_pages, idea_pages
from cxgap.services.accounts import Role
from cxgap.web.deps import SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}/ideas/{idea_id}")

EXAMPLES = 10  # the best-matching verbatims listed


@router.get("/evidence", response_class=HTMLResponse)
def idea_evidence_page(
    request: Request, key: str, idea_id: int, session: SessionDep, user: UserDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    locale = locale_of(request)
    view = idea_pages.idea_view(session, workspace, idea_id)
    evidence = idea_evidence_pages.evidence_of(
        session, workspace, idea_id, locale, examples=EXAMPLES
    )
    context = {
        "user": user,
        "workspace": workspace,
        "role": role,
        "idea": view,
        "evidence": evidence,
        "status_names": idea_pages.status_names(session, workspace, locale),
    }
    return page(request, "community/idea_evidence.html", context)
