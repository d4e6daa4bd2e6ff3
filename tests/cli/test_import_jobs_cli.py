"""``cxgap import feedback --jobs N``: every preset stores and refuses with a pool of processes
what it does with one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.db.tables import Feedback, FeedbackImport
from cxgap.ingest import parallel
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace

pytestmark = pytest.mark.on_postgresql  # the backend changes the path: imports: COPY on PostgreSQL

DATA = Path(__file__).resolve().parents[1] / "data" / "feedback"
PRESETS = ("generic", "qualtrics", "surveymonkey", "typeform", "google_forms", "trustpilot")
runner = CliRunner()
POOLS: list[int] = []  # the workers of each pool started


@pytest.fixture
def url(cx: Cxgap, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CXGAP_SECRET_KEY", "cli-test-secret")
    monkeypatch.setattr(parallel, "CHUNK_ROWS", 2)  # the test files are small: chunks of 2
    pooled = parallel._pooled
    POOLS.clear()

    def counted(*args: Any) -> Any:
        POOLS.append(args[2])
        return pooled(*args)

    monkeypatch.setattr(parallel, "_pooled", counted)
    with cx.transaction() as session:
        make_workspace(session, key="one")
        make_workspace(session, key="many")
    return cx.settings.database_url


def _rows(cx: Cxgap, key: str) -> list[tuple[Any, ...]]:
    columns = (Feedback.source_type, Feedback.source_id, Feedback.collected_at, Feedback.text,
               Feedback.nps, Feedback.csat, Feedback.customer_ref, Feedback.attributes,
               Feedback.question, Feedback.response_key)  # fmt: skip
    with cx.reading() as session:
        workspace = get_workspace(session, key)
        query = select(*columns).where(Feedback.workspace_id == workspace.id)
        return [tuple(r) for r in session.execute(query.order_by(Feedback.source_id))]


def _reports(cx: Cxgap, key: str) -> list[object]:
    with cx.reading() as session:
        workspace = get_workspace(session, key)
        query = select(FeedbackImport.report).where(FeedbackImport.workspace_id == workspace.id)
        return list(session.scalars(query.order_by(FeedbackImport.id)))


def _import(url: str, file: str, key: str, jobs: str) -> tuple[int, str]:
    args = ["import", "feedback", file, "--workspace", key, "--jobs", jobs, "--skip-invalid"]
    result = runner.invoke(app, [*args, "--database-url", url])
    return result.exit_code, result.stdout


@pytest.mark.parametrize("preset", PRESETS)
def test_a_pool_imports_every_preset_as_one_process(cx: Cxgap, url: str, preset: str) -> None:
    for file in (DATA / f"{preset}.csv", DATA / f"{preset}_broken.csv"):
        one = _import(url, str(file), "one", "1")
        many = _import(url, str(file), "many", "3")  # a pool where the file has 3+ rows
        assert many == one
    assert _rows(cx, "many") == _rows(cx, "one") != []
    assert _reports(cx, "many") == _reports(cx, "one")
    assert POOLS, "no import used a pool"


def test_jobs_must_not_be_negative(url: str) -> None:
    code, _ = _import(url, str(DATA / "generic.csv"), "one", "-1")
    assert code == 2
