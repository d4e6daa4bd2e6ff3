"""Customers' questions in the help centre (``docs/community.md``, "Help centre"): asked
after the articles that may already answer them were suggested, answered by other customers
or by the team, one answer accepted by the asker or the team, answers voted helpful. The
asker is told of each new answer, and of the one the team accepted, when they want it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cxgap.community.help_search import Document, Hit, search, suggest
from cxgap.db.tables import (
    CommunityPerson,
    HelpAnswer,
    HelpAnswerVote,
    HelpArticle,
    HelpQuestion,
    Workspace,
)
from cxgap.errors import NotFoundError, PermissionDeniedError
from cxgap.services import help_notices
from cxgap.services.community_people import check_not_blocked
from cxgap.services.community_text import checked_language, checked_text
from cxgap.services.help_articles import articles
from cxgap.webhooks import store as webhooks

TITLE_MIN, TITLE_MAX = 10, 160
BODY_MAX = 10_000
ANSWER_MIN, ANSWER_MAX = 2, 10_000


def _article_documents(rows: list[HelpArticle]) -> list[Document]:
    return [Document(a.id, "article", a.title, a.body) for a in rows]


def suggestions(session: Session, workspace: Workspace, text: str) -> list[HelpArticle]:
    """The published articles that may already answer ``text`` (a question being typed)."""
    rows = articles(session, workspace)
    by_id = {a.id: a for a in rows}
    return [by_id[hit.id] for hit in suggest(text, _article_documents(rows))]


@dataclass(frozen=True)
class Asked:
    """A question asked, or only the articles suggested first (``question`` None)."""

    question: HelpQuestion | None
    suggested: list[HelpArticle]


def ask(
    session: Session,
    *,
    workspace: Workspace,
    person: CommunityPerson,
    title: str,
    body: str = "",
    language: str = "en",
    confirmed: bool = False,
) -> Asked:
    """A question. Unless ``confirmed``, the articles that may already answer it come back
    first and nothing is stored (the form shows them and asks again); with none to
    suggest, or once confirmed, the question is posted."""
    check_not_blocked(person)
    title = checked_text("title", title, TITLE_MIN, TITLE_MAX)
    body = checked_text("body", body, 0, BODY_MAX)
    language = checked_language(language)
    suggested = suggestions(session, workspace, f"{title}\n{body}")
    if suggested and not confirmed:
        return Asked(None, suggested)
    question = HelpQuestion(
        workspace_id=workspace.id, person_id=person.id, title=title, body=body, language=language
    )
    session.add(question)
    session.flush()
    data = {"question": question.id, "title": question.title, "language": question.language}
    webhooks.emit(session, workspace.id, "help.question_created", data)
    return Asked(question, suggested)


def question_of(session: Session, workspace: Workspace, question_id: int) -> HelpQuestion:
    question = session.get(HelpQuestion, question_id)
    if question is None or question.workspace_id != workspace.id:
        raise NotFoundError(f"No question {question_id}").keyed(
            "help.error.no_question", id=question_id
        )
    return question


def answer(
    session: Session,
    *,
    workspace: Workspace,
    question_id: int,
    body: str,
    person: CommunityPerson | None = None,
    user_id: int | None = None,
    base_url: str = "",
) -> HelpAnswer:
    """An answer by a customer (``person``) or a member of the team (``user_id``); the
    asker is told by e-mail when they want it (not of their own answers)."""
    if (person is None) == (user_id is None):
        raise ValueError("an answer is by a person or by a member of the team")
    if person is not None:
        check_not_blocked(person)
    question = question_of(session, workspace, question_id)
    row = HelpAnswer(
        question_id=question.id,
        person_id=None if person is None else person.id,
        user_id=user_id,
        body=checked_text("body", body, ANSWER_MIN, ANSWER_MAX),
    )
    session.add(row)
    session.flush()
    if person is None or person.id != question.person_id:
        help_notices.queue(session, question, row, kind=help_notices.NEW_ANSWER, base_url=base_url)
    by = "customer" if person is not None else "team"
    data = {"question": question.id, "answer": row.id, "title": question.title, "by": by}
    webhooks.emit(session, workspace.id, "help.answer_created", data)
    return row


def accept(
    session: Session,
    *,
    workspace: Workspace,
    question_id: int,
    answer_id: int,
    person: CommunityPerson | None = None,
    team: bool = False,
    base_url: str = "",
) -> HelpQuestion:
    """The asker (``person``) or the team (``team``) accepts an answer of the question;
    when the team does, the asker is told (if they want e-mail about answers)."""
    question = question_of(session, workspace, question_id)
    if not team and (person is None or person.id != question.person_id):
        raise PermissionDeniedError("Only the asker or the team can accept an answer").keyed(
            "help.error.not_asker"
        )
    row = session.get(HelpAnswer, answer_id)
    if row is None or row.question_id != question.id:
        raise NotFoundError(f"No answer {answer_id} to this question").keyed(
            "help.error.no_answer", id=answer_id
        )
    question.accepted_answer_id = row.id
    session.flush()
    if team:
        help_notices.queue(session, question, row, kind=help_notices.ACCEPTED, base_url=base_url)
    return question


def question_of_answer(session: Session, workspace: Workspace, answer_id: int) -> int:
    """The id of the question ``answer_id`` answers, or NotFoundError."""
    row = session.get(HelpAnswer, answer_id)
    if row is None:
        raise NotFoundError(f"No answer {answer_id}").keyed("help.error.no_answer", id=answer_id)
    return question_of(session, workspace, row.question_id).id


def vote_answer(
    session: Session, *, workspace: Workspace, answer_id: int, person: CommunityPerson
) -> bool:
    """The person found the answer helpful; False when they had already said so."""
    check_not_blocked(person)
    question_of_answer(session, workspace, answer_id)
    exists = select(HelpAnswerVote.id).where(
        HelpAnswerVote.answer_id == answer_id, HelpAnswerVote.person_id == person.id
    )
    if session.scalar(exists) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(HelpAnswerVote(answer_id=answer_id, person_id=person.id))
    except IntegrityError:  # the same person's concurrent vote won
        return False
    return True


# --- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerLine:
    answer: HelpAnswer
    by_team: bool
    author: str
    helpful: int
    accepted: bool


def answers_of(session: Session, question: HelpQuestion) -> list[AnswerLine]:
    """The question's answers, the accepted one first, then the most helpful, the oldest."""
    votes = (
        select(HelpAnswerVote.answer_id, func.count().label("n"))
        .group_by(HelpAnswerVote.answer_id)
        .subquery()
    )
    query = (
        select(HelpAnswer, func.coalesce(votes.c.n, 0), CommunityPerson.display_name)
        .outerjoin(votes, votes.c.answer_id == HelpAnswer.id)
        .outerjoin(CommunityPerson, CommunityPerson.id == HelpAnswer.person_id)
        .where(HelpAnswer.question_id == question.id)
    )
    lines = [
        AnswerLine(
            row, row.user_id is not None, name or "", int(n), row.id == question.accepted_answer_id
        )
        for row, n, name in session.execute(query)
    ]
    lines.sort(key=lambda line: (not line.accepted, -line.helpful, line.answer.created_at))
    return lines


