"""Collecting answers: internal self-assessment campaigns and customer surveys."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.db.tables import CustomerSurvey, InternalCampaign, Workspace
from cxgap.errors import NotFoundError
from cxgap.services import campaigns
from cxgap.services.accounts import Principal, Role
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import page

router = APIRouter(prefix="/w/{key}/collect")


def _page(
    request: Request,
    session: SessionDep,
    user: Principal,
    workspace: Workspace,
    role: Role,
    **extra: object,
) -> Response:
    base = str(request.base_url).rstrip("/")
    return page(
        request,
        "collect.html",
        {
            "user": user,
            "workspace": workspace,
            "role": role,
            "base_url": base,
            "campaigns": campaigns.campaigns_of(session, workspace),
            "surveys": campaigns.surveys_of(session, workspace),
            **extra,
        },
    )


@router.get("", response_class=HTMLResponse)
def collect(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    return _page(request, session, user, workspace, role)


@router.post("/campaigns")
def new_campaign(
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    name: Annotated[str, Form(max_length=200)],
    campaign_key: Annotated[str, Form(max_length=63)] = "",  # empty: derived from the name
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    campaigns.create_internal_campaign(session, workspace=workspace, key=campaign_key, name=name)
    return RedirectResponse(f"/w/{key}/collect", status_code=303)


@router.post("/surveys")
def new_survey(
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    name: Annotated[str, Form(max_length=200)],
    survey_key: Annotated[str, Form(max_length=63)] = "",  # empty: derived from the name
    invitation_only: Annotated[bool, Form()] = False,
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    campaigns.create_survey(
        session,
        workspace=workspace,
        key=survey_key,
        name=name,
        invitation_only=invitation_only,
    )
    return RedirectResponse(f"/w/{key}/collect", status_code=303)


@router.post("/{kind}/{item_key}/toggle")
def toggle(
    key: str, kind: str, item_key: str, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    """Open or close a campaign or a survey."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    item: CustomerSurvey | InternalCampaign | None = None
    if kind == "campaigns":
        item = next(
            (c for c, _ in campaigns.campaigns_of(session, workspace) if c.key == item_key), None
        )
    elif kind == "surveys":
        item = next(
            (s for s, _ in campaigns.surveys_of(session, workspace) if s.key == item_key), None
        )
    if item is None:
        raise NotFoundError(f"No {kind[:-1]} {item_key!r} in workspace {key!r}")
    campaigns.set_open(session, item, not item.is_open)
    return RedirectResponse(f"/w/{key}/collect", status_code=303)


@router.post("/surveys/{survey_key}/invitations", response_class=HTMLResponse)
def invitations(
    request: Request,
    key: str,
    survey_key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    count: Annotated[int, Form(ge=1, le=10_000)],
) -> Response:
    """Single-use links, shown once (only their hashes are stored)."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    survey = campaigns.get_survey(session, workspace, survey_key)
    tokens = campaigns.create_invitations(session, survey=survey, count=count)
    base = str(request.base_url).rstrip("/")
    links = [f"{base}/s/{survey.token}?invitation={token}" for token in tokens]
    return _page(request, session, user, workspace, role, invitation_links=links, invited=survey)
