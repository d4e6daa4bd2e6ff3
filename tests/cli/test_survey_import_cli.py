"""``cxgap import feedback FILE --workspace W`` and nothing else, on real survey layouts,
on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.db.tables import Feedback, FeedbackImport
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace

pytestmark = pytest.mark.on_postgresql  # the backend changes the path: imports: COPY on PostgreSQL

SURVEYS = Path(__file__).resolve().parents[1] / "data" / "surveys"
runner = CliRunner()


@pytest.fixture
def url(cx: Cxgap) -> str:
    with cx.transaction() as session:
        make_workspace(session)
    return cx.settings.database_url


def cxgap(url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--database-url", url])
    return result.exit_code, result.stdout, result.stderr


def rows(cx: Cxgap) -> list[Feedback]:
    with cx.reading() as session:
        return list(session.scalars(select(Feedback).order_by(Feedback.id)))


@pytest.mark.parametrize(
    ("name", "preset", "records", "blank"),
    [
        ("qualtrics.csv", "qualtrics", 8, 1),
        ("qualtrics_legacy.csv", "qualtrics_legacy", 4, 1),
        ("surveymonkey.csv", "surveymonkey", 5, 1),
        ("google_forms_tz.csv", "google_forms", 6, 1),
        ("typeform_2018.csv", "typeform", 3, 1),
        ("typeform.csv", "typeform", 5, 1),
        ("alchemer.csv", "alchemer", 3, 2),
        ("surveymonkey_condensed.csv", "surveymonkey_condensed", 3, 1),
        ("microsoft_forms.csv", "microsoft_forms", 4, 1),
        ("limesurvey.csv", "limesurvey", 4, 1),
        ("google_forms_mdy.csv", "google_forms", 5, 1),
        ("google_forms_dmy.csv", "google_forms", 4, 1),
    ],
)
def test_survey_exports_import_with_no_option(
    cx: Cxgap, url: str, name: str, preset: str, records: int, blank: int
) -> None:
    code, out, err = cxgap(url, "import", "feedback", str(SURVEYS / name), "--workspace", "acme")
    assert code == 0, err
    assert f"Layout detected: {preset}" in err
    assert f"Stored {records} records" in out
    assert f"skipped: {blank} blank responses" in out
    assert len(rows(cx)) == records
    with cx.reading() as session:
        assert session.scalar(select(FeedbackImport.preset)) == preset


def test_verbatims_keep_their_question_and_response_and_scores_count_once(
    cx: Cxgap, url: str
) -> None:
    file = str(SURVEYS / "qualtrics.csv")
    code, _, err = cxgap(url, "import", "feedback", file, "--workspace", "acme")
    assert code == 0, err
    stored = [r for r in rows(cx) if r.response_key == "R_01"]
    assert [r.question for r in stored] == [
        "What is the main reason for your score?",
        "What could we improve?",
        "Compared with other shops - Atelier Nord - Comment",
    ]
    assert [r.nps for r in stored] == [9, None, None]
    with cx.reading() as session:
        scored = session.scalar(select(func.count()).where(Feedback.nps.is_not(None)))
        answered = session.scalar(select(func.count(func.distinct(Feedback.response_key))))
    assert (scored, answered) == (3, 3)  # R_01, R_02, R_04: one NPS each
    # A second import updates the same records instead of adding copies.
    code, _, err = cxgap(url, "import", "feedback", file, "--workspace", "acme")
    assert code == 0, err
    assert len(rows(cx)) == 8


def test_an_explicit_preset_still_wins(cx: Cxgap, url: str) -> None:
    file = str(SURVEYS / "typeform.csv")
    args = ("import", "feedback", file, "--workspace", "acme", "--preset", "generic")
    code, _, err = cxgap(url, *args)
    assert code == 2  # the generic columns (source_type, collected_at…) are not there
    assert "Layout detected" not in err
    assert rows(cx) == []


def test_dates_that_read_both_ways_ask_for_the_order(cx: Cxgap, url: str) -> None:
    file = str(SURVEYS / "google_forms_ambiguous.csv")
    code, _, err = cxgap(url, "import", "feedback", file, "--workspace", "acme")
    assert code == 2
    assert "Horodateur" in err and "--date-order dmy" in err
    assert rows(cx) == []
    args = ("import", "feedback", file, "--workspace", "acme", "--date-order", "dmy")
    code, _, err = cxgap(url, *args)
    assert code == 0, err
    assert min(r.collected_at for r in rows(cx)) == datetime(2016, 3, 2, 15, 8, 9, tzinfo=UTC)


def test_a_re_import_replaces_each_response_as_a_whole(cx: Cxgap, url: str, tmp_path: Path) -> None:
    """What an older import stored for a response (one record holding its joined answers
    and its scores) or a question now left out is removed: scores are never counted twice."""
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        old = {"workspace_id": workspace.id, "source_type": "survey", "source_id": "R_01"}
        session.add(
            Feedback(
                **old,
                collected_at=datetime(2024, 5, 2, tzinfo=UTC),
                nps=9,
                text="Friendly staff.\n\nLonger opening hours.",
                text_hash="x",
            )
        )
    file = str(SURVEYS / "qualtrics.csv")
    code, _, err = cxgap(url, "import", "feedback", file, "--workspace", "acme")
    assert code == 0, err
    assert "R_01" not in {r.source_id for r in rows(cx)}
    assert sum(1 for r in rows(cx) if r.nps is not None) == 3
    kept = ["Q2", "Q4_TEXT", "Q5_4_TEXT", "Q6#1_1_1_TEXT"]  # "Name of your course" left out
    mapping = tmp_path / "m.json"
    document = {"preset": "qualtrics", "fields": {"text": {"columns": kept, "each": True}}}
    mapping.write_text(json.dumps(document), encoding="utf-8")
    args = ("import", "feedback", file, "--workspace", "acme", "--mapping", str(mapping))
    code, _, err = cxgap(url, *args)
    assert code == 0, err
    assert "Name of your course" not in {r.question for r in rows(cx)}
    assert len(rows(cx)) == 7
    with cx.reading() as session:
        imports = list(session.scalars(select(FeedbackImport).order_by(FeedbackImport.id)))
    assert [i.report["records_removed"] for i in imports] == [1, 1]
