"""Links to a survey that name a shop or agent (``services/survey_links.py``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from cxgap.services import campaigns, survey_links
from cxgap.services.accounts import Role
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.deps import SessionDep, SettingsDep
from cxgap.web.public_links import public_base

router = APIRouter(prefix="/api/v1/workspaces/{key}", tags=["collectors"])


class LinksIn(BaseModel):
    units: list[str] = Field(
        default_factory=list,
        max_length=survey_links.MAX_UNITS,
        description="Shops or agents to make a link for (spaces tidied, 128 characters at most)",
    )
    known: bool = Field(False, description="Also every unit the workspace's answers already name")


class UnitLinkOut(BaseModel):
    unit: str
    url: str = Field(description="The survey's link on the public address, naming the unit")
    path: str = Field(description="The same link without the address")
    answers: int = Field(description="Answers of the workspace already about this unit")


class LinksOut(BaseModel):
    survey: str
    links: list[UnitLinkOut]


@router.post(
    "/surveys/{item_key}/links",
    response_model=LinksOut,
    operation_id="make_survey_links",
    responses=error_responses(422),
)
def make_links(
    request: Request,
    key: str,
    item_key: str,
    body: LinksIn,
    session: SessionDep,
    settings: SettingsDep,
    caller: CallerDep,
) -> LinksOut:
    """A signed link per shop or agent: answers through it carry the unit (`agent`); a
    link whose unit or signature was altered still takes the answer, without a unit. Makes
    the links only: nothing is stored."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    survey = campaigns.get_survey(session, workspace, item_key)
    links = survey_links.unit_links(
        session,
        survey,
        base=public_base(request, settings),
        secret=settings.resolved_secret_key(),
        units=body.units,
        known=body.known,
    )
    return LinksOut(
        survey=survey.key,
        links=[UnitLinkOut(unit=u.unit, url=u.url, path=u.path, answers=u.answers) for u in links],
    )
