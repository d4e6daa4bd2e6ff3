"""Tables of the assessment and the customer survey: pillars, campaigns, answers and their
scores, e-mail waves, the cached results.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class Pillar(Base):
    __tablename__ = "pillars"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    # What customers read in the survey (the descriptions speak to colleagues).
    prompt_en: Mapped[str] = mapped_column(Text, default="")
    prompt_fr: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer)
    # Retired pillars keep their history but are no longer asked about.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class InternalCampaign(Base):
    """A self-assessment round: colleagues invited by link score and rank the pillars."""

    __tablename__ = "internal_campaigns"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class InternalResponse(Base):
    __tablename__ = "internal_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("internal_campaigns.id", ondelete="CASCADE"), index=True
    )
    respondent: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str] = mapped_column(String(200), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Guards against a double click or a replayed form.
    submission_id: Mapped[str] = mapped_column(String(64), unique=True)

    scores: Mapped[list[InternalPillarScore]] = relationship(cascade="all, delete-orphan")


class InternalPillarScore(Base):
    __tablename__ = "internal_pillar_scores"
    __table_args__ = (UniqueConstraint("response_id", "pillar_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("internal_responses.id", ondelete="CASCADE")
    )
    pillar_id: Mapped[int] = mapped_column(ForeignKey("pillars.id", ondelete="CASCADE"))
    current: Mapped[int] = mapped_column(SmallInteger)
    desired: Mapped[int] = mapped_column(SmallInteger)
    # 1 = what customers value most; NULL when the colleague did not rank the pillars.
    rank: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)


class CustomerSurvey(Base):
    """A public customer questionnaire on the workspace's pillars."""

    __tablename__ = "customer_surveys"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    invitation_only: Mapped[bool] = mapped_column(Boolean, default=False)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SurveyInvitation(Base):
    __tablename__ = "survey_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("customer_surveys.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # First time the survey was opened with this invitation (response rates per wave).
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class CustomerResponse(Base):
    __tablename__ = "customer_responses"
    __table_args__ = (
        UniqueConstraint("workspace_id", "external_id"),
        Index("ix_customer_responses_ws_nps", "workspace_id", "nps"),
        Index("ix_customer_responses_ws_year_nps", "workspace_id", "birth_year", "nps"),
        Index("ix_customer_responses_ws_segment_nps", "workspace_id", "segment_key", "nps"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    survey_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_surveys.id", ondelete="SET NULL"), nullable=True
    )
    source: Mapped[str] = mapped_column(String(16))  # web | import | demo
    # Import row id or web submission id: re-imports and replays update, never duplicate.
    external_id: Mapped[str] = mapped_column(String(128))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    language: Mapped[str] = mapped_column(String(5), default="en")
    nps: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    csat: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    ces: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    birth_year: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    segment_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    customer_ref: Mapped[str | None] = mapped_column(String(128), nullable=True)
    # Seconds from the survey page shown to the answer sent (public survey; 0039), and the
    # shop or agent the answer is about: what the integrity flags read (docs/integrity.md).
    duration_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    agent: Mapped[str | None] = mapped_column(String(128), nullable=True)


class CustomerPillarScore(Base):
    __tablename__ = "customer_pillar_scores"
    __table_args__ = (
        UniqueConstraint("response_id", "pillar_id"),
        # Covering indexes: results are computed from score histograms per pillar and per
        # group, which SQLite and PostgreSQL then aggregate straight from the index order.
        Index("ix_cps_pillar_importance", "pillar_id", "importance"),
        Index("ix_cps_pillar_performance", "pillar_id", "performance"),
        Index("ix_cps_pillar_year_importance", "pillar_id", "birth_year", "importance"),
        Index("ix_cps_pillar_segment_importance", "pillar_id", "segment_key", "importance"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("customer_responses.id", ondelete="CASCADE")
    )
    pillar_id: Mapped[int] = mapped_column(ForeignKey("pillars.id", ondelete="CASCADE"))
    importance: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    performance: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    # Copied from the response (they never change after storing) so that results by
    # generation and segment need no join over millions of rows.
    birth_year: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    segment_key: Mapped[str | None] = mapped_column(String(64), nullable=True)


class SurveyRateHit(Base):
    """Hashed client addresses of recent public submissions, for the per-IP rate limit."""

    __tablename__ = "survey_rate_hits"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_hash: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class ResultsCache(Base):
    """Computed results per workspace, valid while the workspace's data revision is unchanged."""

    __tablename__ = "results_cache"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    # The computation parameters (confidence, minimum group size…) the payload was made with.
    params: Mapped[str] = mapped_column(String(200), primary_key=True)
    data_revision: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MailOptOut(Base):
    """An address that asked to receive no more survey e-mail from this workspace (its
    SHA-256, so the wish outlives the recipient lists)."""

    __tablename__ = "mail_opt_outs"
    __table_args__ = (UniqueConstraint("workspace_id", "email_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    email_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SurveyWave(Base):
    """One list of recipients mailed a survey at once, and its one reminder."""

    __tablename__ = "survey_waves"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("customer_surveys.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Rows of the list not mailed: the address had opted out, or already had an invitation
    # to this survey from an earlier wave.
    skipped_opted_out: Mapped[int] = mapped_column(Integer, default=0)
    skipped_invited: Mapped[int] = mapped_column(Integer, default=0)


class SurveyRecipient(Base):
    """One person of a wave: their own single-use invitation and what became of the e-mail."""

    __tablename__ = "survey_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(
        ForeignKey("survey_waves.id", ondelete="CASCADE"), index=True
    )
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("survey_invitations.id", ondelete="CASCADE"), unique=True
    )
    email: Mapped[str] = mapped_column(String(254))
    email_hash: Mapped[str] = mapped_column(String(64), index=True)
    language: Mapped[str] = mapped_column(String(5))
    segment_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    customer_ref: Mapped[str | None] = mapped_column(String(128), nullable=True)
    status: Mapped[str] = mapped_column(String(16))  # pending | sent | failed
    failure: Mapped[str] = mapped_column(String(200), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
