"""The public help centre (``/community/{key}/help``, ``docs/community.md``): categories and
articles in the reader's language, search, "was this helpful?", questions and answers.

No login. A customer asking or answering gives an e-mail address (``person_by_email``), or is
the person signed in on this browser for the workspace by the board's e-mail link
(``web/community_identity.py``). Helpful votes come from that person, else from the
browser's anonymous secret (the board's ``cxgap_board`` cookie, stored as its HMAC). Posts
carry the CSRF token, a honeypot field and the public survey's rate limit per network; the
browser that asked a question may accept an answer to it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cxgap.community.help_text import blocks, excerpt
from cxgap.config import Settings
from cxgap.db.tables import CommunityPerson, HelpArticle, HelpQuestion, SurveyRateHit, Workspace
from cxgap.errors import FieldProblem, PermissionDeniedError, RateLimitedError, ValidationError
from cxgap.services import answers, help_articles, help_questions
from cxgap.services.accounts import Role, role_in
from cxgap.services.community_people import person_by_email
from cxgap.services.workspaces import get_workspace
from cxgap.web import community_identity
from cxgap.web.deps import OptionalUserDep, SessionDep, SettingsDep
from cxgap.web.public_links import public_base
from cxgap.web.render import locale_of, page, problem_text, translate_for
from cxgap.web.security import CSRF_FIELD, check_csrf

router = APIRouter()
HOME = "/community/{key}/help"
HONEYPOT = "website"
ASKED_KEY = "help_asked"


async def _form_fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {name: value for name, value in form.multi_items() if isinstance(value, str)}


FieldsDep = Annotated[dict[str, str], Depends(_form_fields)]


# --- who is acting ---------------------------------------------------------------------------


def signed_in_person(request: Request, session: Session, ws: Workspace) -> CommunityPerson | None:
    """The person signed in on this browser for the workspace by the board's e-mail link."""
    return community_identity.signed_in(request, session, ws)


def _browser(
    request: Request, session: Session, ws: Workspace, settings: Settings
) -> CommunityPerson:
    """Who votes: the signed-in person, else the browser's anonymous one (the board's
    ``cxgap_board`` cookie, made on first use: one browser, one vote)."""
    person = community_identity.reader(request, session, settings, ws, create=True)
    assert person is not None  # create=True always gives one
    return person


def _author(
    request: Request, session: Session, ws: Workspace, fields: dict[str, str]
) -> CommunityPerson:
    signed = signed_in_person(request, session, ws)
    if signed is not None:
        return signed
    return person_by_email(
        session,
        workspace=ws,
        email=fields.get("email", ""),
        language=locale_of(request),
        name=fields.get("name", ""),
    )


def _asked(request: Request) -> list[int]:
    stored = request.session.get(ASKED_KEY)
    return [i for i in stored if isinstance(i, int)] if isinstance(stored, list) else []


def _may_accept(request: Request, session: Session, question: HelpQuestion) -> bool:
    ws = session.get(Workspace, question.workspace_id)
    person = None if ws is None else signed_in_person(request, session, ws)
    mine = person is not None and person.id == question.person_id
    return mine or question.id in _asked(request)


def _guard(request: Request, session: Session, settings: Settings, fields: dict[str, str]) -> bool:
    """CSRF (refused), then the rate limit per network (refused); False for a bot that
    filled the honeypot (the caller pretends all went well and stores nothing)."""
    check_csrf(request, fields.get(CSRF_FIELD))
    if fields.get(HONEYPOT, "").strip():
        return False
    ip = request.client.host if request.client else "unknown"
    fingerprint = answers.client_fingerprint(f"help:{ip}", settings.resolved_secret_key())
    answers.check_rate_limit(session, fingerprint=fingerprint, limit=settings.survey_rate_limit)
    session.add(SurveyRateHit(client_hash=fingerprint))
    return True


def _problems(request: Request, exc: ValidationError) -> dict[str, str]:
    locale = locale_of(request)
    return {p.field: problem_text(locale, p) for p in exc.problems}


def _refusal(request: Request, exc: Exception) -> dict[str, str]:
    locale = locale_of(request)
    if isinstance(exc, RateLimitedError):
        return {"form": translate_for(locale, "help.error.rate_limited")}
    key = getattr(exc, "message_key", None)
    return {"form": translate_for(locale, key) if key else str(exc)}


