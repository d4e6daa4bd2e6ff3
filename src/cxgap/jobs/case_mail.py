"""The ``case_mail`` kind: one notice to a case's assignee (assigned, or an SLA breached)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cxgap.errors import ConfigError
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.jobs.worker import submit
from cxgap.mail import mailer_for
from cxgap.mail.sender import mail_configured
from cxgap.services.case_mail import case_letter

CASE_MAIL = "case_mail"


def notify_assignee(
    session: Session, case_id: int, workspace_id: int, notice: str, metric: str | None = None
) -> None:
    """Queue the notice (sent once the transaction commits); nothing when e-mail is not set
    up is decided by the job, which records it."""
    payload = {"case_id": case_id, "notice": notice, "metric": metric}
    submit(session, CASE_MAIL, workspace_id=workspace_id, payload=payload, max_attempts=3)


def run_case_mail(run: JobRun) -> dict[str, object]:
    settings = run.context.settings
    if settings is None:
        raise ConfigError("This worker has no settings: it cannot send e-mail")
    if not mail_configured(settings):
        return {"sent": 0, "skipped": "e-mail is not configured (CXGAP_SMTP_URL)"}
    metric = run.payload.get("metric")
    with run.context.sessions() as session:
        letter = case_letter(
            session,
            case_id=int(str(run.payload["case_id"])),
            notice=str(run.payload["notice"]),
            metric=None if metric is None else str(metric),
        )
    if letter is None:
        return {"sent": 0, "skipped": "nobody is assigned"}
    delivery = mailer_for(settings).send([letter])[0]
    run.progress(1, 1, stage="sending")
    if not delivery.ok:
        return {"sent": 0, "refused": delivery.reason}
    return {"sent": 1}


KIND = JobKind(CASE_MAIL, run_case_mail, retry_seconds=60.0)
