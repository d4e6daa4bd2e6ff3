"""Surveys sent by e-mail: one wave per uploaded list, one single-use invitation per person,
one reminder per wave, opt-outs honoured by every later wave, response rates per wave.

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

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session, sessionmaker

from cxgap.db.tables import (
    CustomerSurvey,
    MailOptOut,
    SurveyInvitation,
    SurveyRecipient,
    SurveyWave,
    Workspace,
)
from cxgap.errors import ConflictError, NotFoundError
from cxgap.mail.message import Letter, render_letter
from cxgap.mail.sender import Mailer
from cxgap.schema import CustomerAnswer
from cxgap.services.campaigns import invitation_digest
from cxgap.services.recipient_lists import Recipient

BATCH = 100


class ReminderAlreadySentError(ConflictError):
    """A wave gets one reminder; this one already had it."""


@dataclass(frozen=True)
class WaveReport:
    wave_id: int
    sent: int
    failed: int
    skipped_opted_out: int
    skipped_invited: int


@dataclass(frozen=True)
class WaveRates:
    """One wave's response rate: ``rate`` is answered / sent (None before anything is sent)."""

    wave_id: int
    survey_key: str
    survey_name: str
    file_name: str
    created_at: datetime
    reminded_at: datetime | None
    recipients: int
    sent: int
    failed: int
    pending: int
    opened: int
    answered: int
    opted_out: int
    skipped_opted_out: int
    skipped_invited: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.sent if self.sent else None

    @property
    def to_remind(self) -> int:
        return self.sent - self.answered


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


def _opted_out(session: Session, workspace_id: int) -> set[str]:
    return set(
        session.scalars(
            select(MailOptOut.email_hash).where(MailOptOut.workspace_id == workspace_id)
        )
    )


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
    opted_out = _opted_out(session, survey.workspace_id)
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
        query = query.where(SurveyRecipient.status == "sent", SurveyInvitation.used_at.is_(None))
    opted_out = _opted_out(session, workspace.id)
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


def _deliver(
    sessions: sessionmaker[Session],
    mailer: Mailer,
    outgoing: list[_Outgoing],
    record: Callable[[SurveyRecipient, bool, str, datetime], None],
) -> tuple[int, int]:
    sent = failed = 0
    for start in range(0, len(outgoing), BATCH):
        batch = outgoing[start : start + BATCH]
        deliveries = mailer.send([item.letter for item in batch])
        now = datetime.now(UTC)
        with sessions() as session, session.begin():
            for item, delivery in zip(batch, deliveries, strict=True):
                person = session.get(SurveyRecipient, item.recipient_id)
                if person is not None:
                    record(person, delivery.ok, delivery.reason, now)
                sent += delivery.ok
                failed += not delivery.ok
    return sent, failed


def _record_first(person: SurveyRecipient, ok: bool, reason: str, now: datetime) -> None:
    person.status = "sent" if ok else "failed"
    person.failure = reason[:200]
    person.sent_at = now if ok else None


def _record_reminder(person: SurveyRecipient, ok: bool, reason: str, now: datetime) -> None:
    if ok:
        person.reminded_at = now
    else:
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
    sessions: sessionmaker[Session], *, wave_id: int, links: LinkMaker, mailer: Mailer
) -> tuple[int, int]:
    """Mail the wave's recipients still pending (the server was down, the process stopped)."""
    with sessions() as session:
        outgoing = _letters(session, wave_id, links, "survey_invitation", pending_only=True)
    return _deliver(sessions, mailer, outgoing, _record_first)


def send_reminder(
    sessions: sessionmaker[Session], *, wave_id: int, links: LinkMaker, mailer: Mailer
) -> tuple[int, int]:
    """The wave's one reminder, to those who were sent the survey and have not answered."""
    with sessions() as session, session.begin():
        wave = session.get(SurveyWave, wave_id, with_for_update=True)
        if wave is None:
            raise NotFoundError(f"No e-mail wave {wave_id}")
        if wave.reminded_at is not None:
            raise ReminderAlreadySentError(
                f"This wave already had its reminder on {wave.reminded_at:%Y-%m-%d}"
            )
        wave.reminded_at = datetime.now(UTC)
        outgoing = _letters(session, wave_id, links, "survey_reminder", pending_only=False)
    return _deliver(sessions, mailer, outgoing, _record_reminder)


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


