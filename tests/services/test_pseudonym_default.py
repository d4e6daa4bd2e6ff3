"""One default everywhere: customer ids are pseudonymised unless the caller opts out, on
the CLI (``--keep-customer-ref``), the REST API (``pseudonymise: false``) and in the
browser (the ticked box, untick it); a pseudonym re-imported stays the same pseudonym."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from cxgap.cli.main import app as cli
from cxgap.db.tables import CustomerResponse, Feedback
from cxgap.ingest import pseudonymise
from cxgap.services import accounts
from cxgap.services.core import Cxgap
from cxgap.services.exports import write_answers_csv
from cxgap.services.survey_imports import import_customer_csv
from cxgap.services.workspaces import get_workspace
from tests.factories import customer_form, make_user, make_workspace
from tests.warm_routes import app_for
from tests.web.conftest import log_in

DATA = Path(__file__).resolve().parents[1] / "data" / "feedback"
CLI_SECRET = "cli-pseudonym-secret"


@pytest.fixture
def acme(sqlite_cx: Cxgap, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Cxgap:
    monkeypatch.setenv("CXGAP_SECRET_KEY", CLI_SECRET)
    monkeypatch.setenv("CXGAP_DATA_DIR", str(tmp_path / "cli-data"))
    with sqlite_cx.transaction() as session:
        make_user(session, workspace=make_workspace(session), role="analyst")
    return sqlite_cx


@pytest.fixture
def client(acme: Cxgap) -> Iterator[TestClient]:
    with TestClient(app_for(acme), follow_redirects=False) as test_client:
        yield test_client


def answers_file(tmp_path: Path, ref: str) -> Path:
    form = customer_form(response_id="r1", customer_ref=ref)
    path = tmp_path / "answers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(form))
        writer.writeheader()
        writer.writerow(form)
    return path


def answer_refs(cx: Cxgap) -> list[str | None]:
    with cx.reading() as session:
        return list(session.scalars(select(CustomerResponse.customer_ref)))


def feedback_refs(cx: Cxgap) -> set[str | None]:
    with cx.reading() as session:
        return set(session.scalars(select(Feedback.customer_ref)))


def run(cx: Cxgap, *args: str) -> None:
    result = CliRunner().invoke(cli, [*args, "--database-url", cx.settings.database_url])
    assert result.exit_code == 0, result.output


def test_the_cli_answers_import_pseudonymises_unless_told(acme: Cxgap, tmp_path: Path) -> None:
    file = str(answers_file(tmp_path, "C-1042"))
    run(acme, "assess", "import", file, "--workspace", "acme")
    assert answer_refs(acme) == [pseudonymise("C-1042", CLI_SECRET)]
    run(acme, "assess", "import", file, "--workspace", "acme", "--keep-customer-ref")
    assert answer_refs(acme) == ["C-1042"]


def test_the_cli_feedback_import_pseudonymises_unless_told(acme: Cxgap) -> None:
    file = str(DATA / "trustpilot.csv")
    args = ("import", "feedback", file, "--workspace", "acme", "--preset", "trustpilot")
    run(acme, *args)
    assert pseudonymise("ORD-100231", CLI_SECRET) in feedback_refs(acme)
    assert "ORD-100231" not in feedback_refs(acme)
    run(acme, *args, "--keep-customer-ref")
    assert "ORD-100231" in feedback_refs(acme)


def test_the_api_pseudonymises_unless_told(acme: Cxgap, client: TestClient) -> None:
    with acme.transaction() as session:
        token = accounts.create_api_token(session, email="ana@example.com", name="t")
    headers = {"authorization": f"Bearer {token}"}
    path = "/api/v1/workspaces/acme/customer-answers"
    answer = customer_form(response_id="a1", customer_ref="C-7")
    assert client.post(path, json={"answers": [answer]}, headers=headers).status_code == 200
    secret = acme.settings.resolved_secret_key()
    assert answer_refs(acme) == [pseudonymise("C-7", secret)]
    body = {"answers": [answer], "pseudonymise": False}
    assert client.post(path, json=body, headers=headers).status_code == 200
    assert answer_refs(acme) == ["C-7"]
    with (DATA / "trustpilot.csv").open("rb") as handle:
        sent = client.post(
            "/api/v1/workspaces/acme/feedback/imports",
            files={"file": ("trustpilot.csv", handle, "text/csv")},
            data={"preset": "trustpilot"},
            headers=headers,
        )
    assert sent.status_code == 200, sent.text
    assert pseudonymise("ORD-100231", secret) in feedback_refs(acme)
    assert "ORD-100231" not in feedback_refs(acme)


def test_the_browser_form_ticks_pseudonymise_by_default(acme: Cxgap, client: TestClient) -> None:
    log_in(client, "ana@example.com")
    html = client.get("/w/acme/import").text
    assert 'name="pseudonymise" type="checkbox" value="true" checked' in html


def import_answers(cx: Cxgap, data: bytes) -> None:
    with cx.transaction() as session:
        import_customer_csv(
            session,
            workspace=get_workspace(session, "acme"),
            data=data,
            source="customer_answers.csv",
            max_bytes=1_000_000,
            pseudonym_secret=CLI_SECRET,
        )


def test_an_export_reimported_keeps_its_pseudonyms(acme: Cxgap, tmp_path: Path) -> None:
    import_answers(acme, answers_file(tmp_path, "C-1042").read_bytes())
    buffer = io.StringIO(newline="")
    with acme.reading() as session:
        workspace = get_workspace(session, "acme")
        write_answers_csv(session, workspace=workspace, which="customer", handle=buffer)
    import_answers(acme, buffer.getvalue().encode())  # not hashed a second time
    assert answer_refs(acme) == [pseudonymise("C-1042", CLI_SECRET)]
