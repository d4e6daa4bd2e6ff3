"""Creating customer surveys and self-assessment campaigns, opening and closing them."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from cxgap.db.tables import CustomerSurvey, InternalCampaign, Workspace
from cxgap.errors import NotFoundError
from cxgap.services import campaigns
from cxgap.services.accounts import Role
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.api.fields import NOT_BLANK, OPTIONAL_KEY_PATTERN
from cxgap.web.api.workspaces import CollectorDetail, collectors_of
from cxgap.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/workspaces/{key}", tags=["collectors"])


class CampaignIn(BaseModel):
    name: str = Field(max_length=200, pattern=NOT_BLANK)
    key: str = Field(
        "", max_length=63, pattern=OPTIONAL_KEY_PATTERN, description="Empty: derived from the name"
    )


class SurveyIn(CampaignIn):
    invitation_only: bool = Field(False, description="Answerable only with a one-time link")


class OpenIn(BaseModel):
    is_open: bool = Field(description="false closes the public link; true opens it again")


@router.post(
    "/surveys",
    response_model=CollectorDetail,
    status_code=201,
    operation_id="create_survey",
    responses=error_responses(409),
)
def create_survey(
    key: str, body: SurveyIn, session: SessionDep, caller: CallerDep
) -> CollectorDetail:
    """A customer survey, open at once (the Collect page's form)."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    survey = campaigns.create_survey(
        session,
        workspace=workspace,
        key=body.key,
        name=body.name,
        invitation_only=body.invitation_only,
    )
    return _detail(session, workspace, "survey", survey.key)


@router.post(
    "/campaigns",
    response_model=CollectorDetail,
    status_code=201,
    operation_id="create_campaign",
    responses=error_responses(409),
)
def create_campaign(
    key: str, body: CampaignIn, session: SessionDep, caller: CallerDep
) -> CollectorDetail:
    """An internal self-assessment campaign, open at once."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    campaign = campaigns.create_internal_campaign(
        session, workspace=workspace, key=body.key, name=body.name
    )
    return _detail(session, workspace, "campaign", campaign.key)


@router.patch(
    "/surveys/{item_key}",
    response_model=CollectorDetail,
    operation_id="set_survey_open",
    responses=error_responses(),
)
def set_survey_open(
    key: str, item_key: str, body: OpenIn, session: SessionDep, caller: CallerDep
) -> CollectorDetail:
    """Close a survey (its link stops taking answers) or open it again."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    found = [s for s, _ in campaigns.surveys_of(session, workspace) if s.key == item_key]
    return _set_open(session, workspace, "survey", item_key, found, body.is_open)


@router.patch(
    "/campaigns/{item_key}",
    response_model=CollectorDetail,
    operation_id="set_campaign_open",
    responses=error_responses(),
)
def set_campaign_open(
    key: str, item_key: str, body: OpenIn, session: SessionDep, caller: CallerDep
) -> CollectorDetail:
    """Close a self-assessment campaign or open it again."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    found = [c for c, _ in campaigns.campaigns_of(session, workspace) if c.key == item_key]
    return _set_open(session, workspace, "campaign", item_key, found, body.is_open)


def _set_open(
    session: SessionDep,
    workspace: Workspace,
    kind: str,
    item_key: str,
    found: list[CustomerSurvey] | list[InternalCampaign],
    is_open: bool,
) -> CollectorDetail:
    if not found:
        raise NotFoundError(f"No {kind} {item_key!r} in workspace {workspace.key!r}")
    campaigns.set_open(session, found[0], is_open)
    session.flush()
    return _detail(session, workspace, kind, item_key)


def _detail(session: SessionDep, workspace: Workspace, kind: str, item_key: str) -> CollectorDetail:
    return next(c for c in collectors_of(session, workspace) if (c.kind, c.key) == (kind, item_key))
