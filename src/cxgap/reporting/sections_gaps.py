"""The opening sections and the two gaps measured per pillar: headline, validity, knowledge
gap and desire gap. Each builder turns the results object into the plain values its template
shows; sentences are translated here, numbers formatted for the locale."""

from __future__ import annotations

from typing import Any

from cxgap.i18n import plural_form
from cxgap.reporting.charts import GapRow, PairRow, diverging_bar_chart, paired_share_chart
from cxgap.reporting.context import Context, Figure, Json, figure, interval, known, numbers
from cxgap.reporting.formatting import (
    format_interval,
    format_nps,
    format_number,
    format_p,
    format_percent,
    format_points,
    is_missing,
)
from cxgap.reporting.svg import BLUE, GREEN, ChartText


def headline(ctx: Context) -> dict[str, Any]:
    """The one figure a director remembers, plus NPS and the number of answers."""
    nps = ctx.section("nps")
    candidates = [p for p in ctx.pillars if not is_missing(p.get("excellent_share_gap"))]
    active = [p for p in candidates if not p.get("retired")] or candidates
    best = max(
        active,
        key=lambda p: float(known(p["excellent_share_gap"], "excellent_share_gap")),
        default=None,
    )
    view: dict[str, Any] = {
        "pillar": None,
        "nps": format_nps(nps.get("score"), ctx.locale),
        "nps_ci": format_interval(nps.get("ci"), ctx.locale, kind="nps"),
        "customer_n": ctx.count(ctx.customer_n),
        "internal_n": ctx.count(ctx.internal_n),
        # French treats 0 and 1 as singular, English only 1.
        "customers_form": plural_form(ctx.customer_n, ctx.locale),
        "colleagues_form": plural_form(ctx.internal_n, ctx.locale),
    }
    if best is not None:
        staff = format_percent(best.get("internal_excellent_share"), ctx.locale)
        customers = format_percent(best.get("customer_excellent_share"), ctx.locale)
        view.update(
            pillar=ctx.name(best),
            staff_share=staff,
            customer_share=customers,
            sentence=ctx.tr(
                "results.headline.sentence", staff=staff, customers=customers, pillar=ctx.name(best)
            ),
        )
    return view


def validity(ctx: Context) -> dict[str, Any]:
    """Notices about the number of answers: none yet, too few, or enough."""
    data = ctx.section("validity")
    notices: list[tuple[str, str]] = []
    if not ctx.has_customers:
        notices.append(("warning", ctx.tr("results.validity.no_customers")))
    if not ctx.has_internal:
        notices.append(("warning", ctx.tr("results.validity.no_internal")))
    moe = data.get("margin_of_error", ctx.results.get("margin_of_error"))
    target = format_number(data.get("target_moe", 5.0), ctx.locale, decimals=0)
    if ctx.has_customers and not is_missing(moe):
        params = {
            "moe": format_number(moe, ctx.locale, decimals=1),
            "n": ctx.count(ctx.customer_n),
            "confidence": format_percent(ctx.results.get("confidence", 0.95), ctx.locale),
            "needed": ctx.count(data.get("responses_needed")),
            "target": target,
        }
        if data.get("enough") is False:
            notices.append(
                (
                    "warning",
                    ctx.tn("results.validity.too_few", data.get("responses_needed"), **params),
                )
            )
        else:
            notices.append(("ok", ctx.tr("results.validity.enough", **params)))
    return {"notices": notices}


def _gap_rows(ctx: Context, value_key: str) -> list[GapRow]:
    rows = []
    for pillar in ctx.pillars:
        value = numbers(pillar.get(value_key))
        low, high = interval(pillar.get(f"{value_key}_ci"))
        significant = _significant(ctx, pillar, value_key)
        text = format_number(value, ctx.locale, signed=True)
        rows.append(
            GapRow(
                ctx.name(pillar),
                value,
                low,
                high,
                text + (" *" if significant else ""),
                significant,
            )
        )
    return rows


def _significant(ctx: Context, pillar: Json, value_key: str) -> bool:
    flag = pillar.get(f"{value_key}_significant")
    if isinstance(flag, bool):
        return flag
    p = numbers(pillar.get(f"{value_key}_p"))
    return p is not None and p < ctx.alpha


