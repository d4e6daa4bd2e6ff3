"""The second half of the results: colleagues (agreement, totals, departments), customers
(NPS, CSAT, CES), groups (generations, segments) and the method notes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cxgap.analytics.generations import GENERATIONS
from cxgap.i18n import plural_form
from cxgap.reporting.charts import IntervalRow, interval_chart
from cxgap.reporting.context import Context, Figure, Json, figure, interval, mapping, numbers
from cxgap.reporting.distributions import StackPart, histogram_chart, stacked_share_chart
from cxgap.reporting.formatting import (
    format_count,
    format_interval,
    format_nps,
    format_number,
    format_p,
    format_percent,
    is_missing,
)
from cxgap.reporting.svg import GREEN, GREY, ORANGE, VERMILLION, ChartText

AGREEMENT_LEVELS = ("none", "weak", "moderate", "strong")
MIN_DEPARTMENT_SIZE = 3
KNOWN_TESTS = ("welch_t", "kruskal", "chi2", "wald_trinomial", "fisher", "paired_t")


def internal(ctx: Context) -> dict[str, Any]:
    """How much colleagues agree, how they score in total, and departments side by side."""
    if not ctx.has_internal:
        return {"available": False}
    data = ctx.section("internal")
    totals = mapping(data.get("totals"))
    departments = [d for d in data.get("by_department") or [] if isinstance(d, Mapping)]
    shown = [d for d in departments if not d.get("suppressed")]
    return {
        "available": True,
        "agreement": _agreement_sentence(ctx),
        "rankings": rankings_note(ctx),
        "totals_sentence": _totals_sentence(ctx, totals),
        "totals_figure": _totals_figure(ctx, totals) if totals.get("histogram") else None,
        "departments_figure": _departments_figure(ctx, shown, totals) if shown else None,
        "hidden_departments": [
            ctx.tr(
                "results.internal.department_hidden",
                name=d.get("department", "?"),
                size=MIN_DEPARTMENT_SIZE,
            )
            for d in departments
            if d.get("suppressed")
        ],
        "department_test": _test_sentence(ctx, data.get("department_test"), "departments"),
    }


def rankings_note(ctx: Context) -> str:
    """How many colleague answers ranked the pillars: only those count in W and rho."""
    data = ctx.section("internal")
    answers = int(data.get("n") or 0)
    if not answers:
        return ""
    return ctx.tr(
        f"results.rankings_used_{plural_form(answers, ctx.locale)}",
        n=ctx.count(data.get("n_rankings") or 0),
        m=ctx.count(answers),
    )


def _agreement_sentence(ctx: Context) -> str:
    data = ctx.section("internal_agreement")
    level = data.get("interpretation")
    if is_missing(data.get("kendall_w")) or level not in AGREEMENT_LEVELS:
        return ctx.tr("results.internal.agreement_unknown")
    return ctx.tr(
        f"results.internal.agreement_{level}",
        w=format_number(data.get("kendall_w"), ctx.locale),
        p=format_p(data.get("p"), ctx.locale),
        n=ctx.count(data.get("n_raters")),
    )


def _totals_sentence(ctx: Context, totals: Json) -> str:
    if is_missing(totals.get("mean")):
        return ""
    loc = ctx.locale
    return ctx.tr(
        "results.internal.totals_sentence",
        mean=format_number(totals.get("mean"), loc, decimals=1),
        max=format_count(totals.get("max"), loc),
        ci=format_interval(totals.get("ci"), loc, decimals=1),
        low=format_count(totals.get("min"), loc),
        high=format_count(totals.get("max_observed"), loc),
    )


def _totals_figure(ctx: Context, totals: Json) -> Figure:
    counts = [
        (int(h["total"]), int(h["count"]))
        for h in totals.get("histogram") or []
        if not is_missing(h.get("total")) and not is_missing(h.get("count"))
    ]
    top = int(totals.get("max") or max((c[0] for c in counts), default=50))
    chart = ChartText(
        "cxg-totals",
        ctx.tr("results.internal.totals_title", max=top),
        ctx.tr("results.internal.totals_desc", max=top),
    )
    svg = histogram_chart(
        counts,
        chart,
        locale=ctx.locale,
        x_domain=(max(top // 5, 0), top),
        x_label=ctx.tr("results.internal.totals_x", max=top),
        y_label=ctx.tr("results.internal.totals_y"),
    )
    headers = [ctx.tr("results.col.total", max=top), ctx.tr("results.col.colleagues")]
    return figure(chart, svg, headers, [[ctx.count(t), ctx.count(c)] for t, c in counts])


def _departments_figure(ctx: Context, shown: list[Json], totals: Json) -> Figure:
    loc = ctx.locale
    rows = [
        IntervalRow(
            ctx.tr("results.group_label", name=d.get("department", "?"), n=ctx.count(d.get("n"))),
            numbers(d.get("total_mean")),
            *interval(d.get("total_ci")),
            value_text=format_number(d.get("total_mean"), loc, decimals=1),
        )
        for d in shown
    ]
    top = float(totals.get("max") or 50)
    chart = ChartText(
        "cxg-departments",
        ctx.tr("results.internal.departments_title"),
        ctx.tn("results.internal.departments_desc", len(rows), count=len(rows)),
    )
    bounds = [v for r in rows for v in (r.value, r.low, r.high) if v is not None]
    domain = (min([top / 5, *bounds]), max([top, *bounds]))
    svg = interval_chart(rows, chart, locale=loc, domain=domain)
    keys = ("department", "colleagues", "total_mean", "ci")
    table = [
        [
            str(d.get("department", "?")),
            ctx.count(d.get("n")),
            format_number(d.get("total_mean"), loc, decimals=1),
            format_interval(d.get("total_ci"), loc, decimals=1),
        ]
        for d in shown
    ]
    return figure(chart, svg, [ctx.tr(f"results.col.{k}", max=int(top)) for k in keys], table)


def _test_sentence(ctx: Context, test: object, topic: str) -> str:
    """A statistical test said in words: which test, p, and whether groups differ."""
    if not isinstance(test, Mapping) or is_missing(test.get("p")):
        return ctx.tr(f"results.test.{topic}_none")
    p = float(test["p"])
    verdict = "differ" if p < ctx.alpha else "similar"
    name = test_name(ctx, test.get("test"))
    return ctx.tr(
        f"results.test.{topic}_{verdict}",
        test=name[:1].upper() + name[1:],
        p=format_p(p, ctx.locale),
    )


def test_name(ctx: Context, key: object) -> str:
    """The readable name of a test key from the results object (the key itself if unknown)."""
    if key in KNOWN_TESTS:
        return ctx.tr(f"results.test_name.{key}")
    return str(key) if key is not None else "—"


def customers(ctx: Context) -> dict[str, Any]:
    """NPS with its promoters/passives/detractors, CSAT and CES top-box scores."""
    if not ctx.has_customers:
        return {"available": False}
    nps = ctx.section("nps")
    return {
        "available": True,
        "nps_sentence": ctx.tr(
            f"results.customers.nps_sentence_{plural_form(int(nps.get('n') or 0), ctx.locale)}",
            nps=format_nps(nps.get("score"), ctx.locale),
            ci=format_interval(nps.get("ci"), ctx.locale, kind="nps"),
            n=ctx.count(nps.get("n")),
        ),
        "nps_figure": _nps_figure(ctx, nps),
        "satisfaction_figure": _satisfaction_figure(ctx),
    }


def _nps_figure(ctx: Context, nps: Json) -> Figure | None:
    kinds = (("promoters", GREEN), ("passives", GREY), ("detractors", VERMILLION))
    counts = [int(nps.get(kind) or 0) for kind, _ in kinds]
    total = sum(counts)
    if total == 0:
        return None
    parts = [
        StackPart(
            ctx.tr(f"results.customers.{kind}"),
            count,
            count / total,
            color,
            format_percent(count / total, ctx.locale),
        )
        for (kind, color), count in zip(kinds, counts, strict=True)
    ]
    chart = ChartText(
        "cxg-nps",
        ctx.tr("results.customers.nps_title"),
        ctx.tr(
            "results.customers.nps_desc",
            **{
                part: f"{format_percent(p.share, ctx.locale)}"
                for part, p in zip(("promoters", "passives", "detractors"), parts, strict=True)
            },
        ),
    )
    svg = stacked_share_chart(parts, chart)
    headers = [
        ctx.tr("results.col.group"),
        ctx.tr("results.col.answers"),
        ctx.tr("results.col.share"),
    ]
    rows = [[p.label, ctx.count(p.count), p.share_text] for p in parts]
    return figure(chart, svg, headers, rows)


def _satisfaction_figure(ctx: Context) -> Figure | None:
    loc = ctx.locale
    measures = [(key, ctx.section(key)) for key in ("csat", "ces")]
    measures = [(k, m) for k, m in measures if not is_missing(m.get("top_box"))]
    if not measures:
        return None
    rows = [
        IntervalRow(
            ctx.tr(f"results.customers.{k}_label"),
            numbers(m.get("top_box")),
            *interval(m.get("top_box_ci")),
            value_text=format_percent(m["top_box"], loc),
        )
        for k, m in measures
    ]
    chart = ChartText(
        "cxg-satisfaction",
        ctx.tr("results.customers.satisfaction_title"),
        ctx.tr("results.customers.satisfaction_desc"),
    )
    svg = interval_chart(rows, chart, locale=loc, domain=(0.0, 1.0), kind="percent", color=ORANGE)
    keys = ("measure", "answers", "mean", "top_box", "ci")
    table = [
        [
            ctx.tr(f"results.customers.{k}_label"),
            ctx.count(m.get("n")),
            format_number(m.get("mean"), loc),
            format_percent(m.get("top_box"), loc),
            format_interval(m.get("top_box_ci"), loc, kind="percent"),
        ]
        for k, m in measures
    ]
    return figure(chart, svg, [ctx.tr(f"results.col.{k}") for k in keys], table)


def segments(ctx: Context) -> dict[str, Any]:
    """NPS and top pillars by generation and by segment; small groups hidden."""
    if not ctx.has_customers:
        return {"available": False}
    names = {g.key: (g.name_fr if ctx.locale == "fr" else g.name_en) for g in GENERATIONS}
    order = [g.key for g in GENERATIONS]
    generation = _groups(ctx, "by_generation", "generation_test", "generations", names, order)
    unknown = ctx.results.get("generation_unknown_n")
    if not is_missing(unknown) and unknown:
        generation["note"] = ctx.tr(
            f"results.segments.unknown_generation_{plural_form(int(unknown), ctx.locale)}",
            n=ctx.count(unknown),
        )
    segment_names = {
        str(k): str(v.get(ctx.locale) or v.get("en") or k)
        for k, v in ctx.segment_names.items()
        if isinstance(v, Mapping)
    }
    segment = _groups(ctx, "by_segment", "segment_test", "segments", segment_names, [])
    return {"available": True, "blocks": [generation, segment]}


def _groups(
    ctx: Context,
    field: str,
    test_field: str,
    topic: str,
    names: Mapping[str, str],
    order: list[str],
) -> dict[str, Any]:
    groups = mapping(ctx.results.get(field))
    keys = sorted(groups, key=lambda k: (order.index(k) if k in order else len(order), k))
    shown = [
        (k, groups[k])
        for k in keys
        if isinstance(groups[k], Mapping) and not groups[k].get("suppressed")
    ]
    hidden = [
        names.get(k, k)
        for k in keys
        if isinstance(groups[k], Mapping) and groups[k].get("suppressed")
    ]
    size = ctx.count(ctx.results.get("min_group_size"))
    return {
        "id": topic,
        "title": ctx.tr(f"results.segments.{topic}_title"),
        "empty": ctx.tr(f"results.segments.{topic}_empty") if not keys else "",
        "figure": _group_figure(ctx, topic, shown, names) if shown else None,
        "top": [
            {
                "name": names.get(k, k),
                "pillars": " · ".join(ctx.short_of(key) for key in g.get("top_pillars") or [])
                or "—",
            }
            for k, g in shown
        ],
        "hidden": [ctx.tr("results.segments.hidden", name=n, size=size) for n in hidden],
        "test": _test_sentence(ctx, ctx.results.get(test_field), topic) if keys else "",
        "note": "",
    }


def _group_figure(
    ctx: Context, topic: str, shown: list[tuple[str, Json]], names: Mapping[str, str]
) -> Figure:
    loc = ctx.locale
    rows = [
        IntervalRow(
            ctx.tr("results.group_label", name=names.get(k, k), n=ctx.count(g.get("n"))),
            numbers(g.get("nps")),
            *interval(g.get("nps_ci")),
            value_text=format_nps(g.get("nps"), loc),
        )
        for k, g in shown
    ]
    chart = ChartText(
        f"cxg-{topic}",
        ctx.tr(f"results.segments.{topic}_chart_title"),
        ctx.tn("results.segments.chart_desc", len(rows), count=len(rows)),
    )
    svg = interval_chart(rows, chart, locale=loc, domain=(-100.0, 100.0), kind="signed")
    keys = ("group", "answers", "nps", "ci", "top_pillars")
    table = [
        [
            names.get(k, k),
            ctx.count(g.get("n")),
            format_nps(g.get("nps"), loc),
            format_interval(g.get("nps_ci"), loc, kind="nps"),
            "; ".join(ctx.name_of(key) for key in g.get("top_pillars") or []) or "—",
        ]
        for k, g in shown
    ]
    return figure(chart, svg, [ctx.tr(f"results.col.{k}") for k in keys], table)


def _test_of(ctx: Context, parent: str | None, field: str, default: str) -> str:
    holder = ctx.section(parent) if parent else ctx.results
    test = holder.get(field)
    key = test.get("test") if isinstance(test, Mapping) else None
    return test_name(ctx, key or default)


def method(ctx: Context) -> dict[str, Any]:
    """How the figures were computed, in a few lines, with the documentation to read more."""
    confidence = format_percent(ctx.results.get("confidence", 0.95), ctx.locale)
    tests = sorted(
        {str(p.get("knowledge_gap_test")) for p in ctx.pillars if p.get("knowledge_gap_test")}
    )
    nps_method = ctx.section("nps").get("method")
    return {
        "notes": [
            ctx.tr("results.method.confidence", confidence=confidence),
            ctx.tr(
                "results.method.knowledge",
                test=", ".join(test_name(ctx, t) for t in tests) or test_name(ctx, "welch_t"),
            ),
            ctx.tr("results.method.shares"),
            ctx.tr("results.method.desire"),
            ctx.tr("results.method.agreement"),
            ctx.tr("results.method.nps", method=test_name(ctx, nps_method or "wald_trinomial")),
            ctx.tr(
                "results.method.group_tests",
                department_test=_test_of(ctx, "internal", "department_test", "kruskal"),
                group_test=_test_of(ctx, None, "generation_test", "chi2"),
            ),
            ctx.tr(
                "results.method.groups",
                size=ctx.count(ctx.results.get("min_group_size")),
                department_size=MIN_DEPARTMENT_SIZE,
            ),
            ctx.tr("results.method.margin"),
        ],
    }
