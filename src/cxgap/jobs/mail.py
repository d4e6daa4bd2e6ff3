"""The ``mail`` job: a survey e-mail wave's invitations, or its one reminder, sent in the
background with progress (letters handled / to handle) and the outcome (accepted / refused).

Resumable and never twice: each batch's recipients are claimed in the database before they
are mailed (``survey_mailing._deliver``), so a resumed or retried job mails only the rest, and
recipients a killed worker left claimed are reported as failed, never mailed again. The jobs
of one wave share an exclusive key: they never run together.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from cxgap.errors import ConfigError
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.mail.sender import mailer_for
from cxgap.services import survey_mailing

MAIL = "mail"
ACTIONS = ("send", "remind")


def mail_payload(*, wave_id: int, action: str, base_url: str) -> dict[str, object]:
    """What a ``mail`` job needs: the wave, what to send, and the address links point to."""
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {ACTIONS}, got {action!r}")
    return {"wave_id": wave_id, "action": action, "base_url": base_url}


def exclusive_key(wave_id: int) -> str:
    return f"{MAIL}:wave:{wave_id}"


def run_mail(run: JobRun) -> dict[str, object]:
    settings = run.context.settings
    if settings is None:
        raise ConfigError("This worker has no settings: it cannot send e-mail")
    wave_id = int(str(run.payload["wave_id"]))
    reminder = run.payload.get("action") == "remind"
    links = survey_mailing.LinkMaker(str(run.payload["base_url"]), settings.resolved_secret_key())
    mailer = mailer_for(settings)
    with run.context.sessions() as session, session.begin():
        interrupted = survey_mailing.recover_interrupted(session, wave_id)
        left = survey_mailing.to_send(session, wave_id, reminder=reminder)
    run.progress(run.done, run.done + left, stage="reminding" if reminder else "sending")

    def on_batch(session: Session, count: int) -> None:
        run.progress(run.done + count, session=session)  # with the batch's outcome

    send = survey_mailing.send_reminders if reminder else survey_mailing.send_pending
    send(
        run.context.sessions,
        wave_id=wave_id,
        links=links,
        mailer=mailer,
        on_batch=on_batch,
        # Still ours? (else JobTakenOver: the batch is not claimed, the other worker sends it)
        on_claim=lambda session: run.progress(run.done, session=session),
        should_stop=lambda: run.stopping,
    )
    run.check()  # stopped between batches: back in the queue, resumed later
    with run.context.sessions() as session:
        accepted, refused = survey_mailing.wave_outcome(session, wave_id, reminder=reminder)
    result: dict[str, object] = {
        "wave_id": wave_id,
        "action": "remind" if reminder else "send",
        "accepted": accepted,
        "refused": refused,
    }
    if interrupted:
        result["interrupted"] = interrupted
    return result


KIND = JobKind(MAIL, run_mail, retry_seconds=60.0)
