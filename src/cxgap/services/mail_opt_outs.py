"""Unsubscribing from survey e-mail: the link in every message records the address's
SHA-256 for the workspace, and no later wave or reminder mails it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import (
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
