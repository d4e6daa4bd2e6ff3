"""The monthly executive report schedule of a workspace: who receives it (members only), in
what language and on what paper, and which schedules are due (the previous month not sent
yet)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import Membership, ReportSchedule, User, Workspace
from cxgap.errors import ValidationError
from cxgap.reporting.executive_pdf import check_paper
from cxgap.reporting.executive_period import last_full_month
from cxgap.services.executive_output import LOCALES, check_choice


@dataclass(frozen=True)
class Member:
    user_id: int
    email: str


def members_of(session: Session, workspace: Workspace) -> list[Member]:
    query = (
        select(User.id, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace.id)
        .order_by(User.email)
    )
    return [Member(int(i), str(e)) for i, e in session.execute(query)]


def schedule_of(session: Session, workspace: Workspace) -> ReportSchedule:
    """The workspace's schedule (a default, off and not stored, when it has none)."""
    found = session.scalar(
        select(ReportSchedule).where(ReportSchedule.workspace_id == workspace.id)
    )
    return found or ReportSchedule(
        workspace_id=workspace.id, enabled=False, locale="en", paper="a4", recipient_ids=[]
    )


def save_schedule(
    session: Session,
    workspace: Workspace,
    *,
    enabled: bool,
    locale: str,
    paper: str,
    recipient_ids: Sequence[int],
) -> ReportSchedule:
    """Store the schedule; refused when a recipient is not a member, or none is chosen for
    a schedule that is on."""
    check_choice("lang", locale, LOCALES)
    members = {m.user_id for m in members_of(session, workspace)}
    strangers = [i for i in recipient_ids if i not in members]
    if strangers:
        raise ValidationError.single("recipients", "must be members of the workspace", strangers)
    if enabled and not recipient_ids:
        raise ValidationError.single("recipients", "choose at least one member", [])
    schedule = schedule_of(session, workspace)
    schedule.enabled = enabled
    schedule.locale = locale
    schedule.paper = check_paper(paper, locale)
    schedule.recipient_ids = sorted(set(recipient_ids))
    schedule.updated_at = datetime.now(UTC)
    session.add(schedule)
    session.flush()
    return schedule


def due_schedules(session: Session, today: date) -> list[ReportSchedule]:
    """Schedules that are on and have not sent the month before ``today`` yet."""
    month = last_full_month(today).label
    query = select(ReportSchedule).where(
        ReportSchedule.enabled.is_(True),
        (ReportSchedule.last_period.is_(None)) | (ReportSchedule.last_period != month),
    )
    return list(session.scalars(query.order_by(ReportSchedule.id)))


def recipients_of(session: Session, schedule: ReportSchedule) -> list[Member]:
    """The schedule's recipients still members of its workspace (a member removed since is
    skipped, never mailed)."""
    workspace = session.get(Workspace, schedule.workspace_id)
    if workspace is None:
        return []
    chosen = set(schedule.recipient_ids)
    return [m for m in members_of(session, workspace) if m.user_id in chosen]
