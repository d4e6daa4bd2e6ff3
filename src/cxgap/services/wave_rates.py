"""Response rates of surveys sent by e-mail, per wave: sent, failed, opened, answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from cxgap.db.tables import (
    CustomerSurvey,
    MailOptOut,
    SurveyInvitation,
    SurveyRecipient,
    SurveyWave,
    Workspace,
)


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
