"""``cxgap clv fit``: BG/NBD and Gamma-Gamma fitted on a CSV of purchases, without a database
(docs/retention.md)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from cxgap.cli.common import cli_locale, fail
from cxgap.clv import Columns, fit_clv, read_purchases
from cxgap.clv.transactions import reason, refuse
from cxgap.clv.words import sentences
from cxgap.errors import ValidationError
from cxgap.i18n import translate

app = typer.Typer(
    help="Customer lifetime value: BG/NBD and Gamma-Gamma models fitted on purchases.",
    no_args_is_help=True,
)


class Format(StrEnum):
    JSON = "json"
    TEXT = "text"


class TimeUnit(StrEnum):
    D = "D"
    W = "W"


class DateOrder(StrEnum):
    DMY = "dmy"
    MDY = "mdy"


class Language(StrEnum):
    EN = "en"
    FR = "fr"


@app.command("fit")
def fit(
    transactions: Annotated[
        Path,
        typer.Option("--transactions", help="FILE.csv (or .csv.gz): one row per purchase."),
    ],
    customer_column: Annotated[
        str, typer.Option("--customer-column", help="The column naming the customer.")
    ],
    date_column: Annotated[
        str, typer.Option("--date-column", help="The column holding the purchase date.")
    ],
    amount_column: Annotated[
        str | None,
        typer.Option("--amount-column", help="The column holding the amount: adds Gamma-Gamma."),
    ] = None,
    calibration_end: Annotated[
        str | None,
        typer.Option(
            "--calibration-end",
            help="YYYY-MM-DD, included (default: the last purchase day in the file).",
        ),
    ] = None,
    time_unit: Annotated[
        TimeUnit,
        typer.Option("--time-unit", case_sensitive=False, help="D (days) or W (weeks)."),
    ] = TimeUnit.D,
    date_order: Annotated[
        DateOrder | None,
        typer.Option("--date-order", help="dmy or mdy, for short dates that read both ways."),
    ] = None,
    format: Annotated[
        Format, typer.Option("--format", help="json (the contract) or text.")
    ] = Format.JSON,
    lang: Annotated[
        Language | None, typer.Option("--lang", help="fr or en (default: CXGAP_LOCALE).")
    ] = None,
) -> None:
    """Summarise each customer's purchases on the calibration period (repeat purchase days,
    recency, age, mean repeat spend) and fit BG/NBD, and Gamma-Gamma with amounts, by
    maximum likelihood; refuses to print a fit that did not converge."""
    locale = lang.value if lang else cli_locale()
    columns = Columns(customer_column, date_column, amount_column)
    order = date_order.value if date_order else None
    try:
        end = _calibration_end(calibration_end)
        with _lines(transactions) as lines:
            purchases = read_purchases(lines, transactions.name, columns, date_order=order)
        result = fit_clv(purchases, end, time_unit.value)
    except ValidationError as exc:
        raise _refused(exc, locale) from None
    if format is Format.TEXT:
        typer.echo(sentences(result, locale))
        return
    typer.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))


def _calibration_end(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        refuse("--calibration-end", "calibration_end", text)


@contextmanager
def _lines(path: Path) -> Iterator[TextIO]:
    if not path.is_file():
        refuse(path.name, "not_found", str(path), source=path.name)
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8", newline="") as stream:
            yield stream
    except (OSError, EOFError):
        refuse(path.name, "unreadable", None, source=path.name)


def _refused(exc: ValidationError, locale: str) -> typer.Exit:
    """The problem in the reader's language: the file, the row, the column and the value."""
    problem = exc.problems[0]
    why = reason(str(problem.code), locale, problem.params)
    where = [problem.source] if problem.source else []
    if problem.row is not None:
        where.append(translate("clv.row", locale, row=problem.row))
    if problem.field != problem.source:
        field = problem.field
        if problem.source:
            field = translate("clv.column", locale, column=problem.field)
        where.append(field)
    place = ", ".join(where)
    if problem.value is None:
        return fail(translate("clv.refused_here", locale, place=place, reason=why))
    value = json.dumps(problem.value, ensure_ascii=False)
    return fail(translate("clv.refused", locale, place=place, reason=why, value=value))
