"""Past tickets stored as cases (``services/case_imports``), on SQLite and PostgreSQL.

``tests/tickets/data/zendesk_view.csv`` holds four Zendesk tickets, read in Europe/Paris under
the default same-day policies (business hours Monday to Friday 09:00–12:30, 13:30–18:00):

- 101, high, Closed: created Monday 2 March 11:45, first reply after 135 calendar minutes
  (14:00: 45 + 30 = 75 business minutes, target 120: hit), resolved at 16:00 (195, target
  960: hit);
- 102, no priority (normal), Solved: created 17:30, answered 18:00 (30 of 240: hit); 120
  minutes of agent wait it cannot place: the resolution is not measured;
- 103, normal, Open: created Tuesday 09:00, never answered: as of 31 March, first response
  and resolution missed;
- 104, urgent, Solved: answered in 20 minutes (hit), resolved in 60 (hit).

So the month's compliance counts 5 hit and 2 missed metrics; next responses (4) and one
resolution are not measured.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from cxgap.db.tables import CaseEvent, CaseRow
from cxgap.errors import ValidationError
from cxgap.services import case_imports, case_sla, cases, credit_statements, teams
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from cxgap.sla.clock import Status
from cxgap.sla.compliance import Share
from cxgap.sla.policy import Metric
from tests.factories import make_workspace
from tests.tickets.helpers import DATA

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 31, 12, tzinfo=PARIS)
VIEW = DATA / "zendesk_view.csv"


def _import(cx: Cxgap, path: Path, **options: object) -> case_imports.CaseImport:
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        return case_imports.import_ticket_cases(
            session,
            workspace=workspace,
            path=path,
            now=NOW,
            **options,  # type: ignore[arg-type]
        )


def _stored(cx: Cxgap) -> dict[str, CaseRow]:
    with cx.reading() as session:
        rows = session.scalars(select(CaseRow).order_by(CaseRow.number)).all()
        session.expunge_all()
    return {r.ticket_ref or "": r for r in rows}


@pytest.fixture
def acme(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        teams.create_team(session, workspace=workspace, key="billing", name="Billing")
    return cx


def test_tickets_become_cases_measured_like_the_present(acme: Cxgap) -> None:
    done = _import(acme, VIEW)
    assert (done.layout, done.created, done.updated) == ("zendesk-csv", 4, 0)
    assert done.report["unknown_teams"] == 2  # "Support": no such team
    stored = _stored(acme)
    assert [(r.number, r.status, r.priority, r.channel) for r in stored.values()] == [
        (1, "closed", "high", "email"),
        (2, "resolved", "normal", "web"),
        (3, "open", "normal", "chat"),
        (4, "resolved", "urgent", "phone"),
    ]
    assert stored["101"].account == "acme" and stored["101"].team_id is not None
    assert stored["102"].team_id is None
    assert stored["101"].closed_at == datetime(2026, 3, 2, 16, tzinfo=PARIS)
    assert stored["103"].breached == ["first_response", "resolution"]  # not announced again
    with acme.reading() as session:
        workspace = get_workspace(session, "acme")
        rows = cases.list_cases(session, workspace)
        results = {r.case.id: r for r in case_sla.evaluate_rows(session, workspace.id, rows, NOW)}
        compliance = credit_statements.month_compliance(session, workspace, date(2026, 3, 1), NOW)
    first = results["1"].metrics[Metric.FIRST_RESPONSE]
    assert first.status is Status.HIT and first.clock is not None
    assert first.clock.used.total_seconds() == 75 * 60
    assert results["3"].metrics[Metric.RESOLUTION].status is Status.MISSED
    assert compliance.overall.overall == Share(5, 2)
    assert compliance.unmeasured == {"next_response": 4, "resolution": 1}


def test_importing_again_updates_and_keeps_what_members_added(acme: Cxgap) -> None:
    _import(acme, VIEW)
    with acme.transaction() as session:
        case = cases.get_case(session, get_workspace(session, "acme"), 3)
        cases.reply(session, case=case, body="Looking into it", actor_id=None)
    again = _import(acme, VIEW)
    assert (again.created, again.updated) == (0, 4)
    with acme.reading() as session:
        assert session.scalar(select(func.count()).select_from(CaseRow)) == 4
        events = session.scalars(
            select(CaseEvent).join(CaseRow).where(CaseRow.ticket_ref == "101")
        ).all()
        kept = session.scalars(
            select(CaseEvent)
            .join(CaseRow)
            .where(CaseRow.ticket_ref == "103", CaseEvent.type == "reply")
        ).all()
    assert [e.type for e in events] == ["created", "reply", "status"]
    assert [e.body for e in kept] == ["Looking into it"]


def test_events_csv_keeps_the_whole_conversation(acme: Cxgap) -> None:
    done = _import(acme, DATA / "events.csv")
    assert done.layout == "events" and done.created >= 1
    with acme.reading() as session:
        row = session.scalars(select(CaseRow).where(CaseRow.ticket_ref == "E1")).one()
        types = [e.type for e in cases.history(session, row)]
        assert row.status == "resolved" and row.priority == "high"
    assert types == ["created", "note", "reply", "status", "reply", "reply", "status"]


@pytest.mark.parametrize(
    ("cell", "code", "column"),
    [
        ("2026-03-03 09:00:00,", "date", "Created at"),  # ends where the date was: cut short
        ("P1", "case_priority", "Priority"),
    ],
)
def test_a_bad_row_stores_nothing_and_names_its_place(
    acme: Cxgap, tmp_path: Path, cell: str, code: str, column: str
) -> None:
    lines = VIEW.read_text(encoding="utf-8").splitlines()
    if code == "case_priority":
        lines[3] = lines[3].replace(",Normal,", f",{cell},")
    else:
        lines[3] = lines[3].replace("2026-03-03 09:00:00", "03/2026 nine")
    bad = tmp_path / "tickets.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        _import(acme, bad)
    problem = caught.value.problems[0]
    assert (problem.source, problem.row, problem.field) == ("tickets.csv", 4, column)
    assert _stored(acme) == {}
