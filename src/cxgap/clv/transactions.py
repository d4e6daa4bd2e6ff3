"""Purchases from a CSV file: a customer column, a date column and, optionally, an amount.

The file is read once, row by row, and kept as one entry per customer and purchase day (the
amounts of a day added up), which is all the models need. Every refusal names the file, the
row (the file's line, the header being line 1), the column and the value, with a stable code
the catalogues say in French and English (``clv.reason.<code>``). Nothing is guessed: a
short date that reads both ways needs ``date_order``; an amount must be a number, 0 or more
(a purchase that cost nothing still counts as a purchase day).
"""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import NoReturn

from cxgap.clv.dates import date_reader
from cxgap.errors import DateOrderError, FieldProblem, ValidationError
from cxgap.i18n import catalog, plural_form, translate

_DELIMITERS = ",;\t"


@dataclass(frozen=True)
class Columns:
    """The names of the file's columns to read (``amount`` None: no spend)."""

    customer: str
    date: str
    amount: str | None = None


@dataclass(frozen=True)
class Purchases:
    """Each customer's purchase days and what they spent that day (0.0 without amounts)."""

    days: dict[str, dict[date, float]]
    rows: int
    has_amounts: bool


def refuse(
    field: str,
    code: str,
    value: object,
    *,
    source: str | None = None,
    row: int | None = None,
    **params: object,
) -> NoReturn:
    """Raise ValidationError for one problem; its message is the catalogue's English."""
    message = reason(code, "en", params)
    problem = FieldProblem(field, message, value, row=row, source=source, code=code, params=params)
    raise ValidationError([problem], summary=f"{source or field} cannot be used")


def reason(code: str, locale: str, params: Mapping[str, object]) -> str:
    """Why a value is refused (``clv.reason.<code>``), in ``locale``; a message with a
    ``count`` takes its plural form (``_one`` or ``_other``) where the catalogue has one."""
    key = f"clv.reason.{code}"
    count = params.get("count")
    if isinstance(count, int) and f"{key}_one" in catalog(locale):
        key = f"{key}_{plural_form(count, locale)}"
    return translate(key, locale, **params)


def read_purchases(
    lines: Iterable[str], source: str, columns: Columns, *, date_order: str | None = None
) -> Purchases:
    """The purchases of a CSV text (any iterable of its lines, the first being the header)."""
    iterator = iter(lines)
    try:
        first = next(iterator, "").lstrip("\ufeff")
        delimiter = max(_DELIMITERS, key=first.count)
        reader = csv.reader(itertools.chain([first], iterator), delimiter=delimiter)
        header = [name.strip() for name in next(reader, [])]
        index = _positions(header, columns, source)
        # (customer, date as written) -> (first row, amount of that text's purchases)
        seen: dict[tuple[str, str], tuple[int, float]] = {}
        rows = 0
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            rows += 1
            row = reader.line_num
            customer, when, amount = _cells(cells, index, columns, source, row, delimiter)
            first_row, total = seen.get((customer, when), (row, 0.0))
            seen[(customer, when)] = (first_row, total + amount)
    except (UnicodeDecodeError, csv.Error):
        refuse(source, "unreadable", None, source=source)
    if rows == 0:
        refuse(source, "empty", None, source=source)
    days = _by_day(seen, source, columns.date, date_order)
    return Purchases(days, rows, columns.amount is not None)


def _positions(header: list[str], columns: Columns, source: str) -> dict[str, int]:
    folded = [name.casefold() for name in header]
    index: dict[str, int] = {}
    for role, name in (("customer", columns.customer), ("date", columns.date),
                       ("amount", columns.amount)):  # fmt: skip
        if name is None:
            continue
        if name in header:
            index[role] = header.index(name)
        elif name.casefold() in folded:
            index[role] = folded.index(name.casefold())
        else:
            refuse(name, "missing_column", None, source=source, columns=", ".join(header))
    return index


def _cells(
    cells: list[str],
    index: dict[str, int],
    columns: Columns,
    source: str,
    row: int,
    delimiter: str,
) -> tuple[str, str, float]:
    def cell(role: str, name: str) -> str:
        position = index[role]
        text = cells[position].strip() if position < len(cells) else ""
        if not text:
            refuse(name, "required", None, source=source, row=row)
        return text

    customer = cell("customer", columns.customer)
    when = cell("date", columns.date)
    if columns.amount is None:
        return customer, when, 0.0
    text = cell("amount", columns.amount)
    amount = _number(text, decimal_comma=delimiter != ",")
    if amount is None:
        refuse(columns.amount, "number", text, source=source, row=row)
    if amount < 0:
        refuse(columns.amount, "amount_negative", text, source=source, row=row)
    return customer, when, amount


def _number(text: str, *, decimal_comma: bool) -> float | None:
    if decimal_comma:
        text = text.replace(",", ".")
    try:
        number = float(text.replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _by_day(
    seen: dict[tuple[str, str], tuple[int, float]],
    source: str,
    column: str,
    date_order: str | None,
) -> dict[str, dict[date, float]]:
    texts: dict[str, int] = {}
    for (_, when), (row, _) in seen.items():
        texts[when] = min(row, texts.get(when, row))
    try:
        read = date_reader(texts, date_order)
    except DateOrderError as exc:
        example = min(texts, key=lambda text: texts[text])
        refuse(column, exc.code, example, source=source)
    parsed: dict[str, date] = {}
    for text, row in sorted(texts.items(), key=lambda item: item[1]):
        day = read(text)
        if day is None:
            refuse(column, "date", text, source=source, row=row)
        parsed[text] = day
    days: dict[str, dict[date, float]] = {}
    for (customer, when), (_, amount) in seen.items():
        spend = days.setdefault(customer, {})
        spend[parsed[when]] = spend.get(parsed[when], 0.0) + amount
    return days
