"""``cxgap enrich`` (the contract command) and ``cxgap worker``, with the small rule analyzer."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.db.tables import Feedback
from cxgap.jobs import progress
from cxgap.jobs.worker import enqueue_enrichment
from cxgap.schema import parse_customer_answer
from cxgap.services import enrichment, taxonomy
from cxgap.services.answers import store_customer_answers
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from cxgap.text.protocols import TextAnalysis
from tests.factories import PILLAR_KEYS, customer_form, make_workspace
from tests.listening import TOPICS, RuleAnalyzer, add_feedback, rule_analyzer

pytestmark = pytest.mark.on_postgresql  # the backend changes the path: enrichment jobs

runner = CliRunner()
TEXTS = ["Late parcel", "Late parcel", "Lovely staff", "Too expensive but fast delivery"]


def cxgap(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def url(cx: Cxgap, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("CXGAP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CXGAP_QUEUE", "embedded")
    monkeypatch.setattr(taxonomy, "default_taxonomy", lambda: TOPICS)
    monkeypatch.setattr(enrichment, "default_analyzer_factory", rule_analyzer)
    with cx.transaction() as session:
        add_feedback(session, make_workspace(session), TEXTS)
    return cx.settings.database_url


def test_enrich_shows_progress_and_enriches_each_distinct_text_once(cx: Cxgap, url: str) -> None:
    code, out, err = cxgap(
        "enrich", "--workspace", "acme", "--batch-size", "2", "--database-url", url
    )
    assert code == 0, err
    assert "3 distinct texts enriched" in out
    assert "3/3 texts" in err and "[" in err
    code, out, _ = cxgap("enrich", "--workspace", "acme", "--database-url", url)
    assert code == 0 and "0 distinct texts enriched" in out
    with cx.reading() as session:
        shown = progress.progress_of(session, get_workspace(session, "acme"))
    assert shown is not None and shown.status == "done"


def test_enrich_reports_a_failed_job_and_an_unknown_workspace(
    cx: Cxgap, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken(RuleAnalyzer):
        def analyze(self, texts: list[str]) -> list[TextAnalysis]:  # type: ignore[override]
            raise ValueError("weights file is corrupt")

    monkeypatch.setattr(
        enrichment, "default_analyzer_factory", lambda t, workspace_model_dir=None: Broken(t)
    )
    code, _, err = cxgap("enrich", "--workspace", "acme", "--database-url", url)
    assert code == 2 and "failed: ValueError: weights file is corrupt" in err
    code, _, err = cxgap("enrich", "--workspace", "nope", "--database-url", url)
    assert code == 2 and "No workspace 'nope'" in err


def test_worker_once_runs_the_waiting_jobs(cx: Cxgap, url: str) -> None:
    with cx.transaction() as session:
        enqueue_enrichment(session, get_workspace(session, "acme"))
    code, out, err = cxgap("worker", "--once", "--database-url", url)
    assert code == 0, err
    # the enrichment, what it queued after it (overlay index, emerging topics) and the
    # scheduled purge now due
    assert "4 job(s) run." in out
    with cx.reading() as session:
        shown = progress.progress_of(session, get_workspace(session, "acme"))
    assert shown is not None and (shown.status, shown.done) == ("done", 3)


def test_topics_list_shows_volumes_after_enrichment(cx: Cxgap, url: str) -> None:
    cxgap("enrich", "--workspace", "acme", "--database-url", url)
    code, out, err = cxgap("topics", "list", "--workspace", "acme", "--database-url", url)
    assert code == 0, err
    lines = {line.split()[0]: line.split()[1] for line in out.splitlines()}
    assert lines == {"delivery": "3", "staff": "1", "price": "1"}
    code, out, _ = cxgap("topics", "list", "-w", "acme", "--json", "--database-url", url)
    assert code == 0 and '"key": "delivery"' in out


def test_enrich_first_brings_in_the_comments_of_older_survey_answers(cx: Cxgap, url: str) -> None:
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        answers = [
            parse_customer_answer(
                customer_form(response_id=rid, comment=text),
                pillar_keys=PILLAR_KEYS,
            )
            for rid, text in (("R1", "Late parcel again"), ("R2", "Lovely staff"), ("R3", ""))
        ]
        store_customer_answers(session, workspace=workspace, answers=answers, source="import")
        # As if stored before survey comments reached Listening.
        session.execute(delete(Feedback).where(Feedback.source_id.in_(["R1", "R2"])))
    for _ in range(2):  # a second run adds nothing
        code, out, err = cxgap("enrich", "--workspace", "acme", "--database-url", url)
        assert code == 0, err
        with cx.reading() as session:
            ids = session.scalars(
                select(Feedback.source_id).where(Feedback.source_type == "survey")
            )
            assert sorted(i for i in ids if i.startswith("R")) == ["R1", "R2"]
    assert "0 distinct texts enriched" in out  # the first run enriched both comments
