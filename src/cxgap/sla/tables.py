"""The human tables of ``--format table``, in French or English."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from cxgap.i18n import translate
from cxgap.sla.credits import AccountCredit
from cxgap.sla.evaluation import CaseResult
from cxgap.sla.report import instant, minutes

NOTHING = "—"


def aligned(rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns, two spaces apart, the header underlined."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def cases_table(results: Sequence[CaseResult], zone: ZoneInfo, locale: str) -> str:
    keys = ("case", "policy", "metric", "due", "satisfied", "minutes", "left", "status")
    rows = [[translate(f"sla.table.{k}", locale) for k in keys]]
    for result in results:
        if result.policy is None:
            no_policy = translate("sla.table.no_policy", locale)
            rows.append([result.case.id, no_policy, *[NOTHING] * 6])
        for metric, measured in result.metrics.items():
            clock = measured.clock
            status = translate(f"sla.status.{measured.status or 'none'}", locale)
            if clock is not None and clock.warning:
                status += f" ({translate('sla.table.warning', locale)})"
            rows.append(
                [
                    result.case.id,
                    result.policy.name if result.policy else NOTHING,
                    translate(f"sla.metric.{metric.value}", locale),
                    (clock and instant(clock.due, zone)) or NOTHING,
                    (clock and instant(clock.satisfied_at, zone)) or NOTHING,
                    str(minutes(clock.used)) if clock else "0",
                    str(minutes(clock.left if clock else measured.target)),
                    status,
                ]
            )
    return aligned(rows)


def credits_table(credits: Sequence[AccountCredit], locale: str) -> str:
    keys = ("account", "tier", "hit_rate", "availability", "percent", "amount")
    rows = [[translate(f"sla.credits.{k}", locale) for k in keys]]
    for credit in credits:
        rate = credit.sla_hit_rate
        rows.append(
            [
                credit.account,
                credit.tier.name,
                NOTHING if rate is None else f"{rate:.2f}",
                f"{credit.availability:.3f}",
                f"{credit.credit_percent:g}",
                f"{credit.credit_amount}",
            ]
        )
    return aligned(rows)
