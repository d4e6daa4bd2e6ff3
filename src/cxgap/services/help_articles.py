"""The help centre's articles and categories (``docs/community.md``, "Help centre"): the team
writes and publishes them, customers say whether each helped, and the team sees each
article's helpful share."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from cxgap.db.table_base import utcnow
from cxgap.db.tables import CommunityPerson, HelpArticle, HelpArticleVote, HelpCategory, Workspace
from cxgap.errors import ConflictError, NotFoundError
from cxgap.services.community_people import check_not_blocked
from cxgap.services.community_text import checked_language, checked_text, refuse
from cxgap.services.workspaces import bump_revision

TITLE_MIN, TITLE_MAX = 5, 160
BODY_MAX = 50_000
NAME_MAX = 80
_KEY = re.compile(r"[a-z0-9_-]{1,40}")


# --- categories ------------------------------------------------------------------------------


def categories(session: Session, workspace: Workspace) -> list[HelpCategory]:
    query = (
        select(HelpCategory)
        .where(HelpCategory.workspace_id == workspace.id)
        .order_by(HelpCategory.position, HelpCategory.id)
    )
    return list(session.scalars(query))


def add_category(
    session: Session, *, workspace: Workspace, key: str, name_en: str, name_fr: str
) -> HelpCategory:
    """A category after the others; its key is 1-40 lower-case letters, digits, ``_``, ``-``."""
    key = key.strip()
    if not _KEY.fullmatch(key):
        refuse("key", "is not a valid key", key, code="status_key")
    existing = categories(session, workspace)
    if any(row.key == key for row in existing):
        raise ConflictError(f"Category {key!r} already exists").keyed(
            "help.error.category_taken", key=key
        )
    row = HelpCategory(
        workspace_id=workspace.id,
        key=key,
        name_en=checked_text("name_en", name_en, 1, NAME_MAX),
        name_fr=checked_text("name_fr", name_fr, 1, NAME_MAX),
        position=max((row.position for row in existing), default=-1) + 1,
    )
    session.add(row)
    session.flush()
    return row


def category_name(category: HelpCategory, locale: str) -> str:
    return category.name_fr if locale == "fr" else category.name_en


# --- articles --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleDraft:
    """What the editor sends: the article's fields."""

    title: str
    body: str
    language: str = "en"
    category_id: int | None = None
    published: bool = False


def _category_of(session: Session, workspace: Workspace, category_id: int | None) -> int | None:
    if category_id is None:
        return None
    row = session.get(HelpCategory, category_id)
    if row is None or row.workspace_id != workspace.id:
        refuse("category", "is not a category of this help centre", category_id, code="choice")
    return category_id


def save_article(
    session: Session,
    *,
    workspace: Workspace,
    draft: ArticleDraft,
    user_id: int | None = None,
    article_id: int | None = None,
) -> HelpArticle:
    """A new article (``article_id`` None) or the edit of one; ``published`` shows it."""
    title = checked_text("title", draft.title, TITLE_MIN, TITLE_MAX)
    body = checked_text("body", draft.body, 0, BODY_MAX)
    language = checked_language(draft.language)
    category_id = _category_of(session, workspace, draft.category_id)
    if article_id is None:
        article = HelpArticle(workspace_id=workspace.id, author_user_id=user_id)
        session.add(article)
    else:
        article = article_of(session, workspace, article_id, published_only=False)
        article.updated_at = utcnow()
    article.title, article.body, article.language = title, body, language
    article.category_id, article.published = category_id, draft.published
    session.flush()
    bump_revision(session, workspace.id)
    return article


def publish(session: Session, *, workspace: Workspace, article_id: int, on: bool) -> HelpArticle:
    article = article_of(session, workspace, article_id, published_only=False)
    article.published = on
    article.updated_at = utcnow()
    session.flush()
    return article


def article_of(
    session: Session, workspace: Workspace, article_id: int, *, published_only: bool = True
) -> HelpArticle:
    """The article, or NotFoundError (another workspace's, or a draft customers cannot see)."""
    article = session.get(HelpArticle, article_id)
    if (
        article is None
        or article.workspace_id != workspace.id
        or (published_only and not article.published)
    ):
        raise NotFoundError(f"No article {article_id}").keyed(
            "help.error.no_article", id=article_id
        )
    return article


def articles(
    session: Session, workspace: Workspace, *, published_only: bool = True
) -> list[HelpArticle]:
    query = select(HelpArticle).where(HelpArticle.workspace_id == workspace.id)
    if published_only:
        query = query.where(HelpArticle.published.is_(True))
    return list(session.scalars(query.order_by(HelpArticle.title, HelpArticle.id)))


def for_reader(rows: list[HelpArticle], locale: str) -> list[HelpArticle]:
    """What a reader sees of a category: its articles in their language; where it has none,
    those in the other language (better than an empty shelf)."""
    own = [a for a in rows if a.language == locale]
    return own or rows


# --- "was this helpful?" ---------------------------------------------------------------------


def vote(
    session: Session, *, workspace: Workspace, article_id: int, person: CommunityPerson,
    helpful: bool,
) -> None:  # fmt: skip
    """The person's answer to "was this helpful?"; answering again replaces it."""
    check_not_blocked(person)
    article = article_of(session, workspace, article_id)
    row = session.scalar(
        select(HelpArticleVote).where(
            HelpArticleVote.article_id == article.id, HelpArticleVote.person_id == person.id
        )
    )
    if row is None:
        session.add(HelpArticleVote(article_id=article.id, person_id=person.id, helpful=helpful))
    else:
        row.helpful, row.created_at = helpful, utcnow()
    session.flush()


@dataclass(frozen=True)
class Helpful:
    """An article's "was this helpful?" answers: yes, no, and the share of yes (None
    without any answer)."""

    yes: int
    no: int

    @property
    def share(self) -> float | None:
        total = self.yes + self.no
        return None if total == 0 else self.yes / total


def helpful_shares(session: Session, workspace: Workspace) -> dict[int, Helpful]:
    """Every article's answers, by id (articles nobody rated: 0 and 0)."""
    yes = func.sum(case((HelpArticleVote.helpful.is_(True), 1), else_=0))
    no = func.sum(case((HelpArticleVote.helpful.is_(False), 1), else_=0))
    query = (
        select(HelpArticle.id, yes, no)
        .outerjoin(HelpArticleVote, HelpArticleVote.article_id == HelpArticle.id)
        .where(HelpArticle.workspace_id == workspace.id)
        .group_by(HelpArticle.id)
    )
    return {row[0]: Helpful(int(row[1] or 0), int(row[2] or 0)) for row in session.execute(query)}