# --- pages -----------------------------------------------------------------------------------


def _context(ws: Workspace, **extra: object) -> dict[str, object]:
    return {"ws": ws, "brand": ws.name, "honeypot": HONEYPOT, **extra}


@router.get(HOME, response_class=HTMLResponse)
def home(request: Request, key: str, session: SessionDep, q: str = "") -> Response:
    ws = get_workspace(session, key)
    locale = locale_of(request)
    rows = help_articles.articles(session, ws)
    shelves = []
    for category in [*help_articles.categories(session, ws), None]:
        mine = [a for a in rows if a.category_id == (None if category is None else category.id)]
        if mine:
            name = "" if category is None else help_articles.category_name(category, locale)
            shelves.append((name, help_articles.for_reader(mine, locale)))
    hits = help_questions.search_help(session, ws, q) if q.strip() else []
    articles_by_id = {a.id: a for a in rows}
    results = []
    for hit in hits:  # at most 20: a question is read by its id
        item: HelpArticle | HelpQuestion | None = (
            articles_by_id.get(hit.id)
            if hit.kind == "article"
            else session.get(HelpQuestion, hit.id)
        )
        if item is not None:
            results.append((hit.kind, item.id, item.title, excerpt(item.body), item.language))
    context = _context(ws, shelves=shelves, q=q, results=results, searched=bool(q.strip()))
    return page(request, "community/help_home.html", context)


@router.get(HOME + "/articles/{article_id}", response_class=HTMLResponse)
def article(
    request: Request, key: str, article_id: int, session: SessionDep, voted: str = ""
) -> Response:
    ws = get_workspace(session, key)
    row = help_articles.article_of(session, ws, article_id)
    context = _context(ws, article=row, blocks=blocks(row.body), voted=voted in {"yes", "no"})
    return page(request, "community/help_article.html", context)


@router.post(HOME + "/articles/{article_id}/helpful")
def article_helpful(
    request: Request,
    key: str,
    article_id: int,
    session: SessionDep,
    settings: SettingsDep,
    fields: FieldsDep,
) -> Response:
    ws = get_workspace(session, key)
    check_csrf(request, fields.get(CSRF_FIELD))
    helpful = fields.get("helpful") == "yes"
    person = _browser(request, session, ws, settings)
    help_articles.vote(session, workspace=ws, article_id=article_id, person=person, helpful=helpful)
    target = f"/community/{ws.key}/help/articles/{article_id}?voted={'yes' if helpful else 'no'}"
    response = RedirectResponse(target, status_code=303)
    return community_identity.keep_cookie(request, response, settings)


def _questions_page(
    request: Request,
    session: Session,
    ws: Workspace,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    suggested: list[object] | None = None,
    status_code: int = 200,
) -> Response:
    context = _context(
        ws,
        lines=help_questions.questions(session, ws),
        values=values or {},
        errors=errors or {},
        suggested=suggested or [],
        signed_in=signed_in_person(request, session, ws),
    )
    return page(request, "community/help_questions.html", context, status_code=status_code)


@router.get(HOME + "/questions", response_class=HTMLResponse)
def questions_page(request: Request, key: str, session: SessionDep) -> Response:
    return _questions_page(request, session, get_workspace(session, key))


@router.post(HOME + "/questions", response_class=HTMLResponse)
def ask(
    request: Request, key: str, session: SessionDep, settings: SettingsDep, fields: FieldsDep
) -> Response:
    ws = get_workspace(session, key)
    try:
        if not _guard(request, session, settings, fields):
            return RedirectResponse(f"/community/{ws.key}/help/questions", status_code=303)
        with session.begin_nested():  # a refusal undoes only this
            asked = help_questions.ask(
                session,
                workspace=ws,
                person=_author(request, session, ws, fields),
                title=fields.get("title", ""),
                body=fields.get("body", ""),
                language=locale_of(request),
                confirmed=fields.get("confirm") == "1",
            )
    except ValidationError as exc:
        return _questions_page(
            request, session, ws, values=fields, errors=_problems(request, exc), status_code=422
        )
    except (RateLimitedError, PermissionDeniedError) as exc:
        return _questions_page(
            request,
            session,
            ws,
            values=fields,
            errors=_refusal(request, exc),
            status_code=exc.status_code,
        )
    if asked.question is None:  # articles that may answer it: shown before posting
        return _questions_page(request, session, ws, values=fields, suggested=list(asked.suggested))
    request.session[ASKED_KEY] = [*_asked(request), asked.question.id][-50:]
    return RedirectResponse(
        f"/community/{ws.key}/help/questions/{asked.question.id}", status_code=303
    )


