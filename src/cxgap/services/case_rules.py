"""The rules that open cases from feedback, and their evaluation where feedback lands.

A rule holds conditions that must all be met (``nps_max``, ``csat_max``, ``topic`` — a
negative finding on that topic —, ``critical_touchpoint`` — the item is about a touchpoint a
journey marks as a moment of truth or critical); rules are tried in order and the first that
matches an item opens its case (or attaches the item to its customer's open case).

Evaluation is set-based: one query per enabled rule over the items of an import, a survey
batch or an enrichment run, never one per item; a workspace without rules pays one query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, insert, or_, select
from sqlalchemy.orm import Session

from cxgap.db.tables import (
    CaseEvent,
    CaseFeedback,
    CaseRow,
    CaseRule,
    Feedback,
    JourneyRow,
    JourneyStageRow,
    JourneyTouchpointRow,
    TextEnrichment,
    TextFinding,
    Topic,
    Workspace,
)
from cxgap.errors import FieldProblem, NotFoundError, ValidationError
from cxgap.services import cases
from cxgap.webhooks import store as webhooks

CONDITIONS = ("nps_max", "csat_max", "topic", "critical_touchpoint")
_RANGES = {"nps_max": (0, 10), "csat_max": (1, 5)}


@dataclass(frozen=True)
class RuleInput:
    """A rule as an analyst writes it (form, API)."""

    name: str
    conditions: Mapping[str, object]
    priority: str = "normal"
    team_key: str | None = None
    enabled: bool = True


def check_conditions(
    session: Session, workspace_id: int, raw: Mapping[str, object]
) -> dict[str, object]:
    """The conditions cleaned, or a ValidationError naming each bad one."""
    problems: list[FieldProblem] = []
    clean: dict[str, object] = {}
    for key, value in raw.items():
        if key not in CONDITIONS:
            problems.append(
                FieldProblem(
                    key, f"unknown condition; one of {', '.join(CONDITIONS)}", value, code="choice"
                )
            )
        elif value is None or value == "" or value is False:
            continue
        elif key in _RANGES:
            low, high = _RANGES[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                problems.append(
                    FieldProblem(
                        key,
                        f"must be a whole number from {low} to {high}",
                        value,
                        code="range",
                        params={"low": low, "high": high},
                    )
                )
            else:
                clean[key] = value
        elif key == "topic":
            if not isinstance(value, str) or not _topic_exists(session, workspace_id, value):
                problems.append(
                    FieldProblem(key, "no such topic in this workspace", value, code="choice")
                )
            else:
                clean[key] = value
        elif value is not True:
            problems.append(FieldProblem(key, "must be true or false", value, code="boolean"))
        else:
            clean[key] = True
    if not problems and not clean:
        problems.append(
            FieldProblem("conditions", "give at least one condition", "", code="required")
        )
    if problems:
        raise ValidationError(problems, summary="Case rule refused")
    return clean


def _topic_exists(session: Session, workspace_id: int, key: str) -> bool:
    query = select(Topic.id).where(Topic.workspace_id == workspace_id, Topic.key == key)
    return session.scalar(query) is not None


def rule_topics(session: Session, workspace: Workspace) -> list[Topic]:
    """The active topics a rule may name."""
    query = select(Topic).where(Topic.workspace_id == workspace.id, Topic.active)
    return list(session.scalars(query.order_by(Topic.position, Topic.key)))


def rules_of(session: Session, workspace: Workspace) -> list[CaseRule]:
    query = select(CaseRule).where(CaseRule.workspace_id == workspace.id)
    return list(session.scalars(query.order_by(CaseRule.position, CaseRule.id)))


def save_rule(
    session: Session, *, workspace: Workspace, rule: RuleInput, rule_id: int | None = None
) -> CaseRule:
    """Add a rule (last in order) or replace rule ``rule_id``."""
    name = cases.checked_text("name", rule.name, 200, required=True)
    conditions = check_conditions(session, workspace.id, rule.conditions)
    cases.checked_choice("priority", rule.priority, cases.PRIORITIES)
    team = cases.team_by_key(session, workspace.id, rule.team_key) if rule.team_key else None
    row = _rule(session, workspace, rule_id) if rule_id is not None else None
    if row is None:
        row = CaseRule(workspace_id=workspace.id, position=len(rules_of(session, workspace)))
        session.add(row)
    row.name, row.conditions, row.priority, row.enabled = (
        name,
        conditions,
        rule.priority,
        rule.enabled,
    )
    row.team_id = None if team is None else team.id
    session.flush()
    return row


def _rule(session: Session, workspace: Workspace, rule_id: int) -> CaseRule:
    row = session.get(CaseRule, rule_id)
    if row is None or row.workspace_id != workspace.id:
        raise NotFoundError(f"No case rule {rule_id} in workspace {workspace.key!r}")
    return row


def delete_rule(session: Session, *, workspace: Workspace, rule_id: int) -> None:
    session.delete(_rule(session, workspace, rule_id))
    session.flush()
    for position, row in enumerate(rules_of(session, workspace)):
        row.position = position


def toggle_rule(session: Session, *, workspace: Workspace, rule_id: int) -> None:
    row = _rule(session, workspace, rule_id)
    row.enabled = not row.enabled
    session.flush()


def move_rule(session: Session, *, workspace: Workspace, rule_id: int, up: bool) -> None:
    rows = rules_of(session, workspace)
    index = next(i for i, r in enumerate(rows) if r.id == _rule(session, workspace, rule_id).id)
    other = index - 1 if up else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows):
        row.position = position
    session.flush()


def reorder_rules(session: Session, *, workspace: Workspace, rule_ids: Sequence[int]) -> None:
    """Put the rules in this order; every rule of the workspace must be named once."""
    rows = {r.id: r for r in rules_of(session, workspace)}
    if sorted(rule_ids) != sorted(rows):
        raise ValidationError.single(
            "rules",
            f"must list each rule id once: {', '.join(str(i) for i in sorted(rows)) or 'none'}",
            list(rule_ids),
            code="rule_order",
            params={"ids": ", ".join(str(i) for i in sorted(rows))},
        )
    for position, rule_id in enumerate(rule_ids):
        rows[rule_id].position = position
    session.flush()


def rule_by_id(session: Session, workspace: Workspace, rule_id: int) -> CaseRule:
    """Rule ``rule_id`` of the workspace, or NotFoundError."""
    return _rule(session, workspace, rule_id)


def enabled_rules(session: Session, workspace_id: int) -> list[CaseRule]:
    query = select(CaseRule).where(CaseRule.workspace_id == workspace_id, CaseRule.enabled)
    return list(session.scalars(query.order_by(CaseRule.position, CaseRule.id)))


def _critical_touchpoints(session: Session, workspace_id: int) -> list[str]:
    query = (
        select(JourneyTouchpointRow.key)
        .join(JourneyStageRow, JourneyStageRow.id == JourneyTouchpointRow.stage_id)
        .join(JourneyRow, JourneyRow.id == JourneyStageRow.journey_id)
        .where(
            JourneyRow.workspace_id == workspace_id,
            or_(
                JourneyTouchpointRow.moment_of_truth,
                JourneyTouchpointRow.declared_criticality == "critical",
            ),
        )
        .distinct()
    )
    return list(session.scalars(query))


def _condition_clauses(
    workspace_id: int, conditions: Mapping[str, object], critical: Sequence[str]
) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if isinstance(nps := conditions.get("nps_max"), int):
        clauses.append(Feedback.nps <= nps)
    if isinstance(csat := conditions.get("csat_max"), int):
        clauses.append(Feedback.csat <= csat)
    if isinstance(topic := conditions.get("topic"), str):
        negative = (
            select(TextFinding.id)
            .join(TextEnrichment, TextEnrichment.id == TextFinding.enrichment_id)
            .where(
                TextEnrichment.workspace_id == workspace_id,
                TextEnrichment.text_hash == Feedback.text_hash,
                TextFinding.topic_key == topic,
                TextFinding.sentiment == "negative",
            )
        )
        clauses.append(exists(negative))
    if conditions.get("critical_touchpoint"):
        clauses.append(Feedback.touchpoint.in_(list(critical)))
    return clauses


def apply_rules(
    session: Session,
    workspace_id: int,
    scope: ColumnElement[bool],
    *,
    topic_rules_only: bool = False,
    now: datetime | None = None,
) -> int:
    """Open (or attach to) cases for the feedback in ``scope`` that a rule matches and that
    no case holds yet; returns how many items were taken."""
    ordered = matching_items(session, workspace_id, scope, topic_rules_only=topic_rules_only)
    open_or_attach(session, workspace_id, ordered, now or cases.now_utc())
    return len(ordered)


def matching_items(
    session: Session,
    workspace_id: int,
    scope: ColumnElement[bool],
    *,
    topic_rules_only: bool = False,
) -> list[tuple[CaseRule, Feedback]]:
    """The items in ``scope`` that no case holds yet, each with the first enabled rule that
    matches it, oldest first (the order cases are opened in)."""
    rules = enabled_rules(session, workspace_id)
    if topic_rules_only:
        rules = [r for r in rules if r.conditions.get("topic")]
    if not rules:
        return []
    critical = _critical_touchpoints(session, workspace_id)
    taken: dict[int, tuple[CaseRule, Feedback]] = {}
    held = exists(select(CaseFeedback.id).where(CaseFeedback.feedback_id == Feedback.id))
    for rule in rules:
        clauses = _condition_clauses(workspace_id, rule.conditions, critical)
        if not clauses:
            continue
        query = select(Feedback).where(
            Feedback.workspace_id == workspace_id, scope, ~held, and_(*clauses)
        )
        for item in session.scalars(query.order_by(Feedback.collected_at, Feedback.id)):
            taken.setdefault(item.id, (rule, item))
    return sorted(taken.values(), key=lambda pair: (pair[1].collected_at, pair[1].id))


def open_customers(session: Session, workspace_id: int, refs: set[str]) -> dict[str, CaseRow]:
    """The open case of each of these customers that has one."""
    open_cases: dict[str, CaseRow] = {}
    if refs:
        query = select(CaseRow).where(
            CaseRow.workspace_id == workspace_id,
            CaseRow.customer_ref.in_(refs),
            CaseRow.status.not_in(cases.CLOSED),
        )
        for row in session.scalars(query.order_by(CaseRow.id.desc())):
            open_cases[row.customer_ref or ""] = row
    return open_cases


def open_or_attach(
    session: Session,
    workspace_id: int,
    matches: Sequence[tuple[CaseRule, Feedback]],
    now: datetime,
) -> tuple[int, int]:
    """Open a case for each match, or attach it to its customer's open case; returns how
    many cases were opened and how many items attached."""
    refs = {item.customer_ref for _, item in matches if item.customer_ref}
    open_cases = open_customers(session, workspace_id, refs)
    number = cases.next_number(session, workspace_id)
    created: list[tuple[CaseRow, CaseRule, Feedback]] = []
    attached: list[tuple[CaseRow, Feedback]] = []
    for rule, item in matches:
        known = open_cases.get(item.customer_ref or "") if item.customer_ref else None
        if known is not None:
            attached.append((known, item))
            continue
        case = _new_case(workspace_id, number, rule, item, now)
        number += 1
        session.add(case)
        created.append((case, rule, item))
        if item.customer_ref:
            open_cases[item.customer_ref] = case
    session.flush()  # one round trip gives every new case its id
    # The history and the links in two bulk inserts: a large import's detractors are
    # thousands of rows, too many for one ORM object each.
    events: list[dict[str, object]] = []
    links: list[dict[str, object]] = []
    for case, rule, item in created:
        events.append(_event(case, "created", "system", False, {"rule_id": rule.id}, now))
        links.append({"case_id": case.id, "feedback_id": item.id, "attached_at": now})
    for case, item in attached:
        events.append(_event(case, "attached", "customer", True, {"feedback_id": item.id}, now))
        links.append({"case_id": case.id, "feedback_id": item.id, "attached_at": now})
        case.updated_at = now
    if events:
        session.execute(insert(CaseEvent), events)
        session.execute(insert(CaseFeedback), links)
    if created and webhooks.wanted(session, workspace_id, "case.created"):
        for case, _, _ in created:
            webhooks.emit(session, workspace_id, "case.created", cases.case_data(case))
    return len(created), len(attached)


def _event(
    case: CaseRow, type_: str, author: str, public: bool, fields: dict[str, object], at: datetime
) -> dict[str, object]:
    return {
        "case_id": case.id, "at": at, "type": type_, "author": author, "public": public,
        "auto": False, "actor_id": None, "body": "", "status": None, "fields": fields,
    }  # fmt: skip


def _new_case(
    workspace_id: int, number: int, rule: CaseRule, item: Feedback, now: datetime
) -> CaseRow:
    return CaseRow(
        workspace_id=workspace_id,
        number=number,
        subject=cases.subject_of(item),
        customer_ref=item.customer_ref,
        priority=rule.priority,
        status="new",
        channel=item.channel,
        feedback_id=item.id,
        rule_id=rule.id,
        team_id=rule.team_id,
        created_at=now,
        updated_at=now,
        breached=[],
    )
