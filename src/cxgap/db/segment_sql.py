"""Segment rules compiled to SQL conditions on ``feedback`` or ``customer_responses`` rows.

The rule tree comes from ``analytics.segment_rules`` (pure, no database); this module turns it
into a SQLAlchemy condition with the same two-valued logic as ``segment_rules.evaluate`` (a
missing value never matches), on SQLite and PostgreSQL alike. ``db.segment_members``
evaluates it once per row when the data or the rule changes; ``services.segments`` uses it
for the check of an unsaved rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Float,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    not_,
    or_,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from cxgap.analytics.generations import GENERATIONS
from cxgap.analytics.segment_rules import (
    GENERATION_ALIASES,
    NUMERIC_FIELDS,
    And,
    Comparison,
    Node,
    Not,
    Rule,
)
from cxgap.db.tables import CustomerResponse, Feedback

Target = Literal["feedback", "answers"]
# A column or SQL expression (mapped attributes and core expressions alike).
Expr = Any


def compile_rule(rule: Rule | Node, *, target: Target = "feedback") -> ColumnElement[bool]:
    """The rule as a SQL condition on ``Feedback`` or ``CustomerResponse`` rows, with the same
    two-valued logic as ``segment_rules.evaluate`` (a missing value never matches)."""
    node = rule.node if isinstance(rule, Rule) else rule
    columns = _FEEDBACK if target == "feedback" else _ANSWERS
    return _compile(node, columns)


# --- compilation ------------------------------------------------------------------------------


class _Columns:
    """Where each rule name lives in one table."""

    def __init__(
        self,
        text: dict[str, Callable[[], Expr | None]],
        numbers: dict[str, Callable[[], Expr | None]],
        attribute: Callable[[str], Expr | None],
        in_json: frozenset[str] = frozenset(),
    ) -> None:
        self.text, self.numbers, self.attribute = text, numbers, attribute
        self.in_json = in_json  # names read out of the JSON attributes (dearer)

    def value(self, field: str) -> Expr | None:
        if field in self.numbers:
            return self.numbers[field]()
        if field in self.text:
            return self.text[field]()
        return self.attribute(field)


def _compile(node: Node, columns: _Columns) -> ColumnElement[bool]:
    if isinstance(node, Comparison):
        return _comparison(node, columns)
    if isinstance(node, Not):
        return not_(_compile(node.operand, columns))
    # Cheapest first: both databases stop at the first operand that decides, and a score
    # column costs far less than an attribute read out of JSON or a cohort computed from it.
    ordered = sorted(node.operands, key=lambda part: _cost(part, columns))
    parts = [_compile(part, columns) for part in ordered]
    return and_(*parts) if isinstance(node, And) else or_(*parts)


def _cost(node: Node, columns: _Columns) -> int:
    """A rough cost of evaluating ``node`` on one row: 1 for a plain column, 4 for a free
    attribute, 16 for the generation (its birth year read and tested once per cohort)."""
    if isinstance(node, Comparison):
        if node.field == "generation":
            return 16
        known = node.field in columns.numbers or node.field in columns.text
        return 1 if known and node.field not in columns.in_json else 4
    if isinstance(node, Not):
        return _cost(node.operand, columns)
    return sum(_cost(part, columns) for part in node.operands)


def _comparison(node: Comparison, columns: _Columns) -> ColumnElement[bool]:
    if node.field == "generation":
        column: Expr | None = _generation(columns)
    else:
        column = columns.value(node.field)
    if column is None:
        return false()
    numeric = node.field in NUMERIC_FIELDS or node.op in ("<", "<=", ">", ">=")
    if not numeric and all(isinstance(v, float) for v in node.values):
        numeric = True
    if numeric:
        value = column if node.field in NUMERIC_FIELDS else _as_number(column)
        test = _apply(node, value, list(node.values))
    else:
        lowered = func.lower(func.trim(column))
        test = _apply(node, lowered, [str(v).lower() for v in node.values])
    return and_(column.is_not(None), test)


def _apply(node: Comparison, column: Expr, values: list[object]) -> ColumnElement[bool]:
    op = node.op
    # ``Expr`` is Any (a column, a JSON path, a CASE): say what its operators give.
    test: ColumnElement[bool]
    if op == "in":
        test = column.in_(values)
        return test
    if op == "not in":
        test = column.not_in(values)
        return test
    value = values[0]
    compared = {
        "=": lambda: column == value,
        "!=": lambda: column != value,
        "<": lambda: column < value,
        "<=": lambda: column <= value,
        ">": lambda: column > value,
        ">=": lambda: column >= value,
    }[op]()
    test = compared
    return test


class _LooksNumeric(FunctionElement[bool]):
    """True when a text reads as a number (``segment_rules.NUMBER_TEXT``): PostgreSQL would
    refuse to cast "n/a", SQLite would read it as 0."""

    type = Boolean()
    name = "looks_numeric"
    inherit_cache = True


@compiles(_LooksNumeric, "sqlite")
def _looks_numeric_sqlite(element: _LooksNumeric, compiler: SQLCompiler, **kw: Any) -> str:
    text = compiler.process(next(iter(element.clauses)), **kw)
    return f"({text} GLOB '*[0-9]*' AND NOT {text} GLOB '*[^0-9.-]*')"


@compiles(_LooksNumeric, "postgresql")
def _looks_numeric_postgres(element: _LooksNumeric, compiler: SQLCompiler, **kw: Any) -> str:
    text = compiler.process(next(iter(element.clauses)), **kw)
    return f"({text} ~ '^-?[0-9]+(\\.[0-9]+)?$')"


def _as_number(column: Expr) -> Expr:
    """Text read as a number when it looks like one, else NULL."""
    trimmed = func.trim(column)
    return case((_LooksNumeric(trimmed), cast(trimmed, Float)), else_=literal(None, Float))


def _generation(columns: _Columns) -> Expr | None:
    """The cohort key: from the birth year when known, else the generation attribute."""
    year = columns.numbers["birth_year"]()
    written = columns.text.get("generation_written", lambda: None)()
    by_year = None
    if year is not None:
        by_year = case(
            *[
                (year <= g.last_year, literal(g.key))
                for g in GENERATIONS
                if g.last_year is not None
            ],
            else_=literal(GENERATIONS[-1].key),
        )
    by_name = None
    if written is not None:
        lowered = func.lower(func.trim(written))
        by_name = case(
            *[(lowered == alias, literal(key)) for alias, key in GENERATION_ALIASES.items()],
            else_=literal(None),
        )
    if by_year is not None and by_name is not None and year is not None:
        return case((year.is_not(None), by_year), else_=by_name)
    return by_year if by_year is not None else by_name


def _attribute(name: str) -> Expr:
    return Feedback.attributes[name].as_string()


_FEEDBACK = _Columns(
    text={
        "segment": lambda: _attribute("segment"),
        "channel": lambda: Feedback.channel,
        "touchpoint": lambda: Feedback.touchpoint,
        "source": lambda: Feedback.source_type,
        "language": lambda: Feedback.language_hint,
        "generation_written": lambda: _attribute("generation"),
    },
    numbers={
        "nps": lambda: Feedback.nps,
        "csat": lambda: Feedback.csat,
        "ces": lambda: Feedback.ces,
        "stars": lambda: Feedback.stars,
        "birth_year": lambda: _as_number(_attribute("birth_year")),
    },
    attribute=_attribute,
    in_json=frozenset({"segment", "birth_year"}),
)

_ANSWERS = _Columns(
    text={
        "segment": lambda: CustomerResponse.segment_key,
        "source": lambda: CustomerResponse.source,
        "language": lambda: CustomerResponse.language,
        "channel": lambda: None,
        "touchpoint": lambda: None,
    },
    numbers={
        "nps": lambda: CustomerResponse.nps,
        "csat": lambda: CustomerResponse.csat,
        "ces": lambda: CustomerResponse.ces,
        "stars": lambda: None,
        "birth_year": lambda: CustomerResponse.birth_year,
    },
    attribute=lambda name: None,
)
