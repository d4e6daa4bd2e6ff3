"""Who is reading the idea board (``docs/community.md``): a browser's anonymous secret in
its own cookie (HttpOnly, SameSite=Lax, Secure where the site is served over HTTPS), or a
person signed in by an e-mail link (kept in the session, per workspace); and the board's
guards: a rate limit per client and action, and the honeypot."""

from __future__ import annotations

import secrets

from fastapi import Request, Response
from sqlalchemy.orm import Session

from cxgap.config import Settings
from cxgap.db.tables import CommunityPerson, SurveyRateHit, Workspace
from cxgap.errors import RateLimitedError
from cxgap.services.answers import HONEYPOT_FIELD, check_rate_limit, client_fingerprint
from cxgap.services.community_people import anonymous_key, anonymous_person, find_anonymous
from cxgap.web.render import locale_of

BOARD_COOKIE = "cxgap_board"
PEOPLE_KEY = "community_people"  # {workspace id: person id} in the signed session
COOKIE_DAYS = 365
# Per client (a keyed hash of its address) and hour.
LIMITS = {"submit": 10, "vote": 120, "comment": 30, "signin": 10, "follow": 120}
HONEYPOT = HONEYPOT_FIELD


def _browser_secret(request: Request, *, create: bool) -> str | None:
    found = request.cookies.get(BOARD_COOKIE) or getattr(request.state, "board_secret", None)
    if isinstance(found, str) and 20 <= len(found) <= 64:
        return found
    if not create:
        return None
    request.state.board_secret = secrets.token_urlsafe(32)
    return str(request.state.board_secret)


def keep_cookie(request: Request, response: Response, settings: Settings) -> Response:
    """Give the browser the anonymous secret made during this request, if one was."""
    made = getattr(request.state, "board_secret", None)
    if isinstance(made, str):
        response.set_cookie(
            BOARD_COOKIE,
            made,
            max_age=COOKIE_DAYS * 86_400,
            httponly=True,
            samesite="lax",
            secure=settings.secure_cookies,
        )
    return response


def signed_in(request: Request, session: Session, workspace: Workspace) -> CommunityPerson | None:
    """The person signed in on this browser for the workspace by an e-mail link."""
    people = request.session.get(PEOPLE_KEY)
    person_id = people.get(str(workspace.id)) if isinstance(people, dict) else None
    if not isinstance(person_id, int):
        return None
    person = session.get(CommunityPerson, person_id)
    return person if person is not None and person.workspace_id == workspace.id else None


def sign_in(request: Request, workspace: Workspace, person: CommunityPerson) -> None:
    stored = request.session.get(PEOPLE_KEY)
    people = dict(stored) if isinstance(stored, dict) else {}
    people[str(workspace.id)] = person.id
    request.session[PEOPLE_KEY] = people


def anonymous(
    request: Request, session: Session, settings: Settings, workspace: Workspace, *, create: bool
) -> CommunityPerson | None:
    """This browser's anonymous person; made (with its cookie) only when ``create``."""
    browser = _browser_secret(request, create=create)
    if browser is None:
        return None
    key = anonymous_key(settings.resolved_secret_key(), browser)
    if create:
        return anonymous_person(session, workspace=workspace, key=key, language=locale_of(request))
    return find_anonymous(session, workspace=workspace, key=key)


def reader(
    request: Request,
    session: Session,
    settings: Settings,
    workspace: Workspace,
    *,
    create: bool = False,
) -> CommunityPerson | None:
    """Who acts: the signed-in person, else the browser's anonymous one."""
    person = signed_in(request, session, workspace)
    if person is not None:
        return person
    return anonymous(request, session, settings, workspace, create=create)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def rate_limit(session: Session, request: Request, settings: Settings, action: str) -> None:
    """Count this client's ``action`` and refuse (429) over its hourly limit."""
    fingerprint = client_fingerprint(
        f"ideas:{action}:{client_ip(request)}", settings.resolved_secret_key()
    )
    try:
        check_rate_limit(session, fingerprint=fingerprint, limit=LIMITS[action])
    except RateLimitedError:
        raise RateLimitedError("Too many requests from this network; try again later").keyed(
            "community.error.rate_limited"
        ) from None
    session.add(SurveyRateHit(client_hash=fingerprint))
    session.flush()


def is_bot(fields: dict[str, str]) -> bool:
    """The honeypot field, invisible to people, was filled in."""
    return bool(fields.get(HONEYPOT, "").strip())
