"""Tables of Listening: feedback items and their imports, topics, text enrichments and
findings, corrections, emerging topics.
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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxgap.db.table_base import Base, UTCDateTime, utcnow


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
        # A touchpoint's own records within dates: the topics page's examples under a
        # touchpoint filter read them once per page (migration 0063). Partial: the records
        # without a touchpoint (most of a review or ticket import) cost an import nothing.
        Index(
            "ix_feedback_ws_touchpoint",
            "workspace_id",
            "touchpoint",
            "collected_at",
            sqlite_where=text("touchpoint IS NOT NULL"),
            postgresql_where=text("touchpoint IS NOT NULL"),
        ),
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


class FeedbackSearch(Base):
    """A feedback's text as the Listening search's index reads it (``db.search_index``): on
    PostgreSQL a trigram index on ``text``; filled after an import by the ``index_search``
    job, at once by the other writers. Empty on SQLite, whose search reads ``feedback``."""

    __tablename__ = "feedback_search"

    feedback_id: Mapped[int] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    workspace_id: Mapped[int] = mapped_column(Integer)  # goes with its feedback
    text: Mapped[str] = mapped_column(Text)


class FeedbackSearchPending(Base):
    """An import whose rows ``feedback_search`` does not hold yet (written in the import's
    transaction; the ``index_search`` job fills them in and removes it): the search scans
    them in ``feedback``. ``indexed_through``: the rows up to that id are in (the job's
    resume point); ``last_id``: the import's highest row id, set by the job's first step."""

    __tablename__ = "feedback_search_pending"

    import_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    indexed_through: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


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
        # The topics of a record's findings read from the index alone (migration 0047).
        Index("ix_text_findings_enrichment", "enrichment_id", "topic_key"),
        Index(  # ordered by score for the topics page's examples (migration 0027); the
            "ix_text_findings_ws_topic",  # texts about a topic from the index (0047)
            "workspace_id",
            "topic_key",
            "sentiment",
            "sentiment_score",
            "id",
            "enrichment_id",
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


class EmergingTopicsResult(Base):
    """A workspace's emerging topics as last computed (``services.emerging``, run by the
    ``emerging`` job): what the page reads instantly, whichever process computed it."""

    __tablename__ = "emerging_topic_results"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[dict[str, object]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
