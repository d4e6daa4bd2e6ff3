"""The help centre over the API (``docs/community.md``): its articles (searched as on the
public pages, by language), its questions with their answers and the accepted one, and the
team's answer to a question, through the service the pages use, so the asker gets the same
e-mail and ``help.answer_created`` is sent. Viewers read; analysts answer."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from cxgap.services import help_questions, help_views
from cxgap.services.accounts import Role
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.api.fields import NOT_BLANK
from cxgap.web.api.pagination import (
    DEFAULT_LIMIT,
    CursorQuery,
    LimitQuery,
    Page,
    decode_offset,
    encode_offset,
    paginate,
)
from cxgap.web.deps import SessionDep, SettingsDep
from cxgap.web.public_links import public_base

router = APIRouter(prefix="/api/v1/workspaces/{key}/help")
TAG: list[str | Enum] = ["help centre"]
Language = Annotated[
    Literal["en", "fr"] | None, Query(description="Only the texts written in this language")
]
Search = Annotated[
    str, Query(max_length=500, description="Words to search for (accents and plurals folded)")
]
ArticleId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The article's id")]
QuestionId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The question's id")]


class ArticleOut(BaseModel):
    id: int
    title: str
    language: str
    category: str | None = Field(description="The category's key")
    published: bool
    helpful_yes: int = Field(description='"Was this helpful?" answered yes')
    helpful_no: int
    helpful_share: float | None = Field(description="yes / (yes + no); null without answers")
    created_at: datetime
    updated_at: datetime
    score: float | None = Field(description="The search's score, when `q` is given")


class ArticleDetail(ArticleOut):
    body: str = Field(description="Plain text: paragraphs separated by a blank line")
    category_en: str | None
    category_fr: str | None


class QuestionOut(BaseModel):
    id: int
    title: str
    language: str
    created_at: datetime
    answers: int
    accepted_answer: int | None = Field(description="The accepted answer's id")
    score: float | None = Field(description="The search's score, when `q` is given")


class AnswerOut(BaseModel):
    id: int
    body: str
    by: Literal["team", "customer"]
    author: str = Field(description="The name the customer chose to show; never an address")
    helpful: int = Field(description="How many found it helpful")
    accepted: bool
    created_at: datetime


class QuestionDetail(BaseModel):
    id: int
    title: str
    body: str
    language: str
    created_at: datetime
    accepted_answer: int | None = Field(description="The accepted answer's id")
    answers: list[AnswerOut] = Field(description="Accepted first, then the most helpful")


class AnswerIn(BaseModel):
    body: str = Field(min_length=2, max_length=10_000, pattern=NOT_BLANK)


@router.get("/articles", response_model=Page[ArticleOut], tags=TAG,
            operation_id="list_help_articles", responses=error_responses())  # fmt: skip
def list_articles(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    q: Search = "",
    language: Language = None,
    drafts: Annotated[bool, Query(description="Drafts too (never with `q`)")] = False,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[ArticleOut]:
    """The published articles by title (drafts too with `drafts`); with `q`, those holding
    its words, best first, as the help centre's search finds them."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    rows = help_views.article_views(session, workspace, q=q, language=language, drafts=drafts)
    page, after = paginate(rows, limit=limit, cursor=cursor)
    return Page[ArticleOut](items=[ArticleOut.model_validate(a, from_attributes=True)
                                   for a in page], next=after)  # fmt: skip


@router.get("/articles/{article_id}", response_model=ArticleDetail, tags=TAG,
            operation_id="get_help_article", responses=error_responses())  # fmt: skip
def get_article(
    key: str, article_id: ArticleId, session: SessionDep, caller: CallerDep
) -> ArticleDetail:
    """One article with its text and its category's names (a draft too)."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    view = help_views.article_view(session, workspace, article_id)
    return ArticleDetail.model_validate(view, from_attributes=True)


@router.get("/questions", response_model=Page[QuestionOut], tags=TAG,
            operation_id="list_help_questions", responses=error_responses())  # fmt: skip
def list_questions(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    q: Search = "",
    language: Language = None,
    unanswered: Annotated[
        bool, Query(description="Only those with no accepted answer and none from the team")
    ] = False,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[QuestionOut]:
    """The questions, newest first; with `q`, those holding its words, best first."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    start = decode_offset(cursor)
    rows = help_views.question_views(
        session, workspace, q=q, language=language, unanswered=unanswered,
        limit=start + limit + 1,
    )  # fmt: skip
    page = rows[start : start + limit]
    after = encode_offset(start + limit) if len(rows) > start + limit else None
    items = [QuestionOut.model_validate(v, from_attributes=True) for v in page]
    return Page[QuestionOut](items=items, next=after)


def _detail(session: SessionDep, key: str, question_id: int, caller: CallerDep) -> QuestionDetail:
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    question = help_questions.question_of(session, workspace, question_id)
    answers = help_views.answer_views(session, question)
    return QuestionDetail(
        id=question.id, title=question.title, body=question.body, language=question.language,
        created_at=question.created_at, accepted_answer=question.accepted_answer_id,
        answers=[AnswerOut.model_validate(a, from_attributes=True) for a in answers],
    )  # fmt: skip


@router.get("/questions/{question_id}", response_model=QuestionDetail, tags=TAG,
            operation_id="get_help_question", responses=error_responses())  # fmt: skip
def get_question(
    key: str, question_id: QuestionId, session: SessionDep, caller: CallerDep
) -> QuestionDetail:
    """One question with its answers, the accepted one marked and first."""
    return _detail(session, key, question_id, caller)


@router.post("/questions/{question_id}/answers", response_model=QuestionDetail,
             status_code=201, tags=TAG, operation_id="answer_help_question",
             responses=error_responses())  # fmt: skip
def answer_question(
    key: str,
    question_id: QuestionId,
    body: AnswerIn,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    caller: CallerDep,
) -> QuestionDetail:
    """The team answers (as on the public question page signed in): the asker is e-mailed
    where they want it, and ``help.answer_created`` is sent. Answers the question."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    help_questions.answer(
        session, workspace=workspace, question_id=question_id, body=body.body,
        user_id=caller.principal.user_id, base_url=public_base(request, settings),
    )  # fmt: skip
    return _detail(session, key, question_id, caller)
