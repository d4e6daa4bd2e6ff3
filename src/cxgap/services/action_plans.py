"""Action plans (issue 13): actions tied to what they should move, with an owner, a team,
dates, a status, a progress and a target metric.

Creating, editing and changing the status of an action writes an audit event; a status
change also fires the ``action.status_changed`` webhook. Its status and dates are kept over
time in ``action_history`` (the action gap of a past period). Marking an action done sets its
progress to 100. Steps and comments are in ``action_notes``, lateness and the action gap in
``action_gaps``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from cxgap import audit
from cxgap.db.tables import ActionRow, Workspace
from cxgap.errors import NotFoundError
from cxgap.impact.target import Metric, MetricTarget
from cxgap.services import action_checks as check
from cxgap.services import action_history
from cxgap.webhooks import store as webhooks

STATUSES = check.STATUSES
CLOSED = check.CLOSED
SUBJECT_KINDS = check.SUBJECT_KINDS
TARGET_FIELDS = ("metric", "pillar", "topic", "touchpoint", "segment")
# The editable fields besides the target metric, as the front ends name them.
FIELDS = (
    "title", "description", "subject_kind", "subject_key", "owner", "team", "start_date",
    "due_date", "progress",
)  # fmt: skip


@dataclass(frozen=True)
class By:
    """Who acts (an ``audit.Actor``): a member's user id."""

    user_id: int


@dataclass(frozen=True)
class ActionFilter:
    """The list's filters; None or empty: any."""

    statuses: tuple[str, ...] = ()
    owner_id: int | None = None
    team_id: int | None = None
    subject_kind: str | None = None
    subject_key: str | None = None
    late_on: date | None = None  # only the actions late on this day (the workspace's today)


def now_utc() -> datetime:
    return datetime.now(UTC)


def target_of(action: ActionRow) -> MetricTarget | None:
    """The metric the action should move, None when none was chosen."""
    if action.metric is None:
        return None
    return MetricTarget(
        Metric(action.metric), pillar=action.metric_pillar, topic=action.metric_topic,
        touchpoint=action.metric_touchpoint, segment=action.metric_segment,
    )  # fmt: skip


def _set_target(action: ActionRow, goal: MetricTarget | None) -> None:
    action.metric = None if goal is None else goal.metric.value
    action.metric_pillar = None if goal is None else goal.pillar
    action.metric_topic = None if goal is None else goal.topic
    action.metric_touchpoint = None if goal is None else goal.touchpoint
    action.metric_segment = None if goal is None else goal.segment


def get_action(session: Session, workspace: Workspace, action_id: int) -> ActionRow:
    row = session.get(ActionRow, action_id)
    if row is None or row.workspace_id != workspace.id:
        raise NotFoundError(f"No action {action_id} in workspace {workspace.key!r}")
    return row


