"""The values of an action, checked: each refusal names the field and the value, with a code
the front ends say in French or English (``web.problem.<code>``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import Membership, PersonaRow, Pillar, Segment, Team, Topic, User
from cxgap.errors import FieldProblem, ValidationError
from cxgap.impact.target import MetricTarget

STATUSES = ("not_started", "in_progress", "on_hold", "done", "cancelled")
# Not open any more: never late, no reminders.
CLOSED = frozenset({"done", "cancelled"})
SUBJECT_KINDS = ("pillar", "topic", "touchpoint", "driver", "persona", "segment")
MAX_TITLE = 300
MAX_DESCRIPTION = 20_000
MAX_KEY = 200
SUMMARY = "Action refused"

# The subjects whose key names a row of the workspace, checked against it.
_KEYED: dict[str, type[Pillar] | type[Topic] | type[PersonaRow] | type[Segment]] = {
    "pillar": Pillar,
    "topic": Topic,
    "persona": PersonaRow,
    "segment": Segment,
}


def refuse(field: str, message: str, value: object, code: str, **params: object) -> ValidationError:
    problem = FieldProblem(field, message, value, code=code, params=dict(params))
    return ValidationError([problem], summary=SUMMARY)


def choice(field: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise refuse(field, f"must be one of {', '.join(allowed)}", value, "choice")
    return value


def text(field: str, value: str, limit: int, *, required: bool = False) -> str:
    clean = value.strip()
    if required and not clean:
        raise refuse(field, "is required", value, "required")
    if len(clean) > limit:
        message = f"is longer than {limit} characters"
        raise refuse(field, message, len(clean), "too_long", limit=limit)
    return clean


def progress(value: int) -> int:
    if not 0 <= value <= 100:
        raise refuse("progress", "must be a whole number from 0 to 100", value, "range",
                      low=0, high=100)  # fmt: skip
    return value


def day(field: str, value: str | date | None) -> date | None:
    """A date from ``YYYY-MM-DD`` text (empty: none)."""
    if value is None or isinstance(value, date):
        return value
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise refuse(field, "must be a date written YYYY-MM-DD", value, "day") from None


def dates(start: date | None, due: date | None) -> None:
    if start is not None and due is not None and due < start:
        message = f"is before the start date {start.isoformat()}"
        raise refuse("due_date", message, due.isoformat(), "action_due_before_start",
                     start=start.isoformat())  # fmt: skip


def member(session: Session, workspace_id: int, field: str, email: str) -> User:
    user = session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace_id, User.email == email.strip().lower())
    ).first()
    if user is None:
        raise refuse(field, "is not a member of this workspace", email, "not_member")
    return user


def team(session: Session, workspace_id: int, key: str) -> Team:
    row = session.scalars(
        select(Team).where(Team.workspace_id == workspace_id, Team.key == key.strip())
    ).first()
    if row is None:
        raise refuse("team", "no such team in this workspace", key, "action_unknown_key")
    return row


def known_key(session: Session, workspace_id: int, field: str, kind: str, key: str) -> None:
    """A pillar, topic, persona or segment key that exists in the workspace (others free)."""
    table = _KEYED.get(kind)
    if table is None:
        return
    query = select(table.id).where(table.workspace_id == workspace_id, table.key == key)
    if session.scalar(query) is None:
        message = f"no {kind} with this key in this workspace"
        raise refuse(field, message, key, "action_unknown_key")


def subject(
    session: Session, workspace_id: int, kind: str | None, key: str | None
) -> tuple[str | None, str | None]:
    """The tied subject: both or neither."""
    kind, key = (kind or "").strip() or None, (key or "").strip() or None
    if kind is None and key is None:
        return None, None
    if kind is None:
        raise refuse("subject_kind", "is required with a subject key", key, "required")
    choice("subject_kind", kind, SUBJECT_KINDS)
    if key is None:
        raise refuse("subject_key", f"is required for the subject kind {kind!r}", "", "required")
    text("subject_key", key, MAX_KEY)
    known_key(session, workspace_id, "subject_key", kind, key)
    return kind, key


def target(
    session: Session, workspace_id: int, fields: dict[str, str | None]
) -> MetricTarget | None:
    """The target metric from ``metric`` and its ``pillar``/``topic``/``touchpoint``/``segment``
    (no metric: none; a field given without a metric is refused)."""
    metric = (fields.get("metric") or "").strip()
    rest = {
        k: (fields.get(k) or "").strip() or None
        for k in ("pillar", "topic", "touchpoint", "segment")
    }
    if not metric:
        given = [k for k, v in rest.items() if v]
        if given:
            raise refuse("metric", f"is required with {given[0]}", "", "required")
        return None
    goal = MetricTarget.parse(metric, **rest)
    for field in ("pillar", "topic", "segment"):
        if (value := getattr(goal, field)) is not None:
            known_key(session, workspace_id, field, field, value)
    return goal
