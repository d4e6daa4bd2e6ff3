"""Teams over the API: the groups of members cases go to. Viewers read them (the queue
filters on them); analysts and admins create, rename, delete and staff them, as on the rules
page."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from cxgap import audit
from cxgap.db.tables import Workspace
from cxgap.errors import NotFoundError
from cxgap.services import case_rule_views, teams
from cxgap.services.accounts import Role
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.api.fields import NOT_BLANK
from cxgap.web.audit_hooks import note_deletion
from cxgap.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/workspaces/{key}/teams")
TAG: list[str | Enum] = ["teams"]
TEAM_KEY = r"^[a-z0-9][a-z0-9_-]{0,63}$"
TeamKey = Annotated[str, Path(pattern=TEAM_KEY, description="The team's key")]
Email = Annotated[str, Field(max_length=254)]


class TeamIn(BaseModel):
    key: str = Field(pattern=TEAM_KEY, description="Lower-case letters, digits, - and _")
    name: str = Field(max_length=200, pattern=NOT_BLANK)
    members: list[Email] = Field(default_factory=list, max_length=500)


class TeamChange(BaseModel):
    name: str | None = Field(None, max_length=200, pattern=NOT_BLANK, description="A new name")
    members: list[Email] | None = Field(
        None, max_length=500, description="The whole list of members' e-mails (null: kept)"
    )


class TeamOut(BaseModel):
    key: str
    name: str
    members: list[str] = Field(description="The members' e-mails")


def _out(session: Session, workspace: Workspace, team_key: str) -> TeamOut:
    team, members = teams.team_members(session, workspace=workspace, team_key=team_key)
    return TeamOut.model_validate(case_rule_views.team_data(team, members))


def _existing(session: Session, workspace: Workspace, team_key: str) -> None:
    """A team named in the path: 404 when there is none (in a body it is a 422)."""
    if not any(t.key == team_key for t, _ in teams.teams_of(session, workspace)):
        raise NotFoundError(f"No team {team_key!r} in workspace {workspace.key!r}")


@router.get(
    "",
    response_model=list[TeamOut],
    tags=TAG,
    operation_id="list_teams",
    responses=error_responses(),
)
def list_teams(key: str, session: SessionDep, caller: CallerDep) -> list[TeamOut]:
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    return [TeamOut.model_validate(t) for t in case_rule_views.teams_data(session, workspace)]


@router.post(
    "",
    response_model=TeamOut,
    status_code=201,
    tags=TAG,
    operation_id="create_team",
    responses=error_responses(409),
)
def create_team(key: str, body: TeamIn, session: SessionDep, caller: CallerDep) -> TeamOut:
    """Create a team with its members (each a member of the workspace)."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    team = teams.create_team(session, workspace=workspace, key=body.key, name=body.name)
    teams.set_team_members(session, workspace=workspace, team_key=team.key, emails=body.members)
    return _out(session, workspace, team.key)


@router.put(
    "/{team_key}",
    response_model=TeamOut,
    tags=TAG,
    operation_id="put_team",
    responses=error_responses(),
)
def put_team(
    key: str, team_key: TeamKey, body: TeamChange, session: SessionDep, caller: CallerDep
) -> TeamOut:
    """Rename a team and/or replace its members."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    _existing(session, workspace, team_key)
    if body.name is not None:
        teams.rename_team(session, workspace=workspace, team_key=team_key, name=body.name)
    if body.members is not None:
        teams.set_team_members(session, workspace=workspace, team_key=team_key, emails=body.members)
    return _out(session, workspace, team_key)


@router.delete(
    "/{team_key}",
    status_code=204,
    response_class=Response,
    tags=TAG,
    operation_id="delete_team",
    responses=error_responses(),
)
def delete_team(
    request: Request, key: str, team_key: TeamKey, session: SessionDep, caller: CallerDep
) -> Response:
    """Delete a team: its cases and rules keep no team."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    _existing(session, workspace, team_key)
    teams.delete_team(session, workspace=workspace, team_key=team_key)
    note_deletion(request, session, caller.principal, workspace, audit.Target("team", team_key))
    return Response(status_code=204)