def _apply(session: Session, action: ActionRow, values: Mapping[str, object]) -> list[str]:
    """Check and set the given fields (others untouched); returns the names changed."""
    ws = action.workspace_id
    changed: list[str] = []

    def put(name: str, value: object) -> None:
        if getattr(action, name) != value:
            setattr(action, name, value)
            changed.append(name)

    if "title" in values:
        put(
            "title", check.text("title", str(values["title"] or ""), check.MAX_TITLE, required=True)
        )
    if "description" in values:
        put("description", check.text("description", str(values["description"] or ""),
                                      check.MAX_DESCRIPTION))  # fmt: skip
    if "subject_kind" in values or "subject_key" in values:
        kind = values.get("subject_kind", action.subject_kind)
        key = values.get("subject_key", action.subject_key)
        kind, key = check.subject(session, ws, _str(kind), _str(key))
        put("subject_kind", kind)
        put("subject_key", key)
    if "owner" in values:
        email = _str(values["owner"])
        put("owner_id", check.member(session, ws, "owner", email).id if email else None)
    if "team" in values:
        key = _str(values["team"])
        put("team_id", check.team(session, ws, key).id if key else None)
    start = check.day("start_date", values.get("start_date", action.start_date))  # type: ignore[arg-type]
    due = check.day("due_date", values.get("due_date", action.due_date))  # type: ignore[arg-type]
    check.dates(start, due)
    put("start_date", start)
    put("due_date", due)
    if "progress" in values:
        put("progress", check.progress(_int("progress", values["progress"])))
    if any(name in values for name in TARGET_FIELDS):
        current = target_of(action)
        asked = {n: _str(values.get(n, _target_value(current, n))) for n in TARGET_FIELDS}
        goal = check.target(session, ws, asked)
        if goal != current:
            _set_target(action, goal)
            changed.append("metric")
    return changed


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _int(field: str, value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise check.refuse(field, "must be a whole number from 0 to 100", value, "range",
                           low=0, high=100) from None  # fmt: skip


def _target_value(goal: MetricTarget | None, name: str) -> str | None:
    if goal is None:
        return None
    return goal.metric.value if name == "metric" else getattr(goal, name)


def create_action(
    session: Session,
    *,
    workspace: Workspace,
    values: Mapping[str, object],
    actor_id: int | None,
    address: str | None = None,
) -> ActionRow:
    """A new action from ``values`` (``title`` required; see :data:`FIELDS` and the target
    fields ``metric``, ``pillar``, ``topic``, ``touchpoint``, ``segment``)."""
    now = now_utc()
    action = ActionRow(
        workspace_id=workspace.id, title="", description="", status="not_started", progress=0,
        created_at=now, updated_at=now, created_by_id=actor_id, updated_by_id=actor_id,
    )  # fmt: skip
    _apply(session, action, {"title": "", **values})
    status = _str(values.get("status"))
    if status:
        action.status = check.choice("status", status, STATUSES)
        if status == "done":
            action.progress = 100
    session.add(action)
    session.flush()
    action_history.record_state(session, action, now)
    _audit(session, workspace, actor_id, audit.Action.ACTION_CREATED, action, address=address)
    return action


def update_action(
    session: Session,
    *,
    action: ActionRow,
    values: Mapping[str, object],
    actor_id: int | None,
    address: str | None = None,
) -> list[str]:
    """Change the given fields (and the status, when ``status`` is among them); returns the
    names of the fields that changed."""
    changed = _apply(session, action, {k: v for k, v in values.items() if k != "status"})
    workspace = _workspace_of(session, action)
    if changed:
        action.updated_at, action.updated_by_id = now_utc(), actor_id
        _audit(session, workspace, actor_id, audit.Action.ACTION_UPDATED, action,
               address=address, fields=",".join(changed))  # fmt: skip
        if {"start_date", "due_date"} & set(changed):
            action_history.record_state(session, action, action.updated_at)
    status = _str(values.get("status"))
    if status and status != action.status:
        set_status(session, action=action, status=status, actor_id=actor_id, address=address)
        changed.append("status")
    return changed


def set_status(
    session: Session,
    *,
    action: ActionRow,
    status: str,
    actor_id: int | None,
    address: str | None = None,
) -> bool:
    """Change the status (done sets the progress to 100); False when it already was."""
    check.choice("status", status, STATUSES)
    if status == action.status:
        return False
    before, action.status = action.status, status
    if status == "done":
        action.progress = 100
    action.updated_at, action.updated_by_id = now_utc(), actor_id
    workspace = _workspace_of(session, action)
    _audit(session, workspace, actor_id, audit.Action.ACTION_STATUS_CHANGED, action,
           address=address, before=before, after=status)  # fmt: skip
    data = {"action": action.id, "title": action.title, "before": before, "after": status}
    webhooks.emit(session, workspace.id, "action.status_changed", data)
    session.flush()
    action_history.record_state(session, action, action.updated_at)
    return True


def delete_action(
    session: Session, *, action: ActionRow, actor_id: int | None, address: str | None = None
) -> None:
    workspace = _workspace_of(session, action)
    _audit(session, workspace, actor_id, audit.Action.DELETED, action, address=address)
    session.delete(action)
    session.flush()


def _workspace_of(session: Session, action: ActionRow) -> Workspace:
    workspace = session.get(Workspace, action.workspace_id)
    if workspace is None:  # deleted meanwhile
        raise NotFoundError(f"No workspace of action {action.id}")
    return workspace


def _audit(
    session: Session,
    workspace: Workspace,
    actor_id: int | None,
    what: audit.Action,
    action: ActionRow,
    *,
    address: str | None,
    **details: object,
) -> None:
    actor = None if actor_id is None else By(actor_id)
    target = audit.Target("action", action.id)
    audit.record(
        session, actor=actor, action=what, workspace=workspace, target=target,
        details=details, address=address,
    )  # fmt: skip


def list_actions(
    session: Session, workspace: Workspace, where: ActionFilter = ActionFilter()
) -> list[ActionRow]:
    """The workspace's actions: the nearest due date first (none last), then the newest."""
    conditions: list[ColumnElement[bool]] = [ActionRow.workspace_id == workspace.id]
    if where.statuses:
        conditions.append(ActionRow.status.in_(where.statuses))
    if where.owner_id is not None:
        conditions.append(ActionRow.owner_id == where.owner_id)
    if where.team_id is not None:
        conditions.append(ActionRow.team_id == where.team_id)
    if where.subject_kind:
        conditions.append(ActionRow.subject_kind == where.subject_kind)
    if where.subject_key:
        conditions.append(ActionRow.subject_key == where.subject_key)
    if where.late_on is not None:
        conditions.append(ActionRow.due_date < where.late_on)
        conditions.append(ActionRow.status.not_in(CLOSED))
    query = (
        select(ActionRow)
        .where(*conditions)
        .order_by(ActionRow.due_date.is_(None), ActionRow.due_date, ActionRow.id.desc())
    )
    return list(session.scalars(query))