def knowledge(ctx: Context) -> dict[str, Any]:
    """Colleagues' rating vs customers' rating, as mean scores and as "excellent" shares."""
    if not (ctx.has_customers and ctx.has_internal):
        return {"available": False}
    rows = _gap_rows(ctx, "knowledge_gap")
    significant = sum(1 for r in rows if r.significant and (r.value or 0) > 0)
    chart = ChartText(
        "cxg-knowledge-gap",
        ctx.tr("results.knowledge.chart_title"),
        ctx.tr("results.knowledge.chart_desc", count=len(rows)),
    )
    svg = diverging_bar_chart(
        rows,
        chart,
        locale=ctx.locale,
        negative_label=ctx.tr("results.knowledge.customers_higher"),
        positive_label=ctx.tr("results.knowledge.colleagues_higher"),
        significance_note=ctx.tr("results.chart.significance_note", confidence=_confidence(ctx)),
    )
    return {
        "available": True,
        "finding": ctx.tn(
            "results.knowledge.finding", significant, count=significant, total=len(rows)
        ),
        "gap_figure": figure(chart, svg, _knowledge_headers(ctx), _knowledge_rows(ctx)),
        "share_figure": _share_figure(ctx),
    }


def _confidence(ctx: Context) -> str:
    return format_percent(ctx.results.get("confidence", 0.95), ctx.locale)


def _knowledge_headers(ctx: Context) -> list[str]:
    keys = ("pillar", "colleagues_mean", "customers_mean", "gap", "ci", "p", "significant")
    return [ctx.tr(f"results.col.{key}") for key in keys]


def _knowledge_rows(ctx: Context) -> list[list[str]]:
    loc = ctx.locale
    return [
        [
            ctx.name(p),
            format_number(p.get("internal_current_mean"), loc),
            format_number(p.get("customer_performance_mean"), loc),
            format_number(p.get("knowledge_gap"), loc, signed=True),
            format_interval(p.get("knowledge_gap_ci"), loc, kind="signed"),
            format_p(p.get("knowledge_gap_p"), loc),
            _yes_no(ctx, _significant(ctx, p, "knowledge_gap")),
        ]
        for p in ctx.pillars
    ]


def _yes_no(ctx: Context, flag: bool) -> str:
    return ctx.tr("results.yes") if flag else ctx.tr("results.no")


def _share_figure(ctx: Context) -> Figure:
    loc = ctx.locale
    rows = [
        PairRow(
            ctx.name(p),
            numbers(p.get("internal_excellent_share")),
            numbers(p.get("customer_excellent_share")),
            format_percent(p.get("internal_excellent_share"), loc),
            format_percent(p.get("customer_excellent_share"), loc),
        )
        for p in ctx.pillars
    ]
    chart = ChartText(
        "cxg-excellent-share",
        ctx.tr("results.knowledge.share_title"),
        ctx.tr("results.knowledge.share_desc"),
    )
    svg = paired_share_chart(
        rows,
        chart,
        locale=loc,
        first_label=ctx.tr("results.legend.colleagues"),
        second_label=ctx.tr("results.legend.customers"),
    )
    keys = ("pillar", "colleagues_excellent", "customers_excellent", "difference", "ci", "p")
    table = [
        [
            ctx.name(p),
            format_percent(p.get("internal_excellent_share"), loc),
            format_percent(p.get("customer_excellent_share"), loc),
            format_points(p.get("excellent_share_gap"), loc),
            format_interval(p.get("excellent_share_gap_ci"), loc, decimals=0, kind="points"),
            format_p(p.get("excellent_share_gap_p"), loc),
        ]
        for p in ctx.pillars
    ]
    return figure(chart, svg, [ctx.tr(f"results.col.{k}") for k in keys], table)


def desire(ctx: Context) -> dict[str, Any]:
    """Where colleagues want to be vs where they think they are, per pillar."""
    if not ctx.has_internal:
        return {"available": False}
    rows = _gap_rows(ctx, "desire_gap")
    chart = ChartText(
        "cxg-desire-gap",
        ctx.tr("results.desire.chart_title"),
        ctx.tr("results.desire.chart_desc", count=len(rows)),
    )
    svg = diverging_bar_chart(
        rows,
        chart,
        locale=ctx.locale,
        negative_label=ctx.tr("results.desire.lower"),
        positive_label=ctx.tr("results.desire.higher"),
        significance_note=ctx.tr("results.chart.significance_note", confidence=_confidence(ctx)),
        positive_color=GREEN,
        negative_color=BLUE,
    )
    keys = ("pillar", "current_mean", "desired_mean", "gap", "ci", "p", "significant")
    loc = ctx.locale
    rows_table = [
        [
            ctx.name(p),
            format_number(p.get("internal_current_mean"), loc),
            format_number(p.get("internal_desired_mean"), loc),
            format_number(p.get("desire_gap"), loc, signed=True),
            format_interval(p.get("desire_gap_ci"), loc, kind="signed"),
            format_p(p.get("desire_gap_p"), loc),
            _yes_no(ctx, _significant(ctx, p, "desire_gap")),
        ]
        for p in ctx.pillars
    ]
    return {
        "available": True,
        "figure": figure(chart, svg, [ctx.tr(f"results.col.{k}") for k in keys], rows_table),
    }
