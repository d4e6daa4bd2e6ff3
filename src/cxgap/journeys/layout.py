"""Where everything goes on a journey map: columns, lanes and wrapped text boxes.

The layout is computed before anything is drawn so that it can be checked: every text block
has a box, and no two boxes may overlap (tests/journeys/test_svg.py, from 3 to 40
touchpoints). Text widths are estimated from the character count with a generous average
glyph width, and long words are cut, so the estimate errs on the side of wrapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cxgap.i18n.numbers import format_decimal, format_signed
from cxgap.journeys.model import Criticality, Journey, Phase, Touchpoint, channel_label

SLOT_W = 150.0  # one column per touchpoint
LABEL_W = 150.0  # lane labels on the left
MARGIN = 16.0
PAD = 8.0
GLYPH = 0.6  # average glyph width as a share of the font size (sans-serif, with margin)
TITLE_SIZE, TITLE_LH = 20.0, 25.0
HEAD_SIZE, HEAD_LH = 13.0, 16.0
BODY_SIZE, BODY_LH = 12.0, 15.0
SMALL_SIZE, SMALL_LH = 10.5, 13.0
MAX_CARD_LINES = 4
MAX_STAGE_LINES = 3
EMOTION_H = 120.0
BAR_H = 8.0  # the sentiment bar of the measured lane


@dataclass(frozen=True)
class TextBlock:
    """Wrapped lines drawn from (x, y) = top-left of their box."""

    x: float
    y: float
    lines: tuple[str, ...]
    size: float
    line_height: float
    weight: str = "normal"
    fill: str = "#1F2937"
    anchor: str = "start"  # start | middle | end: where x sits in the box
    owner: str | None = None  # touchpoint key when the text belongs to one

    @property
    def width(self) -> float:
        return max((text_width(line, self.size) for line in self.lines), default=0.0)

    @property
    def height(self) -> float:
        return self.line_height * len(self.lines)

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom)."""
        left = {"start": self.x, "middle": self.x - self.width / 2, "end": self.x - self.width}
        x0 = left[self.anchor]
        return (x0, self.y, x0 + self.width, self.y + self.height)


@dataclass(frozen=True)
class Band:
    """A rectangle with a meaning: a phase, a stage, a touchpoint card."""

    x: float
    y: float
    width: float
    height: float
    kind: str
    key: str = ""


@dataclass
class MapLayout:
    width: float = 0.0
    height: float = 0.0
    texts: list[TextBlock] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    slots: dict[str, float] = field(default_factory=dict)  # touchpoint key -> column centre x
    lanes: dict[str, tuple[float, float]] = field(default_factory=dict)  # name -> (top, height)


def text_width(text: str, size: float) -> float:
    return len(text) * size * GLYPH


def wrap(text: str, width: float, size: float, max_lines: int) -> tuple[str, ...]:
    """Greedy word wrap to ``width`` px; words too long are cut; extra lines end in '…'.
    No-break spaces hold their words together (``NPS\u202f: −14`` stays as written).

    >>> wrap("NPS\u202f: −14", 200, 10, 1)
    ('NPS\u202f: −14',)
    """
    per_line = max(1, int(width / (size * GLYPH)))
    words: list[str] = []
    for word in re.split(r"[ \t\r\n]+", text.strip()):
        words.extend(word[i : i + per_line] for i in range(0, len(word), per_line))
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = [*lines[: max_lines - 1], (last[: per_line - 1] + "…")]
    return tuple(lines) or ("",)


def layout_map(journey: Journey, labels: dict[str, str], locale: str) -> MapLayout:
    """Positions for every part of the map of ``journey``."""
    tps = journey.touchpoints
    n = max(len(tps), 1)
    out = MapLayout(width=max(LABEL_W + n * SLOT_W + MARGIN, 720.0))
    x0 = LABEL_W
    for i, tp in enumerate(tps):
        out.slots[tp.key] = x0 + (i + 0.5) * SLOT_W
    y = _title(out, journey, labels, locale)
    y = _phases(out, journey, y, locale)
    y = _stages(out, journey, y, locale)
    y = _cards(out, tps, y, labels, locale)
    y = _moments(out, tps, y, labels, locale)
    if any(tp.measured.feedback_count for tp in tps):
        y = _measured(out, tps, y, labels, locale)
    if any(tp.change is not None for tp in tps):
        y = _changes(out, tps, y, labels, locale)
    y = _emotion(out, y, labels)
    y = _legend(out, y, labels, locale)
    out.height = y + MARGIN
    return out


