"""The event import page: upload, how the file was read, refusals naming row, column and
value in both languages, the activity → touchpoint form with suggestions, roles."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cxgap.db.event_reads import activity_mapping, event_totals
from cxgap.journeys.model import Journey, Phase, Stage, Text, Touchpoint
from cxgap.services.core import Cxgap
from cxgap.services.journeys import create_journey
from tests.factories import make_user, make_workspace
from tests.web.conftest import csrf_of, log_in

LOG = (
    "case:concept:name,concept:name,time:timestamp,case:channel\n"
    "A,Call centre,2024-03-01T10:00:00,phone\n"
    "A,Payment page,2024-03-01T10:05:00,web\n"
    "B,Call centre,2024-03-02T09:00:00,phone\n"
)


def _journey() -> Journey:
    touchpoints = (
        Touchpoint("call-centre", Text("Call centre", "Centre d’appels"), "phone", False),
        Touchpoint("checkout", Text("Payment", "Paiement"), "website", True),
    )
    return Journey(
        "buy",
        Text("Buying", "Achat"),
        stages=(Stage("s", Text("Buy", "Achat"), Phase.DURING, touchpoints),),
    )


def _setup(cx: Cxgap, client: TestClient, role: str = "analyst") -> int:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        create_journey(session, workspace=workspace, journey=_journey())
        make_user(session, workspace=workspace, role=role)
        workspace_id = workspace.id
    log_in(client, "ana@example.com")
    return workspace_id


def _upload(client: TestClient, body: str, lang: str = "en", **form: str) -> object:
    token = csrf_of(client.get(f"/w/acme/events/import?lang={lang}").text)
    return client.post(
        "/w/acme/events/import",
        data={"csrf_token": token, **form},
        files={"file": ("journeys.csv", body.encode(), "text/csv")},
        follow_redirects=False,
    )


def test_upload_shows_the_columns_read_and_suggests_touchpoints(
    cx: Cxgap, client: TestClient
) -> None:
    workspace_id = _setup(cx, client)
    response = _upload(client, LOG, preset="process-mining")
    assert response.status_code == 303, response.text  # type: ignore[attr-defined]
    page = client.get(response.headers["location"]).text  # type: ignore[attr-defined]
    assert "Stored 3 events of 2 cases from journeys.csv." in page
    assert "<code>case:concept:name</code>" in page and "<code>case:channel</code>" in page
    # Suggested by name: "Call centre" -> call-centre, "Payment page" -> checkout.
    assert '<option value="call-centre" selected>' in page
    assert '<option value="checkout" selected>' in page
    with cx.reading() as session:
        assert event_totals(session, workspace_id) == (2, 3)
    token = csrf_of(page)
    saved = client.post(
        "/w/acme/events/mapping",
        data={
            "csrf_token": token,
            "activity": ["Call centre", "Payment page"],
            "touchpoint": ["call-centre", ""],
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    with cx.reading() as session:
        assert activity_mapping(session, workspace_id) == {
            "Call centre": "call-centre",
            "Payment page": None,
        }


def test_a_refused_file_lists_row_column_value_and_stores_nothing(
    cx: Cxgap, client: TestClient
) -> None:
    workspace_id = _setup(cx, client)
    bad = LOG + "C,Call centre,yesterday,phone\n"
    response = _upload(client, bad)
    assert response.status_code == 422  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert "nothing was stored" in text
    assert "journeys.csv, row 5, column “time:timestamp”" in text
    assert "(value “yesterday”)" in text
    french = _upload(client, bad, lang="fr").text  # type: ignore[attr-defined]
    assert "rien n’a été enregistré" in french
    assert "journeys.csv, ligne 5, colonne « time:timestamp »" in french
    with cx.reading() as session:
        assert event_totals(session, workspace_id) == (0, 0)


def test_viewers_may_not_import(cx: Cxgap, client: TestClient) -> None:
    _setup(cx, client, role="viewer")
    assert client.get("/w/acme/events/import").status_code == 403
    token = csrf_of(client.get("/w/acme").text)
    response = client.post(
        "/w/acme/events/import",
        data={"csrf_token": token},
        files={"file": ("journeys.csv", LOG.encode(), "text/csv")},
    )
    assert response.status_code == 403
    mapping = client.post("/w/acme/events/mapping", data={"csrf_token": token})
    assert mapping.status_code == 403
