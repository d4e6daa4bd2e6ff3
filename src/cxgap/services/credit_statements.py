"""Service credits of a month from what is stored: the cases opened that month (their SLA
metrics hit or missed under the workspace's policies, each with its account's tier) and the
availability incidents, under the workspace's service menu (docs/service-menu.md). The same
arithmetic as ``cxgap credits compute`` on files (``cxgap.sla.credits``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import CaseRow, Workspace
from cxgap.errors import NotFoundError
from cxgap.services import availability_incidents, case_sla, service_levels
from cxgap.sla.compliance import Compliance, measure_compliance
from cxgap.sla.credits import AccountCredit, Incident, Menu, compute_credits, month_bounds

COMPLIANCE_BY = ("tier", "priority", "team", "channel")


def month_credits(
    session: Session, workspace: Workspace, month: date, now: datetime
) -> list[AccountCredit]:
    """One statement per account of the menu's tiers for ``month`` (its first day), with the
    cases and incidents behind each credit. The cases are evaluated under the same policies as
    the queue (``case_sla.policy_set_for``)."""
    stored = service_levels.menu_of(session, workspace.id)
    if stored is None:
        raise NotFoundError(f"workspace {workspace.key!r} not found")
    menu = Menu(case_sla.policy_set_for(session, workspace.id), stored.tiers)
    start, end = month_bounds(month, menu.policies.calendar.zone)
    rows = _cases_between(session, workspace, start, end)
    incidents = [
        Incident(i.start, i.end, None if i.accounts is None else frozenset(i.accounts))
        for i in availability_incidents.list_incidents(session, workspace=workspace)
    ]
    return compute_credits(
        menu, case_sla.sla_cases(session, workspace.id, rows), incidents, month, now
    )


def month_compliance(
    session: Session, workspace: Workspace, month: date, now: datetime
) -> Compliance:
    """SLA compliance of the cases opened in ``month``: overall and by tier, priority, team
    and channel, each share with its 95 % Wilson interval (``cxgap.sla.compliance``)."""
    policies = case_sla.policy_set_for(session, workspace.id)
    start, end = month_bounds(month, policies.calendar.zone)
    rows = _cases_between(session, workspace, start, end)
    found = case_sla.with_teams(session, rows, case_sla.sla_cases(session, workspace.id, rows))
    return measure_compliance(policies, found, start, end, now, by=COMPLIANCE_BY)


def _cases_between(
    session: Session, workspace: Workspace, start: datetime, end: datetime
) -> list[CaseRow]:
    return list(
        session.scalars(
            select(CaseRow)
            .where(
                CaseRow.workspace_id == workspace.id,
                CaseRow.created_at >= start,
                CaseRow.created_at < end,
            )
            .order_by(CaseRow.number)
        )
    )
