"""The Credits and compliance page over the API: each account's service credit for a month
(with the cases and incidents behind it) and the SLA compliance of the month's cases by tier,
priority, team and channel with 95 % Wilson intervals (docs/service-menu.md). Viewers read."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, cast

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from cxgap.db.tables import Workspace
from cxgap.services import case_sla, cases, credit_statements, service_levels
from cxgap.services.accounts import Role
from cxgap.sla.compliance_report import compliance_json
from cxgap.sla.report import credits_json, instant
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.deps import SessionDep
from cxgap.web.routes.service_credits import previous_month

router = APIRouter(prefix="/api/v1/workspaces/{key}/service-levels")
TAGS: list[str | Any] = ["service levels"]
MONTH = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"  # 1900-2999: a month a case can be in
Month = Annotated[
    str | None,
    Query(pattern=MONTH, max_length=7, description="YYYY-MM (default: the last whole month)"),
]


class ShareOut(BaseModel):
    hit: int
    missed: int
    n: int = Field(description="Metrics hit or missed")
    rate: float | None = Field(description="Percent hit; null when n is 0")
    ci95: list[float] | None = Field(description="Wilson 95 % interval, in percent")
    small: bool = Field(description="Fewer than 30 metrics: read the interval, not the rate")


class GroupOut(ShareOut):
    metrics: dict[str, ShareOut] = Field(description="first_response, next_response, resolution")


class ValueGroupOut(GroupOut):
    value: str | None = Field(description="The tier, priority, team or channel (null: none)")


class PeriodOut(BaseModel):
    start: str | None
    end: str | None


class ComplianceOut(BaseModel):
    month: str
    timezone: str
    period: PeriodOut
    cases: int = Field(description="Cases opened in the month")
    overall: GroupOut
    by: dict[str, list[ValueGroupOut]] = Field(description="tier, priority, team, channel")
    unmeasured: dict[str, int]
    not_counted: int = Field(description="Metrics still active or paused")
    no_policy: int


class IncidentOut(BaseModel):
    start: str
    end: str
    accounts: list[str] | None = Field(description="null: every account")


class StatementOut(BaseModel):
    account: str
    tier: str
    sla_hit_rate: float | None
    availability: float
    credit_percent: float
    credit_amount: float
    currency: str
    fee: float
    metrics_hit: int
    metrics_missed: int
    downtime_minutes: float
    cases: list[int] = Field(description="The numbers of the month's cases of the account")
    incidents: list[IncidentOut] = Field(description="The incidents behind the downtime")


class CreditsOut(BaseModel):
    month: str
    timezone: str
    accounts: list[StatementOut]


def _month(session: Session, workspace: Workspace, month: str | None) -> tuple[date, datetime]:
    now = cases.now_utc()
    if month:
        return date.fromisoformat(f"{month}-01"), now
    zone = case_sla.zone_of(session, workspace.id)
    return previous_month(now.astimezone(zone).date()), now


@router.get(
    "/compliance",
    response_model=ComplianceOut,
    tags=TAGS,
    operation_id="get_sla_compliance",
    responses=error_responses(),
)
def get_compliance(
    key: str, session: SessionDep, caller: CallerDep, month: Month = None
) -> ComplianceOut:
    """SLA compliance of the cases opened in the month: overall and by tier, priority, team
    and channel, each share with its Wilson 95 % interval (as on the Credits page)."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    chosen, now = _month(session, workspace, month)
    zone = case_sla.zone_of(session, workspace.id)
    result = credit_statements.month_compliance(session, workspace, chosen, now)
    shown = compliance_json(result, zone)
    return ComplianceOut.model_validate(shown | {"month": f"{chosen:%Y-%m}", "timezone": zone.key})


@router.get(
    "/credits",
    response_model=CreditsOut,
    tags=TAGS,
    operation_id="get_service_credits",
    responses=error_responses(),
)
def get_credits(
    key: str, session: SessionDep, caller: CallerDep, month: Month = None
) -> CreditsOut:
    """Each account's statement for the month: SLA hit rate, availability, credit percent and
    amount, and the cases and incidents behind the credit (``credits statement --details``)."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    chosen, now = _month(session, workspace, month)
    zone = case_sla.zone_of(session, workspace.id)
    statements = credit_statements.month_credits(session, workspace, chosen, now)
    levels = service_levels.load_service_levels(session, workspace=workspace)
    currencies = {str(t["name"]): str(t.get("currency") or "EUR") for t in levels.document["tiers"]}
    shown = cast(list[dict[str, object]], credits_json(statements, details=True)["accounts"])
    accounts = [
        StatementOut.model_validate(
            row
            | {
                "currency": currencies.get(s.tier.name, "EUR"),
                "cases": [int(c) for c in s.case_ids],
                "incidents": [
                    {
                        "start": instant(i.start, zone),
                        "end": instant(i.end, zone),
                        "accounts": None if i.accounts is None else sorted(i.accounts),
                    }
                    for i in s.incidents
                ],
            }
        )
        for row, s in zip(shown, statements, strict=True)
    ]
    return CreditsOut(month=f"{chosen:%Y-%m}", timezone=zone.key, accounts=accounts)
