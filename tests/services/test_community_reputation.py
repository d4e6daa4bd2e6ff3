"""Power users and badges from the board's activity, on both databases: contributions
counted, badges awarded by the job and revoked when their rule stops holding."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from cxgap.db.table_base import utcnow
from cxgap.db.tables import BadgeAward, BadgeDefinition, CommunityPerson
from cxgap.jobs import badges
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker, submit
from cxgap.services import community_reputation, help_questions, idea_statuses, ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from cxgap.services.idea_board import board
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.warm_routes import app_for


def _seed(cx: Cxgap) -> tuple[int, int]:
    """Ana's idea gets 30 votes and is built; Bob voted. Ana's and Bob's ids."""
    with cx.transaction() as session:
        ws = make_workspace(session)
        ana = person_by_email(session, workspace=ws, email="ana@example.com", name="Ana")
        ana.created_at = utcnow() - timedelta(days=400)
        idea = ideas.submit_idea(session, workspace=ws, person=ana, title="Deliver on Saturdays")
        voters = [
            person_by_email(session, workspace=ws, email=f"v{i}@example.com") for i in range(30)
        ]
        for person in voters:
            ideas.vote(session, workspace=ws, idea_id=idea.id, person=person)
        idea_statuses.change_status(session, workspace=ws, idea_id=idea.id, status="completed")
        return ana.id, voters[0].id


def _held(cx: Cxgap, person_id: int) -> set[str]:
    with cx.transaction() as session:
        query = (
            select(BadgeDefinition.key)
            .join(BadgeAward, BadgeAward.badge_id == BadgeDefinition.id)
            .where(BadgeAward.person_id == person_id, BadgeAward.revoked_at.is_(None))
        )
        return set(session.scalars(query))


def test_contributions_come_from_the_board(cx: Cxgap) -> None:
    ana_id, bob_id = _seed(cx)
    with cx.transaction() as session:
        found = community_reputation.contributions(session, get_workspace(session, "acme"))
    ana = found[ana_id]
    assert (ana.ideas, ana.ideas_built, ana.votes_received, ana.tenure_days // 30) == (1, 1, 30, 13)
    assert found[bob_id].ideas == 0 and found[bob_id].votes_received == 0
    with cx.transaction() as session:
        (top, *_rest) = community_reputation.standings(session, get_workspace(session, "acme"))
    # 25 (idea built) + 30 (votes) + 13 (months) = 68: a contributor
    assert (top.person_id, top.display_name, top.score, top.level.key) == (
        ana_id,
        "Ana",
        68,
        "contributor",
    )


def test_the_job_awards_then_revokes_when_the_rule_stops_holding(cx: Cxgap) -> None:
    ana_id, bob_id = _seed(cx)
    worker = Worker(JobContext.for_app(cx, kinds={badges.BADGES: badges.KIND}))
    with cx.transaction() as session:
        submit(session, badges.BADGES, payload={})
    assert worker.run_once() is not None
    assert _held(cx, ana_id) == {"first_idea_built", "popular_idea", "one_year"}
    assert _held(cx, bob_id) == set()
    with cx.transaction() as session:  # the idea is reopened: no longer built
        ws = get_workspace(session, "acme")
        (line,) = board(session, ws)
        idea_statuses.change_status(session, workspace=ws, idea_id=line.id, status="started")
        outcome = community_reputation.award_badges(session, ws)
    assert (outcome.awarded, outcome.revoked) == (0, 1)
    assert _held(cx, ana_id) == {"popular_idea", "one_year"}
    with cx.transaction() as session:  # running again changes nothing
        again = community_reputation.award_badges(session, get_workspace(session, "acme"))
    assert (again.awarded, again.revoked) == (0, 0)


def test_a_public_slug_is_random_and_stable(cx: Cxgap) -> None:
    ana_id, _ = _seed(cx)
    with cx.transaction() as session:
        ana = session.get(CommunityPerson, ana_id)
        assert ana is not None
        slug = community_reputation.public_slug(session, ana)
        assert len(slug) >= 16 and "ana" not in slug.lower()
        assert community_reputation.public_slug(session, ana) == slug


def test_the_badge_page_shows_the_chosen_name_level_badges_and_its_card(cx: Cxgap) -> None:
    ana_id, bob_id = _seed(cx)
    with cx.transaction() as session:
        community_reputation.award_badges(session, get_workspace(session, "acme"))
        ana, bob = session.get(CommunityPerson, ana_id), session.get(CommunityPerson, bob_id)
        assert ana is not None and bob is not None
        slug, bob_slug = ana.public_slug, bob.public_slug
    assert slug and bob_slug is None  # a page once there is a badge to show
    with TestClient(app_for(cx)) as browser:
        page = browser.get(f"/community/acme/people/{slug}?lang=fr")
        assert page.status_code == 200
        text = html.unescape(page.text)
        assert "Ana" in text and "Idée réalisée" in text and "ana@example.com" not in text
        og = dict(re.findall(r'<meta property="og:(\w+)" content="([^"]*)"', page.text))
        assert html.unescape(og["title"]) == "Ana, Contributeur de la communauté Acme"
        assert og["image"].endswith(f"/community/acme/people/{slug}/card.png?lang=fr")
        card = browser.get(og["image"].split("testserver", 1)[1])
        assert card.headers["content-type"] == "image/png" and card.content[:4] == b"\x89PNG"
        assert browser.get("/community/acme/people/not-a-slug").status_code == 404
        assert browser.get(f"/community/other/people/{slug}").status_code == 404
        board_page = browser.get("/community/acme/leaderboard?lang=en")
        assert board_page.status_code == 200 and "Contributor" in board_page.text


def _id(asked: help_questions.Asked) -> int:
    assert asked.question is not None
    return asked.question.id


def test_help_centre_answers_count_and_earn_badges(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = make_workspace(session)
        sam = person_by_email(session, workspace=ws, email="sam@example.com", name="Sam")
        askers = [
            person_by_email(session, workspace=ws, email=f"q{i}@example.com") for i in range(12)
        ]
        for index, asker in enumerate(askers):
            question = help_questions.ask(session, workspace=ws, person=asker,
                                          title=f"How do I return parcel number {index}?",
                                          confirmed=True)  # fmt: skip
            given = help_questions.answer(session, workspace=ws, question_id=_id(question),
                                          body="Use the returns form.", person=sam)  # fmt: skip
            if index < 10:
                help_questions.accept(session, workspace=ws, question_id=_id(question),
                                      answer_id=given.id, team=True)  # fmt: skip
            help_questions.vote_answer(session, workspace=ws, answer_id=given.id, person=asker)
        own = help_questions.ask(session, workspace=ws, person=sam, title="My own question here",
                                 confirmed=True)  # fmt: skip
        help_questions.answer(session, workspace=ws, question_id=_id(own), body="Self", person=sam)
        found = community_reputation.contributions(session, ws)[sam.id]
        # 13 answers, 10 accepted, 12 helpful votes from others, 12 distinct customers helped
        assert (found.answers, found.accepted_answers, found.helpful_votes,
                found.customers_helped) == (13, 10, 12, 12)  # fmt: skip
        community_reputation.award_badges(session, ws)
        sam_id = sam.id
    assert _held(cx, sam_id) == {"first_answer", "ten_accepted"}
