"""``cxgap sla import-tickets`` and ``cxgap sla compliance``: SLA compliance measured on past
tickets, without a database (docs/sla.md, "Measuring the past")."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from cxgap.cli.common import cli_locale, fail
from cxgap.cli.problems import refusal_text
from cxgap.cli.sla import Format, FormatOption, NowOption, as_of, emit, load, refused
from cxgap.errors import ValidationError
from cxgap.i18n import catalog, translate
from cxgap.sla.compliance import measure_compliance
from cxgap.sla.compliance_report import compliance_json, compliance_table
from cxgap.sla.credits import Menu, month_bounds
from cxgap.sla.documents import read_cases, read_menu, read_month, read_policy_set
from cxgap.sla.policy import PolicySet
from cxgap.sla.reading import Reader
from cxgap.tickets.importing import import_tickets
from cxgap.tickets.writing import cases_document


class Preset(StrEnum):
    ZENDESK_CSV = "zendesk-csv"
    ZENDESK_JSON = "zendesk-json"
    FRESHDESK_CSV = "freshdesk-csv"
    MAPPED = "mapped"
    EVENTS = "events"


class Dimension(StrEnum):
    TIER = "tier"
    PRIORITY = "priority"
    TEAM = "team"
    CHANNEL = "channel"


class DateOrder(StrEnum):
    DMY = "dmy"
    MDY = "mdy"


def ticket_refusal(exc: ValidationError) -> typer.Exit:
    """A ticket file's refusal: file, row and column, the reason and the value, in the
    reader's language; another reader's refusal as that reader says it."""
    locale = cli_locale()
    problem = exc.problems[0]
    code = problem.params.get("code")
    key = f"sla.tickets.reason.{code}"
    if key not in catalog("en"):
        if code is not None and f"sla.reason.{code}" in catalog("en"):
            return refused(exc)
        return fail(refusal_text(exc, locale))
    params = {k: v for k, v in problem.params.items() if k != "code"}
    place = [problem.source or ""]
    if problem.row is not None:
        place.append(translate("sla.tickets.row", locale, row=problem.row))
    if problem.field and problem.field != "(file)":
        place.append(translate("sla.tickets.column", locale, column=problem.field))
    reason = translate(key, locale, **params)
    where = ", ".join(p for p in place if p)
    if problem.value is None:
        return fail(translate("sla.refused_here", locale, place=where, reason=reason))
    value = json.dumps(problem.value, ensure_ascii=False)
    return fail(translate("sla.refused", locale, place=where, reason=reason, value=value))


def mapping_of(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        if not sep or not name.strip() or not column:
            message = translate("sla.tickets.reason.map", cli_locale())
            raise fail(translate("sla.refused", cli_locale(), place="--map", reason=message,
                                 value=json.dumps(pair, ensure_ascii=False)))  # fmt: skip
        mapping[name.strip()] = column
    return mapping


def zone_of(name: str | None) -> ZoneInfo | None:
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        Reader("--timezone").fail("--timezone", "timezone", name)


def import_tickets_command(
    file: Annotated[
        Path, typer.Argument(help="The tickets: a CSV, an Excel workbook or Zendesk's JSON.")
    ],
    output: Annotated[Path, typer.Option("--output", help="CASES.json to write.")],
    preset: Annotated[
        Preset | None, typer.Option("--preset", help="The layout (default: detected).")
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="field=Column name (repeatable): id, created_at, …"),
    ] = None,
    timezone: Annotated[
        str | None, typer.Option("--timezone", help="Zone of dates written without an offset.")
    ] = None,
    date_order: Annotated[
        DateOrder | None,
        typer.Option("--date-order", help="dmy or mdy, when no date shows which."),
    ] = None,
    history: Annotated[
        list[Path] | None,
        typer.Option(
            "--history",
            help="Zendesk JSON with ticket_metric_events, audits or users (repeatable).",
        ),
    ] = None,
) -> None:
    """Read past tickets into CASES.json, for `sla evaluate` and `sla compliance`."""
    try:
        imported = import_tickets(
            file,
            preset=None if preset is None else preset.value,
            mapping=mapping_of(mapping or []),
            zone=zone_of(timezone),
            date_order=None if date_order is None else date_order.value,
            history=history or [],
        )
    except ValidationError as exc:
        raise ticket_refusal(exc) from None
    report = {"layout": imported.layout, **imported.tally.as_json(len(imported.cases))}
    document = cases_document(imported.cases, report)
    try:
        output.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as exc:
        reason = translate("sla.tickets.reason.unwritable", cli_locale(), error=type(exc).__name__)
        message = translate("sla.refused_here", cli_locale(), place=str(output), reason=reason)
        raise fail(message) from None
    typer.echo(summary(report, cli_locale()), err=True)


def summary(report: dict[str, object], locale: str) -> str:
    lines = [translate("sla.tickets.summary", locale, **report)]
    for part in ("skipped", "defaulted", "unmeasured"):
        counts = report[part]
        if isinstance(counts, dict) and counts:
            shown = ", ".join(f"{k}: {v}" for k, v in counts.items())
            lines.append(translate(f"sla.tickets.{part}", locale, counts=shown))
    return "\n".join(lines)


def period(
    month: str | None, start: str | None, end: str | None, zone: ZoneInfo
) -> tuple[datetime, datetime]:
    """``--month``, or ``--from`` and ``--to`` (both days included), local midnights."""
    if month is not None:
        return month_bounds(read_month(Reader("--month"), month), zone)
    if start is None or end is None:
        Reader("--month").fail("--month", "required", None)
    first = Reader("--from").day(start, "--from")
    last = Reader("--to").day(end, "--to")
    if last < first:
        Reader("--to").fail("--to", "end_before_start", end)
    return _midnight(first, zone), _midnight(last + timedelta(days=1), zone)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def compliance_command(
    policy: Annotated[
        Path, typer.Option("--policy", help="POLICY.json, or MENU.json (its tiers give tier).")
    ],
    cases: Annotated[Path, typer.Option("--cases", help="CASES.json: the cases and events.")],
    month: Annotated[str | None, typer.Option("--month", help="The month, YYYY-MM.")] = None,
    start: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    by: Annotated[
        list[Dimension] | None, typer.Option("--by", help="tier, priority, team, channel.")
    ] = None,
    now: NowOption = None,
    format: FormatOption = Format.JSON,
) -> None:
    """The share of SLA metrics hit, with 95 % Wilson intervals, overall and by group."""
    try:
        reader, document = load(policy)
        policies: PolicySet = read_policy_set(reader, document)
        menu: Menu | None = None
        if isinstance(document, dict) and "tiers" in document:
            menu = read_menu(reader, document)
            policies = menu.policies  # with the tiers' own support hours
        zone = policies.calendar.zone
        read = read_cases(*load(cases), zone)
        first, after = period(month, start, end, zone)
        instant = as_of(now, zone)
    except ValidationError as exc:
        raise refused(exc) from None
    tier_of = None if menu is None else _tier_name(menu)
    dimensions = [d.value for d in dict.fromkeys(by or [])]
    result = measure_compliance(
        policies, read, first, after, instant, by=dimensions, tier_of=tier_of
    )
    if format is Format.JSON:
        emit(compliance_json(result, zone))
    else:
        typer.echo(compliance_table(result, cli_locale()))


def _tier_name(menu: Menu) -> Callable[[str | None], str | None]:
    def tier_of(account: str | None) -> str | None:
        tier = menu.tier_of(account)
        return None if tier is None else tier.name

    return tier_of


def register(app: typer.Typer) -> None:
    """Add the two commands to the ``sla`` command group."""
    app.command("import-tickets")(import_tickets_command)
    app.command("compliance")(compliance_command)
