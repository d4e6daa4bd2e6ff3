"""Cases: opened by hand and by rules, one open case per customer, the lifecycle and its
history, the webhooks; on both backends."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import CaseFeedback, CaseRow, Feedback, WebhookDelivery, Workspace
from cxgap.errors import NotFoundError, ValidationError
from cxgap.services import case_rules, cases, teams
from cxgap.services.case_rules import RuleInput
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import import_feedback
from cxgap.services.workspaces import get_workspace
from cxgap.webhooks.store import add_webhook
from tests.factories import make_user, make_workspace

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def add_feedback(
    session: Session,
    workspace: Workspace,
    source_id: str,
    text: str = "Nobody answers my e-mails.",
    **values: object,
) -> Feedback:
    row = Feedback(
        workspace_id=workspace.id,
        source_type="review",
        source_id=source_id,
        channel="email",
        collected_at=values.pop("collected_at", T0),
        text=text,
        attributes={},
        text_hash=hashlib.sha256(text.encode()).hexdigest(),
        **values,
    )
    session.add(row)
    session.flush()
    return row


@pytest.fixture
def acme(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")
        add_webhook(
            session,
            workspace=workspace,
            url="https://hooks.example.com/x",
            events=["case.created", "case.closed"],
        )
    return cx


def deliveries(session: Session) -> list[str]:
    return list(session.scalars(select(WebhookDelivery.event).order_by(WebhookDelivery.id)))


def test_a_case_opened_from_a_verbatim_takes_its_customer_and_channel(acme: Cxgap) -> None:
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        item = add_feedback(session, workspace, "r1", "Parcel lost " * 20, customer_ref="c-9")
        case, created = cases.open_case(session, workspace=workspace, feedback_id=item.id)
        assert created and case.number == 1 and case.status == "new"
        assert case.customer_ref == "c-9" and case.channel == "email"
        assert case.subject.endswith("…") and len(case.subject) <= 80
        assert [e.type for e in cases.history(session, case)] == ["created"]
        assert deliveries(session) == ["case.created"]
        payload = session.scalars(select(WebhookDelivery.payload)).one()
        assert "Parcel" not in str(payload)  # no verbatim goes out in a webhook


def test_a_second_verbatim_of_the_customer_is_attached_to_the_open_case(acme: Cxgap) -> None:
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        first = add_feedback(session, workspace, "r1", customer_ref="c-9")
        second = add_feedback(session, workspace, "r2", "Still nothing.", customer_ref="c-9")
        case, _ = cases.open_case(session, workspace=workspace, feedback_id=first.id)
        again, created = cases.open_case(session, workspace=workspace, feedback_id=second.id)
        assert again.id == case.id and not created
        assert [e.type for e in cases.history(session, case)] == ["created", "attached"]
        assert session.query(CaseRow).count() == 1


def test_bad_values_are_refused_naming_the_field(acme: Cxgap) -> None:
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        with pytest.raises(ValidationError, match=r"priority.*'asap'"):
            cases.open_case(session, workspace=workspace, subject="x", priority="asap")
        with pytest.raises(ValidationError, match="subject"):
            cases.open_case(session, workspace=workspace, subject="  ")
        with pytest.raises(NotFoundError, match="No feedback 999"):
            cases.open_case(session, workspace=workspace, feedback_id=999)
        case, _ = cases.open_case(session, workspace=workspace, subject="Broken chair")
        with pytest.raises(ValidationError, match=r"assignee.*bob@example\.com"):
            cases.assign(
                session, case=case, assignee_email="bob@example.com", team_key=None, actor_id=None
            )
        with pytest.raises(ValidationError, match="reopened"):
            cases.reopen(session, case=case, actor_id=None)


def test_the_lifecycle_leaves_a_full_history(acme: Cxgap) -> None:
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        teams.create_team(session, workspace=workspace, key="care", name="Customer care")
        teams.add_team_member(
            session, workspace=workspace, team_key="care", email="ana@example.com"
        )
        case, _ = cases.open_case(session, workspace=workspace, subject="Broken chair", at=T0)
        user = cases.assign(
            session, case=case, assignee_email="ana@example.com", team_key="care", actor_id=None
        )
        assert user is not None and case.assignee_id == user.id and case.team_id is not None
        cases.reply(
            session, case=case, body="Internal: check stock", actor_id=user.id, public=False
        )
        assert case.status == "new"  # a note answers nobody
        cases.reply(session, case=case, body="Sorry, a new one is on its way", actor_id=user.id)
        assert case.status == "open"
        cases.set_status(session, case=case, status="pending_customer", actor_id=user.id)
        cases.reply(session, case=case, body="Thanks!", actor_id=None, from_customer=True)
        assert case.status == "open"  # the customer answered: the ball is in our court
        cases.set_priority(session, case=case, priority="high", actor_id=user.id)
        cases.set_status(session, case=case, status="closed", actor_id=user.id)
        assert case.closed_at is not None
        cases.reopen(session, case=case, actor_id=user.id, body="Came back")
        assert case.status == "open" and case.closed_at is None
        events = cases.history(session, case)
        assert [e.type for e in events] == [
            *("created", "assign", "note", "reply", "status", "status", "reply", "status"),
            *("priority", "status", "reopened"),
        ]
        assert [e.public for e in events if e.type in ("note", "reply")] == [False, True, True]
        assert events[-1].status == "open"
        assert deliveries(session) == ["case.created", "case.closed"]
        assert teams.teams_of(session, workspace)[0][1] == ["ana@example.com"]


def detractor_rule(session: Session, workspace: Workspace) -> None:
    case_rules.save_rule(
        session,
        workspace=workspace,
        rule=RuleInput("Detractors", {"nps_max": 6}, priority="high"),
    )


def test_rules_open_one_case_per_customer_and_attach_the_rest(acme: Cxgap) -> None:
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        detractor_rule(session, workspace)
        add_feedback(session, workspace, "a", nps=3, customer_ref="c-1")
        add_feedback(session, workspace, "b", nps=9, customer_ref="c-2")
        add_feedback(session, workspace, "c", nps=6, customer_ref="c-1")
        add_feedback(session, workspace, "d", nps=0, customer_ref=None)
        taken = case_rules.apply_rules(session, workspace.id, Feedback.workspace_id == workspace.id)
        assert taken == 3
        rows = session.scalars(select(CaseRow).order_by(CaseRow.number)).all()
        assert [(r.number, r.customer_ref, r.priority) for r in rows] == [
            (1, "c-1", "high"),
            (2, None, "high"),
        ]
        assert session.query(CaseFeedback).count() == 3
        assert deliveries(session) == ["case.created", "case.created"]  # one per new case
        # Applying again takes nothing: every matching item already has its case.
        assert case_rules.apply_rules(session, workspace.id, Feedback.id > 0) == 0
        cases.set_status(session, case=rows[0], status="closed", actor_id=None)
        add_feedback(session, workspace, "e", nps=2, customer_ref="c-1")
        case_rules.apply_rules(session, workspace.id, Feedback.source_id == "e")
        assert session.query(CaseRow).count() == 3  # a closed case is not reopened


def test_rule_conditions_are_checked(acme: Cxgap) -> None:
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        bad = {"nps_max": 11, "topic": "nope", "mood": "bad"}
        with pytest.raises(ValidationError) as refused:
            case_rules.save_rule(session, workspace=workspace, rule=RuleInput("x", bad))
        fields = {(p.field, str(p.value)) for p in refused.value.problems}
        assert fields == {("nps_max", "11"), ("topic", "nope"), ("mood", "bad")}
        with pytest.raises(ValidationError, match="at least one condition"):
            case_rules.save_rule(session, workspace=workspace, rule=RuleInput("x", {}))


def test_an_import_opens_cases_for_its_detractors(acme: Cxgap, tmp_path: Path) -> None:
    path = tmp_path / "feedback.csv"
    path.write_text(
        "source_id,source_type,collected_at,text,nps,customer_ref\n"
        "1,survey,2026-03-02 10:00,Great,10,c-1\n"
        "2,survey,2026-03-02 11:00,Late again,2,c-2\n"
        "3,survey,2026-03-02 12:00,Still late,4,c-2\n",
        encoding="utf-8",
    )
    with acme.transaction() as session:
        detractor_rule(session, get_workspace(session, "acme"))
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        import_feedback(
            session, workspace=workspace, source=path, name=path.name, preset="generic",
            mapping=None,
        )  # fmt: skip
    with acme.reading() as session:
        rows = session.scalars(select(CaseRow)).all()
        assert [(r.customer_ref, r.subject) for r in rows] == [("c-2", "Late again")]
        events = cases.history(session, rows[0])
        assert [e.type for e in events] == ["created", "attached"]


def test_a_topic_rule_opens_cases_when_the_text_analysis_finds_a_negative_clause(
    acme: Cxgap,
) -> None:
    from cxgap.services import enrichment
    from tests.enrichment_factory import add_topic
    from tests.listening import TOPICS, RuleAnalyzer
    from tests.listening import add_feedback as add_texts

    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        add_topic(session, workspace, "delivery")
        rule = RuleInput("Late deliveries", {"topic": "delivery"})
        case_rules.save_rule(session, workspace=workspace, rule=rule)
        add_texts(session, workspace, ["The staff were lovely but the delivery was late.",
                                       "The staff were lovely."])  # fmt: skip
        # Before the analysis, the rule has no finding to read.
        assert case_rules.apply_rules(session, workspace.id, Feedback.id > 0) == 0
    enrichment.enrich_pending(acme.sessions, workspace, RuleAnalyzer(TOPICS))
    with acme.reading() as session:
        rows = session.scalars(select(CaseRow)).all()
        assert [r.subject for r in rows] == ["The staff were lovely but the delivery was late."]


def test_a_critical_touchpoint_rule_reads_the_journeys(acme: Cxgap) -> None:
    from cxgap.db.tables import JourneyRow, JourneyStageRow, JourneyTouchpointRow

    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        journey = JourneyRow(workspace_id=workspace.id, key="j", name_en="J", name_fr="J",
                             version="current")  # fmt: skip
        session.add(journey)
        session.flush()
        stage = JourneyStageRow(journey_id=journey.id, key="s", name_en="S", name_fr="S",
                                phase="during", position=0)  # fmt: skip
        session.add(stage)
        session.flush()
        for position, (key, truth) in enumerate([("delivery", True), ("faq", False)]):
            session.add(
                JourneyTouchpointRow(
                    stage_id=stage.id, key=key, name_en=key, name_fr=key, channel="web",
                    digital=True, moment_of_truth=truth, position=position,
                )
            )  # fmt: skip
        rule = RuleInput("Moments of truth", {"critical_touchpoint": True}, priority="urgent")
        case_rules.save_rule(session, workspace=workspace, rule=rule)
        add_feedback(session, workspace, "x", touchpoint="delivery", customer_ref="c-1")
        add_feedback(session, workspace, "y", touchpoint="faq", customer_ref="c-2")
        case_rules.apply_rules(session, workspace.id, Feedback.id > 0)
        rows = session.scalars(select(CaseRow)).all()
        assert [(r.customer_ref, r.priority) for r in rows] == [("c-1", "urgent")]
