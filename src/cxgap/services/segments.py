"""One definition of each segment, used by every screen (seed 003).

``segment_filter`` is the one function that restricts feedback or survey answers to a
segment. It compiles the segment's rule (``analytics.segment_rules``) to a SQL condition
instead of materialising who belongs where: the condition is evaluated in the same query as
the aggregate that uses it, so it is never stale after an import or a rule change, needs no
table to maintain, and costs one pass over the rows that query reads anyway (the overlay
benchmark in docs/performance.md measures it over a million feedback items).

A segment without a rule matches the customers whose survey answer names its key
(``customer_responses.segment_key``) or whose feedback carries it as the ``segment``
attribute, exactly as the rule ``segment = "<key>"`` would.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
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
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
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
    SegmentRuleError,
    parse_rule,
)
from cxgap.db.tables import CustomerResponse, Feedback, PersonaRow, Segment, Workspace
from cxgap.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from cxgap.services.workspaces import bump_revision, check_key, segments_of

Target = Literal["feedback", "answers"]
# A column or SQL expression (mapped attributes and core expressions alike).
Expr = Any


def segment_filter(
    session: Session, *, workspace: Workspace, segment: str | None, target: Target = "feedback"
) -> ColumnElement[bool]:
    """The SQL condition "this feedback item (or survey answer) belongs to ``segment``".

    ``segment=None`` means everyone (``TRUE``). Use it in a ``where`` on ``Feedback`` or on
    ``CustomerResponse`` (``target="answers"``).
    """
    if segment is None:
        return true()
    return compile_rule(segment_rule(session, workspace=workspace, key=segment), target=target)


def segment_rule(session: Session, *, workspace: Workspace, key: str) -> Rule:
    """The segment's rule, or ``segment = "<key>"`` when it has none."""
    row = _segment(session, workspace, key)
    if row.rule:
        return parse_rule(row.rule)
    return _default_rule(key)


def set_segment_rule(
    session: Session, *, workspace: Workspace, key: str, rule: str | None
) -> Rule | None:
    """Store (or clear, with None or blank) the rule of segment ``key``; a bad rule raises
    ``SegmentRuleError`` naming the position and the token, and stores nothing."""
    row = _segment(session, workspace, key)
    parsed = parse_rule(rule) if rule and rule.strip() else None
    row.rule = None if parsed is None else parsed.text
    session.flush()
    bump_revision(session, workspace.id)
    return parsed


# --- the segments page: members now, personas, create and edit -------------------------------

NAME_LIMIT = 200


@dataclass(frozen=True)
class MemberCounts:
    """How many feedback items and survey answers a rule matches now."""

    feedback: int
    answers: int


@dataclass(frozen=True)
class SegmentSummary:
    """One segment as the segments page shows it."""

    segment: Segment
    counts: MemberCounts
    personas: tuple[tuple[str, str], ...]  # (key, name) of the personas standing for it


def segment_summaries(
    session: Session, workspace: Workspace, *, only: str | None = None
) -> list[SegmentSummary]:
    """Every segment of the workspace (or just segment ``only``) with its members now and its
    personas.

    Two queries count all segments at once (one pass over the workspace's feedback, one over
    its survey answers), each segment's rule compiled by ``compile_rule``.
    """
    rows = [s for s in segments_of(session, workspace) if only is None or s.key == only]
    if only is not None and not rows:
        raise NotFoundError(f"No segment {only!r} in workspace {workspace.key!r}")
    rules = [segment_rule(session, workspace=workspace, key=row.key) for row in rows]
    feedback = _count_each(session, workspace, rules, "feedback")
    answers = _count_each(session, workspace, rules, "answers")
    personas: dict[str | None, list[tuple[str, str]]] = {}
    query = (
        select(PersonaRow.segment_key, PersonaRow.key, PersonaRow.name)
        .where(PersonaRow.workspace_id == workspace.id, PersonaRow.segment_key.is_not(None))
        .order_by(PersonaRow.name, PersonaRow.key)
    )
    for segment_key, key, name in session.execute(query):
        personas.setdefault(segment_key, []).append((key, name))
    return [
        SegmentSummary(
            segment=row,
            counts=MemberCounts(feedback=f, answers=a),
            personas=tuple(personas.get(row.key, ())),
        )
        for row, f, a in zip(rows, feedback, answers, strict=True)
    ]


