"""``cxgap sla evaluate`` and ``cxgap credits compute``: the SLA engine on JSON files, without
a database (docs/sla.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from cxgap.cli.common import cli_locale, fail
from cxgap.errors import ValidationError
from cxgap.i18n import translate
from cxgap.sla.credits import compute_credits
from cxgap.sla.documents import (
    read_cases,
    read_incidents,
    read_menu,
    read_month,
    read_policy_set,
)
from cxgap.sla.evaluation import evaluate_case, queue
from cxgap.sla.reading import Reader
from cxgap.sla.report import cases_json, credits_json
from cxgap.sla.tables import cases_table, credits_table

sla_app = typer.Typer(help="SLA policies on business hours.", no_args_is_help=True)
credits_app = typer.Typer(help="Service credits of the service menu.", no_args_is_help=True)


class Format(StrEnum):
    JSON = "json"
    TABLE = "table"


FormatOption = Annotated[Format, typer.Option("--format", help="json (the contract) or table.")]
NowOption = Annotated[
    str | None,
    typer.Option(help="Evaluate as of this ISO 8601 instant (default: the current time)."),
]
DetailsOption = Annotated[
    bool, typer.Option("--details", help="Add targets, time left, warnings and counts (json).")
]


def load(path: Path) -> tuple[Reader, object]:
    """The file's parsed JSON and a reader named after it."""
    reader = Reader(path.name)
    try:
        return reader, json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        reader.fail(f"line {exc.lineno}, column {exc.colno}", "json", None, error=exc.msg)
    except (OSError, UnicodeDecodeError) as exc:
        reader.fail("", "unreadable", None, error=type(exc).__name__)


def refused(exc: ValidationError) -> typer.Exit:
    """The first problem, in the reader's language: the file, the JSON path and the value."""
    locale = cli_locale()
    problem = exc.problems[0]
    params = {k: v for k, v in problem.params.items() if k != "code"}
    if "expected" in params:
        params["expected"] = translate(f"sla.expected.{params['expected']}", locale)
    reason = translate(f"sla.reason.{problem.params.get('code')}", locale, **params)
    # "cases.json, cases[3].events[1].at"; an option is its own place ("--month")
    place = problem.source or ""
    if problem.field and problem.field != place:
        place = f"{place}, {problem.field}"
    if problem.value is None:  # a missing value or a whole file: nothing to quote
        return fail(translate("sla.refused_here", locale, place=place, reason=reason))
    value = json.dumps(problem.value, ensure_ascii=False)
    return fail(translate("sla.refused", locale, place=place, reason=reason, value=value))


def as_of(now: str | None, zone: ZoneInfo) -> datetime:
    """``--now``, read like the files' instants (without an offset: in the calendar's zone)."""
    if now is None:
        return datetime.now(UTC)
    return Reader("--now").instant(now, "--now", zone)


def emit(document: dict[str, object]) -> None:
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))


@sla_app.command("evaluate")
def evaluate(
    policy: Annotated[Path, typer.Option("--policy", help="POLICY.json: calendar and policies.")],
    cases: Annotated[Path, typer.Option("--cases", help="CASES.json: the cases and events.")],
    now: NowOption = None,
    format: FormatOption = Format.JSON,
    details: DetailsOption = False,
    in_queue: Annotated[
        bool,
        typer.Option(
            "--queue", help="Only the cases waiting on the company, the least time left first."
        ),
    ] = False,
) -> None:
    """Each case's SLA metrics: due time, time used, hit, missed, active or paused."""
    try:
        policies = read_policy_set(*load(policy))
        case_reader, raw_cases = load(cases)
        read = read_cases(case_reader, raw_cases, policies.calendar.zone)
        instant = as_of(now, policies.calendar.zone)
    except ValidationError as exc:
        raise refused(exc) from None
    results = [evaluate_case(policies, case, instant) for case in read]
    if in_queue:
        results = queue(results)
    zone = policies.calendar.zone
    if format is Format.JSON:
        emit(cases_json(results, zone, details=details))
    else:
        typer.echo(cases_table(results, zone, cli_locale()))


@credits_app.command("compute")
def compute(
    menu: Annotated[Path, typer.Option("--menu", help="MENU.json: calendar, policies, tiers.")],
    cases: Annotated[Path, typer.Option("--cases", help="CASES.json: the cases and events.")],
    month: Annotated[str, typer.Option("--month", help="The month, YYYY-MM.")],
    incidents: Annotated[
        Path | None, typer.Option("--incidents", help="INCIDENTS.json: downtime.")
    ] = None,
    now: NowOption = None,
    format: FormatOption = Format.JSON,
    details: DetailsOption = False,
) -> None:
    """Each account's SLA hit rate, availability and service credit for the month."""
    try:
        service_menu = read_menu(*load(menu))
        zone = service_menu.policies.calendar.zone
        read = read_cases(*load(cases), zone)
        outages = read_incidents(*load(incidents), zone) if incidents is not None else []
        chosen = read_month(Reader("--month"), month)
        instant = as_of(now, zone)
    except ValidationError as exc:
        raise refused(exc) from None
    statements = compute_credits(service_menu, read, outages, chosen, instant)
    if format is Format.JSON:
        emit(credits_json(statements, details=details))
    else:
        typer.echo(credits_table(statements, cli_locale()))
