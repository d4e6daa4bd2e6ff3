"""The recovery survey: asked on closing, refused without an address or after an opt-out,
answered once within 30 days, the answer a CSAT feedback record in Listening attached to
the case, a low score reopening it; on both backends."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from cxgap.db.tables import CaseFeedback, CaseRecovery, CaseRow, Feedback, MailOptOut, Workspace
from cxgap.errors import ConflictError, NotFoundError, RateLimitedError, ValidationError
from cxgap.services import case_recovery, case_views, cases, recovery_answers
from cxgap.services.core import Cxgap
from cxgap.services.survey_mailing import email_hash
from tests.factories import make_workspace
from tests.services.test_cases import add_feedback

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SECRET = "s" * 32


def _closed_case(session: Session, customer_ref: str | None = "jo@example.com") -> CaseRow:
    workspace = session.scalars(select(Workspace)).first() or make_workspace(session)
    case, _ = cases.open_case(
        session, workspace=workspace, subject="Parcel lost", customer_ref=customer_ref, at=T0
    )
    cases.set_status(session, case=case, status="resolved", actor_id=None, at=T0)
    return case


def _ask(session: Session, case: CaseRow, **options: object) -> tuple[CaseRecovery, str]:
    return case_recovery.request_recovery(session, case=case, secret=SECRET, at=T0, **options)  # type: ignore[arg-type]


def _answer(
    session: Session,
    token: str,
    score: str,
    comment: str = "",
    *,
    now: datetime = T0 + timedelta(days=1),
    rate_limit: int = 20,
    client_ip: str = "192.0.2.1",
) -> Feedback:
    return recovery_answers.answer_recovery(
        session, token=token, score=score, comment=comment, client_ip=client_ip,
        secret=SECRET, rate_limit=rate_limit, now=now,
    )  # fmt: skip


def test_asking_records_a_hashed_token_and_the_history(cx: Cxgap) -> None:
    with cx.transaction() as session:
        case = _closed_case(session)
        recovery, token = _ask(session, case, language="fr")
        assert recovery.email == "jo@example.com" and recovery.language == "fr"
        assert recovery.token_hash == case_recovery.token_digest(token) != token
        assert recovery.expires_at == T0 + timedelta(days=30)
        assert [e.type for e in cases.history(session, case)][-1] == "recovery_ask"


def test_the_answer_becomes_csat_feedback_attached_to_the_case(cx: Cxgap) -> None:
    with cx.transaction() as session:
        case = _closed_case(session)
        _, token = _ask(session, case)
        feedback = _answer(session, token, "4", "Quick and kind, thanks. Call me on 06 12 34 56 78")
        number = case.number
    with cx.reading() as session:
        row = session.get(Feedback, feedback.id)
        assert row is not None and row.csat == 4 and row.channel == "recovery"
        assert row.source_type == "survey" and row.source_id.startswith("recovery-")
        assert "06 12" not in row.text and row.text.startswith("Quick and kind")
        assert row.attributes == {"case": str(number)}
        assert row.question == "How satisfied are you with how we handled your request?"
        case = session.scalars(select(CaseRow)).one()
        assert case.status == "resolved"  # 4/5: the loop is closed
        linked = session.scalars(
            select(CaseFeedback.feedback_id).where(CaseFeedback.case_id == case.id)
        )
        assert feedback.id in set(linked)
        workspace = session.get(Workspace, case.workspace_id)
        assert workspace is not None
        detail = case_views.detail(session, workspace, case, T0 + timedelta(days=2))
        [shown] = case_recovery.recoveries_of(session, case)
        assert detail["recoveries"] == [asdict(shown)]
        assert shown.score == 4 and shown.feedback_id == feedback.id
        types = [e["type"] for e in detail["events"]]  # type: ignore[attr-defined]
        assert types[-1] == "recovery_answer"


def test_a_low_score_reopens_the_case(cx: Cxgap) -> None:
    with cx.transaction() as session:
        case = _closed_case(session)
        _, token = _ask(session, case)
        _answer(session, token, "2", "Still no parcel.")
        assert case.status == "open" and case.closed_at is None
        assert [e.type for e in cases.history(session, case)][-2:] == [
            "recovery_answer",
            "reopened",
        ]


def test_a_second_answer_is_refused_and_the_first_kept(cx: Cxgap) -> None:
    with cx.transaction() as session:
        _, token = _ask(session, _closed_case(session))
        _answer(session, token, "5")
    with cx.transaction() as session, pytest.raises(ConflictError) as twice:
        _answer(session, token, "1", "changed my mind")
    assert twice.value.message_key == recovery_answers.ANSWERED
    with cx.reading() as session:
        assert session.scalars(select(CaseRecovery.score)).one() == 5
        assert session.scalars(select(Feedback.csat)).all() == [5]


def test_an_expired_or_unknown_link_is_refused(cx: Cxgap) -> None:
    with cx.transaction() as session:
        _, token = _ask(session, _closed_case(session))
    with cx.transaction() as session, pytest.raises(ConflictError) as late:
        _answer(session, token, "5", now=T0 + timedelta(days=30))
    assert late.value.message_key == recovery_answers.EXPIRED
    with cx.transaction() as session, pytest.raises(NotFoundError):
        _answer(session, token + "x", "5")
    with cx.reading() as session:
        assert recovery_answers.open_link(session, token, T0 + timedelta(days=31)).expired
        assert session.scalars(select(Feedback)).all() == []


@pytest.mark.parametrize("score", ["", "0", "6", "four"])
def test_the_score_is_required_from_1_to_5(cx: Cxgap, score: str) -> None:
    with cx.transaction() as session:
        _, token = _ask(session, _closed_case(session))
        with pytest.raises(ValidationError) as refused:
            _answer(session, token, score)
    assert refused.value.problems[0].field == "score"


def test_no_address_no_survey(cx: Cxgap) -> None:
    with cx.transaction() as session:
        case = _closed_case(session, customer_ref="C-1042")
        with pytest.raises(ValidationError) as refused:
            _ask(session, case)
        assert refused.value.problems[0].code == "recovery_no_email"
        with pytest.raises(ValidationError) as bad:
            _ask(session, case, email="not an address")
        assert bad.value.problems[0].code == "recovery_bad_email"
        assert case_recovery.suggested_email(session, case) == ""
        recovery, _ = _ask(session, case, email="Jo <jo@example.com>")
        assert recovery.email == "jo@example.com"
        assert case_recovery.suggested_email(session, case) == "jo@example.com"


def test_an_opted_out_customer_is_not_asked(cx: Cxgap) -> None:
    with cx.transaction() as session:
        case = _closed_case(session)
        session.add(
            MailOptOut(workspace_id=case.workspace_id, email_hash=email_hash("JO@example.com"))
        )
        with pytest.raises(ValidationError) as refused:
            _ask(session, case)
    assert refused.value.problems[0].code == "recovery_opted_out"


def test_only_a_resolved_or_closed_case_and_one_waiting_survey(cx: Cxgap) -> None:
    with cx.transaction() as session:
        case = _closed_case(session)
        _ask(session, case)
        with pytest.raises(ValidationError) as pending:
            _ask(session, case)
        assert pending.value.problems[0].code == "recovery_pending"
        cases.reopen(session, case=case, actor_id=None)
        with pytest.raises(ValidationError) as still_open:
            _ask(session, case)
        assert still_open.value.problems[0].code == "recovery_open_case"


def test_the_language_follows_the_verbatim(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        item = add_feedback(session, workspace, "v1", "Colis jamais arrivé", language_hint="fr",
                            customer_ref="jo@example.com")  # fmt: skip
        case, _ = cases.open_case(session, workspace=workspace, feedback_id=item.id, at=T0)
        cases.set_status(session, case=case, status="closed", actor_id=None, at=T0)
        recovery, _ = _ask(session, case)
        assert recovery.language == "fr"


def test_answers_are_rate_limited_per_network(cx: Cxgap) -> None:
    with cx.transaction() as session:
        first = _closed_case(session, "a@example.com")
        second = _closed_case(session, "b@example.com")
        _, token_a = _ask(session, first)
        _, token_b = _ask(session, second)
        _answer(session, token_a, "5", rate_limit=1)
    with cx.transaction() as session, pytest.raises(RateLimitedError):
        _answer(session, token_b, "5", rate_limit=1)


def test_answers_sent_at_the_same_moment_store_one(cx: Cxgap) -> None:
    with cx.transaction() as session:
        _, token = _ask(session, _closed_case(session))
    sqlite = cx.settings.database_url.startswith("sqlite")
    args: dict[str, object] = {"timeout": 60, "check_same_thread": False} if sqlite else {}
    engine = create_engine(cx.settings.database_url, poolclass=NullPool, connect_args=args)
    start = threading.Barrier(4)

    def post(number: int) -> str:
        with Session(engine) as session:
            try:
                with session.begin():
                    start.wait(timeout=60)
                    _answer(session, token, str(1 + number), client_ip=f"192.0.2.{number}")
            except ConflictError:
                return "refused"
            return "stored"

    try:
        with ThreadPoolExecutor(4) as pool:
            outcomes = sorted(pool.map(post, range(4)))
    finally:
        engine.dispose()
    assert outcomes == ["refused", "refused", "refused", "stored"]
    with cx.reading() as session:
        assert len(session.scalars(select(Feedback)).all()) == 1
