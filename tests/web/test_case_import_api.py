"""``POST /api/v1/workspaces/{key}/cases/import``: the CLI's ticket import through the API —
the report as JSON, imported again updated, ``map`` and ``date_order`` as the CLI's options,
a bad row refused naming its place with nothing stored (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from cxgap.db.tables import CaseRow
from cxgap.services import api_tokens
from cxgap.services.accounts import principal_of
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.tickets.helpers import DATA

pytestmark = pytest.mark.on_postgresql  # the backend changes the path: imports

URL = "/api/v1/workspaces/acme/cases/import"
VIEW = (DATA / "zendesk_view.csv").read_bytes()


def _token(cx: Cxgap, role: str = "analyst") -> dict[str, str]:
    with cx.transaction() as session:
        acme = make_workspace(session)
        make_user(session, "adam@example.com", workspace=acme, role="admin")
        adam = principal_of(acme.memberships[0].user)
        token = api_tokens.create_workspace_token(
            session, workspace=acme, principal=adam, name="t", role=role
        )
    return {"authorization": f"Bearer {token}"}


def _count(cx: Cxgap) -> int:
    with cx.reading() as session:
        return int(session.scalar(select(func.count()).select_from(CaseRow)) or 0)


def test_tickets_imported_through_the_api(cx: Cxgap, client: TestClient) -> None:
    headers = _token(cx)
    files = {"file": ("view.csv", VIEW, "text/csv")}
    done = client.post(URL, headers=headers, files=files)
    assert done.status_code == 200, done.text
    report = done.json()
    assert (report["layout"], report["rows"], report["created"], report["updated"]) == (
        "zendesk-csv", 4, 4, 0,
    )  # fmt: skip
    assert report["unmeasured"] == {"next_response": 4, "resolution": 1}
    again = client.post(URL, headers=headers, files=files, data={"preset": "zendesk-csv"})
    assert (again.json()["created"], again.json()["updated"]) == (0, 4)
    listed = client.get("/api/v1/workspaces/acme/cases?status=open", headers=headers).json()
    assert [c["subject"] for c in listed["items"]] == ["Where is my order"]
    mine = b"Ref,Ouvert le,Titre\nT1,05/03/2026 10:00,Colis perdu\n"
    mapped = client.post(
        URL,
        headers=headers,
        files={"file": ("mine.csv", mine, "text/csv")},
        data={"map": ["id=Ref", "created_at=Ouvert le"], "date_order": "dmy"},
    )
    assert mapped.status_code == 200, mapped.text
    assert mapped.json()["layout"] == "mapped" and _count(cx) == 5
    case = client.get("/api/v1/workspaces/acme/cases/5", headers=headers).json()
    assert case["subject"] == "Colis perdu" and case["created_at"].startswith("2026-03-05T09:00")


def test_a_bad_row_stores_nothing_and_names_its_place(cx: Cxgap, client: TestClient) -> None:
    headers = _token(cx)
    bad = VIEW.replace(b",Normal,", b",P1,")
    refused = client.post(URL, headers=headers, files={"file": ("bad.csv", bad, "text/csv")})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "invalid" and error["field"] == "Priority"
    [problem] = error["details"]
    assert (problem["source"], problem["row"], problem["value"]) == ("bad.csv", 4, "P1")
    french = client.post(
        URL,
        headers=headers | {"accept-language": "fr"},
        files={"file": ("bad.csv", bad, "text/csv")},
    )
    assert "la priorité d’un dossier" in french.json()["error"]["details"][0]["message"]
    assert _count(cx) == 0
    unmapped = client.post(URL, headers=headers, files={"file": ("v.csv", VIEW, "text/csv")},
                           data={"map": "subject"})  # fmt: skip
    assert unmapped.status_code == 422 and unmapped.json()["error"]["field"] == "map"
    assert _count(cx) == 0


def test_a_viewer_token_cannot_import(cx: Cxgap, client: TestClient) -> None:
    headers = _token(cx, "viewer")
    files = {"file": ("view.csv", VIEW, "text/csv")}
    assert client.post(URL, headers=headers, files=files).status_code == 403
    assert _count(cx) == 0


def test_history_files_replay_what_the_export_alone_cannot_measure(
    cx: Cxgap, client: TestClient
) -> None:
    headers = _token(cx)
    export = ("export.jsonl", (DATA / "zendesk_export.jsonl").read_bytes(), "application/json")
    alone = client.post(URL, headers=headers, files={"file": export})
    assert alone.status_code == 200, alone.text
    assert alone.json()["unmeasured"]["next_response"] >= 1
    events = (DATA / "zendesk_metric_events.json").read_bytes()
    audits = (DATA / "zendesk_audits.json").read_bytes()
    files = [
        ("file", export),
        ("history", ("events.json", events, "application/json")),
        ("history", ("audits.json", audits, "application/json")),
    ]
    both = client.post(URL, headers=headers, files=files)
    assert both.status_code == 200, both.text
    report = both.json()
    assert report["created"] == 0 and report["updated"] == alone.json()["cases"]
    assert (
        report["unmeasured"].get("next_response", 0) < alone.json()["unmeasured"]["next_response"]
    )
    too_many = [("file", export)] + [("history", ("e.json", events, "application/json"))] * 9
    refused = client.post(URL, headers=headers, files=too_many)
    assert refused.status_code == 422 and "history" in refused.text