def count_members(session: Session, *, workspace: Workspace, rule: Rule) -> MemberCounts:
    """How many of the workspace's feedback items and survey answers ``rule`` matches."""
    return MemberCounts(
        feedback=_count_each(session, workspace, [rule], "feedback")[0],
        answers=_count_each(session, workspace, [rule], "answers")[0],
    )


def preview_rule(
    session: Session, *, workspace: Workspace, key: str | None, rule: str | None
) -> tuple[Rule, MemberCounts]:
    """The counts ``rule`` would give, without storing it. A blank rule previews the
    default of segment ``key`` (``segment = "<key>"``); a bad rule raises ``SegmentRuleError``."""
    if rule and rule.strip():
        parsed = parse_rule(rule)
    elif key:
        parsed = _default_rule(check_key("segment_key", key))
    else:
        raise ValidationError.single("rule", "write a rule, or give the segment a key", rule)
    return parsed, count_members(session, workspace=workspace, rule=parsed)


def rule_location(error: ValidationError) -> tuple[int | None, str]:
    """Where a refused rule went wrong (the 1-based position a ``SegmentRuleError`` names,
    for a caret) and the parser's message without that position.

    >>> try:
    ...     parse_rule("nps >=")
    ... except SegmentRuleError as error:
    ...     rule_location(error)
    (7, "expected a value after '>=', found the end of the rule")
    """
    messages = [p.message for p in error.problems if p.field == "rule"]
    for message in messages:
        match = _POSITION.match(message)
        if match:
            return int(match.group(1)), message[match.end() :].strip()
    return None, "; ".join(messages or [p.message for p in error.problems])


_POSITION = re.compile(r"position (\d+):")


def create_segment(
    session: Session,
    *,
    workspace: Workspace,
    key: str,
    name_en: str,
    name_fr: str,
    rule: str | None = None,
) -> Segment:
    """Add a segment at the end of the list. Every problem (key, names, rule) is reported
    at once and nothing is stored."""
    problems: list[FieldProblem] = []
    try:
        key = check_key("segment_key", key)
    except ValidationError as error:
        # Coded, so that the page says it in the reader's language.
        problems.extend(replace(p, code="key_format") for p in error.problems)
    else:
        if any(s.key == key for s in segments_of(session, workspace)):
            problems.append(
                FieldProblem(
                    "segment_key", "is already a segment of this workspace", key, code="duplicate"
                )
            )
    name_en, name_fr = _names(name_en, name_fr, problems)
    text = _rule_text(rule, problems)
    if problems:
        raise ValidationError(problems, summary="Segment refused")
    position = max((s.position for s in segments_of(session, workspace)), default=0) + 1
    row = Segment(
        workspace_id=workspace.id,
        key=key,
        name_en=name_en,
        name_fr=name_fr,
        position=position,
        rule=text,
    )
    session.add(row)
    session.flush()
    bump_revision(session, workspace.id)
    return row


def update_segment(
    session: Session,
    *,
    workspace: Workspace,
    key: str,
    name_en: str,
    name_fr: str,
    rule: str | None,
) -> Segment:
    """Rename segment ``key`` and set (or clear, when blank) its rule; every problem is
    reported at once and nothing is stored. The key never changes: personas and survey
    answers name it."""
    row = _segment(session, workspace, key)
    problems: list[FieldProblem] = []
    name_en, name_fr = _names(name_en, name_fr, problems)
    text = _rule_text(rule, problems)
    if problems:
        raise ValidationError(problems, summary="Segment refused")
    changed_rule = row.rule != text
    row.name_en, row.name_fr, row.rule = name_en, name_fr, text
    session.flush()
    if changed_rule:
        bump_revision(session, workspace.id)
    return row


