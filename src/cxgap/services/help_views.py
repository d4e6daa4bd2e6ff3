"""The help centre as the REST API reads it (``docs/community.md``): articles with their
category and "was this helpful?" answers, questions with their answers, found by the same
search as the public pages (``help_questions.search_help``) and filtered by language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from cxgap.db.tables import HelpArticle, HelpCategory, HelpQuestion, Workspace
from cxgap.services import help_articles, help_questions
from cxgap.services.community_text import checked_language

SEARCH_LIMIT = 10_000  # every hit: the API pages them


@dataclass(frozen=True)
class ArticleView:
    id: int
    title: str
    language: str
    category: str | None  # its key
    published: bool
    helpful_yes: int
    helpful_no: int
    helpful_share: float | None
    created_at: datetime
    updated_at: datetime
    score: float | None  # the search's, when searched
    body: str = ""
    category_en: str | None = None
    category_fr: str | None = None


def _language(language: str | None) -> str | None:
    return None if language is None else checked_language(language)


def _categories(session: Session, workspace: Workspace) -> dict[int, HelpCategory]:
    return {c.id: c for c in help_articles.categories(session, workspace)}


def _view(
    article: HelpArticle,
    categories: dict[int, HelpCategory],
    helpful: help_articles.Helpful,
    score: float | None = None,
    *,
    full: bool = False,
) -> ArticleView:
    category = categories.get(article.category_id) if article.category_id else None
    return ArticleView(
        id=article.id, title=article.title, language=article.language,
        category=None if category is None else category.key, published=article.published,
        helpful_yes=helpful.yes, helpful_no=helpful.no, helpful_share=helpful.share,
        created_at=article.created_at, updated_at=article.updated_at, score=score,
        body=article.body if full else "",
        category_en=category.name_en if full and category else None,
        category_fr=category.name_fr if full and category else None,
    )  # fmt: skip


def article_views(
    session: Session,
    workspace: Workspace,
    *,
    q: str = "",
    language: str | None = None,
    drafts: bool = False,
) -> list[ArticleView]:
    """The articles, by title; with ``q``, the published ones holding its words, best first
    (drafts are never searched, as customers never see them)."""
    wanted = _language(language)
    categories = _categories(session, workspace)
    helpful = help_articles.helpful_shares(session, workspace)
    nobody = help_articles.Helpful(0, 0)
    found: list[tuple[HelpArticle, float | None]]
    if q.strip():
        hits = help_questions.search_help(session, workspace, q, limit=SEARCH_LIMIT)
        scores = {h.id: h.score for h in hits if h.kind == "article"}
        rows = {a.id: a for a in help_articles.articles(session, workspace) if a.id in scores}
        found = [(rows[i], s) for i, s in scores.items() if i in rows]
    else:
        rows_all = help_articles.articles(session, workspace, published_only=not drafts)
        found = [(a, None) for a in rows_all]
    return [
        _view(a, categories, helpful.get(a.id, nobody), score)
        for a, score in found
        if wanted is None or a.language == wanted
    ]


def article_view(session: Session, workspace: Workspace, article_id: int) -> ArticleView:
    """One article with its text (a draft too: the API is the team's)."""
    article = help_articles.article_of(session, workspace, article_id, published_only=False)
    helpful = help_articles.helpful_shares(session, workspace).get(
        article.id, help_articles.Helpful(0, 0)
    )
    return _view(article, _categories(session, workspace), helpful, full=True)


@dataclass(frozen=True)
class QuestionView:
    id: int
    title: str
    language: str
    created_at: datetime
    answers: int
    accepted_answer: int | None
    score: float | None
    body: str = ""


def question_views(
    session: Session,
    workspace: Workspace,
    *,
    q: str = "",
    language: str | None = None,
    unanswered: bool = False,
    limit: int,
) -> list[QuestionView]:
    """The newest questions (at most ``limit``) with their number of answers; ``unanswered``
    keeps those with none accepted and none from the team; with ``q``, those holding its
    words, best first."""
    wanted = _language(language)
    found: list[tuple[help_questions.QuestionLine, float | None]]
    if q.strip():
        hits = help_questions.search_help(session, workspace, q, limit=SEARCH_LIMIT)
        scores = {h.id: h.score for h in hits if h.kind == "question"}
        lines = help_questions.questions(
            session, workspace, unanswered=unanswered, limit=SEARCH_LIMIT
        )
        by_id = {line.question.id: line for line in lines}
        found = [(by_id[i], s) for i, s in scores.items() if i in by_id]
    else:
        lines = help_questions.questions(session, workspace, unanswered=unanswered, limit=limit)
        found = [(line, None) for line in lines]
    return [
        QuestionView(
            line.question.id,
            line.question.title,
            line.question.language,
            line.question.created_at,
            line.answers,
            line.question.accepted_answer_id,
            score,
        )
        for line, score in found
        if wanted is None or line.question.language == wanted
    ][:limit]


@dataclass(frozen=True)
class AnswerView:
    id: int
    body: str
    by: str  # team | customer
    author: str  # the name the customer chose to show, or ""
    helpful: int
    accepted: bool
    created_at: datetime


def answer_views(session: Session, question: HelpQuestion) -> list[AnswerView]:
    """The question's answers as its page reads them: accepted first, then most helpful."""
    return [
        AnswerView(
            line.answer.id,
            line.answer.body,
            "team" if line.by_team else "customer",
            "" if line.by_team else line.author,
            line.helpful,
            line.accepted,
            line.answer.created_at,
        )
        for line in help_questions.answers_of(session, question)
    ]
