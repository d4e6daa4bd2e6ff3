"""Hostile files uploaded in the browser: a page in the reader's language (never a 500, nor
raw JSON), bounded memory, nothing left in the staging folder, the file's own name."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from cxgap.services.core import Cxgap
from cxgap.services.feedback_uploads import staging_root
from cxgap.web.mapping_form import MAX_FORM_FIELDS
from tests.factories import make_user, make_workspace
from tests.hostile_files import (
    MB,
    long_random_cell,
    nested_json,
    peak_memory,
    shared_string_bomb,
)
from tests.web.conftest import csrf_of, log_in
from tests.web.test_feedback_import_web import BASE, mapping_form, run, upload


@pytest.fixture
def analyst(sqlite_cx: Cxgap, sqlite_client: TestClient) -> TestClient:
    with sqlite_cx.transaction() as session:
        make_user(session, workspace=make_workspace(session), role="analyst")
    log_in(sqlite_client, "ana@example.com")
    return sqlite_client


def staged(cx: Cxgap) -> list[Path]:
    root = staging_root(cx.settings)
    return sorted(root.iterdir()) if root.exists() else []


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "as a zip bomb does"), ("fr", "comme une bombe de décompression")],
)
def test_a_zip_bomb_upload_is_refused_with_a_page_in_bounded_memory(
    sqlite_cx: Cxgap, analyst: TestClient, tmp_path: Path, lang: str, said: str
) -> None:
    data = shared_string_bomb(tmp_path / "bomb.xlsx", 160).read_bytes()
    with peak_memory() as peak:
        response = upload(analyst, "Réponses.xlsx", data, lang=lang)
    assert peak[0] < 40 * MB  # the bomb unpacks to 160 MB: it never did
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert said in response.text and "Réponses.xlsx" in response.text
    assert staged(sqlite_cx) == []  # the refused upload is gone


def test_a_cell_over_excels_limit_is_refused_with_the_limit_named(
    sqlite_cx: Cxgap, analyst: TestClient, tmp_path: Path
) -> None:
    data = long_random_cell(tmp_path / "long.xlsx", 40_000).read_bytes()
    response = upload(analyst, "long.xlsx", data)
    assert response.status_code == 422
    assert "a cell of more than 32767 characters" in response.text
    assert staged(sqlite_cx) == []


def test_a_damaged_workbook_is_refused_by_its_name_not_the_server_path(
    sqlite_cx: Cxgap, analyst: TestClient, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    book.active.append(["text"])  # type: ignore[union-attr]
    book.save(tmp_path / "good.xlsx")
    with zipfile.ZipFile(tmp_path / "good.xlsx") as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    with zipfile.ZipFile(tmp_path / "damaged.xlsx", "w") as archive:
        for name, body in parts.items():  # the workbook part cut short: not well-formed
            archive.writestr(name, body[:60] if name == "xl/workbook.xml" else body)
    response = upload(analyst, "mes avis.xlsx", (tmp_path / "damaged.xlsx").read_bytes())
    assert response.status_code == 422  # it used to be a 500 (ParseError)
    assert "xl/workbook.xml is not well-formed XML" in response.text
    truncated = upload(analyst, "mes avis.xlsx", (tmp_path / "good.xlsx").read_bytes()[:-150])
    assert truncated.status_code == 422 and "mes avis.xlsx" in truncated.text
    assert "mes avis.xlsx" in response.text
    assert str(sqlite_cx.settings.data_dir) not in response.text
    assert "data.xlsx" not in response.text  # the server's copy of the upload
    assert staged(sqlite_cx) == []


@pytest.mark.parametrize(("lang", "said"), [("en", "64 levels"), ("fr", "64 niveaux")])
def test_json_nested_200000_levels_is_refused_with_a_page_and_leaves_nothing(
    sqlite_cx: Cxgap, analyst: TestClient, tmp_path: Path, lang: str, said: str
) -> None:
    data = nested_json(tmp_path / "deep.json", 200_000).read_bytes()
    response = upload(analyst, "deep.json", data, lang=lang)
    assert response.status_code == 422  # not a 500 (RecursionError)
    assert said in response.text
    assert staged(sqlite_cx) == []  # no partial upload folder behind


def test_a_mapping_file_nested_too_deep_is_refused_with_a_page(
    analyst: TestClient,
) -> None:
    response = upload(analyst, "ok.csv", b"collected_at,text\n2024-03-01,fine\n")
    location = response.headers["location"]
    token = csrf_of(analyst.get(location).text)
    deep = b"[" * 100_000 + b"]" * 100_000
    refused = analyst.post(
        f"{location}/mapping-file",
        data={"csrf_token": token},
        files={"file": ("mapping.json", deep, "application/json")},
    )
    assert refused.status_code == 422
    assert "too deeply to be a mapping file" in refused.text


def wide_csv(columns: int) -> bytes:
    header = ["collected_at", "text", *(f"q{n}" for n in range(1, columns - 1))]
    row = ["2024-03-01", "Delivery was quick", *("x" for _ in range(columns - 2))]
    return (",".join(header) + "\n" + ",".join(row) + "\n").encode()


def test_a_file_of_1200_columns_maps_and_imports_in_the_browser(analyst: TestClient) -> None:
    response = upload(analyst, "wide.csv", wide_csv(1_200))
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    page = analyst.get(location).text
    form = mapping_form(page, **{"const-source_type": "survey"})
    assert sum(1 for field in form if field.startswith("col-")) == 1_200  # > 1,000 fields
    checked = analyst.post(location, data=form)  # "Check" the mapping: a page, not JSON
    assert checked.status_code == 200, checked.text[:500]
    assert checked.headers["content-type"].startswith("text/html")
    report = run(analyst, location, form)
    assert 'id="created">1<' in report.text  # stored, as the command line would


@pytest.mark.parametrize(("lang", "said"), [("en", "command line"), ("fr", "ligne de commande")])
def test_a_form_beyond_the_widest_file_gets_a_page_not_raw_json(
    analyst: TestClient, lang: str, said: str
) -> None:
    response = upload(analyst, "ok.csv", b"collected_at,text\n2024-03-01,fine\n", lang=lang)
    location = response.headers["location"]
    form = {"csrf_token": csrf_of(analyst.get(location).text)}
    form |= {f"col-{n}": "ignore" for n in range(MAX_FORM_FIELDS + 1)}
    refused = analyst.post(location, data=form)
    assert refused.status_code == 413
    assert refused.headers["content-type"].startswith("text/html")
    assert said in refused.text and "Too many fields" not in refused.text
    assert BASE in location
