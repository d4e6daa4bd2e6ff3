"""Ownership over the API (issue 13, "no silos"): the teams owning each pillar and journey
touchpoint (viewers read, analysts and admins assign), a team's weekly digest, and what the
worsening test finds now (nothing is sent: the scheduled job does that)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from cxgap.db.tables import utcnow
from cxgap.services import ownership, ownership_digest, ownership_watch
from cxgap.services.accounts import Role
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/workspaces/{key}")
TAG: list[str | Enum] = ["ownership"]
TEAM_KEY = r"^[a-z0-9][a-z0-9_-]{0,63}$"
Kind = Literal["pillar", "touchpoint"]
SubjectKey = Annotated[str, Path(max_length=200, description="The pillar's or touchpoint's key")]
TeamKey = Annotated[str, Path(pattern=TEAM_KEY, description="The team's key")]


class SubjectOut(BaseModel):
    kind: Kind
    key: str
    name_en: str
    name_fr: str
    teams: list[str] = Field(description="The owning teams' keys")


class OwnershipOut(BaseModel):
    subjects: list[SubjectOut] = Field(description="Every pillar, then every touchpoint key")


class OwnersIn(BaseModel):
    teams: list[Annotated[str, Field(pattern=TEAM_KEY)]] = Field(
        max_length=200, description="The owning teams' keys (all of them; [] for none)"
    )


class MeasureOut(BaseModel):
    measure: Literal["sentiment", "negative_share", "nps"]
    window: float | None
    baseline: float | None
    change: float | None
    window_n: int
    baseline_n: int
    statistic: float | None = Field(description="Welch t or z; null when not tested")
    p: float | None = Field(description="One-sided p in the bad direction")
    p_adjusted: float | None = Field(description="Holm-adjusted across the subjects tested")
    significant: bool


class SubjectRunOut(BaseModel):
    kind: Kind
    key: str
    name: str
    teams: list[str]
    worsened: bool
    top_irritant: str | None
    measures: list[MeasureOut]


class Period(BaseModel):
    from_: str = Field(alias="from")
    to: str


class RunOut(BaseModel):
    window: Period
    baseline: Period
    subjects: list[SubjectRunOut]


@router.get(
    "/ownership",
    response_model=OwnershipOut,
    tags=TAG,
    operation_id="list_ownership",
    responses=error_responses(),
)
def list_ownership(key: str, session: SessionDep, caller: CallerDep) -> OwnershipOut:
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    subjects = ownership.owned_subjects(session, workspace)
    return OwnershipOut.model_validate({"subjects": [ownership.subject_json(s) for s in subjects]})


@router.put(
    "/ownership/{kind}/{subject_key}",
    response_model=SubjectOut,
    tags=TAG,
    operation_id="put_owners",
    responses=error_responses(),
)
def put_owners(
    key: str,
    kind: Kind,
    subject_key: SubjectKey,
    body: OwnersIn,
    session: SessionDep,
    caller: CallerDep,
) -> SubjectOut:
    """Make these teams (and only them) the subject's owners."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    ownership.set_owners(
        session, workspace=workspace, kind=kind, key=subject_key, team_keys=body.teams
    )
    found = next(
        s
        for s in ownership.owned_subjects(session, workspace)
        if (s.kind, s.key) == (kind, subject_key)
    )
    return SubjectOut.model_validate(ownership.subject_json(found))


@router.get(
    "/ownership/check",
    response_model=RunOut,
    tags=TAG,
    operation_id="check_ownership",
    responses=error_responses(),
)
def check_ownership(key: str, session: SessionDep, caller: CallerDep) -> RunOut:
    """Every owned subject's last 7 days against the 28 before, tested now (nothing sent)."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    windows = ownership_watch.windows_ending(
        utcnow(),
        window_days=ownership_watch.ALERT_WINDOW_DAYS,
        baseline_days=ownership_watch.ALERT_BASELINE_DAYS,
    )
    reports = ownership_watch.measure_subjects(session, workspace, windows)
    return RunOut.model_validate(ownership_watch.reports_json(reports, windows))


@router.get(
    "/teams/{team_key}/digest",
    response_model=RunOut,
    tags=TAG,
    operation_id="team_digest",
    responses=error_responses(),
)
def team_digest(key: str, team_key: TeamKey, session: SessionDep, caller: CallerDep) -> RunOut:
    """The team's weekly digest: each subject it owns, this week against the week before."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    digest = ownership_digest.team_digest(
        session, workspace=workspace, team_key=team_key, now=utcnow()
    )
    return RunOut.model_validate(ownership_watch.reports_json(digest.subjects, digest.windows))
