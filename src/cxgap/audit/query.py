"""Reading the audit log: who may see which events, filters, pages, CSV rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from cxgap.db.tables import AuditEvent, Membership, User

PAGE_SIZE = 50


@dataclass(frozen=True)
class Scope:
    """The events a reader may see: all of them (a site administrator) or those of the
    workspaces they administer."""

    everything: bool
    workspace_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Filters:
    action: str | None = None
    actor_user_id: int | None = None
    workspace_id: int | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class EventRow:
    id: int
    at: datetime
    actor_user_id: int | None
    actor: str  # the account's e-mail when it still exists (admins see members' e-mails)
    workspace_key: str | None
    action: str
    target_type: str | None
    target_id: str | None
    address: str | None
    details: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class EventPage:
    rows: list[EventRow]
    page: int
    pages: int
    total: int


def scope_for(session: Session, *, user_id: int, is_superuser: bool) -> Scope:
    if is_superuser:
        return Scope(everything=True)
    ids = session.scalars(
        select(Membership.workspace_id).where(
            Membership.user_id == user_id, Membership.role == "admin"
        )
    )
    return Scope(everything=False, workspace_ids=frozenset(ids))


def _selected(scope: Scope, filters: Filters) -> Select[AuditEvent, str]:
    statement = select(AuditEvent, User.email).outerjoin(User, User.id == AuditEvent.actor_user_id)
    if not scope.everything:
        statement = statement.where(AuditEvent.workspace_id.in_(sorted(scope.workspace_ids)))
    if filters.action:
        statement = statement.where(AuditEvent.action == filters.action)
    if filters.actor_user_id is not None:
        statement = statement.where(AuditEvent.actor_user_id == filters.actor_user_id)
    if filters.workspace_id is not None:
        statement = statement.where(AuditEvent.workspace_id == filters.workspace_id)
    if filters.since:
        statement = statement.where(AuditEvent.at >= datetime.combine(filters.since, time(), UTC))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(), UTC)
        statement = statement.where(AuditEvent.at < end)
    return statement


def _row(event: AuditEvent, email: str | None) -> EventRow:
    return EventRow(
        id=event.id,
        at=event.at,
        actor_user_id=event.actor_user_id,
        actor=email or event.actor_ref,
        workspace_key=event.workspace_key,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        address=event.address,
        details=dict(event.details or {}),
    )


def event_rows(
    session: Session, *, scope: Scope, filters: Filters, offset: int, limit: int
) -> tuple[list[EventRow], int]:
    """``limit`` events from ``offset``, newest first, and how many match in all."""
    statement = _selected(scope, filters)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = session.execute(
        statement.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).offset(offset).limit(limit)
    )
    return [_row(e, email) for e, email in rows], total


def list_events(
    session: Session, *, scope: Scope, filters: Filters, page: int = 1, per_page: int = PAGE_SIZE
) -> EventPage:
    """One page of events, newest first (past the last page: the last page)."""
    total = event_rows(session, scope=scope, filters=filters, offset=0, limit=0)[1]
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows, _ = event_rows(
        session, scope=scope, filters=filters, offset=(page - 1) * per_page, limit=per_page
    )
    return EventPage(rows, page, pages, total)


def iter_events(session: Session, *, scope: Scope, filters: Filters) -> Iterator[EventRow]:
    """Every matching event, oldest first, read in batches (for an export)."""
    statement = _selected(scope, filters).order_by(AuditEvent.at, AuditEvent.id)
    for event, email in session.execute(statement.execution_options(yield_per=500)):
        yield _row(event, email)
