"""Storing answers: all or nothing, no replay, limits enforced."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cxgap.db.tables import CustomerPillarScore, CustomerResponse, InternalResponse
from cxgap.errors import (
    ConflictError,
    DuplicateSubmissionError,
    InvitationUsedError,
    NotFoundError,
    RateLimitedError,
    ValidationError,
)
from cxgap.services.answers import PublicSubmission, submit_customer_answer, submit_internal_answer
from cxgap.services.campaigns import (
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


def test_a_replayed_submission_is_refused_and_stored_once(survey_cx: Cxgap) -> None:
    submit(survey_cx, customer_form(), sid="same")
    with pytest.raises(ConflictError):
        submit(survey_cx, customer_form(), sid="same")
    assert count(survey_cx, CustomerResponse.id) == 1


def test_an_invalid_answer_stores_nothing(survey_cx: Cxgap) -> None:
    with pytest.raises(ValidationError):
        submit(survey_cx, customer_form(nps=11))
    assert count(survey_cx, CustomerResponse.id) == 0
    assert count(survey_cx, CustomerPillarScore.id) == 0


def test_the_honeypot_stores_nothing_and_says_nothing(survey_cx: Cxgap) -> None:
    assert submit(survey_cx, customer_form(website="http://spam.example")) is None
    assert count(survey_cx, CustomerResponse.id) == 0


def test_rate_limit_per_client(survey_cx: Cxgap) -> None:
    submit(survey_cx, customer_form(), sid="a", limit=2)
    submit(survey_cx, customer_form(), sid="b", limit=2)
    with pytest.raises(RateLimitedError):
        submit(survey_cx, customer_form(), sid="c", limit=2)
    submit(survey_cx, customer_form(), sid="d", limit=2, ip="10.0.0.2")  # another client
    assert count(survey_cx, CustomerResponse.id) == 3


def test_invitations_are_single_use(survey_cx: Cxgap) -> None:
    with survey_cx.transaction() as session:
        token = create_invitations(session, survey=survey_by_token(session, "inv-token"), count=1)[
            0
        ]
    with pytest.raises(ValidationError):
        submit(survey_cx, customer_form(), token="inv-token")
    with pytest.raises(NotFoundError):
        submit(survey_cx, customer_form(), token="inv-token", invitation="forged")
    submit(survey_cx, customer_form(), sid="x", token="inv-token", invitation=token)
    with pytest.raises(ConflictError):
        submit(survey_cx, customer_form(), sid="y", token="inv-token", invitation=token)
    assert count(survey_cx, CustomerResponse.id) == 1


def test_internal_answer_gives_the_total_and_refuses_replays(cx: Cxgap) -> None:
    with cx.transaction() as session:
        campaign = create_internal_campaign(
            session, workspace=make_workspace(session), key="c", name="C"
        )
        receipt = submit_internal_answer(
            session, campaign=campaign, form=internal_form(current=4), submission_id="i1"
        )
    assert (receipt.total, receipt.maximum) == (40, 50)
    with pytest.raises(ConflictError), cx.transaction() as session:
        campaign_again = session.merge(campaign)
        submit_internal_answer(
            session, campaign=campaign_again, form=internal_form(), submission_id="i1"
        )
    assert count(cx, InternalResponse.id) == 1


def test_a_replay_is_reported_as_such_even_with_an_invitation(survey_cx: Cxgap) -> None:
    with survey_cx.transaction() as session:
        token = create_invitations(session, survey=survey_by_token(session, "inv-token"), count=1)[
            0
        ]
    submit(survey_cx, customer_form(), sid="once", token="inv-token", invitation=token)
    with pytest.raises(DuplicateSubmissionError):
        submit(survey_cx, customer_form(), sid="once", token="inv-token", invitation=token)
    with pytest.raises(InvitationUsedError):
        submit(survey_cx, customer_form(), sid="other", token="inv-token", invitation=token)


def test_open_surveys_ignore_unknown_invitations_but_honour_known_ones(survey_cx: Cxgap) -> None:
    with survey_cx.transaction() as session:
        token = create_invitations(
            session, survey=survey_by_token(session, "survey-token"), count=1
        )
    assert submit(survey_cx, customer_form(), sid="a", invitation="not-a-real-one") is not None
    submit(survey_cx, customer_form(), sid="b", invitation=token[0])
    with pytest.raises(InvitationUsedError):
        submit(survey_cx, customer_form(), sid="c", invitation=token[0])
    assert count(survey_cx, CustomerResponse.id) == 2


def test_a_missing_submission_id_is_refused(survey_cx: Cxgap) -> None:
    with pytest.raises(ValidationError):
        submit(survey_cx, customer_form(), sid="")
    assert count(survey_cx, CustomerResponse.id) == 0
