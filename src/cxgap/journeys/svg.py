"""The journey map as a standalone SVG a CX manager could put on a wall.

Stages are columns grouped under before / during / after purchase; each touchpoint is one
``<g class="touchpoint">`` with its card (name, channel, digital or physical), its moment of
truth marked in the colour of its criticality, its change in a target version and its point
on the customer's emotion curve. Every user string is escaped.
"""

from __future__ import annotations

from cxgap.journeys.layout import LABEL_W, SLOT_W, Band, MapLayout, TextBlock, emotion_y, layout_map
from cxgap.journeys.model import Criticality, Journey, Touchpoint
from cxgap.reporting.svg import FONT_FAMILY, esc, num

CRITICALITY_COLOURS = {
    Criticality.CRITICAL: "#D55E00",
    Criticality.SENSITIVE: "#E69F00",
    Criticality.LOW_NEUTRAL: "#8C8C8C",
}
PHASE_COLOURS = {"before": "#0072B2", "during": "#5B4B8A", "after": "#009E73"}
LABELS = {
    "en": {
        "version_current": "Current journey",
        "version_target": "Target journey",
        "persona": "Persona:",
        "lane_touchpoints": "Touchpoints & channels",
        "lane_moments": "Moments of truth",
        "lane_changes": "Changes in the target",
        "lane_emotion": "Customer emotion",
        "digital": "Digital",
        "physical": "Physical",
        "measured": "measured:",
        "legend": "Criticality:",
        "lane_measured": "Measured from feedback",
        "volume": "Feedback:",
        "sentiment": "Sentiment:",
        "nps": "NPS:",
        "disagrees": "≠",
        "names_missing_one": "1 name not yet written in English is shown in French.",
        "names_missing_other": "{n} names not yet written in English are shown in French.",
    },
    "fr": {
        "version_current": "Parcours actuel",
        "version_target": "Parcours cible",
        "persona": "Persona\u202f:",
        "lane_touchpoints": "Points de contact et canaux",
        "lane_moments": "Moments de vérité",
        "lane_changes": "Changements dans la cible",
        "lane_emotion": "Émotion du client",
        "digital": "Numérique",
        "physical": "Physique",
        "measured": "mesuré\u202f:",
        "legend": "Criticité\u202f:",
        "lane_measured": "Mesuré dans les avis",
        "volume": "Avis\u202f:",
        "sentiment": "Sentiment\u202f:",
        "nps": "NPS\u202f:",
        "disagrees": "≠",
        "names_missing_one": "1 nom pas encore écrit en français est affiché en anglais.",
        "names_missing_other": "{n} noms pas encore écrits en français sont affichés en anglais.",
    },
}


def render_journey_svg(
    journey: Journey,
    *,
    locale: str = "en",
    font_family: str = FONT_FAMILY,
    with_text: bool = True,
) -> str:
    """The map of ``journey`` as a complete SVG document (UTF-8 text). ``font_family``: the
    PNG and PDF exports name the font they embed; ``with_text=False`` leaves the text out for
    the PDF, which sets it itself (``journeys.export``)."""
    locale = "fr" if locale == "fr" else "en"
    layout = map_layout(journey, locale=locale)
    if not with_text:
        layout.texts = []
    owned: dict[str, list[str]] = {tp.key: [] for tp in journey.touchpoints}
    common: list[str] = []
    for band in layout.bands:
        mine = band.kind == "card" or band.kind.startswith("sentiment-")
        (owned[band.key] if mine else common).append(_band(band))
    for block in layout.texts:
        (owned[block.owner] if block.owner else common).append(_text(block))
    common.append(_curve(layout, journey.touchpoints))
    groups = [_touchpoint(layout, tp, owned[tp.key]) for tp in journey.touchpoints]
    w, h = num(layout.width), num(layout.height)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="img" aria-label="{esc(journey.name.get(locale))}" '
        f'font-family="{esc(font_family)}">\n'
        f'<rect width="100%" height="100%" fill="#ffffff"/>\n'
        + "\n".join(common)
        + "\n"
        + "\n".join(groups)
        + "\n</svg>\n"
    )


