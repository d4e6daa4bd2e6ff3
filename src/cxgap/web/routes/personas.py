"""Personas in the browser: plain forms to list, show, create, edit and delete them.

An edit names the fingerprint of the persona it started from; a persona changed meanwhile (or
still used by a journey, for a deletion) is answered 409 with the page that says so.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap import audit
from cxgap.analytics.generations import GENERATIONS
from cxgap.errors import ConflictError, FieldProblem, ValidationError
from cxgap.journeys.model import CHANNELS, PERSONA_TEXTS
from cxgap.services import journeys, personas
from cxgap.services.accounts import Principal, Role
from cxgap.services.workspaces import segments_of
from cxgap.web.audit_hooks import note_deletion
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.editor_problems import errors_by_field
from cxgap.web.render import locale_of, page

router = APIRouter()


@router.get("/w/{key}/personas", response_class=HTMLResponse)
def persona_list(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    return page(
        request,
        "persona_list.html",
        {
            "user": user,
            "workspace": workspace,
            "role": role,
            "personas": journeys.list_personas(session, workspace=workspace),
            "journeys_of": personas.journeys_by_persona(session, workspace=workspace),
            "generic": personas.generic_journeys(session, workspace=workspace),
            **_persona_labels(request, session, workspace),
            "deleted": request.query_params.get("deleted"),
        },
    )


@router.get("/w/{key}/personas/new", response_class=HTMLResponse)
def persona_new(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    empty = personas.persona_from_fields({})
    return _persona_form(request, session, user, workspace, role, empty, new=True)


@router.post("/w/{key}/personas/new", response_class=HTMLResponse)
async def persona_create(
    request: Request, key: str, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    persona = personas.persona_from_fields(await _form_fields(request))
    try:
        row = personas.add_persona(
            session, workspace=workspace, persona=persona, locale=locale_of(request)
        )
    except ValidationError as exc:
        return _persona_form(
            request, session, user, workspace, role, persona, new=True, problems=exc.problems
        )
    return RedirectResponse(f"/w/{key}/personas/{row.key}", status_code=303)


@router.get("/w/{key}/personas/{persona_key}", response_class=HTMLResponse)
def persona_show(
    request: Request, key: str, persona_key: str, session: SessionDep, user: UserDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    return _persona_page(request, session, user, workspace, role, persona_key)


@router.get("/w/{key}/personas/{persona_key}/edit", response_class=HTMLResponse)
def persona_edit(
    request: Request, key: str, persona_key: str, session: SessionDep, user: UserDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    persona = journeys.get_persona(session, workspace=workspace, key=persona_key)
    return _persona_form(request, session, user, workspace, role, persona, new=False)


@router.post("/w/{key}/personas/{persona_key}/edit", response_class=HTMLResponse)
async def persona_update(
    request: Request, key: str, persona_key: str, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    fields = await _form_fields(request)
    persona = personas.persona_from_fields({**fields, "key": persona_key})
    try:
        personas.update_persona(
            session,
            workspace=workspace,
            persona=persona,
            expected_fingerprint=str(fields.get("fingerprint", "")),
            locale=locale_of(request),
        )
    except (ValidationError, ConflictError) as exc:
        return _persona_form(
            request,
            session,
            user,
            workspace,
            role,
            persona,
            new=False,
            problems=exc.problems if isinstance(exc, ValidationError) else None,
            fingerprint=str(fields.get("fingerprint", "")),
            conflict=isinstance(exc, ConflictError),
        )
    return RedirectResponse(f"/w/{key}/personas/{persona_key}", status_code=303)


@router.post("/w/{key}/personas/{persona_key}/delete", response_class=HTMLResponse)
def persona_delete(
    request: Request,
    key: str,
    persona_key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    fingerprint: Annotated[str, Form()] = "",
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    try:
        personas.delete_persona(
            session, workspace=workspace, key=persona_key, expected_fingerprint=fingerprint
        )
        note_deletion(request, session, user, workspace, audit.Target("persona", persona_key))
    except ConflictError:
        used = personas.persona_journeys(session, workspace=workspace, key=persona_key)
        refused = "in_use" if used else "changed"
        return _persona_page(request, session, user, workspace, role, persona_key, refused)
    return RedirectResponse(f"/w/{key}/personas?deleted={persona_key}", status_code=303)


async def _form_fields(request: Request) -> dict[str, Any]:
    form = await request.form()
    fields: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    fields["preferred_channels"] = [
        v for v in form.getlist("preferred_channels") if isinstance(v, str)
    ]
    return fields


def _persona_labels(request: Request, session: SessionDep, workspace: Any) -> dict[str, Any]:
    fr = locale_of(request) == "fr"
    return {
        "segments": [
            (s.key, s.name_fr if fr else s.name_en) for s in segments_of(session, workspace)
        ],
        "channels": [(k, names[fr]) for k, names in CHANNELS.items()],
        "initials": personas.initials,
        "generation_label": partial(_generation_label, locale_of(request)),
        "hue": _hue,
        "persona_texts": PERSONA_TEXTS,
    }


def _hue(key: str) -> int:
    """One of six avatar colours, always the same for a persona."""
    return sum(map(ord, key)) % 6


def _persona_page(
    request: Request,
    session: SessionDep,
    user: Principal,
    workspace: Any,
    role: Role,
    persona_key: str,
    refused: str | None = None,
) -> Response:
    persona = journeys.get_persona(session, workspace=workspace, key=persona_key)
    return page(
        request,
        "persona_show.html",
        {
            "user": user,
            "workspace": workspace,
            "role": role,
            "persona": persona,
            "fingerprint": personas.persona_fingerprint(persona),
            "persona_journeys": personas.persona_journeys(
                session, workspace=workspace, key=persona_key
            ),
            "refused": refused,
            **_persona_labels(request, session, workspace),
        },
        status_code=409 if refused else 200,
    )


def _persona_form(
    request: Request,
    session: SessionDep,
    user: Principal,
    workspace: Any,
    role: Role,
    persona: Any,
    *,
    new: bool,
    problems: list[FieldProblem] | None = None,
    fingerprint: str | None = None,
    conflict: bool = False,
) -> Response:
    if fingerprint is None and not new:
        fingerprint = personas.persona_fingerprint(persona)
    return page(
        request,
        "persona_edit.html",
        {
            "user": user,
            "workspace": workspace,
            "role": role,
            "persona": persona,
            "new": new,
            "fingerprint": fingerprint,
            "errors": errors_by_field(locale_of(request), problems or []),
            "conflict": conflict,
            "generations": _generations(locale_of(request)),
            **_persona_labels(request, session, workspace),
        },
        status_code=409 if conflict else 422 if problems else 200,
    )


def _generations(locale: str) -> list[str]:
    return [g.name_fr if locale == "fr" else g.name_en for g in GENERATIONS]


def _generation_label(locale: str, value: str | None) -> str:
    return personas.generation_label(value, locale)
