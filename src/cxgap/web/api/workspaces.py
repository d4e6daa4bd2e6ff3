"""Workspaces, their members, pillars, segments and collectors (surveys and campaigns)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from cxgap import jobs
from cxgap.db.tables import Pillar, Workspace
from cxgap.services import accounts, campaigns, invitations, segments
from cxgap.services.accounts import Role
from cxgap.services.api_tokens import caller_role
from cxgap.services.segments import SegmentSummary
from cxgap.services.workspaces import pillars_of, segments_of, workspaces_for
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.api.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page, paginate
from cxgap.web.deps import SessionDep

router = APIRouter(prefix="/api/v1", tags=["workspaces"])


class WorkspaceOut(BaseModel):
    key: str
    name: str
    role: str


class PillarOut(BaseModel):
    key: str
    name_en: str
    name_fr: str
    description_en: str
    description_fr: str
    position: int
    retired: bool = False


class SegmentOut(BaseModel):
    key: str
    name_en: str
    name_fr: str


class CollectorOut(BaseModel):
    key: str
    name: str
    kind: str = Field(description="survey (customers) or campaign (internal self-assessment)")
    path: str = Field(description="Public link path, to append to the server address")
    is_open: bool
    answers: int


class WorkspaceDetail(WorkspaceOut):
    pillars: list[PillarOut]
    segments: list[SegmentOut]
    collectors: list[CollectorOut]


class MemberOut(BaseModel):
    id: int = Field(description="The member's user id, to change their role or remove them")
    email: str
    name: str
    role: str
    pending: bool = Field(False, description="Invited, has not chosen a password yet")


class RuleChangeOut(BaseModel):
    job: int = Field(description="The segment_rule job (GET …/jobs/{id})")
    status: str = Field(description="queued, waiting, running, stalled or failed")
    rule: str | None = Field(description="The rule saved and not applied yet (null: the default)")


class SegmentDetail(SegmentOut):
    rule: str | None = Field(None, description="The segment rule in use (docs/segments.md)")
    feedback: int = Field(description="Feedback items the rule matches now")
    answers: int = Field(description="Survey answers the rule matches now")
    personas: list[str] = Field(description="Keys of the personas standing for the segment")
    rule_change: RuleChangeOut | None = Field(
        None,
        description="A rule saved and not applied yet: its job rebuilds the members and "
        "counts; until it is done, rule, feedback and answers are the previous rule's",
    )


class CollectorDetail(CollectorOut):
    created_at: datetime


@router.get(
    "/workspaces",
    response_model=list[WorkspaceOut],
    operation_id="list_workspaces",
    responses=error_responses(),
)
def list_workspaces(session: SessionDep, caller: CallerDep) -> list[WorkspaceOut]:
    """The workspaces the token may act in (one for a workspace token), with its role there.

    Not paginated: a user belongs to a handful of workspaces."""
    found = []
    for workspace, _ in workspaces_for(session, caller.principal):
        if caller.workspace_key in (None, workspace.key):
            role = caller_role(session, caller, workspace, Role.VIEWER)
            found.append(WorkspaceOut(key=workspace.key, name=workspace.name, role=role.value))
    return found


@router.get(
    "/workspaces/{key}",
    response_model=WorkspaceDetail,
    operation_id="get_workspace",
    responses=error_responses(),
)
def workspace_detail(key: str, session: SessionDep, caller: CallerDep) -> WorkspaceDetail:
    workspace, role = open_workspace(session, caller, key, Role.VIEWER)
    return WorkspaceDetail(
        key=workspace.key,
        name=workspace.name,
        role=role.value,
        pillars=[pillar_out(p) for p in pillars_of(session, workspace, include_retired=True)],
        segments=[
            SegmentOut(key=s.key, name_en=s.name_en, name_fr=s.name_fr)
            for s in segments_of(session, workspace)
        ],
        collectors=[
            CollectorOut(**c.model_dump(exclude={"created_at"}))
            for c in collectors_of(session, workspace)
        ],
    )


@router.get(
    "/workspaces/{key}/members",
    response_model=Page[MemberOut],
    operation_id="list_members",
    responses=error_responses(),
)
def list_members(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[MemberOut]:
    """The workspace's members and roles (admin tokens only, as the Members page)."""
    workspace, _ = open_workspace(session, caller, key, Role.ADMIN)
    pending = invitations.pending_member_ids(session, workspace)
    members = [
        MemberOut(
            id=user.id, email=user.email, name=user.name, role=role, pending=user.id in pending
        )
        for user, role in accounts.list_members(session, workspace)
    ]
    items, after = paginate(members, limit=limit, cursor=cursor)
    return Page[MemberOut](items=items, next=after)


@router.get(
    "/workspaces/{key}/pillars",
    response_model=Page[PillarOut],
    operation_id="list_pillars",
    responses=error_responses(),
)
def list_pillars(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[PillarOut]:
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    pillars = [pillar_out(p) for p in pillars_of(session, workspace, include_retired=True)]
    items, after = paginate(pillars, limit=limit, cursor=cursor)
    return Page[PillarOut](items=items, next=after)


@router.get(
    "/workspaces/{key}/segments",
    response_model=Page[SegmentDetail],
    operation_id="list_segments",
    responses=error_responses(),
)
def list_segments(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[SegmentDetail]:
    """Segments with their rule, their members now and their personas (the Segments page)."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    changes = jobs.rule_changes(session, workspace)
    found = [
        segment_detail(s, changes.get(s.segment.key))
        for s in segments.segment_summaries(session, workspace)
    ]
    items, after = paginate(found, limit=limit, cursor=cursor)
    return Page[SegmentDetail](items=items, next=after)


@router.get(
    "/workspaces/{key}/collectors",
    response_model=Page[CollectorDetail],
    operation_id="list_collectors",
    responses=error_responses(),
)
def list_collectors(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[CollectorDetail]:
    """Customer surveys and internal self-assessment campaigns, newest first in each kind."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    items, after = paginate(collectors_of(session, workspace), limit=limit, cursor=cursor)
    return Page[CollectorDetail](items=items, next=after)


def segment_detail(s: SegmentSummary, change: jobs.RuleChange | None = None) -> SegmentDetail:
    return SegmentDetail(
        key=s.segment.key,
        name_en=s.segment.name_en,
        name_fr=s.segment.name_fr,
        rule=s.segment.rule,
        feedback=s.counts.feedback,
        answers=s.counts.answers,
        personas=[p for p, _ in s.personas],
        rule_change=None
        if change is None
        else RuleChangeOut(job=change.job_id, status=change.progress.status, rule=change.rule),
    )


def pillar_out(p: Pillar) -> PillarOut:
    out = PillarOut.model_validate(p, from_attributes=True)
    return out.model_copy(update={"retired": p.retired_at is not None})


def collectors_of(session: Session, workspace: Workspace) -> list[CollectorDetail]:
    surveys = campaigns.surveys_of(session, workspace)
    internal = campaigns.campaigns_of(session, workspace)
    return [
        CollectorDetail(key=s.key, name=s.name, kind="survey", path=f"/s/{s.token}",
                        is_open=s.is_open, answers=n, created_at=s.created_at)
        for s, n in surveys
    ] + [
        CollectorDetail(key=c.key, name=c.name, kind="campaign", path=f"/a/{c.token}",
                        is_open=c.is_open, answers=n, created_at=c.created_at)
        for c, n in internal
    ]  # fmt: skip
