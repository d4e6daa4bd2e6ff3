"""Responses and contact counts from CSV text. Every column may be absent; a value that is
there but wrong is refused naming the file, the row (the file's line, the header being line
1), the column and the value, with a stable code the catalogues say in French and English
(``integrity.reason.<code>``).

Responses: ``response_id``, ``submitted_at`` (ISO 8601), ``duration_seconds``, ``agent``,
``nps`` (0–10), ``text``, ``item_…`` (1–5), and optionally ``respondent_id`` and
``honeypot``. Without ``response_id``, a response is named by its line in the file.
Contacts: ``agent``, ``contacts`` and optionally ``surveyed``.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import NoReturn

from cxgap.errors import FieldProblem, ValidationError
from cxgap.i18n import translate
from cxgap.integrity.model import Contacts, Response


def refuse(
    field: str, code: str, value: object, *, source: str, row: int | None = None
) -> NoReturn:
    message = translate(f"integrity.reason.{code}", "en")
    problem = FieldProblem(field, message, value, row=row, source=source, code=code)
    raise ValidationError([problem], summary=f"{source} cannot be used")


def read_responses(text: str, source: str) -> list[Response]:
    """The responses in file order; refuses bad values and a response id given twice."""
    seen: set[str] = set()
    responses = []
    for row, cells in _rows(text, source):

        def cell(name: str, cells: dict[str, str] = cells) -> str:
            return cells.get(name, "").strip()

        response_id = cell("response_id") or str(row)
        if response_id in seen:
            refuse("response_id", "duplicate_id", response_id, source=source, row=row)
        seen.add(response_id)
        items = tuple(
            _whole(cells[name].strip(), 1, 5, name, source, row)
            for name in cells
            if name.startswith("item_")
        )
        responses.append(
            Response(
                response_id=response_id,
                submitted_at=_when(cell("submitted_at"), source, row),
                duration_seconds=_seconds(cell("duration_seconds"), source, row),
                agent=cell("agent") or None,
                nps=_whole(cell("nps"), 0, 10, "nps", source, row),
                text=cell("text"),
                items=items,
                respondent=cell("respondent_id") or None,
                honeypot=cell("honeypot"),
            )
        )
    return responses


def read_contacts(text: str, source: str) -> dict[str, Contacts]:
    """Contact counts by agent; refuses a missing column, a bad count or an agent twice."""
    found: dict[str, Contacts] = {}
    for row, cells in _rows(text, source, required=("agent", "contacts")):
        agent = cells.get("agent", "").strip()
        if not agent:
            refuse("agent", "required", None, source=source, row=row)
        if agent in found:
            refuse("agent", "duplicate_agent", agent, source=source, row=row)
        contacts = _whole(cells.get("contacts", "").strip(), 1, None, "contacts", source, row)
        if contacts is None:
            refuse("contacts", "required", None, source=source, row=row)
        raw = cells.get("surveyed", "").strip()
        surveyed = _whole(raw, 0, contacts, "surveyed", source, row)
        found[agent] = Contacts(contacts, surveyed)
    return found


def _rows(
    text: str, source: str, required: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    lines = text.lstrip("\ufeff")
    if not lines.strip():
        refuse(source, "empty", None, source=source)
    first = lines.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(lines), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    for name in required:
        if name not in header:
            refuse(name, "missing_column", None, source=source)
    for name in header:
        if name and header.count(name) > 1:
            refuse(name, "duplicate_column", name, source=source, row=1)
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            refuse(source, "ragged_row", len(cells), source=source, row=reader.line_num)
        yield reader.line_num, dict(zip(header, cells, strict=False))


def _whole(text: str, low: int, high: int | None, column: str, source: str, row: int) -> int | None:
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        refuse(column, "whole", text, source=source, row=row)
    if value < low or (high is not None and value > high):
        code = "range" if high is not None else "whole"
        refuse(column, code, text, source=source, row=row)
    return value


def _seconds(text: str, source: str, row: int) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        refuse("duration_seconds", "seconds", text, source=source, row=row)
    if not math.isfinite(value) or value < 0:
        refuse("duration_seconds", "seconds", text, source=source, row=row)
    return value


def _when(text: str, source: str, row: int) -> datetime | None:
    """A naive UTC datetime; an offset is applied, a bare date is midnight."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1) if " " in text else text)
    except ValueError:
        refuse("submitted_at", "datetime", text, source=source, row=row)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment
