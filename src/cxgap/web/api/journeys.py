"""Personas, journey maps and their measured overlay."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from cxgap import audit
from cxgap.db.tables import Workspace
from cxgap.journeys.document import journey_to_document
from cxgap.journeys.model import Persona
from cxgap.services import journey_editing, journeys, personas
from cxgap.services.accounts import Role
from cxgap.services.overlay import journey_with_overlay
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.api.fields import KEY_PATTERN, MAX_ID, NOT_BLANK
from cxgap.web.api.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page, paginate
from cxgap.web.audit_hooks import note_deletion
from cxgap.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/workspaces/{key}")


class PersonaFields(BaseModel):
    name: str = Field(max_length=200, pattern=NOT_BLANK)
    quote: str = Field("", max_length=2000)
    needs: list[str] = Field(default_factory=list, max_length=50)
    usages: list[str] = Field(default_factory=list, max_length=50)
    behaviours: list[str] = Field(default_factory=list, max_length=50)
    preferred_channels: list[str] = Field(default_factory=list, max_length=20)
    generation: str | None = None
    segment: str | None = Field(None, description="Key of the segment the persona stands for")
    # needs, usages and behaviours above are in English; these are the French ones.
    needs_fr: list[str] = Field(default_factory=list, max_length=50)
    usages_fr: list[str] = Field(default_factory=list, max_length=50)
    behaviours_fr: list[str] = Field(default_factory=list, max_length=50)
    address: str = Field(
        "vous", max_length=8, description="How replies address these customers: vous or tu"
    )
    reply_length: str = Field(
        "standard", max_length=16, description="The replies they like: short, standard, detailed"
    )


class PersonaIn(PersonaFields):
    key: str = Field(max_length=63, pattern=KEY_PATTERN)


class PersonaOut(PersonaIn):
    key: str  # as stored: the input's constraints are not the output's promise
    name: str
    fingerprint: str = Field(
        description="Send it back as `expected_fingerprint` to refuse overwriting a change "
        "made by someone else in between (409)"
    )
    missing: list[str] = Field(
        default_factory=list,
        description="Texts written in one language only, as <field>_<lang> (e.g. needs_en)",
    )


class JourneySummary(BaseModel):
    key: str
    name_en: str
    name_fr: str
    version: str = Field(description="current or target")
    based_on: str | None
    revision: int
    updated_at: datetime


class JourneyDocument(BaseModel):
    """The journey's contract JSON (docs/journeys.md); with ``measured`` figures per
    touchpoint when asked for its overlay."""

    model_config = ConfigDict(extra="allow")

    format: str
    key: str
    locale: str
    name: str
    name_en: str
    name_fr: str
    version: str
    based_on: str | None
    persona: dict[str, Any] | None
    stages: list[dict[str, Any]]


PersonaQuery = Annotated[
    str | None, Query(max_length=64, description="Only the feedback of this persona's segment")
]
LocaleQuery = Annotated[str, Query(pattern="^(en|fr)$", description="Language of `name`")]


@router.get(
    "/personas",
    response_model=Page[PersonaOut],
    tags=["personas"],
    operation_id="list_personas",
    responses=error_responses(),
)
def list_personas(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[PersonaOut]:
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    found = [_persona(p) for p in journeys.list_personas(session, workspace=workspace)]
    items, after = paginate(found, limit=limit, cursor=cursor)
    return Page[PersonaOut](items=items, next=after)


@router.get(
    "/personas/{persona_key}",
    response_model=PersonaOut,
    tags=["personas"],
    operation_id="get_persona",
    responses=error_responses(),
)
def get_persona(key: str, persona_key: str, session: SessionDep, caller: CallerDep) -> PersonaOut:
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    return _persona(journeys.get_persona(session, workspace=workspace, key=persona_key))


@router.post(
    "/personas",
    response_model=PersonaOut,
    status_code=201,
    tags=["personas"],
    operation_id="create_persona",
    responses=error_responses(409),
)
def create_persona(key: str, body: PersonaIn, session: SessionDep, caller: CallerDep) -> PersonaOut:
    """Create a persona, checked as the persona form checks it."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    personas.add_persona(session, workspace=workspace, persona=_persona_in(body.key, body))
    return _persona(journeys.get_persona(session, workspace=workspace, key=body.key))


