"""Surveys sent by e-mail: one wave per uploaded list, one single-use invitation per person,
one reminder per wave, opt-outs honoured by every later wave (mail_opt_outs.py; the rates
per wave: wave_rates.py).

Each person's link token is derived from the secret key and the invitation's id (an HMAC), so
the reminder can send the same link again while the database keeps only its SHA-256. Sending
runs after the wave is committed, in batches that each record their outcome in their own
transaction: a crash leaves the unsent recipients visibly "pending", never lost.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import ColumnElement

from cxgap.db.tables import (
    CustomerSurvey,
    SurveyInvitation,
    SurveyRecipient,
    SurveyWave,
    Workspace,
)
from cxgap.errors import (
    ConflictError,
    CxgapError,
    MailServerError,
    NotFoundError,
    ReminderAlreadySentError,
)
from cxgap.mail.message import Letter, render_letter
from cxgap.mail.sender import Mailer
from cxgap.schema import CustomerAnswer
from cxgap.services.campaigns import invitation_digest
from cxgap.services.mail_opt_outs import opted_out_hashes
from cxgap.services.recipient_lists import Recipient

BATCH = 100


@dataclass(frozen=True)
class WaveReport:
    wave_id: int
    sent: int
    failed: int
    skipped_opted_out: int
    skipped_invited: int


def email_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def invitation_token(secret: str, invitation_id: int) -> str:
    digest = hmac.new(secret.encode(), f"survey-invitation:{invitation_id}".encode(), "sha256")
    return base64.urlsafe_b64encode(digest.digest()[:18]).decode()


@dataclass(frozen=True)
class LinkMaker:
    """Absolute links for one installation: ``base_url`` and the secret key."""

    base_url: str
    secret: str

    def token(self, invitation_id: int) -> str:
        return invitation_token(self.secret, invitation_id)

    def survey(self, survey_token: str, invitation_id: int, language: str) -> str:
        token = self.token(invitation_id)
        return f"{self.base_url}/s/{survey_token}?invitation={token}&lang={language}"

    def opt_out(self, invitation_id: int) -> str:
        return f"{self.base_url}/optout/{self.token(invitation_id)}"


def _invited(session: Session, survey_id: int) -> set[str]:
    return set(
        session.scalars(
            select(SurveyRecipient.email_hash)
            .join(SurveyWave, SurveyWave.id == SurveyRecipient.wave_id)
            .where(SurveyWave.survey_id == survey_id)
        )
    )


def create_wave(
    session: Session,
    *,
    survey: CustomerSurvey,
    recipients: Sequence[Recipient],
    file_name: str,
    links: LinkMaker,
) -> int:
    """Store the wave and one invitation per person still reachable; nothing is sent yet."""
    if not survey.is_open:
        raise ConflictError(f"Survey {survey.key!r} is closed: reopen it before sending it")
    opted_out = opted_out_hashes(session, survey.workspace_id)
    invited = _invited(session, survey.id)
    wave = SurveyWave(survey_id=survey.id, file_name=file_name[:255])
    session.add(wave)
    session.flush()
    skipped = {"opted_out": 0, "invited": 0}
    for person in recipients:
        hashed = email_hash(person.email)
        if hashed in opted_out or hashed in invited:
            skipped["opted_out" if hashed in opted_out else "invited"] += 1
            continue
        invited.add(hashed)
        # A placeholder hash until the id, from which the token derives, is known.
        invitation = SurveyInvitation(survey_id=survey.id, token_hash=secrets.token_hex(32))
        session.add(invitation)
        session.flush()
        invitation.token_hash = invitation_digest(links.token(invitation.id))
        session.add(
            SurveyRecipient(
                wave_id=wave.id,
                invitation_id=invitation.id,
                email=person.email,
                email_hash=hashed,
                language=person.language,
                segment_key=person.segment_key,
                customer_ref=person.customer_ref,
                status="pending",
            )
        )
    wave.skipped_opted_out = skipped["opted_out"]
    wave.skipped_invited = skipped["invited"]
    session.flush()
    return wave.id


@dataclass(frozen=True)
class _Outgoing:
    recipient_id: int
    letter: Letter


def _letters(
    session: Session, wave_id: int, links: LinkMaker, kind: str, pending_only: bool
) -> list[_Outgoing]:
    wave = session.get(SurveyWave, wave_id)
    if wave is None:
        raise NotFoundError(f"No e-mail wave {wave_id}")
    survey = session.get(CustomerSurvey, wave.survey_id)
    workspace = session.get(Workspace, survey.workspace_id) if survey else None
    if survey is None or workspace is None:
        raise NotFoundError(f"No e-mail wave {wave_id}")
    query = (
        select(SurveyRecipient)
        .join(SurveyInvitation, SurveyInvitation.id == SurveyRecipient.invitation_id)
        .where(SurveyRecipient.wave_id == wave_id)
        .order_by(SurveyRecipient.id)
    )
    if pending_only:
        query = query.where(SurveyRecipient.status == "pending")
    else:  # the reminder: sent, not answered, not opted out since
        query = query.where(
            SurveyRecipient.status == "sent",
            SurveyRecipient.reminded_at.is_(None),  # a resumed reminder skips those reminded
            SurveyInvitation.used_at.is_(None),
        )
    opted_out = opted_out_hashes(session, workspace.id)
    outgoing: list[_Outgoing] = []
    for person in session.scalars(query):
        if person.email_hash in opted_out:
            continue
        link = links.survey(survey.token, person.invitation_id, person.language)
        optout = links.opt_out(person.invitation_id)
        letter = render_letter(
            kind,
            to=person.email,
            locale=person.language,
            brand=workspace.name,
            survey=survey.name,
            link=link,
            optout_link=optout,
            headers={
                "List-Unsubscribe": f"<{optout}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        outgoing.append(_Outgoing(person.id, letter))
    return outgoing


BatchHook = Callable[[Session, int], None]
"""Called in each batch's recording transaction with the number of letters it handled."""
INTERRUPTED = "interrupted while sending: not sent again (it may have arrived)"