def delete_segment(session: Session, *, workspace: Workspace, key: str) -> None:
    """Delete segment ``key``; refused while a persona stands for it. Answers and feedback
    that name the key keep it (it is their own value)."""
    row = _segment(session, workspace, key)
    used_by = session.scalars(
        select(PersonaRow.key)
        .where(PersonaRow.workspace_id == workspace.id, PersonaRow.segment_key == key)
        .order_by(PersonaRow.key)
    ).all()
    if used_by:
        raise ConflictError(
            f"Segment {key!r} is the segment of the personas {', '.join(used_by)}: give them "
            "another segment first"
        )
    session.delete(row)
    session.flush()
    bump_revision(session, workspace.id)


def _names(name_en: str, name_fr: str, problems: list[FieldProblem]) -> tuple[str, str]:
    names = []
    for field, value in (("name_en", name_en), ("name_fr", name_fr)):
        value = " ".join(value.split())
        if not value:
            problems.append(FieldProblem(field, "is required", value, code="required"))
        elif len(value) > NAME_LIMIT:
            problems.append(
                FieldProblem(
                    field,
                    f"holds at most {NAME_LIMIT} characters",
                    len(value),
                    code="too_long",
                    params={"limit": NAME_LIMIT},
                )
            )
        names.append(value)
    return names[0], names[1]


def _rule_text(rule: str | None, problems: list[FieldProblem]) -> str | None:
    if not rule or not rule.strip():
        return None
    try:
        return parse_rule(rule).text
    except SegmentRuleError as error:
        problems.extend(error.problems)
        return None


def _default_rule(key: str) -> Rule:
    return Rule(text=f'segment = "{key}"', node=Comparison("segment", "=", (key,)))


def _count_each(
    session: Session, workspace: Workspace, rules: list[Rule], target: Target
) -> list[int]:
    """One aggregate query: per rule, how many rows of ``target`` it matches."""
    if not rules:
        return []
    table: Any = Feedback if target == "feedback" else CustomerResponse
    columns = [
        func.coalesce(func.sum(case((compile_rule(rule, target=target), 1), else_=0)), 0)
        for rule in rules
    ]
    query = select(*columns).where(table.workspace_id == workspace.id)
    return [int(value) for value in session.execute(query).one()]


def compile_rule(rule: Rule | Node, *, target: Target = "feedback") -> ColumnElement[bool]:
    """The rule as a SQL condition on ``Feedback`` or ``CustomerResponse`` rows, with the same
    two-valued logic as ``segment_rules.evaluate`` (a missing value never matches)."""
    node = rule.node if isinstance(rule, Rule) else rule
    columns = _FEEDBACK if target == "feedback" else _ANSWERS
    return _compile(node, columns)


def _segment(session: Session, workspace: Workspace, key: str) -> Segment:
    row = session.scalar(
        select(Segment).where(Segment.workspace_id == workspace.id, Segment.key == key)
    )
    if row is None:
        raise NotFoundError(f"No segment {key!r} in workspace {workspace.key!r}")
    return row


# --- compilation ------------------------------------------------------------------------------


class _Columns:
    """Where each rule name lives in one table."""

    def __init__(
        self,
        text: dict[str, Callable[[], Expr | None]],
        numbers: dict[str, Callable[[], Expr | None]],
        attribute: Callable[[str], Expr | None],
    ) -> None:
        self.text, self.numbers, self.attribute = text, numbers, attribute

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
    parts = [_compile(part, columns) for part in node.operands]
    return and_(*parts) if isinstance(node, And) else or_(*parts)


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
    if op == "in":
        return column.in_(values)
    if op == "not in":
        return column.not_in(values)
    value = values[0]
    return {
        "=": lambda: column == value,
        "!=": lambda: column != value,
        "<": lambda: column < value,
        "<=": lambda: column <= value,
        ">": lambda: column > value,
        ">=": lambda: column >= value,
    }[op]()


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
