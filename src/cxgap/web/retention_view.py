"""What the retention and value pages draw from the cached figures: retention curves (the
share of a group's customers counted in month +k, over the cohorts that month was observed
for) as SVG polylines, the heat of each cohort cell, share bars, differences in points and
p-values as read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cxgap.i18n import translate
from cxgap.i18n.numbers import format_decimal, format_signed

WIDTH, HEIGHT, PAD = 560, 220, 32
COLOURS = ("#1f5fa8", "#c2410c", "#15803d", "#7e22ce", "#b45309", "#0e7490", "#be123c")


@dataclass(frozen=True)
class Curve:
    """One group's retention by month since the first purchase, drawn as a polyline."""

    name: str
    colour: str
    shares: tuple[float | None, ...]
    points: str


def curve_shares(cohorts: Sequence[Mapping[str, Any]], months: int) -> tuple[float | None, ...]:
    """For month +0 … +``months``: the customers counted that month over the sizes of the
    cohorts that month was observed for (None where no cohort has reached it)."""
    shares: list[float | None] = []
    for k in range(months + 1):
        counted = size = 0
        for row in cohorts:
            active = row["active"][k]
            if active is not None:
                counted += active
                size += row["size"]
        shares.append(counted / size if size else None)
    return tuple(shares)


def curves(tables: Mapping[str, Mapping[str, Any]], names: Mapping[str, str]) -> list[Curve]:
    """One curve per cohort table (``{name: CohortTable JSON}``), in the order given."""
    drawn: list[Curve] = []
    for i, (key, table) in enumerate(tables.items()):
        shares = curve_shares(table["cohorts"], int(table["months"]))
        drawn.append(Curve(names.get(key, key), COLOURS[i % len(COLOURS)], shares, _points(shares)))
    return drawn


def _points(shares: Sequence[float | None]) -> str:
    step = (WIDTH - 2 * PAD) / max(1, len(shares) - 1)
    return " ".join(
        f"{PAD + k * step:.1f},{HEIGHT - PAD - share * (HEIGHT - 2 * PAD):.1f}"
        for k, share in enumerate(shares)
        if share is not None
    )


def axis(months: int) -> list[tuple[float, str]]:
    """The x positions of month labels +0 … +``months`` (every other one past 12)."""
    step = (WIDTH - 2 * PAD) / max(1, months)
    every = 1 if months <= 12 else 2
    return [(PAD + k * step, f"+{k}") for k in range(0, months + 1, every)]


def y_axis() -> list[tuple[float, int]]:
    """The y positions of 0 %, 25 %, 50 %, 75 % and 100 %."""
    return [(HEIGHT - PAD - q / 100 * (HEIGHT - 2 * PAD), q) for q in (0, 25, 50, 75, 100)]


def heat(share: float | None) -> str:
    """The CSS custom property that colours a cohort cell (empty when not observed)."""
    return "" if share is None else f"--heat: {share:.3f}"


def bar(share: float | None) -> str:
    """The CSS width of a share bar."""
    return "width: 0%" if share is None else f"width: {max(0.0, min(1.0, share)) * 100:.1f}%"


def points(diff: float | None, locale: str) -> str:
    """A difference of two shares in percentage points (``+12.5 pts`` / ``+12,5 pts``)."""
    if diff is None:
        return "—"
    return translate(
        "retention_pages.points", locale, value=format_signed(diff * 100, locale, decimals=1)
    )


def p_text(p: float | None, locale: str) -> str:
    """A p-value as read: ``< 0.001`` below it, three decimals otherwise."""
    if p is None:
        return "—"
    if p < 0.001:
        return "< " + format_decimal(0.001, locale, decimals=3)
    return format_decimal(p, locale, decimals=3)


def drawn_curves(
    cohorts: Mapping[str, Any], names: Mapping[str, str], everyone: str
) -> list[Curve]:
    """Everyone's curve first, then one per group of the cohort tables."""
    tables = {"": cohorts["overall"], **cohorts["groups"]}
    return curves(tables, {"": everyone, **names})
