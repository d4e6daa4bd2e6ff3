"""Where to act: the importance–performance priorities and the priority gap between the
colleagues' ranking and the customers' ranking."""

from __future__ import annotations

from statistics import fmean
from typing import Any

from cxgap.analytics.results_json import PillarJson
from cxgap.i18n import plural_form
from cxgap.reporting.context import Context, Figure, figure, known, numbers
from cxgap.reporting.formatting import (
    format_interval,
    format_number,
    format_ordinal,
    format_p,
    is_missing,
)
from cxgap.reporting.plots import (
    IpaPoint,
    Quadrants,
    SlopeItem,
    importance_performance_chart,
    slope_chart,
)
from cxgap.reporting.sections_people import rankings_note
from cxgap.reporting.svg import ChartText

QUADRANTS = ("concentrate_here", "keep_up", "low_priority", "possible_overkill")
LABEL_ALL_POINTS_UP_TO = 12


def priorities(ctx: Context) -> dict[str, Any]:
    """The importance–performance grid and the 2–4 pillars to work on, each with its reason."""
    plotted = [
        p
        for p in ctx.pillars
        if not is_missing(p.get("customer_performance_mean"))
        and not is_missing(p.get("customer_importance_mean"))
    ]
    if not ctx.has_customers or not plotted:
        return {"available": False}
    if too_few := too_few_for_priorities(ctx):
        # No grid either: its quadrants ("concentrate here") read as a conclusion.
        return {"available": True, "too_few": too_few}
    chosen = [str(k) for k in ctx.results.get("priorities") or []]
    return {
        "available": True,
        "too_few": "",
        "figure": _ipa_figure(ctx, plotted, set(chosen)),
        "chosen": _priority_items(ctx, chosen),
    }


def too_few_for_priorities(ctx: Context) -> str:
    """How many customer answers are still needed before priorities are named; "" if none."""
    evidence = ctx.section("priority_evidence")
    needed = int(evidence.get("answers_needed") or 0)
    if not needed:
        return ""
    return ctx.tr(
        f"results.priorities.too_few_{plural_form(needed, ctx.locale)}",
        minimum=ctx.count(evidence.get("min_customer_answers")),
        n=ctx.count(evidence.get("customer_answers")),
        needed=ctx.count(needed),
    )


def _ipa_figure(ctx: Context, plotted: list[PillarJson], chosen: set[str]) -> Figure:
    crowded = len(plotted) > LABEL_ALL_POINTS_UP_TO
    points = []
    for index, p in enumerate(plotted, start=1):
        highlighted = str(p.get("key")) in chosen
        label = ctx.short(p) if highlighted or not crowded else str(index)
        points.append(
            IpaPoint(
                label,
                ctx.name(p),
                float(known(p["customer_performance_mean"], "customer_performance_mean")),
                float(known(p["customer_importance_mean"], "customer_importance_mean")),
                highlighted,
            )
        )
    chart = ChartText(
        "cxg-importance-performance",
        ctx.tr("results.priorities.chart_title"),
        ctx.tr("results.priorities.chart_desc", count=len(points)),
    )
    names = Quadrants(*(ctx.tr(f"results.quadrant.{q}.title") for q in QUADRANTS))
    svg = importance_performance_chart(
        points,
        chart,
        locale=ctx.locale,
        x_label=ctx.tr("results.priorities.x_label"),
        y_label=ctx.tr("results.priorities.y_label"),
        quadrants=names,
        x_mean=fmean(p.performance for p in points),
        y_mean=fmean(p.importance for p in points),
    )
    keys = ("number", "pillar", "importance", "performance", "quadrant", "priority_score")
    loc = ctx.locale
    rows = [
        [
            str(i),
            ctx.name(p),
            f"{format_number(p.get('customer_importance_mean'), loc)} "
            f"{format_interval(p.get('customer_importance_ci'), loc)}",
            f"{format_number(p.get('customer_performance_mean'), loc)} "
            f"{format_interval(p.get('customer_performance_ci'), loc)}",
            _quadrant(ctx, p.get("quadrant"), "title"),
            format_number(p.get("priority_score"), loc),
        ]
        for i, p in enumerate(plotted, start=1)
    ]
    return figure(chart, svg, [ctx.tr(f"results.col.{k}") for k in keys], rows)


