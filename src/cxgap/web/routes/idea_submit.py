"""Posting on the idea board (``docs/community.md``): a new idea (with the ideas like it,
live while the title is typed and again when the form is sent), a comment, and the e-mail
link that signs a customer in (no password). Each form carries the CSRF token and the
honeypot; each action is rate-limited per client; a blocked person is refused."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from cxgap.config import Settings
from cxgap.db.tables import Workspace
from cxgap.errors import (
    FieldProblem,
    MailNotConfiguredError,
    MailServerError,
    PermissionDeniedError,
    ValidationError,
)
from cxgap.mail.sender import mail_configured, mailer_for
from cxgap.services import board_access, idea_moderation, idea_pages, idea_signin, ideas
from cxgap.services.community_people import check_not_blocked, person_by_email
from cxgap.services.workspaces import get_workspace
from cxgap.web.board_gate import board_gate
from cxgap.web.community_identity import (
    anonymous,
    is_bot,
    keep_cookie,
    rate_limit,
    sign_in,
    signed_in,
)
from cxgap.web.deps import SessionDep, SettingsDep
from cxgap.web.public_links import public_base
from cxgap.web.render import locale_of, page, problem_text
from cxgap.web.routes.idea_board import board_context, local_next
from cxgap.web.routes.public import FormFieldsDep
from cxgap.web.security import CSRF_FIELD, check_csrf

router = APIRouter(prefix="/community/{key}", dependencies=[Depends(board_gate)])

DRAFT_KEY = "community_draft"  # the idea typed before signing in, kept in the session
NEXT_KEY = "community_next"


def _new_page(
    request: Request,
    session: SessionDep,
    settings: Settings,
    workspace: Workspace,
    values: dict[str, str],
    *,
    similar: list[tuple[int, str]] | None = None,
    sent: bool = False,
    problems: Sequence[FieldProblem] = (),
) -> Response:
    locale = locale_of(request)
    errors: dict[str, str] = {}
    for problem in problems:
        errors.setdefault(problem.field, problem_text(locale, problem))
    context = board_context(request, session, workspace) | {
        "errors": errors,
        "values": values,
        "similar": similar or [],
        "signed_in": signed_in(request, session, workspace) is not None,
        "mail_ready": mail_configured(settings),
        "sent": sent,
        "next": f"/community/{workspace.key}/ideas/new",
    }
    return page(request, "community/new.html", context, status_code=422 if errors else 200)


@router.get("/ideas/similar")
def similar_ideas(
    key: str, session: SessionDep, q: Annotated[str, Query(max_length=300)] = ""
) -> Response:
    """The board's ideas like ``q`` (JSON), for the submit form's live list."""
    workspace = get_workspace(session, key)
    found = idea_pages.similar_ideas(session, workspace, q)
    body = [{"id": i, "title": t, "url": f"/community/{key}/ideas/{i}"} for i, t in found]
    return JSONResponse({"ideas": body})


@router.get("/ideas/new", response_class=HTMLResponse)
def new_idea_form(
    request: Request, key: str, session: SessionDep, settings: SettingsDep
) -> Response:
    workspace = get_workspace(session, key)
    if not board_access.settings_of(session, workspace).open:  # the board says it is closed
        return RedirectResponse(f"/community/{key}/ideas", status_code=303)
    draft = request.session.get(DRAFT_KEY)
    values = dict(draft) if isinstance(draft, dict) and draft.get("key") == key else {}
    return _new_page(request, session, settings, workspace, values)


def _checked(request: Request, fields: dict[str, str]) -> None:
    check_csrf(request, fields.get(CSRF_FIELD))


@router.post("/ideas/new", response_class=HTMLResponse)
def submit_idea(
    request: Request, key: str, session: SessionDep, settings: SettingsDep, fields: FormFieldsDep
) -> Response:
    """Post the idea (signed in), or keep it and send the sign-in link (not yet). When ideas
    like it exist and the form did not confirm, they are shown first."""
    workspace = get_workspace(session, key)
    _checked(request, fields)
    values = {name: fields.get(name, "") for name in ("title", "description", "email")}
    if is_bot(fields):
        return RedirectResponse(f"/community/{key}/ideas", status_code=303)
    if problems := ideas.check_idea(values["title"], values["description"]):
        return _new_page(request, session, settings, workspace, values, problems=problems)
    rate_limit(session, request, settings, "submit")
    similar = idea_pages.similar_ideas(session, workspace, values["title"])
    if similar and fields.get("confirm") != "1":
        return _new_page(request, session, settings, workspace, values, similar=similar)
    person = signed_in(request, session, workspace)
    if person is None:
        request.session[DRAFT_KEY] = {"key": key, "title": values["title"],
                                      "description": values["description"]}  # fmt: skip
        try:
            _send_link(
                request,
                session,
                settings,
                workspace,
                values["email"],
                f"/community/{key}/ideas/new",
            )
        except MailNotConfiguredError:  # the form says so already
            return _new_page(request, session, settings, workspace, values)
        except ValidationError as exc:  # the address: nothing was stored but the rate hit
            return _new_page(request, session, settings, workspace, values, problems=exc.problems)
        return _new_page(request, session, settings, workspace, values, sent=True)
    idea = ideas.submit_idea(
        session,
        workspace=workspace,
        person=person,
        title=values["title"],
        description=values["description"],
        language=locale_of(request),
        pending=idea_moderation.moderated(session, workspace),
    )
    request.session.pop(DRAFT_KEY, None)
    return RedirectResponse(f"/community/{key}/ideas/{idea.id}", status_code=303)


def _send_link(
    request: Request,
    session: SessionDep,
    settings: Settings,
    workspace: Workspace,
    email: str,
    next_path: str,
) -> None:
    """Mail the sign-in link now (MailNotConfiguredError when e-mail is not set up)."""
    board_access.check_may_sign_in(session, workspace, email)  # a private board's list
    mailer = mailer_for(settings)
    language = locale_of(request)
    person = person_by_email(session, workspace=workspace, email=email, language=language)
    check_not_blocked(person)
    letter = idea_signin.signin_letter(
        person=person,
        workspace=workspace,
        secret=settings.resolved_secret_key(),
        base=public_base(request, settings),
        locale=locale_of(request),
    )
    request.session[NEXT_KEY] = next_path
    (delivery,) = mailer.send([letter])
    if not delivery.ok:
        raise MailServerError("The mail server refused the address").keyed(
            "community.error.mail_refused"
        )


@router.post("/signin", response_class=HTMLResponse)
def send_signin_link(
    request: Request, key: str, session: SessionDep, settings: SettingsDep, fields: FormFieldsDep
) -> Response:
    workspace = get_workspace(session, key)
    _checked(request, fields)
    target = local_next(key, fields.get("next", ""), f"/community/{key}/ideas")
    context = board_context(request, session, workspace) | {"state": "sent", "next": target}
    if is_bot(fields):
        return page(request, "community/signin.html", context)
    rate_limit(session, request, settings, "signin")
    try:
        _send_link(request, session, settings, workspace, fields.get("email", ""), target)
    except MailNotConfiguredError:
        context["state"] = "no_mail"
        return page(request, "community/signin.html", context)  # a page, not a server fault
    return page(request, "community/signin.html", context)


@router.get("/signin/{token}")
def follow_signin_link(
    request: Request, key: str, token: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """The link from the e-mail: this browser is now that person for the workspace, and what
    it did anonymously is theirs."""
    workspace = get_workspace(session, key)
    person = idea_signin.person_of_signin(session, settings.resolved_secret_key(), workspace, token)
    board_access.check_may_sign_in(session, workspace, person.email or "")  # the list changed
    browser = anonymous(request, session, settings, workspace, create=False)
    if browser is not None:
        idea_signin.merge_anonymous(session, browser, person)
    sign_in(request, workspace, person)
    stored = request.session.pop(NEXT_KEY, "")
    target = local_next(key, stored if isinstance(stored, str) else "", f"/community/{key}/ideas")
    return RedirectResponse(target, status_code=303)


@router.post("/ideas/{idea_id}/comments")
def post_comment(
    request: Request,
    key: str,
    idea_id: int,
    session: SessionDep,
    settings: SettingsDep,
    fields: FormFieldsDep,
) -> Response:
    workspace = get_workspace(session, key)
    _checked(request, fields)
    target = f"/community/{key}/ideas/{idea_id}"
    if is_bot(fields):
        return RedirectResponse(target, status_code=303)
    rate_limit(session, request, settings, "comment")
    person = signed_in(request, session, workspace)
    if person is None:
        raise PermissionDeniedError("Sign in by e-mail to comment").keyed(
            "community.error.signin_needed"
        )
    ideas.comment(
        session, workspace=workspace, idea_id=idea_id, body=fields.get("body", ""), person=person
    )
    return keep_cookie(
        request, RedirectResponse(f"{target}#comments-title", status_code=303), settings
    )
