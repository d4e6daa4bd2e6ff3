"""Unsubscribing from survey e-mail: the link in every message records the address's
SHA-256 for the workspace, and no later wave or reminder mails it, nor any recovery survey
of a case. The same link (``/optout/<token>``) serves both: a survey invitation's token or a
case recovery survey's (``case_recovery.recovery_token``), each found by its SHA-256."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import (
    CaseRecovery,
    CustomerSurvey,
    MailOptOut,
    SurveyInvitation,
    SurveyRecipient,
    SurveyWave,
    Workspace,
)
from cxgap.errors import NotFoundError
from cxgap.services.campaigns import invitation_digest


def opted_out_hashes(session: Session, workspace_id: int) -> set[str]:
    return set(
        session.scalars(
            select(MailOptOut.email_hash).where(MailOptOut.workspace_id == workspace_id)
        )
    )


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


def _recovery_of(session: Session, token: str) -> CaseRecovery | None:
    """The case recovery survey whose e-mail carried ``token`` (its answer link's token)."""
    query = select(CaseRecovery).where(CaseRecovery.token_hash == invitation_digest(token))
    return session.scalar(query)


def _opting_out(session: Session, token: str) -> tuple[Workspace, str]:
    """The workspace a link is from and the address's hash (404 for an unknown link)."""
    person = _recipient_of(session, token)
    if person is not None:
        return _workspace_of_recipient(session, person), person.email_hash
    recovery = _recovery_of(session, token) if token else None
    workspace = None if recovery is None else session.get(Workspace, recovery.workspace_id)
    if recovery is None or workspace is None:
        raise NotFoundError("This unsubscribe link is not valid")
    return workspace, recovery.email_hash


def opt_out_sender(session: Session, token: str) -> str:
    """The name of the workspace an unsubscribe link is from (404 for an unknown link)."""
    return _opting_out(session, token)[0].name


def opt_out(session: Session, token: str) -> str:
    """Record that this person wants no more survey e-mail from the workspace; returns its
    name. Doing it twice is harmless."""
    workspace, address_hash = _opting_out(session, token)
    exists = session.scalar(
        select(MailOptOut.id).where(
            MailOptOut.workspace_id == workspace.id, MailOptOut.email_hash == address_hash
        )
    )
    if exists is None:
        session.add(MailOptOut(workspace_id=workspace.id, email_hash=address_hash))
    return workspace.name
