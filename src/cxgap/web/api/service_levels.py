"""The service levels over the API: the document (calendar, policies, tiers), the accounts
and their tier, the availability incidents (``docs/service-menu.md``). Viewers read, admins
write, through the services the pages use."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field

from cxgap import audit
from cxgap.services import availability_incidents as incidents
from cxgap.services import service_accounts, service_levels
from cxgap.services.accounts import Role
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.api.fields import MAX_ID, NOT_BLANK
from cxgap.web.audit_hooks import note_deletion
from cxgap.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/workspaces/{key}/service-levels")
TAGS: list[str | Any] = ["service levels"]
ACCOUNT_KEY = r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$"
AccountKey = Annotated[str, Path(pattern=ACCOUNT_KEY, description="The account's key")]
IncidentId = Annotated[int, Path(ge=1, le=MAX_ID, description="The incident's id")]


class ServiceLevelsOut(BaseModel):
    version: int = Field(description="0: the default document, never saved")
    updated_at: datetime | None
    published: bool
    public_slug: str | None
    document: dict[str, Any] = Field(description="MENU.json: calendar, policies, tiers+accounts")


class ServiceLevelsIn(BaseModel):
    document: dict[str, Any] = Field(description="MENU.json (docs/sla.md); accounts optional")
    expected_version: int | None = Field(
        None, ge=0, le=2**31 - 1, description="Refuses (409) a save over another change"
    )


class AccountIn(BaseModel):
    name: str = Field(max_length=200, pattern=NOT_BLANK)
    tier: str | None = Field(None, max_length=100, description="A tier of the menu, or null")
    contact: str | None = Field(None, max_length=320, description="Stored masked by default")


class AccountOut(BaseModel):
    key: str
    name: str
    tier: str | None
    contact: str | None


class IncidentIn(BaseModel):
    start: datetime = Field(description="Without an offset: the calendar's time zone")
    end: datetime
    accounts: Literal["all"] | list[Annotated[str, Field(pattern=ACCOUNT_KEY)]] = Field(
        min_length=1
    )
    note: str = Field("", max_length=2000)


class IncidentOut(BaseModel):
    id: int
    start: datetime
    end: datetime
    accounts: list[str] | None = Field(description="null: every account")
    note: str
    minutes: float


def _levels_out(session: Any, workspace: Any) -> ServiceLevelsOut:
    levels = service_levels.load_service_levels(session, workspace=workspace)
    return ServiceLevelsOut(
        version=levels.version,
        updated_at=levels.updated_at,
        published=levels.published,
        public_slug=levels.public_slug,
        document=service_levels.full_document(session, workspace=workspace),
    )


@router.get(
    "",
    response_model=ServiceLevelsOut,
    tags=TAGS,
    operation_id="get_service_levels",
    responses=error_responses(),
)
def get_service_levels(key: str, session: SessionDep, caller: CallerDep) -> ServiceLevelsOut:
    """The document with each tier's accounts (a MENU.json `cxgap credits compute` reads)."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    return _levels_out(session, workspace)


@router.put(
    "",
    response_model=ServiceLevelsOut,
    tags=TAGS,
    operation_id="put_service_levels",
    responses=error_responses(409),
)
def put_service_levels(
    key: str, body: ServiceLevelsIn, session: SessionDep, caller: CallerDep
) -> ServiceLevelsOut:
    """Replace the document; a refused one names its JSON path (``details[].field``)."""
    workspace, _ = open_workspace(session, caller, key, Role.ADMIN)
    service_levels.save_document(
        session,
        workspace=workspace,
        document=body.document,
        user_id=caller.principal.user_id,
        expected_version=body.expected_version,
    )
    return _levels_out(session, workspace)


@router.get(
    "/accounts",
    response_model=list[AccountOut],
    tags=TAGS,
    operation_id="list_service_accounts",
    responses=error_responses(),
)
def list_accounts(key: str, session: SessionDep, caller: CallerDep) -> list[AccountOut]:
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    return [
        AccountOut(**vars(a)) for a in service_accounts.list_accounts(session, workspace=workspace)
    ]


@router.put(
    "/accounts/{account_key}",
    response_model=AccountOut,
    tags=TAGS,
    operation_id="put_service_account",
    responses=error_responses(),
)
def put_account(
    key: str, account_key: AccountKey, body: AccountIn, session: SessionDep, caller: CallerDep
) -> AccountOut:
    """Create or update an account and put it on a tier."""
    workspace, _ = open_workspace(session, caller, key, Role.ADMIN)
    saved = service_accounts.save_account(
        session, workspace=workspace, key=account_key, **body.model_dump()
    )
    return AccountOut(**vars(saved))


@router.delete(
    "/accounts/{account_key}",
    status_code=204,
    response_class=Response,
    tags=TAGS,
    operation_id="delete_service_account",
    responses=error_responses(),
)
def delete_account(
    request: Request, key: str, account_key: AccountKey, session: SessionDep, caller: CallerDep
) -> Response:
    workspace, _ = open_workspace(session, caller, key, Role.ADMIN)
    service_accounts.delete_account(session, workspace=workspace, key=account_key)
    target = audit.Target("service_account", account_key)
    note_deletion(request, session, caller.principal, workspace, target)
    return Response(status_code=204)


def _incident_out(item: incidents.IncidentView) -> IncidentOut:
    return IncidentOut(
        id=item.id,
        start=item.start,
        end=item.end,
        accounts=item.accounts,
        note=item.note,
        minutes=item.minutes,
    )


@router.get(
    "/incidents",
    response_model=list[IncidentOut],
    tags=TAGS,
    operation_id="list_availability_incidents",
    responses=error_responses(),
)
def list_incidents(key: str, session: SessionDep, caller: CallerDep) -> list[IncidentOut]:
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    return [_incident_out(i) for i in incidents.list_incidents(session, workspace=workspace)]


@router.post(
    "/incidents",
    response_model=IncidentOut,
    status_code=201,
    tags=TAGS,
    operation_id="create_availability_incident",
    responses=error_responses(),
)
def create_incident(
    key: str, body: IncidentIn, session: SessionDep, caller: CallerDep
) -> IncidentOut:
    """Record downtime; the accounts must exist (or ``"all"``), the end come after the start."""
    workspace, _ = open_workspace(session, caller, key, Role.ADMIN)
    accounts = body.accounts if isinstance(body.accounts, str) else " ".join(body.accounts)
    item = incidents.IncidentInput(
        body.start.isoformat(), body.end.isoformat(), accounts, body.note
    )
    return _incident_out(incidents.add_incident(session, workspace=workspace, item=item))


@router.delete(
    "/incidents/{incident_id}",
    status_code=204,
    response_class=Response,
    tags=TAGS,
    operation_id="delete_availability_incident",
    responses=error_responses(),
)
def delete_incident(
    request: Request, key: str, incident_id: IncidentId, session: SessionDep, caller: CallerDep
) -> Response:
    workspace, _ = open_workspace(session, caller, key, Role.ADMIN)
    incidents.delete_incident(session, workspace=workspace, incident_id=incident_id)
    target = audit.Target("availability_incident", incident_id)
    note_deletion(request, session, caller.principal, workspace, target)
    return Response(status_code=204)
