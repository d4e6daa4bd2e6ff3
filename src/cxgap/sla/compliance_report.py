"""What ``cxgap sla compliance`` prints: JSON, or a table in French or English."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from cxgap.i18n import translate
from cxgap.sla.compliance import Compliance, Group, Share
from cxgap.sla.report import instant, number
from cxgap.sla.tables import NOTHING, aligned

Json = dict[str, object]


def share_json(share: Share) -> Json:
    bounds = share.interval
    return {
        "hit": share.hit,
        "missed": share.missed,
        "n": share.n,
        "rate": None if share.rate is None else number(share.rate),
        "ci95": None if bounds is None else [number(bounds[0]), number(bounds[1])],
        "small": share.small,
    }


def group_json(group: Group) -> Json:
    metrics = {m.value: share_json(s) for m, s in group.metrics.items()}
    return {**share_json(group.overall), "metrics": metrics}


def compliance_json(result: Compliance, zone: ZoneInfo) -> Json:
    by: dict[str, list[Json]] = {}
    for group in result.groups:
        by.setdefault(group.dimension, []).append({"value": group.value, **group_json(group)})
    return {
        "period": {"start": instant(result.start, zone), "end": instant(result.end, zone)},
        "cases": result.cases,
        "overall": group_json(result.overall),
        "by": by,
        "unmeasured": dict(result.unmeasured),
        "not_counted": result.not_counted,
        "no_policy": result.no_policy,
    }


def compliance_table(result: Compliance, locale: str) -> str:
    keys = ("group", "value", "metric", "hit", "missed", "n", "rate", "interval")
    rows = [[translate(f"sla.compliance.{k}", locale) for k in keys]]
    for group in (result.overall, *result.groups):
        label = translate(f"sla.compliance.dimension.{group.dimension}", locale)
        value = NOTHING if group.value is None else group.value
        every = translate("sla.compliance.all_metrics", locale)
        rows.append(_row(label, value, every, group.overall, locale))
        for metric, share in group.metrics.items():
            name = translate(f"sla.metric.{metric.value}", locale)
            rows.append(_row("", "", name, share, locale))
    return aligned(rows)


def _row(label: str, value: str, metric: str, share: Share, locale: str) -> list[str]:
    bounds = share.interval
    rate = NOTHING if share.rate is None else f"{share.rate:.1f}"
    interval = NOTHING if bounds is None else f"{bounds[0]:.1f}–{bounds[1]:.1f}"
    if share.small and share.n:
        interval += f" ({translate('sla.compliance.small', locale, n=share.n)})"
    return [label, value, metric, str(share.hit), str(share.missed), str(share.n), rate, interval]
