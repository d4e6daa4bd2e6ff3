"""The community's e-mail links (``docs/community.md``): one-click unsubscribe
(``/community/unsubscribe/{token}``: a page with a button, and RFC 8058's POST from the mail
client) and each person's preferences (``/community/preferences/{token}``). No login: the
link's token (the person's id and its HMAC) is the authority, so no CSRF token either."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from cxgap.db.tables import CommunityPerson, Workspace
from cxgap.errors import NotFoundError
from cxgap.services import idea_notifications
from cxgap.web.deps import SessionDep, SettingsDep
from cxgap.web.render import page

router = APIRouter()
TEMPLATE = "community/mail.html"


def _shown(request: Request, session: SessionDep, person: CommunityPerson, token: str,
           state: str) -> Response:  # fmt: skip
    workspace = session.get(Workspace, person.workspace_id)
    context = {
        "state": state,
        "token": token,
        "brand": "" if workspace is None else workspace.name,
        "ideas": person.mail_ideas,
        "answers": person.mail_answers,
    }
    return page(request, TEMPLATE, context)


def _invalid(request: Request) -> Response:
    return page(request, TEMPLATE, {"state": "invalid"}, status_code=404)


def _answer(
    request: Request,
    session: SessionDep,
    token: str,
    state: str,
    act: Callable[[], CommunityPerson],
) -> Response:
    """The page in ``state`` for the person ``act`` finds (or changes), or 404 for a bad link."""
    try:
        person = act()
    except NotFoundError:
        return _invalid(request)
    return _shown(request, session, person, token, state)


@router.get("/community/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe_form(
    request: Request, token: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """A confirmation button: a GET must not unsubscribe (mail scanners follow links)."""
    secret = settings.resolved_secret_key()
    find = partial(idea_notifications.person_of_token, session, secret, token)
    return _answer(request, session, token, "ask", find)


@router.post("/community/unsubscribe/{token}", response_class=HTMLResponse)
def unsubscribe(
    request: Request, token: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """The button's POST, and the mail client's one-click unsubscribe (RFC 8058)."""
    secret = settings.resolved_secret_key()
    act = partial(idea_notifications.unsubscribe, session, secret, token)
    return _answer(request, session, token, "done", act)


@router.get("/community/preferences/{token}", response_class=HTMLResponse)
def preferences_form(
    request: Request, token: str, session: SessionDep, settings: SettingsDep
) -> Response:
    secret = settings.resolved_secret_key()
    find = partial(idea_notifications.person_of_token, session, secret, token)
    return _answer(request, session, token, "choose", find)


@router.post("/community/preferences/{token}", response_class=HTMLResponse)
def preferences(
    request: Request,
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    ideas: str | None = Form(default=None),
    answers: str | None = Form(default=None),
) -> Response:
    act = partial(
        idea_notifications.set_preferences,
        session,
        settings.resolved_secret_key(),
        token,
        ideas=ideas is not None,
        answers=answers is not None,
    )
    return _answer(request, session, token, "saved", act)
