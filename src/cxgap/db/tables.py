"""SQLAlchemy tables. One schema for SQLite and PostgreSQL; Alembic owns its evolution."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend: SQLite stores no offset and would hand back naive
    values, which then compare wrongly with aware ones."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    __table_args__ = (Index("ix_users_oidc_identity", "oidc_issuer", "oidc_subject", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    is_superuser: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str | None] = mapped_column(String(5), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set for a password someone else chose (generated, or set by an administrator): the
    # user picks their own at the next sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # The identity provider's account this user signs in with (issuer + subject), once linked.
    oidc_issuer: Mapped[str | None] = mapped_column(String(500), nullable=True)
    oidc_subject: Mapped[str | None] = mapped_column(String(255), nullable=True)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Bumped by every write that changes results, so cached results know they are stale.
    data_revision: Mapped[int] = mapped_column(Integer, default=0)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="workspace", cascade="all, delete-orphan"
    )


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "workspace_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))  # admin | analyst | viewer

    user: Mapped[User] = relationship(back_populates="memberships")
    workspace: Mapped[Workspace] = relationship(back_populates="memberships")


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # A workspace token acts in that workspace only, with at most ``role`` (and never more
    # than its creator's role there); a token without a workspace acts as its user.
    workspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=True, index=True
    )
    role: Mapped[str | None] = mapped_column(String(16), nullable=True)


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


class Segment(Base):
    """A customer segment / persona answer option, one definition shared by every screen."""

    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Optional rule over customer attributes and survey answers that defines who belongs to
    # the segment, e.g. ``generation = "Gen X" and segment = "pro"``. Without a rule a customer
    # belongs when their answer or feedback names this segment's key. Personas point at a
    # segment, so every screen shares this one definition.
    rule: Mapped[str | None] = mapped_column(Text, nullable=True)


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


class LoginFailure(Base):
    """A failed login, by keyed hash of the e-mail and of the client: slows password guessing."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


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


class PersonaRow(Base):
    """A fictional customer inspired by real ones (journeys.model.Persona)."""

    __tablename__ = "personas"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    quote: Mapped[str] = mapped_column(Text, default="")
    # Short lists of free text (needs, usages, behaviours in English, *_fr in French;
    # channel keys).
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    usages: Mapped[list[str]] = mapped_column(JSON, default=list)
    behaviours: Mapped[list[str]] = mapped_column(JSON, default=list)
    needs_fr: Mapped[list[str]] = mapped_column(JSON, default=list)
    usages_fr: Mapped[list[str]] = mapped_column(JSON, default=list)
    behaviours_fr: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferred_channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    generation: Mapped[str | None] = mapped_column(String(64), nullable=True)
    segment_key: Mapped[str | None] = mapped_column(String(64), nullable=True)


class JourneyRow(Base):
    """A customer journey map, current or target version (journeys.model.Journey)."""

    __tablename__ = "journeys"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(16))  # current | target
    based_on: Mapped[str | None] = mapped_column(String(64), nullable=True)
    persona_id: Mapped[int | None] = mapped_column(
        ForeignKey("personas.id", ondelete="SET NULL"), nullable=True
    )
    # Optimistic concurrency: every edit states the revision it started from.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    stages: Mapped[list[JourneyStageRow]] = relationship(
        cascade="all, delete-orphan", order_by="JourneyStageRow.position"
    )


