"""The executive report as the reader sees it: section titles (the table of contents) and
table rows of formatted text, in one language. The HTML and PDF renderers lay out the same
rows, so both documents say the same thing. Pure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cxgap.i18n import translate
from cxgap.impact.gap import ActionGap
from cxgap.reporting.executive_model import ExecutiveReport, Gap, Headline
from cxgap.reporting.formatting import (
    MISSING,
    format_count,
    format_interval,
    format_nps,
    format_number,
    format_p,
    format_percent,
    format_points,
)


def _translator(locale: str) -> Callable[..., str]:
    def t(key: str, **params: object) -> str:
        return translate(key, locale, **params)

    return t


SECTIONS = ("headlines", "gaps", "priorities", "irritants", "journey", "actions", "integrity")


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # columns aligned right
    widths: tuple[float, ...] = ()  # relative widths in print; empty: text wide, numbers narrow


def _value(h: Headline, value: float | None, locale: str) -> str:
    if h.metric == "nps":
        return format_nps(value, locale)
    if h.metric == "negative":
        return format_percent(value, locale)
    if h.metric == "volume":
        return format_count(value, locale)
    return format_number(value, locale, decimals=2)


def _change(h: Headline, locale: str) -> tuple[str, str]:
    if h.metric == "negative":
        return format_points(h.change, locale), format_interval(h.change_ci, locale, kind="points")
    if h.metric == "nps":
        return format_nps(h.change, locale), format_interval(h.change_ci, locale, kind="nps")
    if h.metric == "volume":
        return format_number(h.change, locale, decimals=0, signed=True), MISSING
    return (
        format_number(h.change, locale, decimals=2, signed=True),
        format_interval(h.change_ci, locale, kind="signed"),
    )


def headline_table(report: ExecutiveReport, locale: str) -> Table:
    t = _translator(locale)
    rows = []
    for h in report.headlines:
        change, ci = _change(h, locale)
        p = format_p(h.change_p, locale) if h.change_p is not None else MISSING
        rows.append(
            (
                t(f"executive.metric.{h.metric}"),
                _value(h, h.value, locale),
                _value(h, h.previous, locale),
                change,
                ci,
                p,
                f"{format_count(h.n, locale)} / {format_count(h.n_previous, locale)}",
            )
        )
    header = tuple(
        t(f"executive.col.{c}")
        for c in ("metric", "value", "previous", "change", "interval", "p", "answers")
    )
    return Table(header, tuple(rows), (1, 2, 3, 4, 5, 6))


def _gap(gap: Gap, locale: str) -> str:
    if gap.value is None:
        return MISSING
    text = format_number(gap.value, locale, decimals=2, signed=True)
    if gap.ci is not None:
        text += " " + format_interval(gap.ci, locale, kind="signed")
    return text


def action_text(action: ActionGap | None, locale: str) -> str:
    if action is None:
        return translate("executive.action.none", locale)
    return translate(
        f"executive.action.{action.status.value}", locale, actions=action.actions, late=action.late
    )


def gaps_table(report: ExecutiveReport, locale: str) -> Table:
    t = _translator(locale)
    rows = tuple(
        (
            g.name.get(locale) + (" ★" if g.priority else ""),
            _gap(g.knowledge, locale),
            _gap(g.desire, locale),
            action_text(g.action, locale),
        )
        for g in report.gaps
    )
    header = tuple(t(f"executive.col.{c}") for c in ("pillar", "knowledge", "desire", "action"))
    return Table(header, rows, (1, 2), (2.6, 2.0, 2.0, 1.6))


def priority_lines(report: ExecutiveReport, locale: str) -> tuple[str, ...]:
    return tuple(report.pillar_name(key, locale) for key in report.priorities)


def irritants_table(report: ExecutiveReport, locale: str) -> Table:
    t = _translator(locale)
    rows = tuple(
        (
            i.name.get(locale),
            format_count(i.mentions, locale),
            format_percent(i.share_negative, locale),
            f"« {i.verbatim} »"
            if locale == "fr" and i.verbatim
            else (f"“{i.verbatim}”" if i.verbatim else MISSING),
        )
        for i in report.irritants
    )
    header = tuple(t(f"executive.col.{c}") for c in ("topic", "mentions", "negative", "verbatim"))
    return Table(header, rows, (1, 2), (2.2, 1.0, 1.0, 5.0))


def _criticality(key: str | None, locale: str) -> str:
    return translate(f"executive.criticality.{key}", locale) if key else MISSING


def journey_table(report: ExecutiveReport, locale: str) -> Table:
    t = _translator(locale)
    touchpoints = report.journey.touchpoints if report.journey else ()
    rows = tuple(
        (
            f"{tp.name.get(locale)} · {tp.stage.get(locale)}",
            format_count(tp.feedback_count, locale),
            format_number(tp.sentiment, locale, decimals=2, signed=True),
            format_nps(tp.nps, locale),
            _criticality(tp.declared, locale),
            _criticality(tp.measured, locale),
        )
        for tp in touchpoints
    )
    header = tuple(
        t(f"executive.col.{c}")
        for c in ("touchpoint", "volume", "sentiment", "nps", "declared", "measured")
    )
    return Table(header, rows, (1, 2, 3))


def _subject(report: ExecutiveReport, action: ActionGap, locale: str) -> str:
    if action.kind == "pillar":
        return report.pillar_name(action.subject, locale)
    names = {i.topic: i.name.get(locale) for i in report.irritants}
    return names.get(action.subject, action.subject)


def actions_table(report: ExecutiveReport, locale: str) -> Table:
    t = _translator(locale)
    rows = tuple(
        (
            t(f"executive.kind.{a.kind}") if a.kind in ("pillar", "topic") else a.kind,
            _subject(report, a, locale),
            format_count(a.actions, locale),
            format_count(a.late, locale),
            action_text(a, locale),
        )
        for a in report.actions
    ) + tuple(
        (
            t(f"executive.kind.{g.gap.kind}"),
            g.name.get(locale),
            format_count(g.gap.actions, locale),
            format_count(g.gap.late, locale),
            action_text(g.gap, locale),
        )
        for g in report.other_gaps
    )
    header = tuple(
        t(f"executive.col.{c}") for c in ("kind", "subject", "actions", "late", "status")
    )
    return Table(header, rows, (2, 3))


def section_title(section: str, locale: str) -> str:
    return translate(f"executive.section.{section}", locale)


def period_line(report: ExecutiveReport, locale: str) -> str:
    return translate(
        "executive.period_line",
        locale,
        period=report.period.label,
        first=report.period.first.isoformat(),
        last=report.period.last.isoformat(),
        previous=report.previous.label,
    )
