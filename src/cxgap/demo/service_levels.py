"""The demo's service accounts and its availability incident (pure data).

The demo brand sells to trade customers too: a few accounts on each tier of the default menu
(``sla.defaults``), and one incident last month on an Enterprise account, long enough to break
its 99.95 % commitment, so the credits page has one account owed a credit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("atelier-durand", "Atelier Durand", "standard"),
    ("boulangerie-martin", "Boulangerie Martin", "standard"),
    ("cabinet-leroy", "Cabinet Leroy", "standard"),
    ("hotel-du-parc", "Hôtel du Parc", "premium"),
    ("studio-lumen", "Studio Lumen", "premium"),
    ("groupe-horizon", "Groupe Horizon", "enterprise"),
    ("maisons-vega", "Maisons Vega", "enterprise"),
)


@dataclass(frozen=True)
class DemoIncident:
    start: str  # local wall time in the calendar's zone (Europe/Paris)
    end: str
    accounts: str
    note: str


def demo_incident(today: date) -> DemoIncident:
    """95 minutes down on the 12th of the month before ``today``, for Groupe Horizon:
    availability 99.78 % in a 30- or 31-day month, below 99.95 and 99.9 (a 25 % credit)."""
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=12)
    start = datetime.combine(last_month, time(14, 5))
    end = start + timedelta(minutes=95)
    note = "Checkout API unavailable (database failover) / API de paiement indisponible"
    return DemoIncident(start.isoformat(), end.isoformat(), "groupe-horizon", note)
