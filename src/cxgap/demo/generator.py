"""The demo workspace: a bilingual furniture retailer whose staff rate its CX far above what
its customers say (seed 002: "80 % of companies believe they deliver a superior experience;
8 % of their customers agree").

Pure and deterministic: no clock, no database, no I/O. The same seed and ``today`` always
give the same data, so screenshots, tests and benchmarks can rely on it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from cxgap.demo.colleagues import build_internal_answers
from cxgap.demo.customers import build_customer_answers
from cxgap.errors import ValidationError
from cxgap.pillars import DEFAULT_PILLARS
from cxgap.schema import CustomerAnswer, InternalAnswer

BRAND = "Maison Lumen"
WORKSPACE_KEY = "demo"
DEMO_TODAY = date(2026, 11, 15)  # fixed rather than the clock, so the demo is reproducible
# The internal campaign ran for three weeks and closed two weeks before "today".
INTERNAL_CAMPAIGN_DAYS = 21
INTERNAL_CAMPAIGN_CLOSED_DAYS_AGO = 14


@dataclass(frozen=True)
class DemoSegment:
    """A customer segment (persona) of the demo brand."""

    key: str
    name_en: str
    name_fr: str


@dataclass(frozen=True)
class DemoData:
    """Everything a demo workspace holds, ready to be stored by the caller."""

    workspace_key: str
    workspace_name: str
    segments: list[DemoSegment]
    internal_campaign_name: str
    survey_name: str
    internal: list[InternalAnswer]
    customers: list[CustomerAnswer]


SEGMENTS: tuple[DemoSegment, ...] = (
    DemoSegment("busy_family", "Busy families", "Familles pressées"),
    DemoSegment("design_lover", "Design lovers", "Passionnés de déco"),
    DemoSegment("pro_buyer", "Trade professionals", "Professionnels de l'aménagement"),
    DemoSegment("bargain_hunter", "Bargain hunters", "Chasseurs de bonnes affaires"),
)


def generate_demo(
    *,
    seed: int = 2026,
    n_customers: int = 640,
    n_colleagues: int = 12,
    today: date | None = None,
) -> DemoData:
    """Generate the demo workspace of the fictional retailer Maison Lumen.

    Customers answer over the six months before ``today`` (default 2026-11-15); colleagues
    answered an internal campaign that closed two weeks before. Generation is linear in
    ``n_customers``.

    >>> demo = generate_demo(n_customers=50)
    >>> demo.workspace_name, len(demo.customers), len(demo.internal)
    ('Maison Lumen', 50, 12)
    >>> demo.customers[0].external_id
    'demo-0001'
    """
    _require_count("n_customers", n_customers)
    _require_count("n_colleagues", n_colleagues)
    today = today or DEMO_TODAY
    pillar_keys = [pillar.key for pillar in DEFAULT_PILLARS]
    campaign_start = today - timedelta(
        days=INTERNAL_CAMPAIGN_CLOSED_DAYS_AGO + INTERNAL_CAMPAIGN_DAYS
    )
    return DemoData(
        workspace_key=WORKSPACE_KEY,
        workspace_name=BRAND,
        segments=list(SEGMENTS),
        internal_campaign_name=f"Auto-évaluation CX {today.year} · CX self-assessment",
        survey_name=f"Baromètre clients {today.year} · Customer barometer",
        internal=build_internal_answers(
            _stream(seed, "colleagues"),
            n=n_colleagues,
            pillar_keys=pillar_keys,
            campaign_start=campaign_start,
            campaign_days=INTERNAL_CAMPAIGN_DAYS,
        ),
        customers=build_customer_answers(
            _stream(seed, "customers"),
            _stream(seed, "verbatims"),
            n=n_customers,
            pillar_keys=pillar_keys,
            today=today,
        ),
    )


def _stream(seed: int, purpose: str) -> random.Random:
    """An independent random stream per purpose: changing how many colleagues there are, or
    the wording of a phrase, leaves the customers' scores as they were.

    String seeds are hashed with SHA-512 by :class:`random.Random`, not with ``hash()``, so
    they are stable across processes.
    """
    return random.Random(f"cxgap-demo:{seed}:{purpose}")


def _require_count(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError.single(name, "must be a whole number, zero or more", value)
