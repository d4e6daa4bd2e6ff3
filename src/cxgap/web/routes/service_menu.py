"""The public service menu (``/menu/<address>``): no sign-in, bilingual, printable.

Only a menu the workspace published answers; any other address is a plain 404, whether it
never existed or was withdrawn. The security headers and ``no-store`` of every page apply
(``web/middleware.py``): a withdrawn menu is not served from a cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from cxgap.i18n import translate
from cxgap.services import service_levels
from cxgap.sla.calendar import BusinessCalendar
from cxgap.sla.credits import Tier
from cxgap.sla.documents import read_menu
from cxgap.sla.menu_terms import (
    PriorityTargets,
    credit_sentences,
    duration,
    hours_sentences,
    money,
    next_holidays,
    percent,
    priority_label,
    tier_label,
    tier_targets,
)
from cxgap.sla.reading import Reader
from cxgap.web.deps import SessionDep
from cxgap.web.render import locale_of, page

router = APIRouter()


@dataclass(frozen=True)
class TierColumn:
    name: str
    label: str
    price: str
    availability: str | None
    targets: list[PriorityTargets]
    credits: list[str]
    hours: list[str]  # the tier's own support hours in words; empty: the menu's calendar


def _column(
    tier: Tier,
    document: dict[str, Any],
    targets: list[PriorityTargets],
    locale: str,
    base: BusinessCalendar,
) -> TierColumn:
    raw: dict[str, Any] = next((t for t in document["tiers"] if t.get("name") == tier.name), {})
    currency = str(raw.get("currency") or "EUR")
    availability = tier.availability_target
    return TierColumn(
        tier.name,
        tier_label(raw, locale),
        money(float(Decimal(tier.fee)), currency, locale),
        None if availability is None else percent(availability, locale),
        targets,
        credit_sentences(tier, locale),
        _tier_hours(tier, base, locale),
    )


def _tier_hours(tier: Tier, base: BusinessCalendar, locale: str) -> list[str]:
    """The tier's own hours in words (none: the menu's), saying so when it works on the
    holidays the menu's calendar takes off."""
    own = tier.calendar
    if own is None:
        return []
    lines = hours_sentences(own, locale)
    takes_off = base.holiday_country is not None or bool(base.company_holidays)
    if takes_off and own.holiday_country is None and not own.company_holidays:
        lines.append(translate("tiers.menu.open_on_holidays", locale))
    return lines


@router.get("/menu/{slug}", response_class=HTMLResponse)
def public_menu(request: Request, slug: str, session: SessionDep) -> Response:
    workspace, levels = service_levels.published_levels(session, slug)
    locale = locale_of(request)
    document = levels.document
    menu = read_menu(Reader(service_levels.SOURCE), document)
    priorities = [str(p) for p in document.get("priorities") or []]
    calendar = menu.policies.calendar
    columns = [
        _column(t, document, tier_targets(menu.policies, t.name, priorities), locale, calendar)
        for t in menu.tiers
    ]
    return page(
        request,
        "public/service_menu.html",
        {
            "brand": workspace.name,
            "columns": columns,
            "priorities": priorities,
            "hours": hours_sentences(calendar, locale),
            "holidays": next_holidays(calendar, date.today(), locale, count=10),
            "duration": lambda minutes: duration(minutes, locale),
            "priority_label": lambda p: priority_label(p, locale),
            "metrics": ("first_response", "resolution"),
            "updated_at": levels.updated_at,
        },
    )
