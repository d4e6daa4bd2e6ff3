"""Webhooks of a workspace, and their deliveries: registered, listed, removed, and queued
when an event happens (in the transaction that made it happen, so a rolled-back import
sends nothing)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import FeedbackImport, Webhook, WebhookDelivery, Workspace
from cxgap.errors import FieldProblem, NotFoundError, ValidationError
from cxgap.webhooks.signing import new_secret

EVENTS = (
    "feedback.created",
    "import.finished",
    "enrichment.finished",
    "case.created",
    "case.breached",
    "case.closed",
    "action.due_soon",
    "action.overdue",
    "action.status_changed",
    "ownership.worsened",
    "idea.created",
    "idea.voted",
    "idea.status_changed",
    "help.answer_created",
    "help.question_created",
)
MAX_URL = 2000
LOG_SIZE = 50


@dataclass(frozen=True)
class NewWebhook:
    """A webhook just registered, with its secret (shown this once)."""

    id: int
    url: str
    events: tuple[str, ...]
    secret: str


def check_webhook(url: str, events: list[str]) -> tuple[str, tuple[str, ...]]:
    url = url.strip()
    problems = []
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > MAX_URL:
        problems.append(FieldProblem("url", "must be an http:// or https:// address", url))
    chosen = tuple(e for e in EVENTS if e in events)
    unknown = [e for e in events if e not in EVENTS]
    if unknown:
        message = f"must be among {', '.join(EVENTS)}"
        problems.append(FieldProblem("events", message, ", ".join(unknown), code="choice"))
    elif not chosen:
        problems.append(FieldProblem("events", "choose at least one event", "", code="required"))
    if problems:
        raise ValidationError(problems, summary="Webhook refused")
    return url, chosen


def add_webhook(
    session: Session, *, workspace: Workspace, url: str, events: list[str]
) -> NewWebhook:
    clean_url, chosen = check_webhook(url, events)
    row = Webhook(
        workspace_id=workspace.id, url=clean_url, events=list(chosen), secret=new_secret()
    )
    session.add(row)
    session.flush()
    return NewWebhook(row.id, row.url, chosen, row.secret)


def webhooks_of(session: Session, workspace: Workspace) -> list[Webhook]:
    query = select(Webhook).where(Webhook.workspace_id == workspace.id).order_by(Webhook.id)
    return list(session.scalars(query))


def remove_webhook(session: Session, *, workspace: Workspace, webhook_id: int) -> None:
    row = session.get(Webhook, webhook_id)
    if row is None or row.workspace_id != workspace.id:
        raise NotFoundError(f"No webhook {webhook_id} in workspace {workspace.key!r}")
    session.delete(row)
    session.flush()


def recent_deliveries(
    session: Session, workspace: Workspace, limit: int = LOG_SIZE
) -> list[tuple[WebhookDelivery, str]]:
    """The newest deliveries of the workspace's webhooks, with each one's address."""
    rows = session.execute(
        select(WebhookDelivery, Webhook.url)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(Webhook.workspace_id == workspace.id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    )
    return [(delivery, url) for delivery, url in rows]


def wanted(session: Session, workspace_id: int, event: str) -> bool:
    """Whether an active webhook of the workspace wants ``event`` (one query: callers that
    would emit many events check once)."""
    hooks = session.scalars(
        select(Webhook.events).where(
            Webhook.workspace_id == workspace_id, Webhook.is_active.is_(True)
        )
    )
    return any(event in events for events in hooks)


def emit(session: Session, workspace_id: int, event: str, data: Mapping[str, object]) -> int:
    """Queue ``event`` for every active webhook of the workspace that wants it; returns how
    many deliveries were queued. The sender posts them once the transaction commits."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    hooks = session.scalars(
        select(Webhook).where(Webhook.workspace_id == workspace_id, Webhook.is_active.is_(True))
    )
    workspace = session.get(Workspace, workspace_id)
    now = datetime.now(UTC)
    queued = 0
    for hook in hooks:
        if event in hook.events:
            payload = {
                "event": event,
                "workspace": workspace.key if workspace else None,
                "occurred_at": now.isoformat(),
                "data": dict(data),
            }
            session.add(WebhookDelivery(webhook_id=hook.id, event=event, payload=payload))
            queued += 1
    return queued


def emit_apart(
    sessions: Callable[[], Session], workspace_id: int, event: str, data: Mapping[str, object]
) -> int:
    """:func:`emit` in a transaction of its own (for code that commits batch by batch)."""
    with sessions() as session, session.begin():
        return emit(session, workspace_id, event, data)


def emit_import(session: Session, row: FeedbackImport, *, created: int = 0) -> None:
    """An import ended (``row.status`` done or refused): ``import.finished``, and
    ``feedback.created`` when it stored new feedback records."""
    data = {
        "import_id": row.id,
        "file_name": row.file_name,
        "status": row.status,
        "rows_read": row.rows_read,
        "records_stored": row.records_stored,
    }
    if created:
        emit(session, row.workspace_id, "feedback.created", data | {"created": created})
    emit(session, row.workspace_id, "import.finished", data)
