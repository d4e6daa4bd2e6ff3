"""The service levels of a new workspace: a three-tier menu on French business hours.

Seed 000 (answer the same day) is the last policy, for every case no tier policy fits; the
tiers (Standard, Premium, Enterprise) carry realistic terms in the spirit of seed 003 (the
Atlassian example): faster targets, a higher availability commitment and larger service
credits as the fee rises (``docs/service-menu.md``).
"""

from __future__ import annotations

import copy
from typing import Any

PRIORITIES: tuple[str, ...] = ("urgent", "high", "normal", "low")
_DAY = [["09:00", "12:30"], ["13:30", "18:00"]]

# Business minutes per priority: first response, next response, resolution (None: no promise).
_TARGETS: dict[str, dict[str, tuple[int, int | None, int]]] = {
    "enterprise": {
        "urgent": (30, 60, 240),
        "high": (60, 120, 480),
        "normal": (120, 240, 960),
        "low": (240, 480, 1920),
    },
    "premium": {
        "urgent": (60, 120, 480),
        "high": (120, 240, 960),
        "normal": (240, 480, 1440),
        "low": (480, 960, 2880),
    },
    "standard": {
        "urgent": (240, None, 960),
        "high": (480, None, 2400),
        "normal": (480, None, 4800),
        "low": (960, None, 9600),
    },
}

_TIERS: list[dict[str, Any]] = [
    {
        "name": "standard",
        "label_en": "Standard",
        "label_fr": "Standard",
        "fee": 290,
        "currency": "EUR",
        "sla_credits": [{"below": 90, "percent": 5}],
        "availability_target": 99.5,
        "availability_credits": [{"below": 99.5, "percent": 5}, {"below": 99.0, "percent": 10}],
        "cap_percent": 25,
    },
    {
        "name": "premium",
        "label_en": "Premium",
        "label_fr": "Premium",
        "fee": 990,
        "currency": "EUR",
        "sla_credits": [{"below": 95, "percent": 10}, {"below": 90, "percent": 25}],
        "availability_target": 99.9,
        "availability_credits": [{"below": 99.9, "percent": 10}, {"below": 99.0, "percent": 25}],
        "cap_percent": 50,
    },
    {
        "name": "enterprise",
        "label_en": "Enterprise",
        "label_fr": "Entreprise",
        "fee": 2900,
        "currency": "EUR",
        "sla_credits": [
            {"below": 98, "percent": 10},
            {"below": 95, "percent": 25},
            {"below": 90, "percent": 50},
        ],
        "availability_target": 99.95,
        "availability_credits": [
            {"below": 99.95, "percent": 10},
            {"below": 99.9, "percent": 25},
            {"below": 99.0, "percent": 50},
        ],
        "cap_percent": 75,
    },
]


def _policies() -> list[dict[str, Any]]:
    policies: list[dict[str, Any]] = []
    for tier in ("enterprise", "premium", "standard"):
        for priority, (first, following, resolution) in _TARGETS[tier].items():
            targets: dict[str, int] = {"first_response": first, "resolution": resolution}
            if following is not None:
                targets["next_response"] = following
            policies.append(
                {
                    "name": f"{tier} {priority}",
                    "match": {"tier": tier, "priority": priority},
                    "targets": targets,
                    "pause_statuses": ["pending_customer"],
                }
            )
    policies.append({"name": "same day", "match": {}, "targets": {"first_response": 480}})
    return policies


def default_document() -> dict[str, Any]:
    """A fresh copy of the default document (the contract's MENU.json without accounts)."""
    return {
        "calendar": {
            "timezone": "Europe/Paris",
            "hours": {
                **{day: copy.deepcopy(_DAY) for day in ("mon", "tue", "wed", "thu", "fri")},
                "sat": [],
                "sun": [],
            },
            "holidays": [],
            "holiday_country": "FR",
        },
        "priorities": list(PRIORITIES),
        "policies": _policies(),
        "tiers": copy.deepcopy(_TIERS),
    }
