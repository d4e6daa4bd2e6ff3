"""The rules applied to older feedback: previewed, then applied in batches, once; the
duplicate-of-open-case rule holds across batches; teams and the rules' order through the
services the API and the CLI call. On both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from cxgap.db.tables import CaseFeedback, CaseRow, Feedback
from cxgap.errors import ConflictError, NotFoundError, ValidationError
from cxgap.services import case_backfill, case_rule_views, case_rules, cases, teams
from cxgap.services.case_rules import RuleInput
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user, make_workspace
from tests.services.test_cases import add_feedback

NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)


def _day(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def seed(cx: Cxgap) -> int:
    """Feedback from before a detractor rule existed; returns the id of the item a case
    opened by hand already holds."""
    with cx.transaction() as session:
        acme = make_workspace(session)
        add_feedback(session, acme, "a", nps=3, customer_ref="c-1", collected_at=_day(1))
        add_feedback(session, acme, "b", nps=2, customer_ref="c-1", collected_at=_day(2))
        add_feedback(session, acme, "c", nps=9, customer_ref="c-2", collected_at=_day(3))
        add_feedback(session, acme, "d", nps=5, customer_ref="c-1", collected_at=_day(4))
        add_feedback(session, acme, "e", nps=1, customer_ref="c-3", collected_at=_day(5))
        add_feedback(session, acme, "f", nps=0, customer_ref=None, collected_at=_day(6))
        held = add_feedback(session, acme, "g", nps=1, customer_ref="c-4", collected_at=_day(7))
        cases.open_case(session, workspace=acme, feedback_id=held.id)  # case 1, by hand
        cases.open_case(session, workspace=acme, subject="Phone call", customer_ref="c-3")  # 2
        rule = RuleInput("Detractors", {"nps_max": 6}, priority="high")
        case_rules.save_rule(session, workspace=acme, rule=rule)
        return held.id


def test_a_preview_counts_then_the_run_opens_and_attaches_in_batches_once(cx: Cxgap) -> None:
    held = seed(cx)
    since = date(2026, 3, 2)  # "a" (1 March) is left out
    with cx.reading() as session:
        acme = get_workspace(session, "acme")
        preview = case_backfill.preview_rules_since(session, acme, since, batch_size=2)
    # b opens c-1's case, d joins it; e joins c-3's open case; f (no customer) opens its own;
    # c is a promoter; g is already on case 1.
    assert (preview.matched, preview.opened, preview.attached) == (4, 2, 2)
    assert preview.dry_run and preview.batches == 3  # b..g: six items, two a batch
    with cx.reading() as session:
        assert session.scalar(select(func.count(CaseRow.id))) == 2  # the preview wrote nothing
    done = case_backfill.apply_rules_since(
        cx, workspace_key="acme", since=since, batch_size=2, now=NOW
    )
    assert (done.matched, done.opened, done.attached, done.batches) == (4, 2, 2, 3)
    assert not done.dry_run
    with cx.reading() as session:
        rows = session.scalars(select(CaseRow).order_by(CaseRow.number)).all()
        opened = [(r.number, r.customer_ref, r.priority) for r in rows]
        assert opened == [(1, "c-4", "normal"), (2, "c-3", "normal"), (3, "c-1", "high"),
                          (4, None, "high")]  # fmt: skip
        links = session.scalars(select(CaseFeedback.feedback_id)).all()
        assert len(links) == len(set(links)) == 5 and links.count(held) == 1
        c1 = session.scalars(select(CaseFeedback).where(CaseFeedback.case_id == rows[2].id))
        assert len(c1.all()) == 2  # b and d: one case for the customer across two batches
    again = case_backfill.apply_rules_since(cx, workspace_key="acme", since=since, now=NOW)
    assert (again.matched, again.opened, again.attached) == (0, 0, 0)
    with cx.reading() as session:
        acme = get_workspace(session, "acme")
        assert case_backfill.preview_rules_since(session, acme, date(2026, 3, 1)).matched == 1


def test_the_day_starts_at_midnight_in_the_calendars_time_zone(cx: Cxgap) -> None:
    with cx.transaction() as session:
        acme = make_workspace(session)
        # 22:30 and 23:30 UTC on 1 March: 23:30 on the 1st and 00:30 on the 2nd in Paris
        add_feedback(session, acme, "late", nps=1, collected_at=datetime(2026, 3, 1, 22, 30,
                                                                          tzinfo=UTC))  # fmt: skip
        add_feedback(session, acme, "next", nps=1, collected_at=datetime(2026, 3, 1, 23, 30,
                                                                          tzinfo=UTC))  # fmt: skip
        case_rules.save_rule(session, workspace=acme, rule=RuleInput("All", {"nps_max": 6}))
    done = case_backfill.apply_rules_since(cx, workspace_key="acme", since=date(2026, 3, 2))
    assert done.opened == 1
    with cx.reading() as session:
        case = session.scalars(select(CaseRow)).one()
        assert session.get_one(Feedback, case.feedback_id).source_id == "next"


def test_bad_days_and_batch_sizes_are_refused_naming_the_field(cx: Cxgap) -> None:
    with cx.transaction() as session:
        make_workspace(session)
    with pytest.raises(ValidationError) as caught:
        case_backfill.read_since("2026-13-01")
    assert caught.value.problems[0].field == "since" and caught.value.problems[0].value == (
        "2026-13-01"
    )
    with pytest.raises(ValidationError) as caught:
        case_backfill.apply_rules_since(cx, workspace_key="acme", since=date(2026, 1, 1),
                                        batch_size=0)  # fmt: skip
    assert caught.value.problems[0].field == "batch_size"
    with pytest.raises(ValidationError) as caught:  # the year 1 would overflow in UTC
        case_backfill.apply_rules_since(cx, workspace_key="acme", since=date(1, 1, 1))
    assert caught.value.problems[0].field == "since"
    with pytest.raises(NotFoundError):
        case_backfill.apply_rules_since(cx, workspace_key="nope", since=date(2026, 1, 1))


def test_teams_are_renamed_staffed_and_deleted_and_rules_reordered(cx: Cxgap) -> None:
    with cx.transaction() as session:
        acme = make_workspace(session)
        for email in ("ana@example.com", "bo@example.com"):
            make_user(session, email, workspace=acme, role="analyst")
        teams.create_team(session, workspace=acme, key="care", name="Care")
        teams.set_team_members(session, workspace=acme, team_key="care",
                               emails=["ana@example.com", "bo@example.com"])  # fmt: skip
        teams.rename_team(session, workspace=acme, team_key="care", name="Customer care")
        teams.remove_team_member(session, workspace=acme, team_key="care",
                                 email="ana@example.com")  # fmt: skip
        to_care = RuleInput("A", {"nps_max": 6}, team_key="care")
        first = case_rules.save_rule(session, workspace=acme, rule=to_care)
        second = case_rules.save_rule(session, workspace=acme, rule=RuleInput("B", {"csat_max": 2}))
        case_rules.reorder_rules(session, workspace=acme, rule_ids=[second.id, first.id])
        with pytest.raises(ConflictError):
            teams.create_team(session, workspace=acme, key="care", name="Again")
        with pytest.raises(ValidationError) as caught:
            case_rules.reorder_rules(session, workspace=acme, rule_ids=[first.id, first.id])
        assert caught.value.problems[0].field == "rules"
        with pytest.raises(ValidationError) as caught:
            teams.set_team_members(session, workspace=acme, team_key="care",
                                   emails=["zed@example.com"])  # fmt: skip
        assert caught.value.problems[0].value == "zed@example.com"
    with cx.transaction() as session:
        acme = get_workspace(session, "acme")
        assert case_rule_views.teams_data(session, acme) == [
            {"key": "care", "name": "Customer care", "members": ["bo@example.com"]}
        ]
        listed = case_rule_views.rules_data(session, acme)
        assert [(r["position"], r["name"], r["team"]) for r in listed] == [
            (1, "B", None), (2, "A", "care")
        ]  # fmt: skip
        teams.delete_team(session, workspace=acme, team_key="care")
    with cx.reading() as session:
        acme = get_workspace(session, "acme")
        assert case_rule_views.teams_data(session, acme) == []
        assert [r["team"] for r in case_rule_views.rules_data(session, acme)] == [None, None]
