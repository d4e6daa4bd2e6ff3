"""The ``action_reminders`` kind, queued daily by the scheduler: the reminders of the action
plans due today (services/action_reminders.py), marked sent with their webhooks in one
transaction, then e-mailed through the configured SMTP server."""

from __future__ import annotations

from datetime import UTC, datetime

from cxgap.errors import ConfigError
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.mail import mailer_for
from cxgap.mail.sender import mail_configured
from cxgap.services.action_reminders import remind_all

ACTION_REMINDERS = "action_reminders"


def run_action_reminders(run: JobRun) -> dict[str, object]:
    settings = run.context.settings
    if settings is None:
        raise ConfigError("This worker has no settings: it cannot send e-mail")
    now = datetime.now(UTC)
    with run.context.sessions() as session, session.begin():
        letters = remind_all(session, now)
    run.progress(1, 2, stage="checking")
    if not letters:
        return {"sent": 0}
    if not mail_configured(settings):
        return {"sent": 0, "skipped": "e-mail is not configured (CXGAP_SMTP_URL)"}
    deliveries = mailer_for(settings).send(letters)
    run.progress(2, 2, stage="sending")
    return {"sent": sum(d.ok for d in deliveries), "refused": sum(not d.ok for d in deliveries)}


KIND = JobKind(ACTION_REMINDERS, run_action_reminders)
