"""the help centre: categories, articles and their helpful votes, questions, answers

Revision ID: 0056
Revises: 0055
Create Date: 2026-12-05 07:00:00.000000

Issue 15: the team writes articles in French and English, customers say whether each helped
(one vote per person or anonymous browser), ask questions and answer each other; an answer
can be accepted. The community outbox gains ``help_answer_id`` for the asker's e-mails.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0056"
down_revision: str | None = "0055"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(name: str, table: str, ondelete: str = "CASCADE", null: bool = False) -> sa.Column[int]:
    return sa.Column(
        name, sa.Integer(), sa.ForeignKey(f"{table}.id", ondelete=ondelete), nullable=null
    )


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _at(name: str = "created_at") -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "help_categories",
        _id(),
        _key("workspace_id", "workspaces"),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("name_en", sa.String(80), nullable=False),
        sa.Column("name_fr", sa.String(80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.UniqueConstraint("workspace_id", "key"),
    )
    op.create_table(
        "help_articles",
        _id(),
        _key("workspace_id", "workspaces"),
        _key("category_id", "help_categories", "SET NULL", null=True),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("title", sa.String(160), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        _key("author_user_id", "users", "SET NULL", null=True),
        _at(),
        _at("updated_at"),
    )
    op.create_index("ix_help_articles_ws", "help_articles", ["workspace_id", "published"])
    op.create_table(
        "help_article_votes",
        _id(),
        _key("article_id", "help_articles"),
        _key("person_id", "community_people"),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        _at(),
        sa.UniqueConstraint("article_id", "person_id"),
    )
    op.create_table(
        "help_questions",
        _id(),
        _key("workspace_id", "workspaces"),
        _key("person_id", "community_people", "SET NULL", null=True),
        sa.Column("title", sa.String(160), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        _at(),
        sa.Column("accepted_answer_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_help_questions_ws", "help_questions", ["workspace_id", "created_at"])
    op.create_table(
        "help_answers",
        _id(),
        _key("question_id", "help_questions"),
        _key("person_id", "community_people", "SET NULL", null=True),
        _key("user_id", "users", "SET NULL", null=True),
        sa.Column("body", sa.Text(), nullable=False),
        _at(),
    )
    op.create_index("ix_help_answers_question", "help_answers", ["question_id", "created_at"])
    op.create_table(
        "help_answer_votes",
        _id(),
        _key("answer_id", "help_answers"),
        _key("person_id", "community_people"),
        _at(),
        sa.UniqueConstraint("answer_id", "person_id"),
    )
    with op.batch_alter_table("community_notifications") as table:
        table.add_column(
            sa.Column(
                "help_answer_id",
                sa.Integer(),
                sa.ForeignKey(
                    "help_answers.id",
                    name="fk_community_notifications_help_answer",
                    ondelete="CASCADE",
                ),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("community_notifications") as table:
        table.drop_column("help_answer_id")
    for name in (
        "help_answer_votes",
        "help_answers",
        "help_questions",
        "help_article_votes",
        "help_articles",
        "help_categories",
    ):
        op.drop_table(name)
