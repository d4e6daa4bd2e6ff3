"""A workspace's audit log, for its admins' tools (a SIEM, a nightly archive)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from cxgap import audit
from cxgap.audit.query import Scope, event_rows
from cxgap.services import audit_log
from cxgap.services.accounts import Role
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.api.pagination import (
    DEFAULT_LIMIT,
    CursorQuery,
    LimitQuery,
    Page,
    decode_offset,
    encode_offset,
)
from cxgap.web.deps import SessionDep

router = APIRouter(prefix="/api/v1")


class AuditEventOut(BaseModel):
    id: int
    at: datetime
    actor_user_id: int | None = Field(description="Who acted (null: nobody signed in)")
    action: str = Field(description=f"One of {', '.join(audit.ACTIONS)}")
    target_type: str | None
    target_id: str | None
    address: str | None = Field(description="The client's address")
    details: dict[str, Any] = Field(description="Ids, roles, formats, counts: no personal data")


@router.get(
    "/workspaces/{key}/audit",
    response_model=Page[AuditEventOut],
    tags=["audit"],
    operation_id="list_audit_events",
    responses=error_responses(),
)
def list_audit_events(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    action: Annotated[audit.Action | None, Query(description="Only this event")] = None,
    since: Annotated[date | None, Query(description="From this day (YYYY-MM-DD)")] = None,
    until: Annotated[date | None, Query(description="To this day included")] = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[AuditEventOut]:
    """The workspace's events (member and role changes, ended sessions, exports, deletions,
    its tokens' first use), newest first, as the audit page shows them to its admins."""
    workspace, _ = open_workspace(session, caller, key, Role.ADMIN)
    scope = Scope(everything=False, workspace_ids=frozenset({workspace.id}))
    asked = audit_log.Request(
        action=action.value if action else "",
        since=since.isoformat() if since else "",
        until=until.isoformat() if until else "",
    )
    filters = audit_log.parse_filters(session, scope, asked)
    offset = decode_offset(cursor)
    rows, total = event_rows(session, scope=scope, filters=filters, offset=offset, limit=limit)
    items = [
        AuditEventOut(
            id=row.id, at=row.at, actor_user_id=row.actor_user_id, action=row.action,
            target_type=row.target_type, target_id=row.target_id, address=row.address,
            details=row.details,
        )
        for row in rows
    ]  # fmt: skip
    following = encode_offset(offset + limit) if offset + limit < total else None
    return Page(items=items, next=following)