def _title(out: MapLayout, journey: Journey, labels: dict[str, str], locale: str) -> float:
    title = wrap(journey.name.get(locale), out.width - 2 * MARGIN, TITLE_SIZE, 2)
    block = TextBlock(MARGIN, MARGIN, title, TITLE_SIZE, TITLE_LH, "bold")
    out.texts.append(block)
    y = MARGIN + block.height + 4
    version = labels[f"version_{journey.version.value}"]
    persona = f" · {labels['persona']} {journey.persona.name}" if journey.persona else ""
    sub = wrap(version + persona, out.width - 2 * MARGIN, BODY_SIZE, 2)
    out.texts.append(TextBlock(MARGIN, y, sub, BODY_SIZE, BODY_LH, fill="#4B5563"))
    y += len(sub) * BODY_LH
    missing = journey.names_missing(locale)
    if missing:  # names shown in the other language say so
        note = labels["names_missing_one" if missing == 1 else "names_missing_other"]
        note = note.format(n=missing)
        lines = wrap(note, out.width - 2 * MARGIN, BODY_SIZE, 2)
        out.texts.append(TextBlock(MARGIN, y, lines, BODY_SIZE, BODY_LH, fill="#9A3412"))
        y += len(lines) * BODY_LH
    return y + 12


def _lane_label(out: MapLayout, name: str, text: str, top: float, height: float) -> None:
    out.lanes[name] = (top, height)
    lines = wrap(text, LABEL_W - 2 * MARGIN - 24, SMALL_SIZE, max(1, int(height // SMALL_LH)))
    out.texts.append(
        TextBlock(MARGIN, top + 4, lines, SMALL_SIZE, SMALL_LH, "bold", fill="#4B5563")
    )


def _spans(journey: Journey) -> list[tuple[Phase, float, float]]:
    """Phases as (phase, left, right), consecutive stages of one phase merged."""
    spans: list[tuple[Phase, float, float]] = []
    x = LABEL_W
    for stage in journey.stages:
        right = x + max(len(stage.touchpoints), 1) * SLOT_W
        if spans and spans[-1][0] == stage.phase:
            spans[-1] = (stage.phase, spans[-1][1], right)
        else:
            spans.append((stage.phase, x, right))
        x = right
    return spans


def _phases(out: MapLayout, journey: Journey, y: float, locale: str) -> float:
    height = HEAD_LH + 2 * PAD
    for phase, left, right in _spans(journey):
        out.bands.append(Band(left + 2, y, right - left - 4, height, f"phase-{phase.value}"))
        line = wrap(phase.label(locale), right - left - 2 * PAD, HEAD_SIZE, 1)
        out.texts.append(
            TextBlock(
                (left + right) / 2, y + PAD, line, HEAD_SIZE, HEAD_LH, "bold", "#ffffff", "middle"
            )
        )
    return y + height + 6


def _stages(out: MapLayout, journey: Journey, y: float, locale: str) -> float:
    wrapped = []
    x = LABEL_W
    for stage in journey.stages:
        width = max(len(stage.touchpoints), 1) * SLOT_W
        lines = wrap(stage.name.get(locale), width - 2 * PAD - 4, HEAD_SIZE, MAX_STAGE_LINES)
        wrapped.append((stage, x, width, lines))
        x += width
    height = max((len(lines) for *_, lines in wrapped), default=1) * HEAD_LH + 2 * PAD
    for stage, left, width, lines in wrapped:
        out.bands.append(Band(left + 2, y, width - 4, height, "stage", stage.key))
        out.texts.append(
            TextBlock(left + width / 2, y + PAD, lines, HEAD_SIZE, HEAD_LH, "bold", anchor="middle")
        )
    return y + height + 8


def _cards(
    out: MapLayout, tps: list[Touchpoint], y: float, labels: dict[str, str], locale: str
) -> float:
    inner = SLOT_W - 2 * PAD - 8
    names = {tp.key: wrap(tp.name.get(locale), inner, BODY_SIZE, MAX_CARD_LINES) for tp in tps}
    name_h = max((len(v) for v in names.values()), default=1) * BODY_LH
    height = PAD + name_h + 6 + 2 * SMALL_LH + PAD
    _lane_label(out, "touchpoints", labels["lane_touchpoints"], y, height)
    for tp in tps:
        cx = out.slots[tp.key]
        left = cx - SLOT_W / 2 + 4
        out.bands.append(Band(left, y, SLOT_W - 8, height, "card", tp.key))
        out.texts.append(
            TextBlock(left + PAD, y + PAD, names[tp.key], BODY_SIZE, BODY_LH, "bold", owner=tp.key)
        )
        kind = labels["digital"] if tp.digital else labels["physical"]
        meta = (
            wrap(channel_label(tp.channel, locale), inner, SMALL_SIZE, 1)[0],
            wrap(kind, inner, SMALL_SIZE, 1)[0],
        )
        out.texts.append(
            TextBlock(
                left + PAD, y + PAD + name_h + 6, meta, SMALL_SIZE, SMALL_LH,
                fill="#4B5563", owner=tp.key,
            )
        )  # fmt: skip
    return y + height + 8


def _moments(
    out: MapLayout, tps: list[Touchpoint], y: float, labels: dict[str, str], locale: str
) -> float:
    height = 22 + 3 * SMALL_LH + PAD
    _lane_label(out, "moments", labels["lane_moments"], y, height)
    inner = SLOT_W - 2 * PAD
    for tp in tps:
        if not tp.moment_of_truth:
            continue
        cx = out.slots[tp.key]
        lines = [tp.declared_criticality.label(locale) if tp.declared_criticality else "?"]
        measured = tp.measured.measured_criticality
        if measured is None:
            text = wrap(lines[0], inner, SMALL_SIZE, 3)
        else:
            text = wrap(lines[0], inner, SMALL_SIZE, 1)
        out.texts.append(
            TextBlock(cx, y + 22, text, SMALL_SIZE, SMALL_LH, "bold", anchor="middle", owner=tp.key)
        )
        if measured is not None:
            # the customers' level under the team's, in red with "≠" where they disagree
            differs = tp.declared_criticality not in (None, measured)
            mark = f"{labels['disagrees']} " if differs else ""
            said = wrap(
                f"{mark}{labels['measured']} {measured.label(locale)}", inner, SMALL_SIZE, 2
            )
            out.texts.append(
                TextBlock(
                    cx, y + 22 + SMALL_LH, said, SMALL_SIZE, SMALL_LH,
                    "bold" if differs else "normal", "#B42318" if differs else "#374151",
                    "middle", owner=tp.key,
                )
            )  # fmt: skip
    return y + height + 8


def _measured(
    out: MapLayout, tps: list[Touchpoint], y: float, labels: dict[str, str], locale: str
) -> float:
    """Volume, mean sentiment (a bar from the centre: left red, right green) and NPS."""
    height = BAR_H + 6 + 3 * SMALL_LH + 2 * PAD
    _lane_label(out, "measured", labels["lane_measured"], y, height)
    inner = SLOT_W - 2 * PAD - 8
    for tp in tps:
        m = tp.measured
        if not m.feedback_count:
            continue
        cx = out.slots[tp.key]
        if m.sentiment_mean is not None:
            width = abs(m.sentiment_mean) * (SLOT_W / 2 - PAD - 4)
            kind = "sentiment-negative" if m.sentiment_mean < 0 else "sentiment-positive"
            left = cx - width if m.sentiment_mean < 0 else cx
            out.bands.append(Band(left, y + PAD, max(width, 1.0), BAR_H, kind, tp.key))
        lines = [f"{labels['volume']} {format_decimal(m.feedback_count, locale, decimals=0)}"]
        if m.sentiment_mean is not None:
            lines.append(f"{labels['sentiment']} {format_signed(m.sentiment_mean, locale)}")
        if m.nps is not None:
            lines.append(f"{labels['nps']} {format_signed(m.nps, locale, decimals=0)}")
        text = tuple(wrap(line, inner, SMALL_SIZE, 1)[0] for line in lines)
        out.texts.append(
            TextBlock(
                cx, y + PAD + BAR_H + 6, text, SMALL_SIZE, SMALL_LH,
                fill="#1F2937", anchor="middle", owner=tp.key,
            )
        )  # fmt: skip
    return y + height + 8


def _changes(
    out: MapLayout, tps: list[Touchpoint], y: float, labels: dict[str, str], locale: str
) -> float:
    height = 2 * SMALL_LH + 2 * PAD
    _lane_label(out, "changes", labels["lane_changes"], y, height)
    for tp in tps:
        if tp.change is None:
            continue
        lines = wrap(tp.change.label(locale), SLOT_W - 2 * PAD - 8, SMALL_SIZE, 2)
        out.texts.append(
            TextBlock(
                out.slots[tp.key], y + PAD, lines, SMALL_SIZE, SMALL_LH, "bold",
                "#006D4F", "middle", owner=tp.key,
            )
        )  # fmt: skip
    return y + height + 8


def _emotion(out: MapLayout, y: float, labels: dict[str, str]) -> float:
    _lane_label(out, "emotion", labels["lane_emotion"], y, EMOTION_H)
    for value in (2, 0, -2):
        ty = emotion_y(out, value) - SMALL_LH / 2
        tick = "+2" if value == 2 else ("−2" if value == -2 else "0")
        out.texts.append(
            TextBlock(LABEL_W - 6, ty, (tick,), SMALL_SIZE, SMALL_LH, fill="#6B7280", anchor="end")
        )
    return y + EMOTION_H + 16


def emotion_y(out: MapLayout, value: float) -> float:
    top, height = out.lanes["emotion"]
    inner = height - 2 * SMALL_LH
    return top + SMALL_LH + (2 - value) / 4 * inner


def _legend(out: MapLayout, y: float, labels: dict[str, str], locale: str) -> float:
    x = MARGIN
    title = TextBlock(x, y, (labels["legend"],), SMALL_SIZE, SMALL_LH, "bold", "#4B5563")
    out.texts.append(title)
    x += title.width + 16
    for level in Criticality:
        if x + 150 > out.width - MARGIN:
            x, y = MARGIN, y + SMALL_LH + 6
        out.bands.append(Band(x, y + 1, 11, 11, f"legend-{level.value}"))
        block = TextBlock(x + 16, y, (level.label(locale),), SMALL_SIZE, SMALL_LH)
        out.texts.append(block)
        x += 16 + block.width + 18
    return y + SMALL_LH