@router.get(
    "/journeys",
    response_model=Page[JourneySummary],
    tags=["journeys"],
    operation_id="list_journeys",
    responses=error_responses(),
)
def list_journeys(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[JourneySummary]:
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    rows = [
        JourneySummary.model_validate(row, from_attributes=True)
        for row in journeys.list_journeys(session, workspace=workspace)
    ]
    items, after = paginate(rows, limit=limit, cursor=cursor)
    return Page[JourneySummary](items=items, next=after)


@router.post(
    "/journeys",
    response_model=JourneyDocument,
    status_code=201,
    tags=["journeys"],
    operation_id="import_journey",
    responses=error_responses(409),
)
def import_journey(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    document: Annotated[dict[str, Any], Body(description="A journey document (docs/journeys.md)")],
) -> dict[str, Any]:
    """Create a journey from its JSON document, as the Journeys page's import does."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    row = journeys.import_journey(session, workspace=workspace, document=document)
    return journeys.export_journey(session, workspace=workspace, key=row.key)


@router.get(
    "/journeys/{journey_key}",
    response_model=JourneyDocument,
    tags=["journeys"],
    operation_id="get_journey",
    responses=error_responses(),
)
def get_journey(
    key: str, journey_key: str, session: SessionDep, caller: CallerDep, locale: LocaleQuery = "en"
) -> dict[str, Any]:
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    return journeys.export_journey(session, workspace=workspace, key=journey_key, locale=locale)


@router.get(
    "/journeys/{journey_key}/overlay",
    response_model=JourneyDocument,
    tags=["journeys"],
    operation_id="get_journey_overlay",
    responses=error_responses(),
)
def get_journey_overlay(
    key: str,
    journey_key: str,
    session: SessionDep,
    caller: CallerDep,
    persona: PersonaQuery = None,
    locale: LocaleQuery = "en",
) -> dict[str, Any]:
    """The journey with what feedback says about each touchpoint (``measured``)."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    journey, _ = journey_with_overlay(
        session, workspace=workspace, key=journey_key, persona=persona or None
    )
    document = journey_to_document(journey, locale=locale)
    for stage, source in zip(document["stages"], journey.stages, strict=True):
        for tp, measured in zip(stage["touchpoints"], source.touchpoints, strict=True):
            tp["measured"] = _measured(measured.measured)
    return document


def _measured(m: Any) -> dict[str, Any]:
    return {
        "feedback_count": m.feedback_count,
        "enriched_count": m.enriched_count,
        "sentiment_mean": m.sentiment_mean,
        "nps": m.nps,
        "csat": m.csat,
        "criticality": None if m.measured_criticality is None else str(m.measured_criticality),
        "top_irritants": [
            {"topic": i.topic, "name_en": i.name.en, "name_fr": i.name.fr, "count": i.count}
            for i in m.top_irritants
        ],
    }


def _persona_in(persona_key: str, body: PersonaFields) -> Persona:
    """The persona the body describes; generic over the fields, so that a field added to both
    the model and ``PersonaFields`` needs nothing here. Lists become tuples, blank optional
    values none."""
    values: dict[str, Any] = {}
    for name, value in body.model_dump(exclude={"key"}).items():
        optional = PersonaFields.model_fields[name].default is None
        values[name] = tuple(value) if isinstance(value, list) else value
        if optional and value == "":
            values[name] = None
    return Persona(key=persona_key, **values)


