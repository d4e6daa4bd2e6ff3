"""A metric's series from CSV text: columns ``period`` (a date), ``value`` and optionally ``n``.

Every refusal names the file, the row (the file's line, the header being line 1), the column
and the value, with a stable code the catalogues say in French and English
(``impact.reason.<code>``).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import NoReturn

from cxgap.errors import FieldProblem, ValidationError
from cxgap.i18n import translate

COLUMNS = ("period", "value")
_MONTH = re.compile(r"\d{4}-\d{2}")


@dataclass(frozen=True)
class Point:
    """One period of the metric: its date, its value and, if known, how many answers made it."""

    period: date
    value: float
    n: int | None = None


def refuse(
    field: str, code: str, value: object, *, source: str | None = None, row: int | None = None
) -> NoReturn:
    message = translate(f"impact.reason.{code}", "en")
    problem = FieldProblem(field, message, value, row=row, source=source, code=code)
    raise ValidationError([problem], summary=f"{source or field} cannot be used")


def parse_period(text: str) -> date | None:
    """``YYYY-MM-DD``, or ``YYYY-MM`` for the first of the month; ``None`` otherwise."""
    text = text.strip()
    if _MONTH.fullmatch(text):
        text += "-01"
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def read_series(text: str, source: str) -> list[Point]:
    """The points in date order; refuses a missing column, a bad date, a bad number, a
    missing value or a period given twice."""
    lines = text.lstrip("\ufeff")
    first = lines.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(lines), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    for column in COLUMNS:
        if column not in header:
            refuse(column, "missing_column", None, source=source)
    index = {name: header.index(name) for name in (*COLUMNS, "n") if name in header}
    points: dict[date, tuple[int, Point]] = {}
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        row = reader.line_num
        point = _point(cells, index, source, row, decimal_comma=delimiter != ",")
        if point.period in points:
            refuse("period", "duplicate_period", cells[index["period"]], source=source, row=row)
        points[point.period] = (row, point)
    return [point for _, (_, point) in sorted(points.items())]


def _point(
    cells: list[str], index: dict[str, int], source: str, row: int, *, decimal_comma: bool
) -> Point:
    def cell(column: str) -> str:
        position = index[column]
        text = cells[position].strip() if position < len(cells) else ""
        if not text:
            refuse(column, "required", None, source=source, row=row)
        return text

    period = parse_period(cell("period"))
    if period is None:
        refuse("period", "date", cell("period"), source=source, row=row)
    value = _number(cell("value"), decimal_comma)
    if value is None:
        refuse("value", "number", cell("value"), source=source, row=row)
    n = None
    if "n" in index and index["n"] < len(cells) and cells[index["n"]].strip():
        n = _count(cells[index["n"]].strip())
        if n is None:
            refuse("n", "count", cells[index["n"]].strip(), source=source, row=row)
    return Point(period, value, n)


def _number(text: str, decimal_comma: bool) -> float | None:
    if decimal_comma:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _count(text: str) -> int | None:
    return int(text) if text.isdigit() and int(text) > 0 else None