def question_page(
    request: Request,
    session: Session,
    ws: Workspace,
    question_id: int,
    *,
    team: bool = False,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """A question with its answers; the answer form; accept buttons for the asker (or the
    team: ``team``, on the team's own forms)."""
    question = help_questions.question_of(session, ws, question_id)
    context = _context(
        ws,
        question=question,
        question_blocks=blocks(question.body),
        lines=help_questions.answers_of(session, question),
        may_accept=team or _may_accept(request, session, question),
        team=team,
        values=values or {},
        errors=errors or {},
        signed_in=signed_in_person(request, session, ws),
        blocks=blocks,
    )
    return page(request, "community/help_question.html", context, status_code=status_code)


@router.get(HOME + "/questions/{question_id}", response_class=HTMLResponse)
def question(
    request: Request, key: str, question_id: int, session: SessionDep, user: OptionalUserDep
) -> Response:
    ws = get_workspace(session, key)
    role = None if user is None else role_in(session, user, ws)
    team = role is not None and role.level >= Role.ANALYST.level
    return question_page(request, session, ws, question_id, team=team)


@router.post(HOME + "/questions/{question_id}/answers", response_class=HTMLResponse)
def answer(
    request: Request,
    key: str,
    question_id: int,
    session: SessionDep,
    settings: SettingsDep,
    fields: FieldsDep,
) -> Response:
    ws = get_workspace(session, key)
    target = f"/community/{ws.key}/help/questions/{question_id}"
    try:
        if not _guard(request, session, settings, fields):
            return RedirectResponse(target, status_code=303)
        with session.begin_nested():  # a refusal undoes only this
            help_questions.answer(
                session,
                workspace=ws,
                question_id=question_id,
                body=fields.get("body", ""),
                person=_author(request, session, ws, fields),
                base_url=public_base(request, settings),
            )
    except ValidationError as exc:
        return question_page(
            request,
            session,
            ws,
            question_id,
            values=fields,
            errors=_problems(request, exc),
            status_code=422,
        )
    except (RateLimitedError, PermissionDeniedError) as exc:
        return question_page(
            request,
            session,
            ws,
            question_id,
            values=fields,
            errors=_refusal(request, exc),
            status_code=exc.status_code,
        )
    return RedirectResponse(target + "#answers", status_code=303)


@router.post(HOME + "/questions/{question_id}/accept")
def accept(
    request: Request, key: str, question_id: int, session: SessionDep, fields: FieldsDep
) -> Response:
    """The browser that asked (or the signed-in asker) accepts an answer."""
    ws = get_workspace(session, key)
    check_csrf(request, fields.get(CSRF_FIELD))
    question = help_questions.question_of(session, ws, question_id)
    if not _may_accept(request, session, question):
        raise PermissionDeniedError("Only the asker can accept an answer").keyed(
            "help.error.not_asker"
        )
    answer_id = fields.get("answer_id", "")
    if not answer_id.isdigit():
        problem = FieldProblem("answer_id", "is not an answer", answer_id, code="choice")
        raise ValidationError([problem])
    asker = session.get(CommunityPerson, question.person_id) if question.person_id else None
    help_questions.accept(
        session, workspace=ws, question_id=question.id, answer_id=int(answer_id), person=asker
    )
    return RedirectResponse(f"/community/{ws.key}/help/questions/{question.id}", status_code=303)


@router.post(HOME + "/answers/{answer_id}/helpful")
def answer_helpful(
    request: Request,
    key: str,
    answer_id: int,
    session: SessionDep,
    settings: SettingsDep,
    fields: FieldsDep,
) -> Response:
    ws = get_workspace(session, key)
    check_csrf(request, fields.get(CSRF_FIELD))
    person = _browser(request, session, ws, settings)
    help_questions.vote_answer(session, workspace=ws, answer_id=answer_id, person=person)
    question_id = help_questions.question_of_answer(session, ws, answer_id)
    target = f"/community/{ws.key}/help/questions/{question_id}#answers"
    response = RedirectResponse(target, status_code=303)
    return community_identity.keep_cookie(request, response, settings)
