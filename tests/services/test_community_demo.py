"""The demo's community (issue 15's contract): a filled board with ideas in several statuses
voted by the demo's customers, a help centre with articles and answered questions, power
users and badges — and no e-mail waiting to go to anybody."""

from __future__ import annotations

from sqlalchemy import func, select

from cxgap.db.tables import CommunityNotification, CommunityPerson, Feedback, HelpQuestion
from cxgap.services import help_articles, idea_board, idea_notifications
from cxgap.services.community_reputation import standings
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace


def test_the_demo_has_a_board_a_help_centre_and_power_users(sqlite_cx: Cxgap) -> None:
    with sqlite_cx.transaction() as session:
        create_demo_workspace(session, n_customers=120, locale="fr")
    with sqlite_cx.transaction() as session:
        demo = get_workspace(session, "demo")
        board = idea_board.board(session, demo, order="most_voted")
        assert {row.status for row in board} >= {"open", "under_review", "planned", "started",
                                                 "completed", "declined"}  # fmt: skip
        assert board[0].votes >= 20 and "Suivre mon colis en temps réel" in {r.title for r in board}
        team = idea_board.board(session, demo, public=False)
        assert any(row.status == "duplicate" and row.merged_into for row in team)
        # voters are the demo's customers: their addresses come from their survey reference
        refs = set(
            session.scalars(select(Feedback.customer_ref).where(Feedback.workspace_id == demo.id))
        )
        emails = session.scalars(
            select(CommunityPerson.email).where(CommunityPerson.workspace_id == demo.id)
        )
        assert {e.split("@")[0].upper() for e in emails if e} <= {str(r).upper() for r in refs}
        articles = help_articles.articles(session, demo)
        assert {a.language for a in articles} == {"en", "fr"} and all(a.published for a in articles)
        answered = session.scalar(
            select(func.count()).where(HelpQuestion.workspace_id == demo.id,
                                       HelpQuestion.accepted_answer_id.is_not(None))
        )  # fmt: skip
        assert answered == 2
        ranked = standings(session, demo)
        assert ranked[0].score > 0 and ranked[0].badges  # a power user with badges
        assert idea_notifications.pending(session) == 0  # the demo e-mails nobody
        failures = set(session.scalars(select(CommunityNotification.failure)))
        assert failures == {"demo: not mailed"}
