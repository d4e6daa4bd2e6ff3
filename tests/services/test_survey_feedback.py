"""Survey comments become Listening feedback, once: stored answers, re-imports, the backfill,
answers also imported as feedback, and the demo."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from cxgap.db.tables import CustomerResponse, Feedback, WebhookDelivery
from cxgap.schema import CustomerAnswer, parse_customer_answer
from cxgap.services import listening
from cxgap.services.answers import store_customer_answers
from cxgap.services.campaigns import create_survey
from cxgap.services.core import Cxgap
from cxgap.services.demo import DEMO_KEY, create_demo_workspace
from cxgap.services.feedback_imports import run_feedback_import
from cxgap.services.survey_feedback import backfill_survey_comments
from cxgap.services.workspaces import get_workspace
from cxgap.webhooks.store import add_webhook
from tests.factories import PILLAR_KEYS, customer_form, make_workspace

WHEN = "2026-04-01T10:00:00+02:00"


def answer(response_id: str, comment: str, **fields: Any) -> CustomerAnswer:
    form = customer_form(
        comment=comment, response_id=response_id, submitted_at=WHEN, language="fr", **fields
    )
    return parse_customer_answer(form, pillar_keys=PILLAR_KEYS, segment_keys={"pro", "home"})


def store(cx: Cxgap, *answers: CustomerAnswer, survey: str | None = None) -> None:
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        survey_id = None
        if survey is not None:
            survey_id = create_survey(session, workspace=workspace, key=survey, name="Pulse").id
        store_customer_answers(
            session,
            workspace=workspace,
            answers=list(answers),
            source="import",
            survey_id=survey_id,
        )


def feedback(cx: Cxgap) -> list[Feedback]:
    with cx.reading() as session:
        return list(session.scalars(select(Feedback).order_by(Feedback.source_id)))


@pytest.fixture
def acme(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        make_workspace(session)
    return cx


def test_a_stored_comment_becomes_survey_feedback(acme: Cxgap) -> None:
    store(acme, answer("R1", "  Livraison en retard,\r\nmais SAV aimable.  ", segment="pro"))
    store(acme, answer("R2", "Parfait.", nps=10), survey="pulse")
    store(acme, answer("R3", ""))  # no comment: no feedback
    first, second = feedback(acme)
    assert (first.source_type, first.source_id, first.channel) == ("survey", "R1", "import")
    assert first.text == "Livraison en retard,\nmais SAV aimable."
    assert first.collected_at == datetime(2026, 4, 1, 8, tzinfo=UTC)
    assert (first.nps, first.csat, first.ces, first.language_hint) == (8, 4, 6, "fr")
    assert first.attributes == {"segment": "pro", "birth_year": "1980"}
    assert (first.question, first.response_key) == (None, "R1")  # not asked by cxgap's form
    assert (second.channel, second.nps, second.response_key) == ("pulse", 10, "R2")
    assert second.question is not None
    assert second.question.startswith("Souhaitez-vous nous dire quelque chose")
    assert "question" not in second.attributes


def test_storing_again_updates_the_one_record(acme: Cxgap) -> None:
    store(acme, answer("R1", "Trop cher."))
    store(acme, answer("R1", "Trop cher, et livré en retard."))
    (only,) = feedback(acme)
    assert only.text == "Trop cher, et livré en retard."
    store(acme, answer("R1", ""))  # the comment was taken back
    assert feedback(acme) == []


def test_the_backfill_brings_older_answers_in_once(acme: Cxgap) -> None:
    store(acme, answer("R1", "Très bien."), answer("R2", "Bof."), answer("R3", ""))
    with acme.transaction() as session:  # as if stored before comments reached Listening
        session.execute(delete(Feedback))
    for expected in (2, 2):  # twice: the second run changes nothing but the same records
        with acme.transaction() as session:
            assert backfill_survey_comments(session, workspace=get_workspace(session, "acme"))
        assert [f.source_id for f in feedback(acme)] == ["R1", "R2"]
        assert len(feedback(acme)) == expected


def test_a_comment_also_imported_as_feedback_counts_once(acme: Cxgap, tmp_path: Path) -> None:
    export = tmp_path / "survey-tool.csv"
    export.write_text(
        "source_type,source_id,collected_at,text,nps\n"
        "survey,R1,2026-04-01T08:00:00Z,Livraison en retard (tool),3\n"
        "survey,X-9,2026-04-01T08:00:00Z,Bof.,5\n",
        encoding="utf-8",
    )
    outcome = run_feedback_import(acme, workspace_key="acme", source=export, name=export.name)
    assert outcome.refusal is None
    store(acme, answer("R1", "Livraison en retard"), answer("R2", "Bof."), answer("R3", "Top"))
    rows = {f.source_id: f for f in feedback(acme)}
    assert sorted(rows) == ["R1", "R3", "X-9"]  # R2 is X-9: same text, same moment
    assert rows["R1"].text == "Livraison en retard (tool)"  # the import's record is kept
    assert rows["R1"].import_id is not None
    with acme.transaction() as session:
        backfill_survey_comments(session, workspace=get_workspace(session, "acme"))
    assert len(feedback(acme)) == 3


def test_the_demo_comments_appear_in_listening(cx: Cxgap) -> None:
    with cx.transaction() as session:
        assert create_demo_workspace(session, n_customers=60)
    with cx.reading() as session:
        workspace = get_workspace(session, DEMO_KEY)
        commented = session.scalar(
            select(func.count()).where(
                CustomerResponse.workspace_id == workspace.id, CustomerResponse.comment != ""
            )
        )
        assert commented and commented > 10
        page = listening.explore(
            session, workspace, listening.parse_filters({"source": "survey", "channel": "pillars"})
        )
        assert page.total == commented
        texts = {v.row.text for v in page.verbatims}
        comments = set(
            session.scalars(
                select(CustomerResponse.comment).where(
                    CustomerResponse.workspace_id == workspace.id
                )
            )
        )
        assert texts <= comments
        assert backfill_survey_comments(session, workspace=workspace) == commented
        session.rollback()


def test_new_survey_comments_queue_feedback_created_once(acme: Cxgap) -> None:
    with acme.transaction() as session:
        add_webhook(
            session,
            workspace=get_workspace(session, "acme"),
            url="http://127.0.0.1:9/hook",
            events=["feedback.created"],
        )
    store(acme, answer("R1", "Livraison en retard."), answer("R2", "Parfait."))
    store(acme, answer("R1", "Livraison en retard, colis abîmé."))  # an update: no new record
    store(acme, answer("R3", ""))  # no comment: nothing
    with acme.reading() as session:
        payloads = [d.payload for d in session.scalars(select(WebhookDelivery))]
    assert [p["data"] for p in payloads] == [{"source": "survey", "created": 2}]
    assert payloads[0]["event"] == "feedback.created"
