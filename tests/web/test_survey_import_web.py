"""Survey exports in the browser: the open questions shown and chosen, the date order asked
only when the dates read both ways; on both backends."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.tables import Feedback
from cxgap.services.core import Cxgap
from tests.web.test_feedback_import_web import analyst, mapping_form, run, upload

pytestmark = pytest.mark.on_postgresql  # the backend changes the path: imports

__all__ = ["analyst"]  # the fixture, used by name

SURVEYS = Path(__file__).resolve().parents[1] / "data" / "surveys"


def feedback(cx: Cxgap) -> list[Feedback]:
    with cx.reading() as session:
        return list(session.scalars(select(Feedback).order_by(Feedback.id)))


def test_the_open_questions_are_shown_and_one_can_be_left_out(
    cx: Cxgap, analyst: TestClient
) -> None:
    response = upload(analyst, "survey.csv", (SURVEYS / "qualtrics.csv").read_bytes())
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    page = analyst.get(location).text
    assert "Open-ended questions found: 5." in page
    listed = re.search(r'id="open-questions">(.*?)</div>', page, re.S)
    assert listed is not None and "<li>Q7 · Name of your course</li>" in listed.group(1)
    report = run(analyst, location, mapping_form(page, Q7="ignore"))
    assert re.search(r'id="skipped-blank">1<', report.text)
    stored = feedback(cx)
    assert "Name of your course" not in {r.question for r in stored}
    assert [r.question for r in stored if r.response_key == "R_01"] == [
        "What is the main reason for your score?",
        "What could we improve?",
        "Compared with other shops - Atelier Nord - Comment",
    ]
    assert sum(1 for r in stored if r.nps is not None) == 3


def test_dates_that_read_both_ways_ask_for_their_order(cx: Cxgap, analyst: TestClient) -> None:
    data = (SURVEYS / "google_forms_ambiguous.csv").read_bytes()
    response = upload(analyst, "form.csv", data, lang="fr")
    location = response.headers["location"]
    page = analyst.get(location).text
    assert "contient des dates lisibles dans les deux sens" in page
    assert 'id="date_order"' in page
    form = mapping_form(page, date_order="dmy")
    refused = analyst.post(location, data=form | {"action": "run", "date_order": ""})
    assert refused.status_code == 422 and feedback(cx) == []
    run(analyst, location, form)
    assert min(r.collected_at for r in feedback(cx)) == datetime(2016, 3, 2, 15, 8, 9, tzinfo=UTC)
