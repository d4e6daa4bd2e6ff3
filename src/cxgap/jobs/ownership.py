"""The scheduled kinds of ownership (issue 13, "no silos"): ``ownership_alerts`` (daily:
significant worsenings announced to the owning teams and to webhooks) and
``ownership_digest`` (weekly: each team's digest). The alerts, and each (team, week) digest,
are committed before the letters go out, so a failed delivery, a retried job or a second
worker never sends twice; nothing here logs a verbatim."""

from __future__ import annotations

from cxgap.db.tables import utcnow
from cxgap.errors import MailServerError
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.jobs.schedule import OWNERSHIP_ALERTS, OWNERSHIP_DIGEST
from cxgap.mail import Letter, mailer_for
from cxgap.mail.sender import mail_configured
from cxgap.services import ownership_alerts, ownership_digest


def _send(run: JobRun, letters: list[Letter]) -> dict[str, object]:
    settings = run.context.settings
    if not letters:
        return {"sent": 0}
    if settings is None or not mail_configured(settings):
        return {"sent": 0, "skipped": "e-mail is not configured (CXGAP_SMTP_URL)"}
    try:
        deliveries = mailer_for(settings).send(letters)
    except MailServerError as exc:  # the alerts stay recorded (page, webhooks): said, not retried
        return {"sent": 0, "refused": len(letters), "error": type(exc).__name__}
    sent = sum(d.ok for d in deliveries)
    return {"sent": sent, "refused": len(deliveries) - sent}


def run_alerts(run: JobRun) -> dict[str, object]:
    """Test every owned subject; announce each new significant worsening."""
    with run.context.sessions() as session, session.begin():
        found = ownership_alerts.prepare_alerts(session, now=utcnow())
        run.progress(1, 2, session=session, stage="testing")
    outcome = _send(run, found.letters)
    run.progress(2, 2, stage="sending")
    return {"tested": found.tested, "announced": len(found.announced)} | outcome


def run_digest(run: JobRun) -> dict[str, object]:
    """Each owning team's week, to its members: each (team, week) claimed and committed in
    its own transaction before the letters go, so a retry or a second worker skips it."""
    now, settings = utcnow(), run.context.settings
    if settings is None or not mail_configured(settings):  # nothing sent: nothing recorded
        with run.context.sessions() as session:
            letters = ownership_digest.digest_letters(session, now=now)
        return {"letters": len(letters)} | _send(run, letters)
    with run.context.sessions() as session:
        teams = ownership_digest.owning_teams(session)
    letters = []
    for workspace_id, team_id in teams:
        with run.context.sessions() as session, session.begin():
            letters += ownership_digest.claim_digest(
                session, workspace_id=workspace_id, team_id=team_id, now=now
            )
    run.progress(1, 2, stage="measuring")
    outcome = _send(run, letters)
    run.progress(2, 2, stage="sending")
    return {"letters": len(letters)} | outcome


ALERTS_KIND = JobKind(OWNERSHIP_ALERTS, run_alerts, retry_seconds=300.0)
DIGEST_KIND = JobKind(OWNERSHIP_DIGEST, run_digest, retry_seconds=300.0)
