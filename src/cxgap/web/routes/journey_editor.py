"""Editing personas and journeys in the browser.

Personas are plain forms. The journey editor is a script working on the journey's JSON
document (``journeys.document``) that saves it whole with ``PUT …/{journey}.json``, naming the
revision it started from in ``If-Match``; a stale revision is answered 409 with when the
stored journey was saved, and the editor offers to reload rather than overwrite.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Form, Header, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from cxgap import audit
from cxgap.analytics.generations import GENERATIONS
from cxgap.errors import ConflictError, FieldProblem, PayloadTooLargeError, ValidationError
from cxgap.i18n import catalog, translate
from cxgap.journeys.document import journey_to_document
from cxgap.journeys.model import CHANNELS, PERSONA_TEXTS, Change, Criticality, Phase, Version
from cxgap.services import journey_editing, journeys, personas, topic_links
from cxgap.services.accounts import Principal, Role
from cxgap.services.workspaces import segments_of
from cxgap.web.audit_hooks import note_deletion
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page
from cxgap.web.security import check_csrf

router = APIRouter()
JS_PREFIX = "journey_editor.js."
PROBLEM_PREFIX = "journey_editor.problem."
IMPORT_LIMIT = 2 * 1024 * 1024


# --- personas -------------------------------------------------------------------------------


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
            "errors": _errors_by_field(locale_of(request), problems or []),
            "conflict": conflict,
            "generations": _generations(locale_of(request)),
            **_persona_labels(request, session, workspace),
        },
        status_code=409 if conflict else 422 if problems else 200,
    )


def _errors_by_field(locale: str, problems: list[FieldProblem]) -> dict[str, list[str]]:
    """Each problem said in the reader's language when its code is known."""
    known = catalog(locale)
    errors: dict[str, list[str]] = {}
    for problem in problems:
        key = f"journey_editor.problem.{problem.code}"
        text = translate(key, locale, **problem.params) if key in known else problem.message
        if problem.value is not None and problem.code in {"format", "unique", "reserved", "choice"}:
            text += f" ({problem.value})"
        errors.setdefault(problem.field, []).append(text)
    return errors


def _generations(locale: str) -> list[str]:
    return [g.name_fr if locale == "fr" else g.name_en for g in GENERATIONS]


# --- journeys -------------------------------------------------------------------------------


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
            "errors": _errors_by_field(locale_of(request), problems or []),
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
    except journeys.RevisionConflict as exc:
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


class PreconditionRequired(ValidationError):
    """An edit that does not say which revision it started from (it could overwrite)."""

    status_code = 428

    def __init__(self, message: str) -> None:
        super().__init__([FieldProblem("If-Match", "is required", code="required")], message)


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


@router.get("/w/{key}/journey-import", response_class=HTMLResponse)
def journey_import_form(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    context = {"user": user, "workspace": workspace, "role": role}
    return page(request, "journey_import.html", context)


@router.post("/w/{key}/journey-import", response_class=HTMLResponse)
async def journey_import(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Create a journey from its JSON document (the editor's fallback without JavaScript)."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    raw = await file.read(IMPORT_LIMIT + 1)
    if len(raw) > IMPORT_LIMIT:
        raise PayloadTooLargeError(f"{file.filename}: a journey file is at most 2 MiB")
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problem = FieldProblem("$", f"is not valid JSON: {exc}", source=file.filename)
        return _import_refused(request, user, workspace, role, [problem])
    except RecursionError:  # nested thousands of levels deep: no journey file is
        problem = FieldProblem("$", "nests objects or lists too deeply", source=file.filename)
        return _import_refused(request, user, workspace, role, [problem])
    try:
        row = journeys.import_journey(session, workspace=workspace, document=document)
    except ValidationError as exc:
        return _import_refused(request, user, workspace, role, exc.problems)
    return RedirectResponse(f"/w/{key}/journeys/{row.key}", status_code=303)


def _import_refused(
    request: Request, user: Principal, workspace: Any, role: Role, problems: list[FieldProblem]
) -> Response:
    context = {"user": user, "workspace": workspace, "role": role, "problems": problems}
    return page(request, "journey_import.html", context, status_code=422)


def _generation_label(locale: str, value: str | None) -> str:
    return personas.generation_label(value, locale)
