"""Reading the audit log for someone: what they may see, their filters checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from cxgap.audit.actions import ACTIONS
from cxgap.audit.query import Filters, Scope, scope_for
from cxgap.db.tables import Workspace
from cxgap.errors import NotFoundError, PermissionDeniedError, ValidationError
from cxgap.services import accounts
from cxgap.services.accounts import Principal, Role
from cxgap.services.workspaces import find_workspace, list_workspaces, workspaces_for


@dataclass(frozen=True)
class Request:
    """The filters as typed in the page's form or on the command line."""

    action: str = ""
    user: str = ""  # an e-mail
    workspace: str = ""  # a key
    since: str = ""  # YYYY-MM-DD
    until: str = ""


OPERATOR = Scope(everything=True)  # the command line: whoever holds the database


def reader_scope(session: Session, principal: Principal) -> Scope:
    """The events ``principal`` may read; 403 for someone who administers nothing."""
    scope = scope_for(session, user_id=principal.user_id, is_superuser=principal.is_superuser)
    if not scope.everything and not scope.workspace_ids:
        raise PermissionDeniedError(
            "The audit log is for administrators: a site administrator, or a workspace's admin"
        ).keyed("security_sessions.error.not_admin")
    return scope


def readable_workspaces(session: Session, principal: Principal) -> list[Workspace]:
    if principal.is_superuser:
        return list_workspaces(session)
    return [ws for ws, role in workspaces_for(session, principal) if role == Role.ADMIN.value]


def _date(field: str, value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError.single(
            field, "must be a date as YYYY-MM-DD", value, code="audit_date"
        ) from None


def parse_filters(session: Session, scope: Scope, asked: Request) -> Filters:
    """Typed filters; a workspace outside the reader's scope is refused as if missing."""
    if asked.action and asked.action not in ACTIONS:
        raise ValidationError.single(
            "action", f"must be one of {', '.join(ACTIONS)}", asked.action, code="choice"
        )
    workspace_id = None
    if asked.workspace:
        workspace = find_workspace(session, asked.workspace)
        if workspace is None or not (scope.everything or workspace.id in scope.workspace_ids):
            raise ValidationError.single(
                "workspace", "is not a workspace you administer", asked.workspace,
                code="audit_workspace",
            )  # fmt: skip
        workspace_id = workspace.id
    actor_user_id = _user_id(session, asked.user) if asked.user.strip() else None
    return Filters(
        action=asked.action or None,
        actor_user_id=actor_user_id,
        workspace_id=workspace_id,
        since=_date("since", asked.since),
        until=_date("until", asked.until),
    )


def _user_id(session: Session, email: str) -> int:
    try:
        return accounts.get_user(session, email=email).id
    except NotFoundError:
        return -1  # an unknown e-mail matches no event
