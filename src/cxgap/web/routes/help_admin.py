"""The team's side of the help centre (``/w/{key}/help``, analysts and admins,
``docs/community.md``): the articles with their helpful share, the editor (write, edit,
publish), the categories, the unanswered questions; answering and accepting as the team."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cxgap.db.tables import HelpArticle, Workspace
from cxgap.errors import ConflictError, FieldProblem, ValidationError
from cxgap.services import help_articles, help_questions
from cxgap.services.accounts import Principal, Role
from cxgap.services.help_articles import ArticleDraft
from cxgap.web.deps import SessionDep, SettingsDep, UserDep, open_workspace
from cxgap.web.public_links import public_base
from cxgap.web.render import locale_of, page, problem_text, translate_for
from cxgap.web.routes.help_centre import FieldsDep, question_page
from cxgap.web.security import CSRF_FIELD, check_csrf

router = APIRouter()
TEAM = "/w/{key}/help"


def _open(
    request: Request, session: Session, user: Principal, key: str, fields: dict[str, str] | None
) -> tuple[Workspace, Role]:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    if fields is not None:
        check_csrf(request, fields.get(CSRF_FIELD))
    return workspace, role


def _errors(request: Request, exc: ValidationError) -> dict[str, str]:
    return {p.field: problem_text(locale_of(request), p) for p in exc.problems}


def _team_page(
    request: Request,
    session: Session,
    user: Principal,
    ws: Workspace,
    role: Role,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    shares = help_articles.helpful_shares(session, ws)
    categories = help_articles.categories(session, ws)
    names = {c.id: help_articles.category_name(c, locale_of(request)) for c in categories}
    rows = help_articles.articles(session, ws, published_only=False)
    context = {
        "user": user,
        "workspace": ws,
        "role": role,
        "articles": [(a, names.get(a.category_id or -1, ""), shares.get(a.id)) for a in rows],
        "categories": categories,
        "unanswered": help_questions.questions(session, ws, unanswered=True),
        "values": values or {},
        "errors": errors or {},
    }
    return page(request, "community/help_admin.html", context, status_code=status_code)


@router.get(TEAM, response_class=HTMLResponse)
def team_home(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    ws, role = _open(request, session, user, key, None)
    return _team_page(request, session, user, ws, role)


@router.post(TEAM + "/categories", response_class=HTMLResponse)
def add_category(
    request: Request, key: str, session: SessionDep, user: UserDep, fields: FieldsDep
) -> Response:
    ws, role = _open(request, session, user, key, fields)
    try:
        with session.begin_nested():  # a refusal undoes only this
            help_articles.add_category(
                session,
                workspace=ws,
                key=fields.get("key", ""),
                name_en=fields.get("name_en", ""),
                name_fr=fields.get("name_fr", ""),
            )
    except ValidationError as exc:
        errors = _errors(request, exc)
        return _team_page(
            request, session, user, ws, role, values=fields, errors=errors, status_code=422
        )
    except ConflictError as exc:
        text = translate_for(locale_of(request), exc.message_key or "", **exc.message_params)
        return _team_page(
            request, session, user, ws, role, values=fields, errors={"key": text}, status_code=409
        )
    return RedirectResponse(f"/w/{ws.key}/help#categories", status_code=303)


def _editor(
    request: Request,
    session: Session,
    user: Principal,
    ws: Workspace,
    role: Role,
    article: HelpArticle | None,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    if values is None and article is not None:
        values = {
            "title": article.title,
            "body": article.body,
            "language": article.language,
            "category": str(article.category_id or ""),
            "published": "1" if article.published else "",
        }
    context = {
        "user": user,
        "workspace": ws,
        "role": role,
        "article": article,
        "categories": help_articles.categories(session, ws),
        "values": values or {"language": locale_of(request)},
        "errors": errors or {},
    }
    return page(request, "community/help_article_edit.html", context, status_code=status_code)


@router.get(TEAM + "/articles/new", response_class=HTMLResponse)
def new_article(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    ws, role = _open(request, session, user, key, None)
    return _editor(request, session, user, ws, role, None)


@router.get(TEAM + "/articles/{article_id}", response_class=HTMLResponse)
def edit_article(
    request: Request, key: str, article_id: int, session: SessionDep, user: UserDep
) -> Response:
    ws, role = _open(request, session, user, key, None)
    article = help_articles.article_of(session, ws, article_id, published_only=False)
    return _editor(request, session, user, ws, role, article)


def _draft(fields: dict[str, str]) -> ArticleDraft:
    category = fields.get("category", "")
    if category and not category.isdigit():
        problem = FieldProblem("category", "is not a category", category, code="choice")
        raise ValidationError([problem])
    return ArticleDraft(
        title=fields.get("title", ""),
        body=fields.get("body", ""),
        language=fields.get("language", "en"),
        category_id=int(category) if category else None,
        published=fields.get("published") == "1",
    )


def _save(
    request: Request,
    key: str,
    session: Session,
    user: Principal,
    fields: dict[str, str],
    article_id: int | None,
) -> Response:
    ws, role = _open(request, session, user, key, fields)
    try:
        with session.begin_nested():  # a refusal undoes only this
            saved = help_articles.save_article(
                session,
                workspace=ws,
                draft=_draft(fields),
                user_id=user.user_id,
                article_id=article_id,
            )
    except ValidationError as exc:
        article = (
            None
            if article_id is None
            else help_articles.article_of(session, ws, article_id, published_only=False)
        )
        return _editor(
            request,
            session,
            user,
            ws,
            role,
            article,
            values=fields,
            errors=_errors(request, exc),
            status_code=422,
        )
    return RedirectResponse(f"/w/{ws.key}/help/articles/{saved.id}?saved=1", status_code=303)


@router.post(TEAM + "/articles", response_class=HTMLResponse)
def create_article(
    request: Request, key: str, session: SessionDep, user: UserDep, fields: FieldsDep
) -> Response:
    return _save(request, key, session, user, fields, None)


@router.post(TEAM + "/articles/{article_id}", response_class=HTMLResponse)
def save_article(
    request: Request,
    key: str,
    article_id: int,
    session: SessionDep,
    user: UserDep,
    fields: FieldsDep,
) -> Response:
    return _save(request, key, session, user, fields, article_id)


@router.post(TEAM + "/articles/{article_id}/publish")
def publish(
    request: Request,
    key: str,
    article_id: int,
    session: SessionDep,
    user: UserDep,
    fields: FieldsDep,
) -> Response:
    ws, _ = _open(request, session, user, key, fields)
    on = fields.get("published") == "1"
    help_articles.publish(session, workspace=ws, article_id=article_id, on=on)
    return RedirectResponse(f"/w/{ws.key}/help", status_code=303)


@router.post(TEAM + "/questions/{question_id}/answers", response_class=HTMLResponse)
def team_answer(
    request: Request,
    key: str,
    question_id: int,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    fields: FieldsDep,
) -> Response:
    ws, _ = _open(request, session, user, key, fields)
    try:
        with session.begin_nested():  # a refusal undoes only this
            help_questions.answer(
                session,
                workspace=ws,
                question_id=question_id,
                body=fields.get("body", ""),
                user_id=user.user_id,
                base_url=public_base(request, settings),
            )
    except ValidationError as exc:
        return question_page(
            request,
            session,
            ws,
            question_id,
            team=True,
            values=fields,
            errors=_errors(request, exc),
            status_code=422,
        )
    target = f"/community/{ws.key}/help/questions/{question_id}#answers"
    return RedirectResponse(target, status_code=303)


@router.post(TEAM + "/questions/{question_id}/accept")
def team_accept(
    request: Request,
    key: str,
    question_id: int,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    fields: FieldsDep,
) -> Response:
    ws, _ = _open(request, session, user, key, fields)
    answer_id = fields.get("answer_id", "")
    if not answer_id.isdigit():
        problem = FieldProblem("answer_id", "is not an answer", answer_id, code="choice")
        raise ValidationError([problem])
    help_questions.accept(
        session,
        workspace=ws,
        question_id=question_id,
        answer_id=int(answer_id),
        team=True,
        base_url=public_base(request, settings),
    )
    return RedirectResponse(f"/community/{ws.key}/help/questions/{question_id}", status_code=303)
