"""What the analyst chooses on the retention and value pages (and in the API's query string):
the inactivity period after which a customer counts as gone, the lifetime value horizon in
months, which activities are purchases and the basis of the cohort tables. A value that
cannot be used is refused naming the field and the value (``web.problem.*``, in French or
English)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cxgap.errors import FieldProblem, ValidationError
from cxgap.retention.cohorts import BASES
from cxgap.retention.report import Settings, activity_set
from cxgap.retention.value import Horizon

INACTIVITY = (1, 3650)  # days
HORIZON = (1, 120)  # months
MONTH_WEEKS = 4.345
MAX_ACTIVITIES = 50
FIELDS = ("inactivity_days", "horizon", "purchases", "basis")


@dataclass(frozen=True)
class PageSettings:
    """The pages' choices; ``purchases`` None: every event with an amount is a purchase."""

    inactivity_days: int = 365
    horizon: int = 12
    purchases: tuple[str, ...] | None = None
    basis: str = "purchase"

    def settings(self) -> Settings:
        return Settings(
            purchase_activities=activity_set(self.purchases),
            inactivity_days=self.inactivity_days,
            basis=self.basis,
            horizon=Horizon(periods=self.horizon, period_length=MONTH_WEEKS, time_unit="W"),
        )

    def cache_params(self) -> str:
        """The results cache key of these choices (short enough for its column)."""
        named = "*" if self.purchases is None else "\x1f".join(sorted(self.purchases))
        digest = hashlib.sha256(named.encode()).hexdigest()[:16]
        return (
            f"retention-pages:v1;inactive={self.inactivity_days};horizon={self.horizon};"
            f"basis={self.basis};purchases={digest}"
        )

    def as_json(self) -> dict[str, object]:
        return {
            "inactivity_days": self.inactivity_days,
            "horizon_months": self.horizon,
            "purchase_activities": None if self.purchases is None else list(self.purchases),
            "basis": self.basis,
        }

    def query(self) -> dict[str, str]:
        """The query string that gives these choices back (the defaults left out)."""
        found: dict[str, str] = {}
        if self.inactivity_days != 365:
            found["inactivity_days"] = str(self.inactivity_days)
        if self.horizon != 12:
            found["horizon"] = str(self.horizon)
        if self.purchases is not None:
            found["purchases"] = ",".join(self.purchases)
        if self.basis != "purchase":
            found["basis"] = self.basis
        return found


def settings_from_query(query: Mapping[str, Sequence[str]]) -> PageSettings:
    """The choices of a query string (``{name: [values]}``); every problem is reported at
    once, each naming its field and value. ``purchases`` is a comma-separated list of
    activity names (or repeated); empty or absent: events with an amount."""
    problems: list[FieldProblem] = []
    inactivity = _whole(query, "inactivity_days", 365, INACTIVITY, problems)
    horizon = _whole(query, "horizon", 12, HORIZON, problems)
    basis = _last(query, "basis") or "purchase"
    if basis not in BASES:
        problems.append(
            FieldProblem("basis", f"must be one of {', '.join(BASES)}", basis, code="choice")
        )
    purchases = _activities(query.get("purchases", ()), problems)
    if problems:
        raise ValidationError(problems, summary="These retention settings cannot be used")
    return PageSettings(inactivity, horizon, purchases, basis)


def _last(query: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = query.get(name) or ()
    return values[-1].strip() if values else None


def _whole(
    query: Mapping[str, Sequence[str]],
    name: str,
    default: int,
    bounds: tuple[int, int],
    problems: list[FieldProblem],
) -> int:
    raw = _last(query, name)
    if raw is None or raw == "":
        return default
    low, high = bounds
    if raw.isascii() and raw.isdigit() and low <= int(raw) <= high:
        return int(raw)
    problems.append(
        FieldProblem(
            name,
            f"must be a whole number from {low} to {high}",
            raw,
            code="range",
            params={"low": low, "high": high},
        )
    )
    return default


def _activities(values: Sequence[str], problems: list[FieldProblem]) -> tuple[str, ...] | None:
    names: list[str] = []
    for value in values:
        for name in value.split(","):
            if name.strip() and name.strip() not in names:
                names.append(name.strip())
    if len(names) > MAX_ACTIVITIES:
        problems.append(
            FieldProblem(
                "purchases",
                f"at most {MAX_ACTIVITIES} purchase activities",
                len(names),
                code="too_many",
                params={"limit": MAX_ACTIVITIES},
            )
        )
    too_long = [name for name in names if len(name) > 200]
    if too_long:
        problems.append(
            FieldProblem(
                "purchases",
                "an activity name is at most 200 characters",
                too_long[0][:40] + "…",
                code="too_long",
                params={"limit": 200},
            )
        )
    return tuple(names) or None
