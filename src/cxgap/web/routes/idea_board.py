"""The idea board's public pages (``docs/community.md``), no login: the board
(``/community/{key}/ideas``, sorted and filtered), the roadmap, the changelog and each idea's
page, with votes and follows. A browser votes anonymously (its secret in a cookie); posting
an idea or a comment asks for an e-mail address (``idea_submit``). Every form carries the
CSRF token; votes and follows are rate-limited per client."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.community.statuses import check_kind, takes_votes
from cxgap.db.tables import Workspace
from cxgap.errors import NotFoundError
from cxgap.mail.sender import mail_configured
from cxgap.services import board_access, idea_pages, idea_tags, ideas
from cxgap.services.idea_board import board
from cxgap.services.idea_evidence_pages import evidence_of
from cxgap.services.idea_statuses import statuses_of
from cxgap.services.workspaces import get_workspace
from cxgap.web.board_gate import board_gate
from cxgap.web.community_identity import keep_cookie, rate_limit, reader
from cxgap.web.deps import CsrfDep, SessionDep, SettingsDep
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/community/{key}", dependencies=[Depends(board_gate)])

SORTS = ("trending", "most_voted", "newest")
Sort = Literal["trending", "most_voted", "newest"]
Next = Annotated[str, Form(max_length=600)]


def board_context(request: Request, session: SessionDep, workspace: Workspace) -> dict[str, object]:
    """What every board page shows: the brand, the statuses' names and kinds."""
    locale = locale_of(request)
    rows = statuses_of(session, workspace)
    return {
        "brand": workspace.name,
        "board_key": workspace.key,
        "status_names": {r.key: r.name_fr if locale == "fr" else r.name_en for r in rows},
        "status_kinds": {r.key: r.kind for r in rows},
        "voting_kinds": [r.key for r in rows if takes_votes(check_kind(r.kind))],
        "board_open": board_access.settings_of(session, workspace).open,
    }


def local_next(key: str, value: str, fallback: str) -> str:
    """Where to go back to after a form: a page of this board only."""
    return value if value.startswith(f"/community/{key}/") and "//" not in value else fallback


@router.get("/ideas", response_class=HTMLResponse)
def board_page(
    request: Request,
    key: str,
    session: SessionDep,
    settings: SettingsDep,
    sort: Annotated[Sort, Query()] = "trending",
    status: Annotated[str | None, Query(max_length=40)] = None,
    tag: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    workspace = get_workspace(session, key)
    context = board_context(request, session, workspace)
    lines = board(session, workspace, order=sort, status=status or None, tag=tag or None)
    person = reader(request, session, settings, workspace)
    voted, _followed = idea_pages.linked_ids(session, person)
    context |= {
        "lines": lines,
        "sort": sort,
        "sorts": SORTS,
        "status": status or "",
        "tag": tag or "",
        "tags": idea_pages.tags_of(session, workspace, locale_of(request)),
        "idea_tags": idea_tags.tags_by_idea(session, workspace, locale_of(request)),
        "voted": voted,
        "here": str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
    }
    return page(request, "community/board.html", context)


@router.get("/roadmap", response_class=HTMLResponse)
def roadmap_page(request: Request, key: str, session: SessionDep) -> Response:
    workspace = get_workspace(session, key)
    context = board_context(request, session, workspace)
    context["columns"] = idea_pages.roadmap(session, workspace)
    return page(request, "community/roadmap.html", context)


@router.get("/changelog", response_class=HTMLResponse)
def changelog_page(request: Request, key: str, session: SessionDep) -> Response:
    workspace = get_workspace(session, key)
    context = board_context(request, session, workspace)
    context["entries"] = idea_pages.changelog(session, workspace)
    return page(request, "community/changelog.html", context)


def _no_idea(idea_id: int) -> NotFoundError:
    return NotFoundError(f"No idea {idea_id}").keyed("community.error.no_idea", id=idea_id)


@router.get("/ideas/{idea_id}", response_class=HTMLResponse)
def idea_page(
    request: Request, key: str, idea_id: int, session: SessionDep, settings: SettingsDep
) -> Response:
    """An idea's page; a merged duplicate sends the reader to its original, an idea waiting
    for moderation is shown to its author only."""
    workspace = get_workspace(session, key)
    view = idea_pages.idea_view(session, workspace, idea_id)
    if view.merged_into is not None:
        return RedirectResponse(f"/community/{key}/ideas/{view.merged_into}", status_code=303)
    context = board_context(request, session, workspace)
    person = reader(request, session, settings, workspace)
    kinds: dict[str, str] = context["status_kinds"]  # type: ignore[assignment]
    mine = person is not None and person.id == view.author_id
    if not idea_pages.is_shown(view, kinds) and not mine:
        raise _no_idea(idea_id)
    voted, followed = idea_pages.linked_ids(session, person)
    context |= {
        "idea": view,
        "voted": view.id in voted,
        "following": view.id in followed,
        "idea_tags": idea_tags.tags_by_idea(session, workspace, locale_of(request), [view.id]).get(
            view.id, []
        ),
        "person": person,
        "signed_in": person is not None and person.email is not None,
        "mail_ready": mail_configured(settings),
        # idea_evidence: counts and topics only, never a verbatim
        "evidence": evidence_of(session, workspace, view.id, locale_of(request)),
    }
    return page(request, "community/idea.html", context)


@router.post("/ideas/{idea_id}/vote")
def vote(
    request: Request,
    key: str,
    idea_id: int,
    session: SessionDep,
    settings: SettingsDep,
    _csrf: CsrfDep,
    action: Annotated[Literal["vote", "unvote"], Form()] = "vote",
    next: Next = "",
) -> Response:
    """Vote (or take the vote back) as this browser, or as the signed-in person."""
    workspace = get_workspace(session, key)
    rate_limit(session, request, settings, "vote")
    person = reader(request, session, settings, workspace, create=True)
    assert person is not None
    if action == "vote":
        ideas.vote(session, workspace=workspace, idea_id=idea_id, person=person)
    else:
        ideas.unvote(session, workspace=workspace, idea_id=idea_id, person=person)
    target = local_next(key, next, f"/community/{key}/ideas/{idea_id}")
    return keep_cookie(request, RedirectResponse(target, status_code=303), settings)


@router.post("/ideas/{idea_id}/follow")
def follow(
    request: Request,
    key: str,
    idea_id: int,
    session: SessionDep,
    settings: SettingsDep,
    _csrf: CsrfDep,
    action: Annotated[Literal["follow", "unfollow"], Form()] = "follow",
) -> Response:
    workspace = get_workspace(session, key)
    rate_limit(session, request, settings, "follow")
    person = reader(request, session, settings, workspace, create=True)
    assert person is not None
    ideas.follow(
        session, workspace=workspace, idea_id=idea_id, person=person, on=action == "follow"
    )
    target = f"/community/{key}/ideas/{idea_id}"
    return keep_cookie(request, RedirectResponse(target, status_code=303), settings)
