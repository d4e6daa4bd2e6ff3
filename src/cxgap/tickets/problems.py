"""Refusing a ticket file with its place (file, row, column) and value, and counting the
ordinary mess that is skipped or defaulted instead."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NoReturn

from cxgap.errors import FieldProblem, ValidationError
from cxgap.i18n import translate


def refuse(
    source: str,
    code: str,
    value: object,
    *,
    row: int | None = None,
    column: str = "(file)",
    **params: object,
) -> NoReturn:
    """Raise a ValidationError whose message is ``sla.tickets.reason.<code>``."""
    message = translate(f"sla.tickets.reason.{code}", "en", **params)
    problem = FieldProblem(
        column,
        message,
        value,
        row=row,
        source=source,
        code=code,
        params={"code": code, **params},
    )
    raise ValidationError([problem], summary=f"{source} cannot be imported")


@dataclass
class Tally:
    """What an import did besides reading cases: rows skipped and values defaulted (by
    reason), and metrics the file cannot measure (by metric)."""

    rows: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    defaulted: Counter[str] = field(default_factory=Counter)
    unmeasured: Counter[str] = field(default_factory=Counter)

    def as_json(self, cases: int) -> dict[str, object]:
        return {
            "rows": self.rows,
            "cases": cases,
            "skipped": dict(sorted(self.skipped.items())),
            "defaulted": dict(sorted(self.defaulted.items())),
            "unmeasured": dict(sorted(self.unmeasured.items())),
        }
