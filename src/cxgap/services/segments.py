"""One definition of each segment, used by every screen (seed 003), and its membership.

``segment_filter`` is the one function that restricts feedback or survey answers to a
segment. For feedback it reads the materialised membership (``db.segment_members``: the rule
evaluated once per item when the item or the rule changes, caught up on read), so a screen
filters by an indexed key instead of evaluating the rule on every row; survey answers are
filtered by the rule compiled to SQL (``db.segment_sql``), evaluated in the query that uses
it. The segments page counts members the same way.

A changed rule is applied by ``apply_segment_rule`` (the rule, its members and their counts
in one transaction); the screens and commands queue it as a job (``jobs.segment_rules``)
rather than rebuild in the request, and the segment keeps its previous rule until then.

A segment without a rule matches the customers whose survey answer names its key
(``customer_responses.segment_key``) or whose feedback carries it as the ``segment``
attribute, exactly as the rule ``segment = "<key>"`` would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, case, func, select, true
from sqlalchemy.orm import Session

from cxgap.analytics.segment_rules import Rule, parse_rule
from cxgap.db import segment_members
from cxgap.db.segment_sql import Target, compile_rule
from cxgap.db.tables import CustomerResponse, Feedback, PersonaRow, Segment, Workspace
from cxgap.errors import (
    ConflictError,
    FieldProblem,
    NotFoundError,
    SegmentRuleError,
    ValidationError,
)
from cxgap.services.rule_check import FeedbackEstimate, count_feedback
from cxgap.services.workspaces import bump_revision, check_key, segments_of

__all__ = ["Target", "compile_rule"]  # and the use cases below; overlay compiles rules too


def segment_filter(
    session: Session, *, workspace: Workspace, segment: str | None, target: Target = "feedback"
) -> ColumnElement[bool]:
    """The SQL condition "this feedback item (or survey answer) belongs to ``segment``".

    ``segment=None`` means everyone (``TRUE``). Use it in a ``where`` on ``Feedback`` (a
    lookup in the segment's materialised members, caught up first) or on
    ``CustomerResponse`` (``target="answers"``: the compiled rule).
    """
    if segment is None:
        return true()
    row = _segment(session, workspace, segment)
    if target == "answers":
        return compile_rule(segment_members.rule_of(row), target=target)
    segment_members.catch_up(session, [row])
    return segment_members.member_condition(row.id)


def segment_rule(session: Session, *, workspace: Workspace, key: str) -> Rule:
    """The segment's rule, or ``segment = "<key>"`` when it has none."""
    return segment_members.rule_of(_segment(session, workspace, key))


def set_segment_rule(
    session: Session, *, workspace: Workspace, key: str, rule: str | None
) -> Rule | None:
    """Store (or clear, with None or blank) the rule of segment ``key`` and rebuild its
    members and Listening counts now, in the caller's transaction (seeds, benches; the
    screens and commands queue the ``segment_rule`` job instead: ``jobs.segment_rules``).
    A bad rule raises ``SegmentRuleError`` naming the position and the token, and stores
    nothing."""
    row = _segment(session, workspace, key)
    parsed = parse_rule(rule) if rule and rule.strip() else None
    apply_segment_rule(session, segment=row, rule=None if parsed is None else parsed.text)
    return parsed


def normalise_rule(rule: str | None) -> str | None:
    """The rule as stored: its parsed text, or None for a blank one (the default); a bad
    rule raises ``SegmentRuleError``."""
    return parse_rule(rule).text if rule and rule.strip() else None


def apply_segment_rule(
    session: Session,
    *,
    segment: Segment,
    rule: str | None,
    on_step: segment_members.StepCallback | None = None,
) -> bool:
    """Give ``segment`` the rule ``rule`` (stored text, None for the default): the rule, its
    members and their Listening counts change together in the caller's transaction, so a
    reader sees all of the previous or all of the new. False when it had that rule and its
    members were built for it (nothing written): applying twice is applying once."""
    state = segment_members.lock_state(session, segment.id)
    wanted = parse_rule(rule) if rule else segment_members.default_rule(segment.key)
    if segment.rule == rule and state is not None and state.rule == wanted.text:
        return False
    segment_members.rebuild(session, segment, on_step=on_step, rule=wanted)
    segment.rule = rule  # the segment's row written last: locked for an instant
    session.flush()
    bump_revision(session, segment.workspace_id)
    return True


# --- the segments page: members now, personas, create and edit -------------------------------

NAME_LIMIT = 200


@dataclass(frozen=True)
class MemberCounts:
    """How many feedback items and survey answers a rule matches now; with ``estimate``,
    ``feedback`` is a sample's point estimate and the interval is in the estimate."""

    feedback: int
    answers: int
    estimate: FeedbackEstimate | None = None


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

    Feedback items are counted from the materialised members (caught up first, an index
    count per segment); survey answers by one aggregate query over the workspace's answers,
    each segment's rule compiled by ``compile_rule``.
    """
    rows = [s for s in segments_of(session, workspace) if only is None or s.key == only]
    if only is not None and not rows:
        raise NotFoundError(f"No segment {only!r} in workspace {workspace.key!r}")
    segment_members.catch_up(session, rows)
    counted = segment_members.member_counts(session, [row.id for row in rows])
    feedback = [counted[row.id] for row in rows]
    answers = _count_each(session, workspace, [segment_members.rule_of(r) for r in rows], "answers")
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
    session: Session,
    *,
    workspace: Workspace,
    key: str | None,
    rule: str | None,
    exact: bool = False,
) -> tuple[Rule, MemberCounts]:
    """The counts ``rule`` would give, without storing it. A blank rule previews the
    default of segment ``key`` (``segment = "<key>"``); a bad rule raises ``SegmentRuleError``.

    A saved rule is counted from its members. An unsaved one is counted on the rows within
    ``rule_check.EXACT_BUDGET_S``, else estimated from a sample (``counts.estimate``), unless
    ``exact`` asks for the count however long it takes."""
    if rule and rule.strip():
        parsed = parse_rule(rule)
    elif key:
        parsed = segment_members.default_rule(check_key("segment_key", key))
    else:
        raise ValidationError.single("rule", "write a rule, or give the segment a key", rule)
    saved = _saved(session, workspace, key)
    if saved is not None and segment_members.rule_of(saved).text == parsed.text:
        # The check of a saved rule: its members are materialised.
        (summary,) = segment_summaries(session, workspace, only=saved.key)
        return parsed, summary.counts
    if exact:
        return parsed, count_members(session, workspace=workspace, rule=parsed)
    condition = compile_rule(parsed, target="feedback")
    feedback, estimate = count_feedback(session, workspace.id, condition)
    answers = _count_each(session, workspace, [parsed], "answers")[0]
    return parsed, MemberCounts(feedback=feedback, answers=answers, estimate=estimate)


def _saved(session: Session, workspace: Workspace, key: str | None) -> Segment | None:
    if not key:
        return None
    return session.scalar(
        select(Segment).where(Segment.workspace_id == workspace.id, Segment.key == key)
    )


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
    segment_members.rebuild(session, row)
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
    apply_rule: bool = True,
) -> Segment:
    """Rename segment ``key`` and set (or clear, when blank) its rule; every problem is
    reported at once and nothing is stored. The key never changes: personas and survey
    answers name it. ``apply_rule=False``: the names only, the rule validated and left for
    the ``segment_rule`` job (``jobs.segment_rules.save_segment``)."""
    row = _segment(session, workspace, key)
    problems: list[FieldProblem] = []
    name_en, name_fr = _names(name_en, name_fr, problems)
    text = _rule_text(rule, problems)
    if problems:
        raise ValidationError(problems, summary="Segment refused")
    row.name_en, row.name_fr = name_en, name_fr
    session.flush()
    if apply_rule:
        apply_segment_rule(session, segment=row, rule=text)
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
    session.delete(row)  # its members go with it (foreign keys cascade)
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


def _segment(session: Session, workspace: Workspace, key: str) -> Segment:
    row = session.scalar(
        select(Segment).where(Segment.workspace_id == workspace.id, Segment.key == key)
    )
    if row is None:
        raise NotFoundError(f"No segment {key!r} in workspace {workspace.key!r}")
    return row
