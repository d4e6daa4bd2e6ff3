"""The ``case_recovery`` kind: the recovery survey's e-mail to the customer of a resolved or
closed case, sent through the configured SMTP server (docs/cases.md, "Recovery survey").

Never twice: a recovery already sent or answered has no letter; an address that opted out
since the survey was asked is not mailed. The outcome is recorded on the recovery (and a
"sent" in the case's history), so the case page says what became of it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cxgap.db.tables import CaseRecovery
from cxgap.errors import ConfigError
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.jobs.worker import submit
from cxgap.mail import mailer_for
from cxgap.mail.sender import mail_configured
from cxgap.services import case_recovery

CASE_RECOVERY = "case_recovery"


def send_recovery(session: Session, recovery_id: int, workspace_id: int, base_url: str) -> None:
    """Queue the e-mail (sent once the transaction commits)."""
    payload = {"recovery_id": recovery_id, "base_url": base_url}
    submit(session, CASE_RECOVERY, workspace_id=workspace_id, payload=payload, max_attempts=3)


def _record(run: JobRun, recovery_id: int, failure: str = "") -> None:
    with run.context.sessions() as session, session.begin():
        case_recovery.record_delivery(session, recovery_id=recovery_id, failure=failure)


def run_case_recovery(run: JobRun) -> dict[str, object]:
    settings = run.context.settings
    if settings is None:
        raise ConfigError("This worker has no settings: it cannot send e-mail")
    recovery_id = int(str(run.payload["recovery_id"]))
    if not mail_configured(settings):
        _record(run, recovery_id, "not_configured")
        return {"sent": 0, "skipped": "e-mail is not configured (CXGAP_SMTP_URL)"}
    with run.context.sessions() as session:
        letter = case_recovery.recovery_letter(
            session,
            recovery_id=recovery_id,
            base_url=str(run.payload["base_url"]),
            secret=settings.resolved_secret_key(),
        )
        row = session.get(CaseRecovery, recovery_id)
        blocked = row is not None and case_recovery.opted_out(session, row.workspace_id, row.email)
    if letter is None:
        return {"sent": 0, "skipped": "already sent or answered"}
    if blocked:
        _record(run, recovery_id, "opted_out")
        return {"sent": 0, "skipped": "the address opted out"}
    delivery = mailer_for(settings).send([letter])[0]
    run.progress(1, 1, stage="sending")
    _record(run, recovery_id, "" if delivery.ok else (delivery.reason or "refused"))
    return {"sent": 1} if delivery.ok else {"sent": 0, "refused": delivery.reason}


KIND = JobKind(CASE_RECOVERY, run_case_recovery, retry_seconds=60.0)
