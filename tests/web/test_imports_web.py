"""Uploading a CSV in the browser: clear report, nothing partial, size limit."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cxgap.services.core import Cxgap
from tests.factories import customer_form, make_user, make_workspace
from tests.services.test_survey_imports import csv_bytes
from tests.web.conftest import csrf_of, log_in

pytestmark = pytest.mark.on_postgresql  # the backend changes the path: imports


@pytest.fixture
def analyst(cx: Cxgap, client: TestClient) -> TestClient:
    with cx.transaction() as session:
        make_user(session, workspace=make_workspace(session), role="analyst")
    log_in(client, "ana@example.com")
    return client


def upload(client: TestClient, data: bytes, **form: str) -> object:
    token = csrf_of(client.get("/w/acme/import").text)
    return client.post(
        "/w/acme/import",
        data={"csrf_token": token, **form},
        files={"file": ("answers.csv", data, "text/csv")},
    )


def test_upload_imports_and_shows_the_count(analyst: TestClient) -> None:
    rows = [customer_form(response_id=f"r{i}") for i in range(3)]
    response = upload(analyst, csv_bytes(rows))
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "3 of 3 rows" in response.text  # type: ignore[attr-defined]
    assert analyst.get("/w/acme/results.json").json()["nps"]["n"] == 3


def test_a_bad_upload_lists_row_column_value_and_stores_nothing(analyst: TestClient) -> None:
    rows = [customer_form(response_id=f"r{i}") for i in range(3)]
    rows[1]["ces"] = 9
    response = upload(analyst, csv_bytes(rows))
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "answers.csv, row 3, column “ces”: must be a whole number from 1 to 7 (got “9”)" in (
        response.text  # type: ignore[attr-defined]
    )
    assert "Nothing was stored." in response.text  # type: ignore[attr-defined]
    assert analyst.get("/w/acme/results.json").json()["nps"]["n"] == 0


def test_an_oversized_upload_is_refused(analyst: TestClient) -> None:
    big = b"nps\n" + b"5\n" * (3 * 1024 * 1024)
    response = upload(analyst, big)
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert analyst.get("/w/acme/results.json").json()["nps"]["n"] == 0


def test_the_refusal_is_explained_in_french(analyst: TestClient) -> None:
    rows = [customer_form(response_id="r1", nps=11)]
    token = csrf_of(analyst.get("/w/acme/import?lang=fr").text)
    response = analyst.post(
        "/w/acme/import",
        data={"csrf_token": token},
        files={"file": ("réponses.csv", csv_bytes(rows), "text/csv")},
    )
    assert response.status_code == 422
    text = response.text
    assert "réponses.csv, ligne 2, colonne « nps » : doit être un nombre entier de 0 à 10" in text
    assert "Rien n&#39;a été enregistré." in text


def test_a_wrong_header_is_explained_in_french_with_a_way_back(analyst: TestClient) -> None:
    token = csrf_of(analyst.get("/w/acme/import?lang=fr").text)
    response = analyst.post(
        "/w/acme/import",
        data={"csrf_token": token},
        files={"file": ("bad.csv", b"nps,colour\n9,blue\n", "text/csv")},
        headers={"referer": "http://testserver/w/acme/import"},
    )
    assert response.status_code == 422
    assert "bad.csv, colonne « service_importance » : colonne obligatoire absente" in response.text
    assert "colonne « colour » : colonne inconnue" in response.text
    assert 'href="/w/acme/import"' in response.text


def test_the_template_opens_in_french_excel_and_imports_as_it_is(analyst: TestClient) -> None:
    template = analyst.get("/w/acme/import/template.csv?lang=fr")
    assert template.content.startswith(b"\xef\xbb\xbfnps;")  # an empty workspace, a French reader
    assert "Livraison rapide, conseiller très aimable." in template.content.decode("utf-8-sig")
    assert upload(analyst, template.content).status_code == 200  # type: ignore[attr-defined]
    assert analyst.get("/w/acme/results.json").json()["nps"]["n"] == 1
    english = analyst.get("/w/acme/import/template.csv?lang=en").content
    assert english.startswith(b"\xef\xbb\xbfnps;")  # now the workspace has a French answer


def test_the_answers_export_of_a_french_workspace_imports_as_it_is(analyst: TestClient) -> None:
    comment = 'Il a dit "super", puis il est parti ; dommage,\nvraiment'
    rows = [customer_form(response_id=f"r{i}", language="fr", comment=comment) for i in range(3)]
    upload(analyst, csv_bytes(rows))
    exported = analyst.get("/w/acme/export/customer_answers.csv").content
    assert exported.startswith(b"\xef\xbb\xbfresponse_id;source;")
    response = upload(analyst, exported)
    assert "3 of 3 rows" in response.text  # type: ignore[attr-defined]
    assert analyst.get("/w/acme/results.json").json()["nps"]["n"] == 3  # updated, not doubled
    again = analyst.get("/w/acme/export/customer_answers.csv").content
    assert again.count(b'"Il a dit ""super"", puis il est parti ; dommage,') == 3


def test_the_answers_export_of_an_empty_workspace_follows_the_readers_language(
    analyst: TestClient,
) -> None:
    for which in ("customer", "internal"):
        french = analyst.get(f"/w/acme/export/{which}_answers.csv?lang=fr").content
        english = analyst.get(f"/w/acme/export/{which}_answers.csv?lang=en").content
        assert french.startswith(b"\xef\xbb\xbfresponse_id;"), french[:40]
        assert english.startswith(b"\xef\xbb\xbfresponse_id,"), english[:40]
    rows = [customer_form(response_id="r1", language="en")]
    upload(analyst, csv_bytes(rows))  # an English answer: the workspace's language wins
    french = analyst.get("/w/acme/export/customer_answers.csv?lang=fr").content
    assert french.startswith(b"\xef\xbb\xbfresponse_id,source,")
