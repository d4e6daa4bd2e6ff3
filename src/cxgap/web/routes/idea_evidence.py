"""The verbatims that ask for an idea, for the team (``docs/community.md``):
``/w/{key}/ideas/{idea_id}/evidence`` shows the count, the topics and touchpoints involved
(each a link to the Listening explorer filtered on it) and every matched verbatim, most
similar first, twenty a page.
Viewers read it; the public idea page shows the count and the topics only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from cxgap.services import idea_evidence_pages, idea_pages
from cxgap.services.accounts import Role
from cxgap.web.deps import SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}/ideas/{idea_id}")

PER_PAGE = 20  # matched verbatims a page


@router.get("/evidence", response_class=HTMLResponse)
def idea_evidence_page(
    request: Request,
    key: str,
    idea_id: int,
    session: SessionDep,
    user: UserDep,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    locale = locale_of(request)
    view = idea_pages.idea_view(session, workspace, idea_id)
    evidence = idea_evidence_pages.evidence_of(
        session, workspace, idea_id, locale, examples=PER_PAGE, page=page_number
    )
    texts = idea_evidence_pages.matched_texts(session, workspace, idea_id)
    context = {
        "user": user,
        "workspace": workspace,
        "role": role,
        "idea": view,
        "evidence": evidence,
        "page_number": page_number,
        "pages": max(1, -(-texts // PER_PAGE)),
        "status_names": idea_pages.status_names(session, workspace, locale),
    }
    return page(request, "community/idea_evidence.html", context)