@dataclass(frozen=True)
class QuestionLine:
    question: HelpQuestion
    answers: int


def questions(
    session: Session, workspace: Workspace, *, unanswered: bool = False, limit: int = 100
) -> list[QuestionLine]:
    """The newest questions with their number of answers (``unanswered``: those with none
    accepted and none from the team, the team's to-do)."""
    count = (
        select(HelpAnswer.question_id, func.count().label("n"))
        .group_by(HelpAnswer.question_id)
        .subquery()
    )
    query = (
        select(HelpQuestion, func.coalesce(count.c.n, 0))
        .outerjoin(count, count.c.question_id == HelpQuestion.id)
        .where(HelpQuestion.workspace_id == workspace.id)
    )
    if unanswered:
        by_team = select(HelpAnswer.id).where(
            HelpAnswer.question_id == HelpQuestion.id, HelpAnswer.user_id.is_not(None)
        )
        query = query.where(HelpQuestion.accepted_answer_id.is_(None), ~by_team.exists())
    query = query.order_by(HelpQuestion.created_at.desc(), HelpQuestion.id.desc()).limit(limit)
    return [QuestionLine(q, int(n)) for q, n in session.execute(query)]


def search_help(session: Session, workspace: Workspace, text: str, limit: int = 20) -> list[Hit]:
    """Published articles and questions holding the words of ``text``, best first."""
    docs = _article_documents(articles(session, workspace))
    rows = session.execute(
        select(HelpQuestion.id, HelpQuestion.title, HelpQuestion.body).where(
            HelpQuestion.workspace_id == workspace.id
        )
    )
    docs += [Document(qid, "question", title, body) for qid, title, body in rows]
    return search(text, docs, limit=limit)