def wave_rates(
    session: Session, workspace: Workspace, *, survey: CustomerSurvey | None = None
) -> list[WaveRates]:
    """Every wave of the workspace (or of one survey), newest first, with its figures."""
    status = SurveyRecipient.status
    opened = (SurveyInvitation.opened_at.is_not(None)) | (SurveyInvitation.used_at.is_not(None))
    opted = SurveyRecipient.email_hash.in_(
        select(MailOptOut.email_hash).where(MailOptOut.workspace_id == workspace.id)
    )

    def count(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = (
        select(
            SurveyWave,
            CustomerSurvey.key,
            CustomerSurvey.name,
            func.count(SurveyRecipient.id),
            count(status == "sent"),
            count(status == "failed"),
            count(status == "pending"),
            count((status == "sent") & opened),
            count((status == "sent") & SurveyInvitation.used_at.is_not(None)),
            count(opted),
        )
        .join(CustomerSurvey, CustomerSurvey.id == SurveyWave.survey_id)
        .outerjoin(SurveyRecipient, SurveyRecipient.wave_id == SurveyWave.id)
        .outerjoin(SurveyInvitation, SurveyInvitation.id == SurveyRecipient.invitation_id)
        .where(CustomerSurvey.workspace_id == workspace.id)
        .group_by(SurveyWave.id, CustomerSurvey.key, CustomerSurvey.name)
        .order_by(SurveyWave.created_at.desc(), SurveyWave.id.desc())
        # Sending commits in its own sessions: what this session loaded before may be stale.
        .execution_options(populate_existing=True)
    )
    if survey is not None:
        query = query.where(SurveyWave.survey_id == survey.id)
    rates: list[WaveRates] = []
    for wave, key, name, *figures in session.execute(query):
        recipients, sent, failed, pending, seen, answered, opted_out = (int(n) for n in figures)
        rates.append(
            WaveRates(
                wave_id=wave.id,
                survey_key=key,
                survey_name=name,
                file_name=wave.file_name,
                created_at=wave.created_at,
                reminded_at=wave.reminded_at,
                recipients=recipients,
                sent=sent,
                failed=failed,
                pending=pending,
                opened=seen,
                answered=answered,
                opted_out=opted_out,
                skipped_opted_out=wave.skipped_opted_out,
                skipped_invited=wave.skipped_invited,
            )
        )
    return rates


def _recipient_of(session: Session, token: str) -> SurveyRecipient | None:
    invitation_id = session.scalar(
        select(SurveyInvitation.id).where(SurveyInvitation.token_hash == invitation_digest(token))
    )
    if invitation_id is None:
        return None
    return session.scalar(
        select(SurveyRecipient).where(SurveyRecipient.invitation_id == invitation_id)
    )


def _workspace_of_recipient(session: Session, person: SurveyRecipient) -> Workspace:
    workspace = session.scalar(
        select(Workspace)
        .join(CustomerSurvey, CustomerSurvey.workspace_id == Workspace.id)
        .join(SurveyWave, SurveyWave.survey_id == CustomerSurvey.id)
        .where(SurveyWave.id == person.wave_id)
    )
    if workspace is None:
        raise NotFoundError("This unsubscribe link is not valid")
    return workspace


def opt_out_sender(session: Session, token: str) -> str:
    """The name of the workspace an unsubscribe link is from (404 for an unknown link)."""
    person = _recipient_of(session, token)
    if person is None:
        raise NotFoundError("This unsubscribe link is not valid")
    return _workspace_of_recipient(session, person).name


def opt_out(session: Session, token: str) -> str:
    """Record that this person wants no more survey e-mail from the workspace; returns its
    name. Doing it twice is harmless."""
    person = _recipient_of(session, token)
    if person is None:
        raise NotFoundError("This unsubscribe link is not valid")
    workspace = _workspace_of_recipient(session, person)
    exists = session.scalar(
        select(MailOptOut.id).where(
            MailOptOut.workspace_id == workspace.id, MailOptOut.email_hash == person.email_hash
        )
    )
    if exists is None:
        session.add(MailOptOut(workspace_id=workspace.id, email_hash=person.email_hash))
    return workspace.name


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
