"""The links page of a survey (``/w/{key}/collect/surveys/{survey_key}/links``): one signed
link per shop or agent, for analysts and admins to copy (``services/survey_links.py``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from cxgap.errors import ValidationError
from cxgap.services import campaigns, survey_links
from cxgap.services.accounts import Role
from cxgap.web.deps import SessionDep, SettingsDep, UserDep, open_workspace
from cxgap.web.public_links import public_base
from cxgap.web.render import locale_of, page

router = APIRouter()
LINKS = "/w/{key}/collect/surveys/{survey_key}/links"


@router.get(LINKS, response_class=HTMLResponse)
def links_page(
    request: Request,
    key: str,
    survey_key: str,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    unit: str | None = None,
) -> Response:
    """Every unit the answers already name, and the one typed in (``unit``), each with its
    link; a link is made on the fly, so adding a unit stores nothing."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    survey = campaigns.get_survey(session, workspace, survey_key)
    base, secret = public_base(request, settings), settings.resolved_secret_key()
    error, status = None, 200
    try:
        typed = [unit] if unit else []
        links = survey_links.unit_links(session, survey, base=base, secret=secret, units=typed)
    except ValidationError as exc:
        error, status = survey_links.unit_refusal(exc, locale_of(request)), 422
        links = survey_links.unit_links(session, survey, base=base, secret=secret)
    context = {
        "user": user,
        "workspace": workspace,
        "role": role,
        "survey": survey,
        "links": links,
        "typed": survey_links.clean_unit(unit) if unit and error is None else "",
        "value": unit or "",
        "error": error,
    }
    return page(request, "survey_links.html", context, status_code=status)
