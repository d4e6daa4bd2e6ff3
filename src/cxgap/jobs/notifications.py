"""The ``notifications`` kind: the community's e-mail outbox delivered in the background
(``services/idea_notifications.py``), queued every minute by the scheduler while notices wait
(and by ``cxgap notify send``'s sibling, the front ends, when they make news)."""

from __future__ import annotations

from cxgap.errors import ConfigError
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.mail import mailer_for
from cxgap.mail.sender import mail_configured
from cxgap.services import idea_notifications

NOTIFICATIONS = "notifications"


def run_notifications(run: JobRun) -> dict[str, object]:
    settings = run.context.settings
    if settings is None:
        raise ConfigError("This worker has no settings: it cannot send e-mail")
    if not mail_configured(settings):  # the notices wait for a configured server
        return {"sent": 0, "skipped": "e-mail is not configured (CXGAP_SMTP_URL)"}
    with run.context.sessions() as session:
        waiting = idea_notifications.pending(session)
    run.progress(0, waiting, stage="sending")
    done = 0

    def on_batch(outcome: idea_notifications.Outcome) -> None:
        nonlocal done
        done += outcome.sent + outcome.refused + outcome.skipped
        run.progress(done, max(waiting, done))

    outcome = idea_notifications.deliver_pending(
        run.context.sessions,
        send=mailer_for(settings).send,
        secret=settings.resolved_secret_key(),
        public_url=settings.public_url,
        should_stop=lambda: run.stopping,
        on_batch=on_batch,
    )
    run.check()
    return {"sent": outcome.sent, "refused": outcome.refused, "skipped": outcome.skipped}


KIND = JobKind(NOTIFICATIONS, run_notifications, retry_seconds=60.0)