def map_layout(journey: Journey, *, locale: str = "en") -> MapLayout:
    """Where everything goes on the map, with the labels of ``locale``."""
    locale = "fr" if locale == "fr" else "en"
    return layout_map(journey, LABELS[locale], locale)


def _band(band: Band) -> str:
    x, y, w, h = num(band.x), num(band.y), num(band.width), num(band.height)
    if band.kind.startswith("phase-"):
        fill = PHASE_COLOURS[band.kind.removeprefix("phase-")]
        return f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4" fill="{fill}"/>'
    if band.kind.startswith("legend-"):
        fill = CRITICALITY_COLOURS[Criticality(band.kind.removeprefix("legend-"))]
        return f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="2" fill="{fill}"/>'
    if band.kind.startswith("sentiment-"):
        fill = "#C0392B" if band.kind == "sentiment-negative" else "#1E8449"
        return f'<rect class="{band.kind}" x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"/>'
    if band.kind == "stage":
        return (
            f'<rect class="stage" data-key="{esc(band.key)}" x="{x}" y="{y}" width="{w}" '
            f'height="{h}" rx="4" fill="#EEF1F5" stroke="#D9DDE3"/>'
        )
    return (
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="#ffffff" stroke="#9AA3AF"/>'
    )


def _text(block: TextBlock) -> str:
    baseline = block.y + block.line_height * 0.78
    spans = "".join(
        f'<tspan x="{num(block.x)}" y="{num(baseline + i * block.line_height)}">{esc(line)}</tspan>'
        for i, line in enumerate(block.lines)
    )
    weight = ' font-weight="bold"' if block.weight == "bold" else ""
    anchor = "" if block.anchor == "start" else f' text-anchor="{block.anchor}"'
    return f'<text font-size="{num(block.size)}" fill="{block.fill}"{weight}{anchor}>{spans}</text>'


def _curve(layout: MapLayout, tps: list[Touchpoint]) -> str:
    top, height = layout.lanes["emotion"]
    zero = num(emotion_y(layout, 0))
    left, right = num(LABEL_W + 8), num(LABEL_W + len(tps) * SLOT_W - 8)
    parts = [
        f'<rect x="{num(LABEL_W)}" y="{num(top)}" width="{num(len(tps) * SLOT_W)}" '
        f'height="{num(height)}" fill="#F7F8FA"/>',
        f'<line x1="{left}" y1="{zero}" x2="{right}" y2="{zero}" stroke="#9AA3AF" '
        f'stroke-dasharray="4 4"/>',
    ]
    if tps:
        points = " ".join(
            f"{num(layout.slots[tp.key])},{num(emotion_y(layout, tp.emotion))}" for tp in tps
        )
        parts.append(
            f'<polyline class="emotion" points="{points}" fill="none" stroke="#0072B2" '
            f'stroke-width="2.5" stroke-linejoin="round"/>'
        )
    return "\n".join(parts)


def _touchpoint(layout: MapLayout, tp: Touchpoint, owned: list[str]) -> str:
    cx = layout.slots[tp.key]
    parts = list(owned)
    if tp.moment_of_truth:
        top, _ = layout.lanes["moments"]
        colour = CRITICALITY_COLOURS.get(tp.declared_criticality or Criticality.LOW_NEUTRAL)
        cy = top + 10
        parts.append(
            f'<path class="moment" d="M{num(cx)} {num(cy - 9)} L{num(cx + 9)} {num(cy)} '
            f'L{num(cx)} {num(cy + 9)} L{num(cx - 9)} {num(cy)} Z" fill="{colour}"/>'
        )
    parts.append(
        f'<circle cx="{num(cx)}" cy="{num(emotion_y(layout, tp.emotion))}" r="5" '
        f'fill="#0072B2" stroke="#ffffff" stroke-width="1.5"/>'
    )
    return (
        f'<g class="touchpoint" data-key="{esc(tp.key)}" data-channel="{esc(tp.channel)}" '
        f'data-digital="{str(tp.digital).lower()}">' + "".join(parts) + "</g>"
    )