def _quadrant(ctx: Context, quadrant: object, form: str) -> str:
    if quadrant in QUADRANTS:
        return ctx.tr(f"results.quadrant.{quadrant}.{form}")
    return "—" if quadrant is None else str(quadrant)


def _priority_items(ctx: Context, chosen: list[str]) -> list[dict[str, str]]:
    reasons = {str(r.get("key")): r for r in ctx.results.get("priority_reasons") or []}
    ranked = sum(1 for p in ctx.pillars if not is_missing(p.get("customer_importance_rank")))
    items = []
    for key in chosen:
        reason = reasons.get(key)
        text = ""
        if reason is not None:
            text = ctx.tr(
                "results.priorities.reason",
                importance_rank=format_ordinal(reason.get("importance_rank"), ctx.locale),
                total=ranked or len(ctx.pillars),
                performance_rank=format_ordinal(reason.get("performance_rank"), ctx.locale),
                quadrant=_quadrant(ctx, reason.get("quadrant"), "advice"),
            )
        items.append({"key": key, "name": ctx.name_of(key), "reason": text})
    return items


def ranking(ctx: Context) -> dict[str, Any]:
    """Colleagues' priority ranking next to customers', with Spearman's rank correlation."""
    ranked = [
        p
        for p in ctx.pillars
        if not is_missing(p.get("internal_priority_rank"))
        and not is_missing(p.get("customer_importance_rank"))
    ]
    if not (ctx.has_customers and ctx.has_internal) or not ranked:
        return {"available": False}
    items = [
        SlopeItem(
            ctx.short(p),
            ctx.name(p),
            int(known(p["internal_priority_rank"], "internal_priority_rank")),
            int(known(p["customer_importance_rank"], "customer_importance_rank")),
        )
        for p in ranked
    ]
    chart = ChartText(
        "cxg-priority-ranks",
        ctx.tr("results.ranking.chart_title"),
        ctx.tr("results.ranking.chart_desc", count=len(items)),
    )
    svg = slope_chart(
        items,
        chart,
        left_title=ctx.tr("results.legend.colleagues"),
        right_title=ctx.tr("results.legend.customers"),
    )
    keys = ("pillar", "colleagues_rank", "customers_rank", "colleagues_rank_mean")
    rows = [
        [
            ctx.name(p),
            str(p["internal_priority_rank"]),
            str(p["customer_importance_rank"]),
            format_number(p.get("internal_rank_mean"), ctx.locale),
        ]
        for p in sorted(
            ranked, key=lambda p: known(p["customer_importance_rank"], "customer_importance_rank")
        )
    ]
    return {
        "available": True,
        "sentence": _correlation_sentence(ctx),
        "rankings": rankings_note(ctx),
        "figure": figure(chart, svg, [ctx.tr(f"results.col.{k}") for k in keys], rows),
    }


def _correlation_sentence(ctx: Context) -> str:
    data = ctx.section("priority_rank_correlation")
    rho, p = numbers(data.get("spearman_rho")), numbers(data.get("p"))
    if rho is None:
        return ctx.tr("results.ranking.no_correlation")
    if rho >= 0.7 and p is not None and p < ctx.alpha:
        verdict = "match"
    elif rho >= 0.4:
        verdict = "partial"
    else:
        verdict = "mismatch"
    return ctx.tr(
        f"results.ranking.{verdict}",
        rho=format_number(rho, ctx.locale, signed=True),
        p=format_p(p, ctx.locale),
        n=ctx.count(data.get("n")),
    )
