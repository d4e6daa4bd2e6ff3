"""The help centre (issue 15, ``docs/community.md``): the team's articles in categories, with
"was this helpful?" votes, and customers' questions answered by other customers or by the
team. Customers are the community's people (``CommunityPerson``), shared with the idea board."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base, UTCDateTime, utcnow


class HelpCategory(Base):
    """A shelf of articles, named in both languages, in the team's order."""

    __tablename__ = "help_categories"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(80))
    name_fr: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)


class HelpArticle(Base):
    """An article in one language (plain text: paragraphs and ``-`` lists,
    ``community/help_text.py``); customers read it once published."""

    __tablename__ = "help_articles"
    __table_args__ = (Index("ix_help_articles_ws", "workspace_id", "published"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_categories.id", ondelete="SET NULL"), nullable=True
    )
    language: Mapped[str] = mapped_column(String(5), default="en")
    title: Mapped[str] = mapped_column(String(160))
    body: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    author_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class HelpArticleVote(Base):
    """ "Was this helpful?": one answer per person (an anonymous browser is a person too);
    answering again replaces it."""

    __tablename__ = "help_article_votes"
    __table_args__ = (UniqueConstraint("article_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("help_articles.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("community_people.id", ondelete="CASCADE"))
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class HelpQuestion(Base):
    """A customer's question; ``accepted_answer_id`` names the answer the asker or the team
    accepted (an answer goes only with its question, so no foreign key is needed to keep
    it valid, and none makes a cycle between the two tables)."""

    __tablename__ = "help_questions"
    __table_args__ = (Index("ix_help_questions_ws", "workspace_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_people.id", ondelete="SET NULL"), nullable=True
    )
    title: Mapped[str] = mapped_column(String(160))
    body: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_answer_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class HelpAnswer(Base):
    """An answer by a customer (``person_id``) or a member of the team (``user_id``)."""

    __tablename__ = "help_answers"
    __table_args__ = (Index("ix_help_answers_question", "question_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("help_questions.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("community_people.id", ondelete="SET NULL"), nullable=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class HelpAnswerVote(Base):
    """Someone found an answer helpful (once each)."""

    __tablename__ = "help_answer_votes"
    __table_args__ = (UniqueConstraint("answer_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("help_answers.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("community_people.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
