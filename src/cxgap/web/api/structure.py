"""Writing a workspace's structure: its pillars (admins) and its segments (analysts)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from cxgap import audit, jobs
from cxgap.db.tables import Workspace
from cxgap.services import segments, workspaces
from cxgap.services.accounts import Role
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.api.fields import KEY_PATTERN, NOT_BLANK
from cxgap.web.api.workspaces import PillarOut, SegmentDetail, pillar_out, segment_detail
from cxgap.web.audit_hooks import note_deletion
from cxgap.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/workspaces/{key}")


class PillarIn(BaseModel):
    key: str = Field(max_length=63, pattern=KEY_PATTERN)
    name_en: str = Field(max_length=200, pattern=NOT_BLANK)
    name_fr: str = Field(max_length=200, pattern=NOT_BLANK)
    description_en: str = Field("", max_length=2000)
    description_fr: str = Field("", max_length=2000)
    prompt_en: str = Field("", max_length=2000)
    prompt_fr: str = Field("", max_length=2000)


class PillarChange(BaseModel):
    name_en: str | None = Field(None, max_length=200, description="With name_fr: renames")
    name_fr: str | None = Field(None, max_length=200)
    retired: bool | None = Field(None, description="true retires (no longer asked), false restores")


class SegmentIn(BaseModel):
    name_en: str = Field(max_length=200, pattern=NOT_BLANK)
    name_fr: str = Field(max_length=200, pattern=NOT_BLANK)
    rule: str | None = Field(None, max_length=2000, description="docs/segments.md; empty: none")


class NewSegmentIn(SegmentIn):
    key: str = Field(max_length=63, pattern=KEY_PATTERN)


@router.post(
    "/pillars",
    response_model=PillarOut,
    status_code=201,
    tags=["workspaces"],
    operation_id="create_pillar",
    responses=error_responses(409),
)
def create_pillar(key: str, body: PillarIn, session: SessionDep, caller: CallerDep) -> PillarOut:
    """Add a pillar at the end (the Pillars page's form)."""
    workspace, _ = open_workspace(session, caller, key, Role.ADMIN)
    pillar = workspaces.add_pillar(session, workspace=workspace, **body.model_dump())
    return pillar_out(pillar)


@router.patch(
    "/pillars/{pillar_key}",
    response_model=PillarOut,
    tags=["workspaces"],
    operation_id="update_pillar",
    responses=error_responses(),
)
def update_pillar(
    key: str, pillar_key: str, body: PillarChange, session: SessionDep, caller: CallerDep
) -> PillarOut:
    """Rename a pillar (both names together), retire it or restore it; answers are kept."""
    workspace, _ = open_workspace(session, caller, key, Role.ADMIN)
    pillar = workspaces.get_pillar(session, workspace, pillar_key)
    if body.name_en is not None or body.name_fr is not None:
        pillar = workspaces.rename_pillar(
            session,
            workspace=workspace,
            key=pillar_key,
            name_en=body.name_en if body.name_en is not None else pillar.name_en,
            name_fr=body.name_fr if body.name_fr is not None else pillar.name_fr,
        )
    if body.retired is not None:
        pillar = workspaces.set_pillar_retired(
            session, workspace=workspace, key=pillar_key, retired=body.retired
        )
    return pillar_out(pillar)


@router.post(
    "/segments",
    response_model=SegmentDetail,
    status_code=201,
    tags=["segments"],
    operation_id="create_segment",
    responses=error_responses(),
)
def create_segment(
    key: str, body: NewSegmentIn, session: SessionDep, caller: CallerDep
) -> SegmentDetail:
    """Add a segment; a rule that does not parse is refused with the place of the problem
    (``details[].field`` is ``rule``) and nothing is stored."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    row = segments.create_segment(session, workspace=workspace, **body.model_dump())
    return _segment(session, workspace, row.key)


@router.put(
    "/segments/{segment_key}",
    response_model=SegmentDetail,
    tags=["segments"],
    operation_id="update_segment",
    responses=error_responses(),
)
def update_segment(
    key: str, segment_key: str, body: SegmentIn, session: SessionDep, caller: CallerDep
) -> SegmentDetail:
    """Rename a segment and set (or clear, with an empty rule) its rule; the key stays. A
    changed rule is applied by a background job (``rule_change``): until it is done, the
    segment's rule and counts are the previous ones."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    jobs.save_segment(
        session,
        workspace=workspace,
        key=segment_key,
        requested_by_id=caller.principal.user_id,
        **body.model_dump(),
    )
    return _segment(session, workspace, segment_key)


@router.delete(
    "/segments/{segment_key}",
    status_code=204,
    response_class=Response,
    tags=["segments"],
    operation_id="delete_segment",
    responses=error_responses(409),
)
def delete_segment(
    request: Request, key: str, segment_key: str, session: SessionDep, caller: CallerDep
) -> Response:
    """Delete a segment; refused (409) while a persona stands for it."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    segments.delete_segment(session, workspace=workspace, key=segment_key)
    note_deletion(request, session, caller.principal, workspace,
                  audit.Target("segment", segment_key), via="api")  # fmt: skip
    return Response(status_code=204)


def _segment(session: SessionDep, workspace: Workspace, segment_key: str) -> SegmentDetail:
    (summary,) = segments.segment_summaries(session, workspace, only=segment_key)
    return segment_detail(summary, jobs.rule_change_of(session, workspace, segment_key))