class JourneyStageRow(Base):
    __tablename__ = "journey_stages"
    __table_args__ = (UniqueConstraint("journey_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    journey_id: Mapped[int] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(16))  # before | during | after
    position: Mapped[int] = mapped_column(Integer)

    touchpoints: Mapped[list[JourneyTouchpointRow]] = relationship(
        cascade="all, delete-orphan", order_by="JourneyTouchpointRow.position"
    )


class JourneyTouchpointRow(Base):
    __tablename__ = "journey_touchpoints"
    __table_args__ = (UniqueConstraint("stage_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("journey_stages.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(32))
    digital: Mapped[bool] = mapped_column(Boolean)
    interlocutor: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    emotion: Mapped[int] = mapped_column(SmallInteger, default=0)  # -2 … +2
    moment_of_truth: Mapped[bool] = mapped_column(Boolean, default=False)
    declared_criticality: Mapped[str | None] = mapped_column(String(16), nullable=True)
    change: Mapped[str | None] = mapped_column(String(32), nullable=True)
    position: Mapped[int] = mapped_column(Integer)


class FeedbackImport(Base):
    """One import of a feedback file: what was asked, what happened, and its report."""

    __tablename__ = "feedback_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(String(255))
    preset: Mapped[str | None] = mapped_column(String(64), nullable=True)
    mode: Mapped[str] = mapped_column(String(16))  # all_or_nothing | skip_invalid
    status: Mapped[str] = mapped_column(String(16))  # done | refused
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    records_stored: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # ImportReport.as_dict(), with its problem list capped.
    report: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class Feedback(Base):
    """One thing a customer said (ingest.FeedbackRecord), stored once per source id."""

    __tablename__ = "feedback"
    __table_args__ = (
        # Re-imports update the record with the same source id instead of duplicating it.
        UniqueConstraint("workspace_id", "source_type", "source_id"),
        Index("ix_feedback_ws_collected_at", "workspace_id", "collected_at"),
        # Identical texts are enriched once. ``collected_at`` makes the index covering for
        # the Listening counts per text and period (migration 0022, docs/scale.md).
        Index("ix_feedback_ws_text_hash", "workspace_id", "text_hash", "collected_at"),
        # The verbatims of one survey response.
        Index("ix_feedback_ws_response_key", "workspace_id", "response_key"),
        # The newest id of a workspace (segment membership catches up past it) and the rows
        # of one import (their segment membership re-evaluated when it is written).
        Index("ix_feedback_ws_id", "workspace_id", "id"),
        Index("ix_feedback_import_id", "import_id"),
        # What changed since a moment: the overlay index folds in only those items.
        Index("ix_feedback_ws_updated_at", "workspace_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    source_type: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str | None] = mapped_column(String(200), nullable=True)
    collected_at: Mapped[datetime] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(Text, default="")
    nps: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    csat: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    ces: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    stars: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    customer_ref: Mapped[str | None] = mapped_column(String(200), nullable=True)
    touchpoint: Mapped[str | None] = mapped_column(String(200), nullable=True)
    language_hint: Mapped[str | None] = mapped_column(String(16), nullable=True)
    attributes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    text_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 hex of text
    # The survey question the text answers, and the response it is part of: a response with
    # several open answers gives several records, its scores on the first of them only.
    question: Mapped[str | None] = mapped_column(Text, nullable=True)
    response_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback_imports.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Topic(Base):
    """One topic of a workspace's editable taxonomy (issue 3): names, examples, rules, mapping."""

    __tablename__ = "topics"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")  # in English
    description_fr: Mapped[str] = mapped_column(Text, default="")
    # Example phrases (any language) and optional keyword rules (lower-case words or phrases).
    examples: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Keys of the pillars and journey touchpoints the topic is about.
    pillar_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    touchpoint_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    origin: Mapped[str] = mapped_column(String(16), default="default")  # default|emerging|analyst
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TextEnrichment(Base):
    """What the text models found in one distinct text of a workspace (identical texts are
    enriched once: feedback joins on ``(workspace_id, text_hash)``)."""

    __tablename__ = "text_enrichments"
    __table_args__ = (
        UniqueConstraint("workspace_id", "text_hash"),
        Index("ix_text_enrichments_ws_sentiment", "workspace_id", "sentiment"),
        # Feedback joins its enrichment by an index-only scan (migration 0022, docs/scale.md):
        # a date-filtered Listening view no longer reads every enrichment of the workspace.
        Index(
            "ix_text_enrichments_ws_hash_cover",
            "workspace_id",
            "text_hash",
            "id",
            "language",
            "sentiment",
            "sentiment_score",
            "intensity",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    text_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="")  # fr | en | other | ""
    sentiment: Mapped[str] = mapped_column(String(8), default="")  # positive|neutral|negative|""
    sentiment_score: Mapped[float | None] = mapped_column(Float, nullable=True)  # [-1, 1]
    intensity: Mapped[float | None] = mapped_column(Float, nullable=True)  # [0, 1]
    # Union of the findings' topics, for filtering without a join.
    topic_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The model that produced it (embedder + heads version), so a new model can re-enrich.
    model: Mapped[str] = mapped_column(String(120), default="")
    enriched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    findings: Mapped[list[TextFinding]] = relationship(
        cascade="all, delete-orphan", order_by="TextFinding.position"
    )


class TextFinding(Base):
    """One clause of an enriched text with its own sentiment and topic: "staff were lovely
    but delivery took three weeks" gives a positive and a negative finding."""

    __tablename__ = "text_findings"
    __table_args__ = (
        Index("ix_text_findings_enrichment", "enrichment_id"),
        Index(  # ordered by score for the topics page's examples (migration 0027)
            "ix_text_findings_ws_topic",
            "workspace_id",
            "topic_key",
            "sentiment",
            "sentiment_score",
            "id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrichment_id: Mapped[int] = mapped_column(
        ForeignKey("text_enrichments.id", ondelete="CASCADE")
    )
    # Copied from the enrichment so topic aggregates need no join.
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)  # character offsets in the text
    end: Mapped[int] = mapped_column(Integer)
    sentiment: Mapped[str] = mapped_column(String(8), default="")
    sentiment_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    intensity: Mapped[float | None] = mapped_column(Float, nullable=True)
    topic_key: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Job(Base):
    """One piece of background work (``cxgap.jobs``): an enrichment, an import, a report, a
    notification, a scheduled task… Its row is the source of truth: claimed atomically by one
    worker, its progress, heartbeat, result and error written on it, resumed after a crash.

    ``exclusive``: jobs sharing this key never run at the same time (e.g. one enrichment per
    workspace). ``dedupe``: at most one job ever has this key (a scheduled slot runs once
    however many workers see it due)."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_ws_status", "workspace_id", "status"),
        Index("ix_jobs_status_kind", "status", "kind"),
        Index("ix_jobs_exclusive", "exclusive", "status"),
        Index("ix_jobs_dedupe", "dedupe", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), default="enrich", server_default="enrich")
    workspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=True
    )
    status: Mapped[str] = mapped_column(String(16))  # queued|running|done|failed|cancelled
    queue: Mapped[str] = mapped_column(String(16), default="embedded")  # embedded | redis
    payload: Mapped[dict[str, object]] = mapped_column(
        JSON, default=dict, server_default=text("'{}'")
    )
    result: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)
    stage: Mapped[str] = mapped_column(String(64), default="", server_default="")
    total: Mapped[int] = mapped_column(Integer, default=0)  # units of work (texts, rows…)
    done: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    max_attempts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    run_after: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    exclusive: Mapped[str | None] = mapped_column(String(160), nullable=True)
    dedupe: Mapped[str | None] = mapped_column(String(160), nullable=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL", name="fk_jobs_requested_by"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class LabelCorrection(Base):
    """An analyst's correction of a label: a training example for the workspace model."""

    __tablename__ = "label_corrections"
    __table_args__ = (Index("ix_label_corrections_ws_kind", "workspace_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    # The corrected text itself (a clause or a whole verbatim): the training example.
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="")
    kind: Mapped[str] = mapped_column(String(16))  # sentiment | topic
    # sentiment: positive|neutral|negative; topic: the topic key
    value: Mapped[str] = mapped_column(String(64))
    # For topics: True when the topic applies, False when the analyst removed it.
    applies: Mapped[bool] = mapped_column(Boolean, default=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TouchpointFeedback(Base):
    """Materialised: the feedback items concerning each touchpoint key (named by the item, or
    through a finding's topic mapped to the touchpoint), with the measures the journey overlay
    sums. ``services.overlay`` rebuilds it when the workspace's feedback, enrichment or topics
    change. The overlay reads ``TouchpointTally``; this table feeds it, the irritants, and the
    rare persona whose segment has no materialised bit. One narrow index: a wide one made the
    rebuild maintain a B-tree in random order (six minutes at a million items)."""

    __tablename__ = "touchpoint_feedback"
    __table_args__ = (
        Index("ix_touchpoint_feedback_ws_tp", "workspace_id", "touchpoint_key"),
        # An item's rows, found again when it changes (incremental fold, cascaded deletes).
        Index("ix_touchpoint_feedback_feedback", "feedback_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    touchpoint_key: Mapped[str] = mapped_column(String(200))
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"))
    # The item's text enrichment when it has one (where its negative findings are found).
    enrichment_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sentiment_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    intensity: Mapped[float | None] = mapped_column(Float, nullable=True)
    nps: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    csat: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    # Bit i set when the item belongs to the workspace's i-th segment (by id, at most 62):
    # segment membership materialised with the rest, so a persona's overlay reads one index.
    segment_mask: Mapped[int] = mapped_column(BigInteger, default=0)


class TouchpointIrritant(Base):
    """Materialised with ``TouchpointFeedback``: each negative finding's topic on a feedback
    item concerning a touchpoint key, most negative first in the index (for verbatims)."""

    __tablename__ = "touchpoint_irritants"
    __table_args__ = (
        Index(
            "ix_touchpoint_irritants_topic",
            "workspace_id",
            "touchpoint_key",
            "topic_key",
            "sentiment_score",
            "feedback_id",
        ),
        Index("ix_touchpoint_irritants_feedback", "feedback_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    touchpoint_key: Mapped[str] = mapped_column(String(200))
    topic_key: Mapped[str] = mapped_column(String(64))
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"))
    sentiment_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    segment_mask: Mapped[int] = mapped_column(BigInteger, default=0)


class TouchpointTally(Base):
    """Materialised with ``TouchpointFeedback``: its sums and counts per touchpoint key and
    combination of segment bits, so that an overlay reads a few rows per touchpoint whatever
    the number of feedback items."""

    __tablename__ = "touchpoint_tallies"
    __table_args__ = (
        Index("ix_touchpoint_tallies_ws_tp", "workspace_id", "touchpoint_key", "segment_mask"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    touchpoint_key: Mapped[str] = mapped_column(String(200))
    segment_mask: Mapped[int] = mapped_column(BigInteger, default=0)
    feedback_count: Mapped[int] = mapped_column(Integer, default=0)
    enriched_count: Mapped[int] = mapped_column(Integer, default=0)
    sentiment_sum: Mapped[float] = mapped_column(Float, default=0.0)
    intensity_sum: Mapped[float] = mapped_column(Float, default=0.0)
    strong_negative: Mapped[int] = mapped_column(Integer, default=0)
    strong_positive: Mapped[int] = mapped_column(Integer, default=0)
    promoters: Mapped[int] = mapped_column(Integer, default=0)
    detractors: Mapped[int] = mapped_column(Integer, default=0)
    nps_count: Mapped[int] = mapped_column(Integer, default=0)
    csat_sum: Mapped[float] = mapped_column(Float, default=0.0)
    csat_count: Mapped[int] = mapped_column(Integer, default=0)


class TouchpointIrritantCount(Base):
    """Materialised with ``TouchpointIrritant``: feedback items per touchpoint key, negative
    topic and combination of segment bits."""

    __tablename__ = "touchpoint_irritant_counts"
    __table_args__ = (
        Index(
            "ix_touchpoint_irritant_counts_ws_tp",
            *("workspace_id", "touchpoint_key", "segment_mask", "topic_key", "items"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    touchpoint_key: Mapped[str] = mapped_column(String(200))
    segment_mask: Mapped[int] = mapped_column(BigInteger, default=0)
    topic_key: Mapped[str] = mapped_column(String(64))
    items: Mapped[int] = mapped_column(Integer, default=0)


class OverlayIndexState(Base):
    """What the materialised overlay rows cover. ``fingerprint``: what every row depends on
    (topic-to-touchpoint links, segment rules, text-model version); when it changes they are
    rebuilt whole. The marks: up to which text enrichment and finding ids (of any workspace)
    the tables were looked at, the workspace's highest feedback id and latest
    ``updated_at`` folded in, and how many of its feedback items that was; what lies above
    the marks is folded in (``services.overlay``), a count that dropped means deletions."""

    __tablename__ = "overlay_index_state"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    fingerprint: Mapped[str] = mapped_column(String(200))
    enrichments_seen: Mapped[int] = mapped_column(Integer, default=0)
    findings_seen: Mapped[int] = mapped_column(Integer, default=0)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    feedback_seen: Mapped[int] = mapped_column(Integer, default=0)
    feedback_folded: Mapped[int] = mapped_column(Integer, default=0)
    updated_seen: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The workspace's data revision when last looked at: any write that may have deleted
    # feedback moves it, and then the count above is checked.
    revision_seen: Mapped[int] = mapped_column(Integer, default=0)


class Webhook(Base):
    """An address told about a workspace's events, with the secret its payloads are signed
    with (kept in clear: signing needs it; shown to the admin once)."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WebhookDelivery(Base):
    """One event sent (or being sent) to one webhook: the delivery log."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(
        ForeignKey("webhooks.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|delivered|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    response_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class MemberInvitation(Base):
    """A single-use, expiring link with which an invited person sets their first password."""

    __tablename__ = "member_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    workspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


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


class UserSession(Base):
    """A signed-in browser: the cookie holds a random id whose SHA-256 is stored here, so a
    session can be ended on the server (logout, password change, "sign out everywhere")."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    method: Mapped[str] = mapped_column(String(16), default="password")  # password | sso | …
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # "Firefox on Linux": enough to recognise one's own devices, not the full header.
    user_agent: Mapped[str] = mapped_column(String(100), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AuditEvent(Base):
    """Who did what, when, from where: sign-ins, role changes, exports, deletions. No foreign
    keys: the trail outlives the users and workspaces it mentions. No personal data: the
    actor is a user id and a pseudonym, never an e-mail or a verbatim."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_workspace_at", "workspace_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    actor_ref: Mapped[str] = mapped_column(String(80), default="")
    workspace_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    workspace_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    action: Mapped[str] = mapped_column(String(48), index=True)
    target_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    target_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    address: Mapped[str | None] = mapped_column(String(64), nullable=True)
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class SsoPolicy(Base):
    """The instance's single sign-on choices (one row, id 1): who gets which role at first
    sign-in, and whether passwords still work. Provider secrets live in settings, never here."""

    __tablename__ = "sso_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_passwords: Mapped[bool] = mapped_column(Boolean, default=True)
    new_user_workspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="SET NULL"), nullable=True
    )
    new_user_role: Mapped[str | None] = mapped_column(String(16), nullable=True)


class SsoGroupRole(Base):
    """Members of the provider's group ``group_name`` get ``role`` in the workspace."""

    __tablename__ = "sso_group_roles"
    __table_args__ = (UniqueConstraint("group_name", "workspace_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_name: Mapped[str] = mapped_column(String(200))
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))


class EmergingTopicsResult(Base):
    """A workspace's emerging topics as last computed (``services.emerging``, run by the
    ``emerging`` job): what the page reads instantly, whichever process computed it."""

    __tablename__ = "emerging_topic_results"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[dict[str, object]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SegmentMember(Base):
    """Feedback item ``feedback_id`` belongs to segment ``segment_id``: the segment's rule
    evaluated once when the item or the rule changed (``db.segment_members``), so that pages
    filter and count by an indexed key instead of the rule over every row."""

    __tablename__ = "segment_members"
    # Deleting an item (or its workspace) removes it from its segments.
    __table_args__ = (Index("ix_segment_members_feedback", "feedback_id"),)

    segment_id: Mapped[int] = mapped_column(
        ForeignKey("segments.id", ondelete="CASCADE"), primary_key=True
    )
    feedback_id: Mapped[int] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True
    )


class SegmentMembership(Base):
    """What the members of one segment were computed for: the rule's text (a changed rule
    means a rebuild) and the highest feedback id they cover (rows past it, written by a path
    that did not update the members, are caught up on the next read)."""

    __tablename__ = "segment_membership"

    segment_id: Mapped[int] = mapped_column(
        ForeignKey("segments.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    rule: Mapped[str] = mapped_column(Text)
    feedback_upto: Mapped[int] = mapped_column(BigInteger, default=0)
    # How many members it has: kept by triggers on segment_members (migration 0026), set by
    # ``rebuild``; what the Segments page shows instead of counting the members each time.
    member_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    built_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


from cxgap.db import listening_count_tables as _counts  # noqa: E402, F401 (registers them)
