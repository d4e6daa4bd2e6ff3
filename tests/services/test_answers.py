"""Storing answers: all or nothing, one answer per visit or invitation, limits enforced."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from cxgap.db.tables import (
    BotAnswer,
    CustomerPillarScore,
    CustomerResponse,
    InternalPillarScore,
    InternalResponse,
    SurveyInvitation,
)
from cxgap.errors import (
    ConflictError,
    InvitationUsedError,
    NotFoundError,
    RateLimitedError,
    ValidationError,
)
from cxgap.services.answers import PublicSubmission, submit_customer_answer, submit_internal_answer
from cxgap.services.campaigns import (
    campaign_by_token,
    create_internal_campaign,
    create_invitations,
    create_survey,
    survey_by_token,
)
from cxgap.services.core import Cxgap
from tests.factories import customer_form, internal_form, make_workspace


def count(cx: Cxgap, column: object) -> int:
    with cx.reading() as session:
        return int(session.scalar(select(func.count(column))) or 0)


def submit(cx: Cxgap, form: dict[str, object], sid: str = "s1", **kwargs: object) -> int | None:
    with cx.transaction() as session:
        survey = survey_by_token(session, str(kwargs.pop("token", "survey-token")))
        return submit_customer_answer(
            session,
            survey=survey,
            submission=PublicSubmission(
                form=form, submission_id=sid, client_ip=str(kwargs.pop("ip", "10.0.0.1")),
                invitation_token=kwargs.pop("invitation", None),  # type: ignore[arg-type]
            ),
            secret="k",
            rate_limit=int(kwargs.pop("limit", 100)),  # type: ignore[call-overload]
        )  # fmt: skip


@pytest.fixture
def survey_cx(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        ws = make_workspace(session)
        create_survey(session, workspace=ws, key="s", name="Survey", token="survey-token")
        create_survey(
            session, workspace=ws, key="inv", name="Inv", invitation_only=True, token="inv-token"
        )
    return cx


def test_a_public_answer_is_stored_with_every_pillar(survey_cx: Cxgap) -> None:
    assert submit(survey_cx, customer_form()) is not None
    assert count(survey_cx, CustomerResponse.id) == 1
    assert count(survey_cx, CustomerPillarScore.id) == 10


def test_a_second_submission_of_one_visit_updates_its_answer(survey_cx: Cxgap) -> None:
    submit(survey_cx, customer_form(nps=3), sid="same")
    submit(survey_cx, customer_form(nps=9), sid="same")
    assert count(survey_cx, CustomerResponse.id) == 1
    assert count(survey_cx, CustomerPillarScore.id) == 10
    with survey_cx.reading() as session:
        assert session.scalar(select(CustomerResponse.nps)) == 9


def test_an_invalid_answer_stores_nothing(survey_cx: Cxgap) -> None:
    with pytest.raises(ValidationError):
        submit(survey_cx, customer_form(nps=11))
    assert count(survey_cx, CustomerResponse.id) == 0
    assert count(survey_cx, CustomerPillarScore.id) == 0


def test_the_honeypot_keeps_the_bot_out_of_the_answers_and_says_nothing(survey_cx: Cxgap) -> None:
    assert submit(survey_cx, customer_form(website="http://spam.example")) is None
    assert count(survey_cx, CustomerResponse.id) == 0
    assert count(survey_cx, BotAnswer.id) == 1  # held apart, flagged (test_bot_answers.py)


def test_rate_limit_per_client(survey_cx: Cxgap) -> None:
    submit(survey_cx, customer_form(), sid="a", limit=2)
    submit(survey_cx, customer_form(), sid="b", limit=2)
    with pytest.raises(RateLimitedError):
        submit(survey_cx, customer_form(), sid="c", limit=2)
    submit(survey_cx, customer_form(), sid="d", limit=2, ip="10.0.0.2")  # another client
    assert count(survey_cx, CustomerResponse.id) == 3


def test_an_invitation_gives_one_answer_that_a_second_submission_updates(
    survey_cx: Cxgap,
) -> None:
    with survey_cx.transaction() as session:
        token = create_invitations(session, survey=survey_by_token(session, "inv-token"), count=1)[
            0
        ]
    with pytest.raises(ValidationError):
        submit(survey_cx, customer_form(), token="inv-token")
    with pytest.raises(NotFoundError):
        submit(survey_cx, customer_form(), token="inv-token", invitation="forged")
    submit(survey_cx, customer_form(nps=2), sid="x", token="inv-token", invitation=token)
    # Another visit (another key) with the same invitation: still the same answer.
    submit(survey_cx, customer_form(nps=8), sid="y", token="inv-token", invitation=token)
    assert count(survey_cx, CustomerResponse.id) == 1
    with survey_cx.reading() as session:
        assert session.scalar(select(CustomerResponse.nps)) == 8
    with survey_cx.transaction() as session:
        survey_by_token(session, "inv-token").is_open = False
    with pytest.raises(ConflictError):  # no update once the survey is closed
        submit(survey_cx, customer_form(nps=0), sid="z", token="inv-token", invitation=token)
    with survey_cx.reading() as session:
        assert session.scalar(select(CustomerResponse.nps)) == 8


def test_internal_answer_gives_the_total_and_a_second_submission_updates_it(cx: Cxgap) -> None:
    with cx.transaction() as session:
        campaign = create_internal_campaign(
            session, workspace=make_workspace(session), key="c", name="C"
        )
        receipt = submit_internal_answer(
            session, campaign=campaign, form=internal_form(current=4), submission_id="i1"
        )
    assert (receipt.total, receipt.maximum, receipt.updated) == (40, 50, False)
    with cx.transaction() as session:
        campaign_again = session.merge(campaign)
        again = submit_internal_answer(
            session,
            campaign=campaign_again,
            form=internal_form(current=2, respondent="Camille"),
            submission_id="i1",
        )
    assert (again.response_id, again.total, again.updated) == (receipt.response_id, 20, True)
    assert count(cx, InternalResponse.id) == 1
    assert count(cx, InternalPillarScore.id) == 10
    with cx.reading() as session:
        [stored] = session.scalars(select(InternalResponse)).all()
        assert stored.respondent == "Camille"
        assert {s.current for s in stored.scores} == {2}
    with cx.transaction() as session:
        closed = campaign_by_token(session, campaign.token)
        closed.is_open = False
    with pytest.raises(ConflictError), cx.transaction() as session:
        submit_internal_answer(
            session,
            campaign=campaign_by_token(session, campaign.token),
            form=internal_form(),
            submission_id="i1",
        )


def test_an_answer_given_before_invitations_were_tied_to_answers_is_not_replaced(
    survey_cx: Cxgap,
) -> None:
    with survey_cx.transaction() as session:
        survey = survey_by_token(session, "survey-token")
        [token] = create_invitations(session, survey=survey, count=1)
        invitation = session.scalars(select(SurveyInvitation)).one()
        invitation.used_at = datetime.now(UTC)  # used, but its answer is not findable
    with pytest.raises(InvitationUsedError):
        submit(survey_cx, customer_form(), sid="b", invitation=token)
    assert count(survey_cx, CustomerResponse.id) == 0


def test_open_surveys_ignore_unknown_invitations_but_honour_known_ones(survey_cx: Cxgap) -> None:
    with survey_cx.transaction() as session:
        token = create_invitations(
            session, survey=survey_by_token(session, "survey-token"), count=1
        )
    assert submit(survey_cx, customer_form(), sid="a", invitation="not-a-real-one") is not None
    submit(survey_cx, customer_form(), sid="b", invitation=token[0])
    submit(survey_cx, customer_form(), sid="c", invitation=token[0])
    assert count(survey_cx, CustomerResponse.id) == 2


def test_a_missing_submission_id_is_refused(survey_cx: Cxgap) -> None:
    with pytest.raises(ValidationError):
        submit(survey_cx, customer_form(), sid="")
    assert count(survey_cx, CustomerResponse.id) == 0
