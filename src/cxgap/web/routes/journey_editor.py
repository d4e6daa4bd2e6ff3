"""Editing journeys in the browser.

The journey editor is a script working on the journey's JSON document (``journeys.document``)
that saves it whole with ``PUT …/{journey}.json``, naming the revision it started from in
``If-Match``; a stale revision is answered 409 with when the stored journey was saved, and the
editor offers to reload rather than overwrite. Registered before ``routes/journeys.py``, whose
``/{journey}`` would otherwise take ``/new``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Form, Header, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from cxgap import audit
from cxgap.errors import FieldProblem, PreconditionRequired, RevisionConflict, ValidationError
from cxgap.i18n import catalog
from cxgap.journeys.document import journey_to_document
from cxgap.journeys.model import CHANNELS, Change, Criticality, Phase, Version
from cxgap.services import journey_editing, journeys, topic_links
from cxgap.services.accounts import Principal, Role
from cxgap.web.audit_hooks import note_deletion
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.editor_problems import errors_by_field
from cxgap.web.render import locale_of, page
from cxgap.web.security import check_csrf

router = APIRouter()
JS_PREFIX = "journey_editor.js."
PROBLEM_PREFIX = "journey_editor.problem."


@router.get("/w/{key}/journeys/new", response_class=HTMLResponse)
def journey_new(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    fields = {"persona": request.query_params.get("persona", "")}
    return _journey_new_form(request, session, user, workspace, role, fields)


@router.post("/w/{key}/journeys/new", response_class=HTMLResponse)
def journey_create(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    journey_key: Annotated[str, Form()] = "",
    name_en: Annotated[str, Form()] = "",
    name_fr: Annotated[str, Form()] = "",
    persona: Annotated[str, Form()] = "",
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    try:
        row = journey_editing.start_journey(
            session,
            workspace=workspace,
            key=journey_key,
            name_en=name_en,
            name_fr=name_fr,
            persona_key=persona or None,
            locale=locale_of(request),
        )
    except ValidationError as exc:
        fields = {"journey_key": journey_key, "name_en": name_en, "name_fr": name_fr}
        fields["persona"] = persona
        return _journey_new_form(
            request, session, user, workspace, role, fields, problems=exc.problems
        )
    return RedirectResponse(f"/w/{key}/journeys/{row.key}/edit", status_code=303)


def _journey_new_form(
    request: Request,
    session: SessionDep,
    user: Principal,
    workspace: Any,
    role: Role,
    fields: dict[str, str],
    problems: list[FieldProblem] | None = None,
) -> Response:
    return page(
        request,
        "journey_new.html",
        {
            "user": user,
            "workspace": workspace,
            "role": role,
            "fields": fields,
            "personas": journeys.list_personas(session, workspace=workspace),
            "errors": errors_by_field(locale_of(request), problems or []),
        },
        status_code=422 if problems else 200,
    )


@router.get("/w/{key}/journeys/{journey_key}/edit", response_class=HTMLResponse)
def journey_edit(
    request: Request, key: str, journey_key: str, session: SessionDep, user: UserDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    locale = locale_of(request)
    journey, revision = journeys.get_journey(session, workspace=workspace, key=journey_key)
    row = journeys.get_journey_row(session, workspace=workspace, key=journey_key)
    fr = locale == "fr"
    config = {
        "locale": locale,
        "revision": revision,
        "savedAt": row.updated_at.isoformat(),
        "saveUrl": f"/w/{key}/journeys/{journey_key}.json",
        "viewUrl": f"/w/{key}/journeys/{journey_key}",
        "csrf": request.session.get("csrf", ""),
        "labels": {
            k.removeprefix(JS_PREFIX): v
            for k, v in catalog(locale).items()
            if k.startswith(JS_PREFIX)
        },
        "problems": {
            k.removeprefix(PROBLEM_PREFIX): v
            for k, v in catalog(locale).items()
            if k.startswith(PROBLEM_PREFIX)
        },
        "channels": [[k, names[fr]] for k, names in CHANNELS.items()],
        "phases": [[p.value, p.label(locale)] for p in Phase],
        "criticalities": [[c.value, c.label(locale)] for c in Criticality],
        "changes": [[c.value, c.label(locale)] for c in Change],
        "personas": [[p.key, p.name] for p in journeys.list_personas(session, workspace=workspace)],
        "topics": [
            list(choice) for choice in topic_links.topic_choices(session, workspace, locale)
        ],
        "suggestUrl": f"/w/{key}/journeys/{journey_key}/topic-suggestions",
    }
    links = topic_links.journey_topics(session, workspace=workspace, journey=journey)
    return page(
        request,
        "journey_edit.html",
        {
            "user": user,
            "workspace": workspace,
            "role": role,
            "journey": journey,
            "revision": revision,
            "is_current": journey.version is Version.CURRENT,
            "target_key": journey_editing.suggested_target_key(journey.key),
            "document": journey_to_document(journey, locale=locale, topics=links),
            "config": config,
        },
    )


@router.put("/w/{key}/journeys/{journey_key}.json")
def journey_save(
    request: Request,
    key: str,
    journey_key: str,
    session: SessionDep,
    user: UserDep,
    document: Annotated[Any, Body()],
    if_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Save the whole document if the stored journey is still at the ``If-Match`` revision."""
    check_csrf(request, None)
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    expected = _revision_of(if_match)
    try:
        revision = journey_editing.save_journey_document(
            session,
            workspace=workspace,
            key=journey_key,
            document=document,
            expected_revision=expected,
        )
    except RevisionConflict as exc:
        body = {
            "error": {"type": "RevisionConflict", "message": str(exc), "problems": []},
            "current": {"revision": exc.revision, "saved_at": exc.saved_at.isoformat()},
        }
        return JSONResponse(body, status_code=409, headers={"etag": f'"{exc.revision}"'})
    row = journeys.get_journey_row(session, workspace=workspace, key=journey_key)
    return JSONResponse(
        {"revision": revision, "saved_at": row.updated_at.isoformat()},
        headers={"etag": f'"{revision}"'},
    )


def _revision_of(if_match: str | None) -> int:
    """The revision named by an ``If-Match`` header (``5``, ``"5"`` or ``W/"5"``)."""
    if if_match is None:
        raise PreconditionRequired(
            "Send the revision your edit started from in the If-Match header"
        )
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise ValidationError.single("If-Match", "must be a journey revision number", if_match)
    return int(value)


@router.post("/w/{key}/journeys/{journey_key}/target")
def journey_target(
    key: str,
    journey_key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    target_key: Annotated[str, Form()] = "",
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    target = journey_editing.create_target_version(
        session, workspace=workspace, key=journey_key, target_key=target_key
    )
    return RedirectResponse(f"/w/{key}/journeys/{target.key}/edit", status_code=303)


@router.post("/w/{key}/journeys/{journey_key}/delete")
def journey_delete(
    request: Request,
    key: str,
    journey_key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    revision: Annotated[int, Form()],
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    journeys.delete_journey(
        session, workspace=workspace, key=journey_key, expected_revision=revision
    )
    note_deletion(request, session, user, workspace, audit.Target("journey", journey_key))
    return RedirectResponse(f"/w/{key}/personas?deleted={journey_key}", status_code=303)
