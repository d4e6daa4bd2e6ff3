"""Imported tickets are titled with their subject when the file has one (Zendesk's and
Freshdesk's ``Subject``, a mapped ``subject`` column, the JSON export's ``subject``), else
"Ticket <id>"; the subject is never logged (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from cxgap.db.tables import CaseRow
from cxgap.services import case_imports
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.tickets.helpers import DATA


def _titles(cx: Cxgap, path: Path, **options: object) -> dict[str, str]:
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        case_imports.import_ticket_cases(session, workspace=workspace, path=path, **options)  # type: ignore[arg-type]
    with cx.reading() as session:
        rows = session.scalars(select(CaseRow).order_by(CaseRow.number)).all()
        return {r.ticket_ref or "": r.subject for r in rows}


@pytest.fixture
def acme(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        make_workspace(session)
    return cx


def test_zendesk_and_freshdesk_subjects_become_the_titles(
    acme: Cxgap, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert _titles(acme, DATA / "zendesk_view.csv") == {
        "101": "Invoice twice", "102": "Cannot log in", "103": "Where is my order",
        "104": "Refund",
    }  # fmt: skip
    titles = _titles(acme, DATA / "freshdesk.csv")
    assert titles["F1"] == "Parcel late" and titles["F2"] == "Refund"
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "Invoice twice" not in logged and "Parcel late" not in logged


def test_a_mapped_subject_else_the_ticket_id(acme: Cxgap, tmp_path: Path) -> None:
    plain = _titles(acme, DATA / "mapped.csv", mapping={"created_at": "Opened"})
    assert plain["M1"] == "Ticket M1"  # no subject column
    long = "Lost  parcel\n" + "x" * 400
    path = tmp_path / "mine.csv"
    path.write_text(
        "Ticket,Created at,Titre\n"
        'T1,2026-03-02T10:00:00+01:00,"' + long + '"\n'
        "T2,2026-03-02T11:00:00+01:00,  \n",
        encoding="utf-8",
    )
    titles = _titles(acme, path)
    assert titles["T1"] == ("Lost parcel " + "x" * 400)[:300]  # one line, at most 300
    assert titles["T2"] == "Ticket T2"  # blank: the id
    named = tmp_path / "named.csv"
    named.write_text(
        "Ticket,Created at,Résumé\nT3,2026-03-02T10:00:00+01:00,Wrong size\n", encoding="utf-8"
    )
    assert _titles(acme, named, mapping={"subject": "Résumé"})["T3"] == "Wrong size"


def test_the_json_export_subject(acme: Cxgap, tmp_path: Path) -> None:
    lines = [json.loads(line) for line in (DATA / "zendesk_export.jsonl").read_text().splitlines()]
    lines[0]["subject"] = "Damaged box"
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    titles = _titles(acme, path)
    first, *others = (str(line["id"]) for line in lines if "id" in line)
    assert titles[first] == "Damaged box"
    assert all(titles[o] == f"Ticket {o}" for o in others if o in titles)
