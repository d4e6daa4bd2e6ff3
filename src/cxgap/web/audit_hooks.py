"""One-line audit calls for the routes: the client's address filled in from the request."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request
from sqlalchemy.orm import Session

from cxgap import audit
from cxgap.db.tables import Workspace
from cxgap.web.security import client_address


def note(
    request: Request,
    session: Session,
    actor: audit.Actor | None,
    action: audit.Action,
    *,
    workspace: Workspace | None = None,
    target: audit.Target | None = None,
    details: Mapping[str, object] | None = None,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        workspace=workspace,
        target=target,
        details=details,
        address=client_address(request),
    )


def note_export(
    request: Request,
    session: Session,
    actor: audit.Actor,
    workspace: Workspace,
    *,
    what: str,
    fmt: str,
    **details: object,
) -> None:
    """A download of customer data (CSV, XLSX, PDF, JSON…)."""
    note(
        request,
        session,
        actor,
        audit.Action.EXPORTED,
        workspace=workspace,
        target=audit.Target("export", what),
        details={"format": fmt, **details},
    )


def note_deletion(
    request: Request,
    session: Session,
    actor: audit.Actor,
    workspace: Workspace | None,
    target: audit.Target,
    **details: object,
) -> None:
    note(request, session, actor, audit.Action.DELETED, workspace=workspace, target=target,
         details=details)  # fmt: skip