def _deliver(
    sessions: sessionmaker[Session],
    mailer: Mailer,
    outgoing: list[_Outgoing],
    record: Callable[[SurveyRecipient, bool, str, datetime], None],
    *,
    reminder: bool = False,
    on_batch: BatchHook | None = None,
    on_claim: Callable[[Session], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> tuple[int, int]:
    """Send batch by batch. Each batch's recipients are first claimed in a committed
    transaction (status ``sending``, or the reminder's time set), then mailed, then their
    outcome recorded: a process killed in between leaves them claimed, so nobody is ever
    e-mailed twice by a resumed or retried send (``recover_interrupted`` reports them)."""
    sent = failed = 0
    for start in range(0, len(outgoing), BATCH):
        if should_stop():
            break
        claimed = _claim(sessions, outgoing[start : start + BATCH], reminder, on_claim)
        try:
            deliveries = mailer.send([item.letter for item in claimed]) if claimed else []
        except CxgapError:  # no connection, or a bad sender: nothing left the building
            _unclaim(sessions, claimed, reminder=reminder)
            raise
        now = datetime.now(UTC)
        with sessions() as session, session.begin():
            for item, delivery in zip(claimed, deliveries, strict=True):
                person = session.get(SurveyRecipient, item.recipient_id)
                if person is not None:
                    record(person, delivery.ok, delivery.reason, now)
                sent += delivery.ok
                failed += not delivery.ok
            if on_batch is not None:
                on_batch(session, len(claimed))
    return sent, failed


def _claim(
    sessions: sessionmaker[Session],
    batch: list[_Outgoing],
    reminder: bool,
    on_claim: Callable[[Session], None] | None,
) -> list[_Outgoing]:
    """Mark the batch's recipients as being mailed, if nobody did meanwhile; those claimed.
    ``on_claim`` runs in the same transaction (a job checks it still holds its lease: if
    not, nothing is claimed)."""
    ids = [item.recipient_id for item in batch]
    query = update(SurveyRecipient).where(SurveyRecipient.id.in_(ids))
    if reminder:
        query = query.where(
            SurveyRecipient.status == "sent", SurveyRecipient.reminded_at.is_(None)
        ).values(reminded_at=datetime.now(UTC))
    else:
        query = query.where(SurveyRecipient.status == "pending").values(status="sending")
    with sessions() as session, session.begin():
        if on_claim is not None:
            on_claim(session)
        won = set(session.scalars(query.returning(SurveyRecipient.id)))
    return [item for item in batch if item.recipient_id in won]


def _unclaim(sessions: sessionmaker[Session], batch: list[_Outgoing], *, reminder: bool) -> None:
    ids = [item.recipient_id for item in batch]
    query = update(SurveyRecipient).where(SurveyRecipient.id.in_(ids))
    if reminder:
        query = query.values(reminded_at=None)
    else:
        query = query.where(SurveyRecipient.status == "sending").values(status="pending")
    with sessions() as session, session.begin():
        session.execute(query.execution_options(synchronize_session=False))


def recover_interrupted(session: Session, wave_id: int) -> int:
    """Recipients left ``sending`` by a process that died mid-batch become ``failed`` (the
    server may have accepted their letter: they are not mailed again); how many."""
    result = session.execute(
        update(SurveyRecipient)
        .where(SurveyRecipient.wave_id == wave_id, SurveyRecipient.status == "sending")
        .values(status="failed", failure=INTERRUPTED)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0))


def to_send(session: Session, wave_id: int, *, reminder: bool) -> int:
    """How many recipients of the wave a send (or its reminder) would still mail."""
    query = select(func.count(SurveyRecipient.id)).where(SurveyRecipient.wave_id == wave_id)
    if reminder:
        query = query.join(
            SurveyInvitation, SurveyInvitation.id == SurveyRecipient.invitation_id
        ).where(
            SurveyRecipient.status == "sent",
            SurveyRecipient.reminded_at.is_(None),
            SurveyInvitation.used_at.is_(None),
        )
    else:
        query = query.where(SurveyRecipient.status == "pending")
    return int(session.scalar(query) or 0)


def wave_outcome(session: Session, wave_id: int, *, reminder: bool) -> tuple[int, int]:
    """(accepted, refused) by the mail server for the wave's invitations or its reminder."""
    recipients = select(SurveyRecipient).where(SurveyRecipient.wave_id == wave_id).subquery()
    accepted: ColumnElement[bool]
    refused: ColumnElement[bool]
    if reminder:
        accepted = recipients.c.reminded_at.is_not(None)
        refused = recipients.c.failure.like("reminder:%")
    else:
        accepted = recipients.c.status == "sent"
        refused = recipients.c.status == "failed"
    row = session.execute(
        select(
            func.coalesce(func.sum(case((accepted, 1), else_=0)), 0),
            func.coalesce(func.sum(case((refused, 1), else_=0)), 0),
        )
    ).one()
    return int(row[0]), int(row[1])


def _record_first(person: SurveyRecipient, ok: bool, reason: str, now: datetime) -> None:
    person.status = "sent" if ok else "failed"
    person.failure = reason[:200]
    person.sent_at = now if ok else None


def _record_reminder(person: SurveyRecipient, ok: bool, reason: str, now: datetime) -> None:
    if ok:
        person.reminded_at = now
    else:  # claimed, then refused: not reminded
        person.reminded_at = None
        person.failure = f"reminder: {reason}"[:200]


def send_wave(
    sessions: sessionmaker[Session],
    *,
    survey_id: int,
    recipients: Sequence[Recipient],
    file_name: str,
    links: LinkMaker,
    mailer: Mailer,
) -> WaveReport:
    """Store the wave (committed), then mail everyone in it."""
    with sessions() as session, session.begin():
        survey = session.get(CustomerSurvey, survey_id)
        if survey is None:
            raise NotFoundError(f"No survey {survey_id}")
        wave_id = create_wave(
            session, survey=survey, recipients=recipients, file_name=file_name, links=links
        )
        outgoing = _letters(session, wave_id, links, "survey_invitation", pending_only=True)
        wave = session.get(SurveyWave, wave_id)
        skipped = (wave.skipped_opted_out, wave.skipped_invited) if wave else (0, 0)
    sent, failed = _deliver(sessions, mailer, outgoing, _record_first)
    return WaveReport(wave_id, sent, failed, *skipped)


def send_pending(
    sessions: sessionmaker[Session],
    *,
    wave_id: int,
    links: LinkMaker,
    mailer: Mailer,
    on_batch: BatchHook | None = None,
    on_claim: Callable[[Session], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> tuple[int, int]:
    """Mail the wave's recipients still pending (the first send, or after the server was
    down or the process stopped)."""
    with sessions() as session:
        outgoing = _letters(session, wave_id, links, "survey_invitation", pending_only=True)
    return _deliver(
        sessions,
        mailer,
        outgoing,
        _record_first,
        on_batch=on_batch,
        on_claim=on_claim,
        should_stop=should_stop,
    )


def start_reminder(session: Session, wave_id: int) -> None:
    """Book the wave's one reminder (refused if it had it); ``send_reminders`` sends it."""
    wave = session.get(SurveyWave, wave_id, with_for_update=True)
    if wave is None:
        raise NotFoundError(f"No e-mail wave {wave_id}")
    if wave.reminded_at is not None:
        raise ReminderAlreadySentError(
            f"This wave already had its reminder on {wave.reminded_at:%Y-%m-%d}"
        )
    wave.reminded_at = datetime.now(UTC)


def send_reminders(
    sessions: sessionmaker[Session],
    *,
    wave_id: int,
    links: LinkMaker,
    mailer: Mailer,
    on_batch: BatchHook | None = None,
    on_claim: Callable[[Session], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> tuple[int, int]:
    """Remind those sent the survey who have neither answered nor been reminded yet."""
    with sessions() as session:
        outgoing = _letters(session, wave_id, links, "survey_reminder", pending_only=False)
    return _deliver(
        sessions,
        mailer,
        outgoing,
        _record_reminder,
        reminder=True,
        on_batch=on_batch,
        on_claim=on_claim,
        should_stop=should_stop,
    )


def send_reminder(
    sessions: sessionmaker[Session], *, wave_id: int, links: LinkMaker, mailer: Mailer
) -> tuple[int, int]:
    """The wave's one reminder, to those who were sent the survey and have not answered."""
    with sessions() as session, session.begin():
        start_reminder(session, wave_id)
    try:
        return send_reminders(sessions, wave_id=wave_id, links=links, mailer=mailer)
    except MailServerError:
        _release_reminder(sessions, wave_id)
        raise


def _release_reminder(sessions: sessionmaker[Session], wave_id: int) -> None:
    """The server could not be reached: if nobody got the reminder, the wave may try again."""
    with sessions() as session, session.begin():
        reached = session.scalar(
            select(func.count(SurveyRecipient.id)).where(
                SurveyRecipient.wave_id == wave_id, SurveyRecipient.reminded_at.is_not(None)
            )
        )
        wave = session.get(SurveyWave, wave_id)
        if wave is not None and not reached:
            wave.reminded_at = None


def wave_of(session: Session, workspace: Workspace, wave_id: int) -> SurveyWave:
    """The wave if it belongs to a survey of this workspace (404 otherwise)."""
    wave = session.scalar(
        select(SurveyWave)
        .join(CustomerSurvey, CustomerSurvey.id == SurveyWave.survey_id)
        .where(SurveyWave.id == wave_id, CustomerSurvey.workspace_id == workspace.id)
    )
    if wave is None:
        raise NotFoundError(f"No e-mail wave {wave_id} in workspace {workspace.key!r}")
    return wave


def mark_opened(session: Session, invitation: SurveyInvitation) -> None:
    """The survey was opened with this invitation (the first time counts)."""
    if invitation.opened_at is None:
        invitation.opened_at = datetime.now(UTC)


def with_recipient_details(
    session: Session, invitation: SurveyInvitation, answer: CustomerAnswer
) -> CustomerAnswer:
    """An answer given through a mailed invitation keeps the list's segment and customer
    reference where the respondent left them empty."""
    person = session.scalar(
        select(SurveyRecipient).where(SurveyRecipient.invitation_id == invitation.id)
    )
    if person is None:
        return answer
    return replace(
        answer,
        segment_key=answer.segment_key or person.segment_key,
        customer_ref=answer.customer_ref or person.customer_ref,
    )
