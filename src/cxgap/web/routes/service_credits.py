"""The month's service credits per account (from the stored cases and incidents) and the SLA
compliance of its cases by tier, priority, team and channel, with 95 % intervals
(docs/service-menu.md). Viewers read it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from cxgap.services import case_sla, cases, credit_statements, service_levels
from cxgap.services.accounts import Role
from cxgap.sla.compliance import Share
from cxgap.sla.menu_terms import money, percent
from cxgap.web.deps import SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page

router = APIRouter()
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


def previous_month(today: date) -> date:
    """The first day of the month before ``today``'s: the last whole month."""
    return date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)


def share_view(share: Share, locale: str) -> dict[str, Any]:
    interval = share.interval
    return {
        "hit": share.hit,
        "n": share.n,
        "rate": None if share.rate is None else percent(share.rate, locale),
        "interval": None
        if interval is None
        else f"{percent(interval[0], locale)} – {percent(interval[1], locale)}",
        "small": share.small,
    }


@router.get("/w/{key}/service-levels/credits", response_class=HTMLResponse)
def credits_page(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    month: Annotated[str, Query(pattern=MONTH, max_length=7)] = "",
) -> Response:
    """Each account's credit for the month and the compliance behind it."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    locale = locale_of(request)
    now: datetime = cases.now_utc()
    zone = case_sla.zone_of(session, workspace.id)
    chosen = (
        date.fromisoformat(f"{month}-01") if month else previous_month(now.astimezone(zone).date())
    )
    levels = service_levels.load_service_levels(session, workspace=workspace)
    currencies = {str(t["name"]): str(t.get("currency") or "EUR") for t in levels.document["tiers"]}
    statements = [
        {
            "account": s.account,
            "tier": s.tier.name,
            "hit": s.hit,
            "missed": s.missed,
            "rate": None if s.sla_hit_rate is None else percent(s.sla_hit_rate, locale),
            "availability": percent(s.availability, locale),
            "downtime": round(s.downtime.total_seconds() / 60),
            "credit_percent": percent(s.credit_percent, locale),
            "amount": money(float(s.credit_amount), currencies.get(s.tier.name, "EUR"), locale),
            "owed": s.credit_amount > 0,
            "cases": list(s.case_ids),
        }
        for s in credit_statements.month_credits(session, workspace, chosen, now)
    ]
    compliance = credit_statements.month_compliance(session, workspace, chosen, now)
    groups = [
        {"dimension": g.dimension, "value": g.value, **share_view(g.overall, locale)}
        for g in compliance.groups
    ]
    return page(
        request,
        "service_credits.html",
        {
            "user": user,
            "workspace": workspace,
            "role": role,
            "can_edit": role == Role.ADMIN,
            "errors": {},
            "conflict": False,
            "saved": None,
            "month": f"{chosen:%Y-%m}",
            "zone": zone.key,
            "statements": statements,
            "overall": share_view(compliance.overall.overall, locale),
            "cases_counted": compliance.cases,
            "groups": groups,
        },
    )
