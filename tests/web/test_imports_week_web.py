"""Import friction: the source type proposed, a file's shape checked at the mapping step,
and every import problem said in French on French pages."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import Feedback
from cxgap.services.core import Cxgap
from tests.factories import customer_form, make_user, make_workspace
from tests.services.test_survey_imports import csv_bytes
from tests.web.conftest import csrf_of, log_in
from tests.web.test_feedback_import_web import BASE, mapping_form, run, upload

REVIEWS = (
    "Référence,Date,Avis,Note\nA-1,2024-03-04,Livraison rapide,5\nA-2,2024-03-05,Colis abîmé,2\n"
)
# Two rows whose text holds commas without quotes: 5 cells under a 4-column header.
UNQUOTED = (
    "id,date,comment,stars\n"
    "1,2024-03-04,Bien,5\n"
    "2,2024-03-05,Lent, très lent, vraiment,1\n"
    "3,2024-03-06,Parfait,5\n"
    "4,2024-03-07,Cher, mais bien,4\n"
)


@pytest.fixture
def analyst(sqlite_cx: Cxgap, sqlite_client: TestClient) -> TestClient:
    with sqlite_cx.transaction() as session:
        make_user(session, workspace=make_workspace(session), role="analyst")
    log_in(sqlite_client, "ana@example.com")
    return sqlite_client


def mapping_page(client: TestClient, name: str, text: str, lang: str = "en") -> tuple[str, str]:
    response = upload(client, name, text.encode("utf-8"), lang=lang)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    return location, client.get(location).text


def selected_source_type(html: str) -> str:
    found = re.search(r'id="const-source_type".*?<option value="([^"]*)" selected', html, re.S)
    return found.group(1) if found else ""


def stored(cx: Cxgap) -> dict[str, tuple[str, str, int | None]]:
    with cx.reading() as session:
        rows = session.execute(
            select(Feedback.source_id, Feedback.source_type, Feedback.text, Feedback.stars)
        )
        return {r.source_id: (r.source_type, r.text, r.stars) for r in rows}


def test_a_reviews_file_gets_review_proposed_and_imports_at_once(
    sqlite_cx: Cxgap, analyst: TestClient
) -> None:
    location, html = mapping_page(analyst, "export.csv", REVIEWS)
    assert selected_source_type(html) == "review"
    assert "Proposed because the column “Note” holds stars." in html
    report = run(analyst, location, mapping_form(html))
    assert "2 records stored from 2 rows read." in report.text
    assert stored(sqlite_cx)["A-1"] == ("review", "Livraison rapide", 5)


@pytest.mark.parametrize(
    ("name", "header", "expected"),
    [
        ("tickets.csv", "Ticket ID,Created,Description", "ticket"),
        ("export.csv", "id,date,comment,nps", "survey"),
        ("reclamations-2024.csv", "id,date,comment", "complaint"),
    ],
)
def test_the_source_type_is_proposed_from_the_columns_or_the_file_name(
    analyst: TestClient, name: str, header: str, expected: str
) -> None:
    cells = ["7", "2024-03-04", "Bien", "9"][: header.count(",") + 1]
    _, html = mapping_page(analyst, name, f"{header}\n{','.join(cells)}\n")
    assert selected_source_type(html) == expected


def test_the_proposal_stays_editable(sqlite_cx: Cxgap, analyst: TestClient) -> None:
    location, html = mapping_page(analyst, "export.csv", REVIEWS)
    run(analyst, location, mapping_form(html, **{"const-source_type": "social"}))
    assert stored(sqlite_cx)["A-2"][0] == "social"


def test_unquoted_commas_are_found_at_the_mapping_step(analyst: TestClient) -> None:
    _, html = mapping_page(analyst, "avis.csv", UNQUOTED)
    warning = re.search(r'id="file-warnings".*?</section>', html, re.S)
    assert warning is not None
    assert (
        "2 rows have more cells than the header&#39;s 4 (rows 3, 5): a cell holds &#39;,&#39; "
        "without quotes around it. Put such cells in double quotes"
    ) in warning.group(0)


def test_an_unrecognised_separator_is_found_and_can_be_chosen(
    sqlite_cx: Cxgap, analyst: TestClient
) -> None:
    text = "id~date~comment~stars\nT1~2024-03-04~Bien, merci~5\nT2~2024-03-05~Moyen; lent~3\n"
    location, html = mapping_page(analyst, "reviews.csv", text)
    assert "has one column only: its cells seem separated by &#39;~&#39;" in html
    form = mapping_form(html) | {"delimiter": "tilde", "action": "check"}
    checked = analyst.post(location, data=form)
    assert 'id="file-warnings"' not in checked.text
    assert '<option value="tilde" selected>' in checked.text
    chosen = {"delimiter": "tilde", "shown_delimiter": "tilde"}
    report = run(analyst, location, mapping_form(checked.text) | chosen)
    assert "2 records stored from 2 rows read." in report.text
    assert stored(sqlite_cx)["T1"] == ("review", "Bien, merci", 5)


def test_workbook_values_beyond_the_header_are_found_at_the_mapping_step_in_french(
    analyst: TestClient, tmp_path: Path
) -> None:
    from tests.ingest.test_shape import workbook_with_values_beyond

    data = workbook_with_values_beyond(tmp_path / "avis.xlsx").read_bytes()
    response = upload(analyst, "avis.xlsx", data, lang="fr")
    assert response.status_code == 303, response.text
    html = analyst.get(response.headers["location"]).text
    warning = re.search(r'id="file-warnings".*?</section>', html, re.S)
    assert warning is not None
    assert (
        "2 ligne(s) ont des valeurs au-delà des 3 colonnes de l&#39;en-tête (lignes 3, 5)"
    ) in warning.group(0)


def test_a_well_quoted_file_has_no_warning(analyst: TestClient) -> None:
    text = 'id,date,comment,stars\n1,2024-03-04,"Lent, très ""lent""\nvraiment",1\n'
    _, html = mapping_page(analyst, "avis.csv", text)
    assert 'id="file-warnings"' not in html


# French pages say every import problem in French.


def test_file_refusals_are_said_in_french(analyst: TestClient) -> None:
    broken = upload(analyst, "avis.xlsx", b"PK\x03\x04 not really a workbook", lang="fr")
    assert broken.status_code == 422
    assert "avis.xlsx : n&#39;est pas un classeur .xlsx lisible" in broken.text
    assert "is not a readable" not in broken.text
    no_list = upload(analyst, "avis.json", b'{"a": 1}', lang="fr")
    assert no_list.status_code == 422
    assert "avis.json : ne contient aucune liste d&#39;enregistrements" in no_list.text
    old = upload(analyst, "avis.xls", b"\xd0\xcf\x11\xe0", lang="fr")
    assert "est un ancien classeur .xls : enregistrez-le en .xlsx ou en CSV" in old.text


def test_row_reasons_and_the_problems_csv_are_in_french(analyst: TestClient) -> None:
    location, html = mapping_page(analyst, "avis.csv", UNQUOTED, lang="fr")
    assert "2 lignes ont plus de cellules que les 4 de l&#39;en-tête (lignes 3, 5)" in html
    assert "Proposé parce que la colonne « stars » contient des étoiles." in html
    report = run(analyst, location, mapping_form(html, mode="skip_invalid"))
    assert "a 5 cellules mais l&#39;en-tête a 4 colonnes" in report.text
    assert "cells but the header" not in report.text
    link = re.search(r'href="([^"]*problems.csv)"', report.text)
    assert link is not None
    body = analyst.get(link.group(1)).content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Ligne", "Colonne", "Valeur", "Raison"]
    assert rows[1] == ["3", "(toute la ligne)", "", "a 6 cellules mais l'en-tête a 4 colonnes"]


def test_the_answers_import_says_a_ragged_row_in_french(analyst: TestClient) -> None:
    data = csv_bytes([customer_form(response_id="r1")]) + b"1,2,3\n"
    token = csrf_of(analyst.get("/w/acme/import?lang=fr").text)
    response = analyst.post(
        "/w/acme/import",
        data={"csrf_token": token},
        files={"file": ("réponses.csv", data, "text/csv")},
    )
    assert response.status_code == 422
    assert "réponses.csv, ligne 3 : a 3 cellules mais l&#39;en-tête a" in response.text
    header_only = csv_bytes([customer_form(response_id="r1")]).split(b"\n")[0] + b"\n"
    empty = analyst.post(
        "/w/acme/import",
        data={"csrf_token": token},
        files={"file": ("réponses.csv", header_only, "text/csv")},
    )
    assert "réponses.csv : ne contient aucune ligne de réponse" in empty.text


def test_the_upload_page_lists_presets_in_french(analyst: TestClient) -> None:
    assert analyst.get(f"{BASE}?lang=fr").status_code == 200
