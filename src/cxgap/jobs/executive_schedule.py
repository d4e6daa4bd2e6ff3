"""The ``executive_schedule`` job, queued by the scheduler when a workspace's monthly report
is due: renders the previous month's executive report as a PDF and e-mails it, attached, to
the schedule's recipients through CXGAP_SMTP_URL; then records the month as sent (so a slot
that runs again sends nothing twice). A schedule whose mail failed is retried with the job.
Where e-mail is not configured (the demo of ``make run``) the job ends with ``skipped`` and
records nothing, so the month goes out once CXGAP_SMTP_URL is set."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime

from cxgap.db.tables import Workspace
from cxgap.errors import ConfigError, MailServerError
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.mail.message import Attachment, render_letter
from cxgap.mail.sender import mail_configured, mailer_for
from cxgap.reporting.executive_period import last_full_month
from cxgap.services.executive_output import executive_file
from cxgap.services.report_schedules import due_schedules, recipients_of

EXECUTIVE_SCHEDULE = "executive_schedule"
log = logging.getLogger(__name__)


def run_executive_schedule(run: JobRun) -> dict[str, object]:
    settings = run.context.settings
    if settings is None:
        raise ConfigError("This worker has no settings: it cannot send e-mail")
    today = datetime.now(UTC).date()
    month = last_full_month(today).label
    with run.context.sessions() as session:
        due = [s.id for s in due_schedules(session, today)]
    if not mail_configured(settings):
        skipped = "e-mail is not configured (CXGAP_SMTP_URL)"
        return {"period": month, "schedules": len(due), "sent": 0, "skipped": skipped}
    mailer = mailer_for(settings)
    sent = refused = 0
    run.progress(0, len(due), stage="sending")
    for position, schedule_id in enumerate(due, start=1):
        with run.context.sessions() as session, session.begin():
            schedule = next((s for s in due_schedules(session, today) if s.id == schedule_id), None)
            if schedule is None:  # sent meanwhile by another worker's run
                continue
            workspace = session.get(Workspace, schedule.workspace_id)
            recipients = recipients_of(session, schedule)
            if workspace is None or not recipients:
                schedule.last_period = month
                continue
            rendered = executive_file(
                session, workspace, period=month, fmt="pdf", locale=schedule.locale,
                paper=schedule.paper, today=today,
            )  # fmt: skip
            attachment = Attachment(rendered.file_name, rendered.content, rendered.media_type)
            letters = [
                replace(
                    render_letter(
                        "executive_report", to=member.email, locale=schedule.locale,
                        workspace=workspace.name, period=month,
                    ),
                    attachments=(attachment,),
                )
                for member in recipients
            ]  # fmt: skip
            try:
                outcomes = mailer.send(letters)
            except MailServerError:
                log.warning("Executive report of workspace %s not sent", workspace.id)
                raise
            sent += sum(o.ok for o in outcomes)
            refused += sum(not o.ok for o in outcomes)
            schedule.last_period = month
            run.progress(position, session=session)
    return {"period": month, "schedules": len(due), "sent": sent, "refused": refused}


KIND = JobKind(EXECUTIVE_SCHEDULE, run_executive_schedule, retry_seconds=300.0)
