"""The funnel plot as SVG: each unit's share of top scores against its number of answers,
the pooled share and the corrected upper limit; flagged units in red and named."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from cxgap.integrity.model import IntegrityReport

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
Scale = Callable[[float], float]


def funnel_svg(report: IntegrityReport, *, x_label: str, y_label: str, title: str) -> str:
    """An ``<svg>`` element (empty string when there is no funnel: fewer than 2 units)."""
    funnel = report.funnel
    units = [a for a in report.agents if a.scored and a.top_share is not None]
    if funnel is None or not units:
        return ""
    largest = max(max(a.scored for a in units), funnel.limits[-1][0])

    def x(n: float) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * n / largest

    def y(share: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - share)

    limit = " ".join(f"{x(n):.1f},{y(share):.1f}" for n, share in funnel.limits)
    parts = [
        f'<svg class="funnel" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        *_axes(x, y, largest, x_label, y_label),
        f'<line class="funnel-centre" x1="{x(0):.1f}" x2="{x(largest):.1f}" '
        f'y1="{y(funnel.centre):.1f}" y2="{y(funnel.centre):.1f}" stroke="#555" '
        'stroke-dasharray="4 3"/>',
        f'<polyline class="funnel-limit" points="{limit}" fill="none" stroke="#b45309" '
        'stroke-width="1.5"/>',
    ]
    for unit in units:
        share = unit.top_share or 0.0
        colour = "#b91c1c" if unit.flagged else "#1d4ed8"
        cx, cy = x(unit.scored), y(share)
        name = escape(unit.agent)
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{colour}"'
            f"{' data-flagged' if unit.flagged else ''}><title>{name}: "
            f"{unit.top}/{unit.scored}</title></circle>"
        )
        if unit.flagged:
            anchor = "end" if cx > WIDTH * 0.7 else "start"
            dx = -8 if anchor == "end" else 8
            parts.append(
                f'<text x="{cx + dx:.1f}" y="{cy + 4:.1f}" text-anchor="{anchor}" '
                f'font-size="12" fill="#b91c1c">{name}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _axes(to_x: Scale, to_y: Scale, largest: int, x_label: str, y_label: str) -> list[str]:
    bottom = HEIGHT - BOTTOM
    parts = [
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" y2="{bottom}" stroke="#888"/>',
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{bottom}" stroke="#888"/>',
    ]
    for share in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f'<text x="{LEFT - 6}" y="{to_y(share) + 4:.1f}" text-anchor="end" '
            f'font-size="11">{round(share * 100)}%</text>'
        )
    for n in _ticks(largest):
        parts.append(
            f'<text x="{to_x(n):.1f}" y="{bottom + 16}" text-anchor="middle" '
            f'font-size="11">{n}</text>'
        )
    parts.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" y="{HEIGHT - 4}" text-anchor="middle" '
        f'font-size="12">{escape(x_label)}</text>'
    )
    parts.append(
        f'<text x="12" y="{(TOP + bottom) / 2:.1f}" text-anchor="middle" font-size="12" '
        f'transform="rotate(-90 12 {(TOP + bottom) / 2:.1f})">{escape(y_label)}</text>'
    )
    return parts


def _ticks(largest: int) -> list[int]:
    step = max(1, 10 ** (len(str(largest)) - 1))
    if largest / step < 3:
        step = max(1, step // 2)
    return list(range(0, largest + 1, step))
