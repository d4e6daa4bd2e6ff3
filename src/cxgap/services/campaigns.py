"""Internal self-assessment campaigns and customer surveys, reached by secret links."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db.tables import (
    CustomerResponse,
    CustomerSurvey,
    InternalCampaign,
    InternalResponse,
    SurveyInvitation,
    Workspace,
)
from cxgap.errors import ConflictError, NotFoundError, ValidationError
from cxgap.services.slugs import free_key
from cxgap.services.workspaces import check_key


def new_link_token() -> str:
    return secrets.token_urlsafe(16)


def invitation_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_name(name: str) -> str:
    if not name.strip():
        raise ValidationError.single("name", "is required", code="required")
    if len(name) > 200:
        raise ValidationError.single(
            "name",
            "is longer than 200 characters",
            len(name),
            code="too_long",
            params={"limit": 200},
        )
    return name.strip()


def create_internal_campaign(
    session: Session, *, workspace: Workspace, key: str, name: str, token: str | None = None
) -> InternalCampaign:
    """An empty ``key`` is derived from the name, unique in the workspace."""
    key = key.strip() or free_key(
        session, InternalCampaign.key, name, scope=InternalCampaign.workspace_id,
        scope_id=workspace.id, fallback="campaign",
    )  # fmt: skip
    key = check_key("key", key)
    exists = session.scalar(
        select(InternalCampaign.id).where(
            InternalCampaign.workspace_id == workspace.id, InternalCampaign.key == key
        )
    )
    if exists is not None:
        message = f"Campaign {key!r} already exists in workspace {workspace.key!r}"
        raise ConflictError(message).keyed("i18n_round2.key_taken.campaign", key=key)
    campaign = InternalCampaign(
        workspace_id=workspace.id, key=key, name=_check_name(name), token=token or new_link_token()
    )
    session.add(campaign)
    session.flush()
    return campaign


def create_survey(
    session: Session,
    *,
    workspace: Workspace,
    key: str,
    name: str,
    invitation_only: bool = False,
    token: str | None = None,
) -> CustomerSurvey:
    """An empty ``key`` is derived from the name, unique in the workspace."""
    key = key.strip() or free_key(
        session, CustomerSurvey.key, name, scope=CustomerSurvey.workspace_id,
        scope_id=workspace.id, fallback="survey",
    )  # fmt: skip
    key = check_key("key", key)
    exists = session.scalar(
        select(CustomerSurvey.id).where(
            CustomerSurvey.workspace_id == workspace.id, CustomerSurvey.key == key
        )
    )
    if exists is not None:
        message = f"Survey {key!r} already exists in workspace {workspace.key!r}"
        raise ConflictError(message).keyed("i18n_round2.key_taken.survey", key=key)
    survey = CustomerSurvey(
        workspace_id=workspace.id,
        key=key,
        name=_check_name(name),
        invitation_only=invitation_only,
        token=token or new_link_token(),
    )
    session.add(survey)
    session.flush()
    return survey


def campaign_by_token(session: Session, token: str) -> InternalCampaign:
    campaign = session.scalar(select(InternalCampaign).where(InternalCampaign.token == token))
    if campaign is None:
        raise NotFoundError("This self-assessment link is not valid")
    return campaign


def survey_by_token(session: Session, token: str) -> CustomerSurvey:
    survey = session.scalar(select(CustomerSurvey).where(CustomerSurvey.token == token))
    if survey is None:
        raise NotFoundError("This survey link is not valid")
    return survey


def _with_answer_counts(
    session: Session,
    workspace: Workspace,
    item: type[InternalCampaign] | type[CustomerSurvey],
    answer_link: Any,
) -> list[tuple[Any, int]]:
    """Items of the workspace with their number of answers, newest first."""
    counts = (
        select(answer_link.label("item_id"), func.count().label("n"))
        .group_by(answer_link)
        .subquery()
    )
    rows = session.execute(
        select(item, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.item_id == item.id)
        .where(item.workspace_id == workspace.id)
        .order_by(item.created_at.desc(), item.id.desc())
    )
    return [(found, int(n)) for found, n in rows]


def campaigns_of(session: Session, workspace: Workspace) -> list[tuple[InternalCampaign, int]]:
    return _with_answer_counts(session, workspace, InternalCampaign, InternalResponse.campaign_id)


def surveys_of(session: Session, workspace: Workspace) -> list[tuple[CustomerSurvey, int]]:
    return _with_answer_counts(session, workspace, CustomerSurvey, CustomerResponse.survey_id)


def get_survey(session: Session, workspace: Workspace, key: str) -> CustomerSurvey:
    survey = session.scalar(
        select(CustomerSurvey).where(
            CustomerSurvey.workspace_id == workspace.id, CustomerSurvey.key == key
        )
    )
    if survey is None:
        raise NotFoundError(f"No survey {key!r} in workspace {workspace.key!r}")
    return survey


def set_open(session: Session, item: CustomerSurvey | InternalCampaign, is_open: bool) -> None:
    item.is_open = is_open


def create_invitations(session: Session, *, survey: CustomerSurvey, count: int) -> list[str]:
    """Single-use invitation tokens; only their hashes are stored, so hand them out now."""
    if not 1 <= count <= 10_000:
        raise ValidationError.single(
            "count",
            "must be between 1 and 10000",
            count,
            code="range",
            params={"low": 1, "high": 10000},
        )
    tokens = [secrets.token_urlsafe(16) for _ in range(count)]
    session.add_all(
        SurveyInvitation(survey_id=survey.id, token_hash=invitation_digest(t)) for t in tokens
    )
    session.flush()
    return tokens