def _persona(p: Persona) -> PersonaOut:
    values = {f.name: getattr(p, f.name) for f in dataclasses.fields(p)}
    values = {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}
    return PersonaOut(**values, fingerprint=personas.persona_fingerprint(p), missing=p.missing())


FingerprintQuery = Annotated[
    str | None,
    Query(max_length=64, description="The persona's `fingerprint` as read; omitted: overwrite"),
]
RevisionQuery = Annotated[
    int | None,
    Query(ge=0, le=MAX_ID, description="The journey's `revision` as read; omitted: overwrite"),
]


@router.put(
    "/personas/{persona_key}",
    response_model=PersonaOut,
    tags=["personas"],
    operation_id="update_persona",
    responses=error_responses(409),
)
def update_persona(
    key: str,
    persona_key: str,
    body: PersonaFields,
    session: SessionDep,
    caller: CallerDep,
    expected_fingerprint: FingerprintQuery = None,
) -> PersonaOut:
    """Replace a persona (its key stays), checked as the persona form checks it."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    expected = expected_fingerprint or _fingerprint(session, workspace, persona_key)
    personas.update_persona(
        session,
        workspace=workspace,
        persona=_persona_in(persona_key, body),
        expected_fingerprint=expected,
    )
    return _persona(journeys.get_persona(session, workspace=workspace, key=persona_key))


@router.delete(
    "/personas/{persona_key}",
    status_code=204,
    response_class=Response,
    tags=["personas"],
    operation_id="delete_persona",
    responses=error_responses(409),
)
def delete_persona(
    request: Request,
    key: str,
    persona_key: str,
    session: SessionDep,
    caller: CallerDep,
    expected_fingerprint: FingerprintQuery = None,
) -> Response:
    """Delete a persona; refused (409) while a journey is drawn for it."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    expected = expected_fingerprint or _fingerprint(session, workspace, persona_key)
    personas.delete_persona(
        session, workspace=workspace, key=persona_key, expected_fingerprint=expected
    )
    note_deletion(request, session, caller.principal, workspace,
                  audit.Target("persona", persona_key), via="api")  # fmt: skip
    return Response(status_code=204)


@router.put(
    "/journeys/{journey_key}",
    response_model=JourneyDocument,
    tags=["journeys"],
    operation_id="update_journey",
    responses=error_responses(409),
)
def update_journey(
    key: str,
    journey_key: str,
    session: SessionDep,
    caller: CallerDep,
    document: Annotated[dict[str, Any], Body(description="The whole journey document")],
    expected_revision: RevisionQuery = None,
) -> dict[str, Any]:
    """Replace a journey with its edited document, as the journey editor saves it."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    revision = expected_revision
    if revision is None:
        revision = journeys.get_journey_row(session, workspace=workspace, key=journey_key).revision
    journey_editing.save_journey_document(
        session, workspace=workspace, key=journey_key, document=document, expected_revision=revision
    )
    return journeys.export_journey(session, workspace=workspace, key=journey_key)


@router.delete(
    "/journeys/{journey_key}",
    status_code=204,
    response_class=Response,
    tags=["journeys"],
    operation_id="delete_journey",
    responses=error_responses(409),
)
def delete_journey(
    request: Request,
    key: str,
    journey_key: str,
    session: SessionDep,
    caller: CallerDep,
    expected_revision: RevisionQuery = None,
) -> Response:
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    revision = expected_revision
    if revision is None:
        revision = journeys.get_journey_row(session, workspace=workspace, key=journey_key).revision
    journeys.delete_journey(
        session, workspace=workspace, key=journey_key, expected_revision=revision
    )
    note_deletion(request, session, caller.principal, workspace,
                  audit.Target("journey", journey_key), via="api")  # fmt: skip
    return Response(status_code=204)


def _fingerprint(session: SessionDep, workspace: Workspace, persona_key: str) -> str:
    stored = journeys.get_persona(session, workspace=workspace, key=persona_key)
    return personas.persona_fingerprint(stored)
