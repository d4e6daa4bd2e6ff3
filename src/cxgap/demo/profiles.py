"""The numbers behind the demo: who answers, and how each group tends to score.

Declared as data so the story the demo tells is readable in one place: colleagues believe
service, digital, products and friction are strong (4–5) while customers say 2.5–3.2 (the
knowledge gap of seed 002); staff and customers roughly agree on shops and reputation; staff
are harsher than customers on content. Customers value service, friction, products and
communication most (seed 000), while colleagues bet on advertising, products and reputation.
Values are means on the latent scale before rounding to 1–5.
"""

from __future__ import annotations

from collections.abc import Mapping

PillarShift = Mapping[str, float]

# -- customers --------------------------------------------------------------------------------

CUSTOMER_PERFORMANCE: PillarShift = {
    "advertising": 3.15,
    "content": 3.7,
    "digital": 3.05,
    "in_person": 3.8,
    "communication": 2.95,
    "representatives": 3.5,
    "products": 3.12,
    "service": 2.7,
    "friction": 2.7,
    "reputation": 3.6,
}

CUSTOMER_IMPORTANCE: PillarShift = {
    "advertising": 2.3,
    "content": 2.7,
    "digital": 3.4,
    "in_person": 3.3,
    "communication": 3.9,
    "representatives": 3.4,
    "products": 4.2,
    "service": 4.45,
    "friction": 4.3,
    "reputation": 3.0,
}

SEGMENT_SHARES: Mapping[str, float] = {
    "busy_family": 0.30,
    "design_lover": 0.25,
    "pro_buyer": 0.20,
    "bargain_hunter": 0.25,
}

# Birth cohort given the segment: families are mostly Millennials and Gen X, trade buyers are
# mid-career, bargain hunters skew young and retired. "unknown" = no birth year given.
GENERATION_GIVEN_SEGMENT: Mapping[str, Mapping[str, float]] = {
    "busy_family": {
        "silent": 0.005,
        "boomers": 0.10,
        "gen_x": 0.35,
        "millennials": 0.445,
        "gen_z": 0.07,
        "unknown": 0.03,
    },
    "design_lover": {
        "silent": 0.01,
        "boomers": 0.20,
        "gen_x": 0.22,
        "millennials": 0.30,
        "gen_z": 0.24,
        "unknown": 0.03,
    },
    "pro_buyer": {
        "silent": 0.005,
        "boomers": 0.27,
        "gen_x": 0.38,
        "millennials": 0.27,
        "gen_z": 0.045,
        "unknown": 0.03,
    },
    "bargain_hunter": {
        "silent": 0.04,
        "boomers": 0.26,
        "gen_x": 0.16,
        "millennials": 0.20,
        "gen_z": 0.31,
        "unknown": 0.03,
    },
}

LANGUAGE_SHARES: Mapping[str, float] = {"fr": 0.55, "en": 0.45}

SEGMENT_PERFORMANCE_SHIFT: Mapping[str, PillarShift] = {
    "busy_family": {"friction": -0.3, "in_person": -0.1, "digital": 0.1},
    "design_lover": {"products": 0.3, "content": 0.3, "advertising": 0.2},
    "pro_buyer": {"service": -0.3, "communication": -0.3, "products": 0.2, "representatives": 0.2},
    "bargain_hunter": {"advertising": -0.3, "reputation": -0.2, "products": -0.3},
}

SEGMENT_IMPORTANCE_SHIFT: Mapping[str, PillarShift] = {
    "busy_family": {"friction": 0.4, "service": 0.2, "digital": 0.2},
    "design_lover": {"products": 0.4, "content": 0.6, "in_person": 0.3, "advertising": 0.3},
    "pro_buyer": {"service": 0.3, "communication": 0.4, "representatives": 0.5},
    "bargain_hunter": {"advertising": 0.7, "digital": 0.3, "content": -0.2},
}

# Seed 000: priorities vary by age. Older customers want people and shops, Gen Z wants the
# app to work and nothing in the way.
GENERATION_IMPORTANCE_SHIFT: Mapping[str, PillarShift] = {
    "silent": {"in_person": 0.9, "representatives": 0.8, "digital": -1.0, "communication": 0.2},
    "boomers": {"in_person": 0.7, "representatives": 0.7, "digital": -0.5, "friction": -0.1},
    "gen_x": {"communication": 0.1, "in_person": 0.1},
    "millennials": {"digital": 0.3, "content": 0.1},
    "gen_z": {
        "digital": 0.9,
        "friction": 0.4,
        "in_person": -0.5,
        "representatives": -0.6,
        "content": 0.3,
    },
}

GENERATION_PERFORMANCE_SHIFT: Mapping[str, PillarShift] = {
    "silent": {"in_person": 0.2, "digital": -0.2},
    "boomers": {"in_person": 0.2, "digital": -0.1},
    "gen_z": {"digital": -0.2, "in_person": -0.1},
}

# Plausible birth years where a cohort is open-ended (nobody born in 1900 buys a sofa online).
OLDEST_CUSTOMER_BIRTH_YEAR = 1931
YOUNGEST_CUSTOMER_AGE = 18

# -- colleagues -------------------------------------------------------------------------------

STAFF_CURRENT: PillarShift = {
    "advertising": 4.0,
    "content": 2.6,
    "digital": 4.25,
    "in_person": 3.7,
    "communication": 3.9,
    "representatives": 4.0,
    "products": 4.4,
    "service": 4.35,
    "friction": 4.4,
    "reputation": 3.45,
}

# How much colleagues think customers value each pillar (higher = ranked nearer 1).
STAFF_PRIORITY: PillarShift = {
    "advertising": 2.3,
    "content": 1.0,
    "digital": 1.4,
    "in_person": 1.2,
    "communication": 0.7,
    "representatives": 0.9,
    "products": 2.4,
    "service": 0.9,
    "friction": 0.3,
    "reputation": 2.1,
}

MARKETING = "Marketing"
CUSTOMER_SERVICE = "Service client / Customer service"
SALES = "Ventes / Sales"
ECOMMERCE = "E-commerce"
STORES = "Magasins / Stores"
MANAGEMENT = "Direction / Management"

# Each department sees the company through its own window: it rates its own pillar higher
# and believes customers care most about what it works on.
DEPARTMENT_CURRENT_SHIFT: Mapping[str, PillarShift] = {
    MARKETING: {"advertising": 0.4, "content": 0.3, "reputation": 0.3},
    CUSTOMER_SERVICE: {"service": 0.2, "friction": -0.4, "communication": -0.2},
    SALES: {"representatives": 0.4, "products": 0.3},
    ECOMMERCE: {"digital": 0.4, "content": -0.2},
    STORES: {"in_person": 0.3, "representatives": 0.3, "digital": -0.3},
    MANAGEMENT: {"reputation": 0.4, "products": 0.3, "service": 0.2},
}

DEPARTMENT_PRIORITY_SHIFT: Mapping[str, PillarShift] = {
    MARKETING: {"advertising": 1.0, "content": 0.8},
    CUSTOMER_SERVICE: {"service": 1.5, "communication": 0.8, "friction": 0.5},
    SALES: {"representatives": 1.2, "products": 0.5},
    ECOMMERCE: {"digital": 1.5, "friction": 0.6},
    STORES: {"in_person": 1.5, "representatives": 0.8},
    MANAGEMENT: {"reputation": 1.0, "products": 0.6},
}

# The pillars where the believers among colleagues give themselves full marks.
PROUD_PILLARS: tuple[str, ...] = ("service", "digital", "products", "friction", "advertising")
