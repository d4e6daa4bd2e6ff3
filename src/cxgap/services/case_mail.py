"""E-mail to a case's assignee when it is assigned to them and when it breaches an SLA
metric: letters in the member's language (their account's, else English), sent by the
``case_mail`` job through the configured SMTP server."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cxgap.db.tables import CaseRow, User, Workspace
from cxgap.i18n import translate
from cxgap.mail import Letter
from cxgap.mail.message import render_letter

NOTICES = ("assigned", "breached")


def case_letter(
    session: Session, *, case_id: int, notice: str, metric: str | None = None
) -> Letter | None:
    """The letter to the case's assignee; ``None`` when nobody is assigned (any more)."""
    if notice not in NOTICES:
        raise ValueError(f"unknown case notice {notice!r}")
    case = session.get(CaseRow, case_id)
    if case is None or case.assignee_id is None:
        return None
    user = session.get(User, case.assignee_id)
    workspace = session.get(Workspace, case.workspace_id)
    if user is None or workspace is None:
        return None
    locale = user.locale or "en"
    metric_name = translate(f"cases.metric.{metric}", locale).lower() if metric else ""
    return render_letter(
        f"case_{notice}",
        to=user.email,
        locale=locale,
        number=case.number,
        subject=case.subject,
        workspace=workspace.name,
        path=f"/w/{workspace.key}/cases/{case.number}",
        metric=metric_name,
    )
