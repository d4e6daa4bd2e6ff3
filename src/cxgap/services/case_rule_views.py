"""The rules that open cases and the teams, as plain data: what the API answers and
``cxgap cases rules|teams … --format json`` prints."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cxgap.db.tables import CaseRule, Team, Workspace
from cxgap.services import case_rules, teams


def rule_data(rule: CaseRule, position: int, team_keys: dict[int, str]) -> dict[str, object]:
    return {
        "id": rule.id,
        "position": position,
        "name": rule.name,
        "enabled": rule.enabled,
        "conditions": dict(rule.conditions),
        "priority": rule.priority,
        "team": None if rule.team_id is None else team_keys.get(rule.team_id),
    }


def rules_data(session: Session, workspace: Workspace) -> list[dict[str, object]]:
    """The rules in the order they are tried (``position`` from 1)."""
    keys = {t.id: t.key for t, _ in teams.teams_of(session, workspace)}
    rows = case_rules.rules_of(session, workspace)
    return [rule_data(r, n, keys) for n, r in enumerate(rows, start=1)]


def one_rule_data(session: Session, workspace: Workspace, rule_id: int) -> dict[str, object]:
    return next(r for r in rules_data(session, workspace) if r["id"] == rule_id)


def team_data(team: Team, members: list[str]) -> dict[str, object]:
    return {"key": team.key, "name": team.name, "members": members}


def teams_data(session: Session, workspace: Workspace) -> list[dict[str, object]]:
    return [team_data(t, m) for t, m in teams.teams_of(session, workspace)]
