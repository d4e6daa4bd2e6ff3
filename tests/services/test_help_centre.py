"""The help centre on both databases: articles and categories, "was this helpful?" and its
share, questions with suggested articles, answers, the accepted answer, the asker's e-mails
(only for those who want them) and the refusals, each naming its field."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import CommunityNotification, User, Workspace
from cxgap.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from cxgap.mail import mailer_for
from cxgap.services import help_articles, help_questions, idea_notifications
from cxgap.services.community_people import anonymous_person, person_by_email
from cxgap.services.core import Cxgap
from cxgap.services.help_articles import ArticleDraft
from tests.factories import make_user, make_workspace
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["smtp_server"]
BASE = "http://cx.example.test"


def _centre(session: Session) -> Workspace:
    ws = make_workspace(session)
    billing = help_articles.add_category(
        session, workspace=ws, key="billing", name_en="Billing", name_fr="Facturation"
    )
    for title, body, language in (
        ("Remboursements", "Le délai de remboursement est de 14 jours.", "fr"),
        ("Résilier mon abonnement", "Depuis votre espace client, rubrique Abonnement.", "fr"),
        ("Refunds", "A refund takes 14 days.", "en"),
    ):
        draft = ArticleDraft(title, body, language, billing.id, published=True)
        help_articles.save_article(session, workspace=ws, draft=draft)
    draft = ArticleDraft("Brouillon interne", "Pas encore prêt", "fr", billing.id)
    help_articles.save_article(session, workspace=ws, draft=draft)
    return ws


def _team(session: Session, ws: Workspace) -> User:
    email = make_user(session, "team@example.com", workspace=ws)
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


def _notices(session: Session) -> list[tuple[int, str]]:
    query = select(CommunityNotification.person_id, CommunityNotification.kind)
    return [(p, k) for p, k in session.execute(query.order_by(CommunityNotification.id))]


def test_search_is_accent_and_case_insensitive_and_hides_drafts(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = _centre(session)
        titles = {a.id: a.title for a in help_articles.articles(session, ws, published_only=False)}
        found = [titles[h.id] for h in help_questions.search_help(session, ws, "remboursement")]
        assert found == ["Remboursements"]
        found = [titles[h.id] for h in help_questions.search_help(session, ws, "RESILIER")]
        assert found == ["Résilier mon abonnement"]
        assert help_questions.search_help(session, ws, "brouillon") == []  # a draft
        ana = person_by_email(session, workspace=ws, email="ana@example.com")
        asked = help_questions.ask(
            session, workspace=ws, person=ana, title="Délai de livraison trop long", language="fr"
        )
        assert asked.question is not None
        hits = help_questions.search_help(session, ws, "livraison")
        assert [(h.kind, h.id) for h in hits] == [("question", asked.question.id)]


def test_the_helpful_share_counts_one_answer_per_person(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = _centre(session)
        refunds = next(a for a in help_articles.articles(session, ws) if a.title == "Refunds")
        people = [
            person_by_email(session, workspace=ws, email=f"p{i}@example.com") for i in range(3)
        ]
        browser = anonymous_person(session, workspace=ws, key="b" * 64)
        for person, helpful in zip([*people, browser], [True, True, False, True], strict=True):
            help_articles.vote(
                session, workspace=ws, article_id=refunds.id, person=person, helpful=helpful
            )
        help_articles.vote(
            session, workspace=ws, article_id=refunds.id, person=people[0], helpful=False
        )
        share = help_articles.helpful_shares(session, ws)[refunds.id]
        assert (share.yes, share.no, share.share) == (2, 2, 0.5)
        unrated = help_articles.helpful_shares(session, ws)
        assert sum(1 for s in unrated.values() if s.share is None) == 3
        draft = next(
            a for a in help_articles.articles(session, ws, published_only=False) if not a.published
        )
        with pytest.raises(NotFoundError):  # customers cannot rate a draft
            help_articles.vote(
                session, workspace=ws, article_id=draft.id, person=browser, helpful=True
            )


def test_a_question_like_an_article_suggests_it_before_posting(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = _centre(session)
        ana = person_by_email(session, workspace=ws, email="ana@example.com", language="fr")
        first = help_questions.ask(
            session,
            workspace=ws,
            person=ana,
            title="Comment résilier mon abonnement ?",
            language="fr",
        )
        assert first.question is None
        assert [a.title for a in first.suggested] == ["Résilier mon abonnement"]
        assert help_questions.questions(session, ws) == []  # nothing posted yet
        again = help_questions.ask(
            session,
            workspace=ws,
            person=ana,
            title="Comment résilier mon abonnement ?",
            language="fr",
            confirmed=True,
        )
        assert again.question is not None
        assert [line.question.id for line in help_questions.questions(session, ws)] == [
            again.question.id
        ]


def test_answers_accept_and_notices_only_for_askers_who_want_them(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = _centre(session)
        team = _team(session, ws)
        ana = person_by_email(session, workspace=ws, email="ana@example.com")
        bob = person_by_email(session, workspace=ws, email="bob@example.com")
        eve = person_by_email(session, workspace=ws, email="eve@example.com")
        eve.mail_answers = False
        q_ana = help_questions.ask(
            session, workspace=ws, person=ana, title="Can I pay by bank transfer?"
        ).question
        q_eve = help_questions.ask(
            session, workspace=ws, person=eve, title="Where is my parcel tracking?"
        ).question
        assert q_ana is not None and q_eve is not None
        by_bob = help_questions.answer(
            session,
            workspace=ws,
            question_id=q_ana.id,
            body="Yes, from your account page.",
            person=bob,
        )
        help_questions.answer(
            session, workspace=ws, question_id=q_ana.id, body="Thanks, found it", person=ana
        )
        by_team = help_questions.answer(
            session,
            workspace=ws,
            question_id=q_eve.id,
            body="In the e-mail we sent.",
            user_id=team.id,
        )
        assert _notices(session) == [(ana.id, "help_answer")]  # Eve wants no answer e-mail
        assert help_questions.vote_answer(session, workspace=ws, answer_id=by_bob.id, person=eve)
        assert not help_questions.vote_answer(
            session, workspace=ws, answer_id=by_bob.id, person=eve
        )  # once
        # The asker accepts (no notice to herself); the team accepts for Eve (she wants none).
        help_questions.accept(
            session, workspace=ws, question_id=q_ana.id, answer_id=by_bob.id, person=ana
        )
        help_questions.accept(
            session, workspace=ws, question_id=q_eve.id, answer_id=by_team.id, team=True
        )
        assert len(_notices(session)) == 1
        lines = help_questions.answers_of(session, q_ana)
        assert [(line.accepted, line.helpful) for line in lines] == [(True, 1), (False, 0)]
        assert help_questions.questions(session, ws, unanswered=True) == []
        with pytest.raises(PermissionDeniedError):  # Bob did not ask
            help_questions.accept(
                session, workspace=ws, question_id=q_ana.id, answer_id=by_bob.id, person=bob
            )
        with pytest.raises(NotFoundError):  # another question's answer
            help_questions.accept(
                session, workspace=ws, question_id=q_ana.id, answer_id=by_team.id, team=True
            )
        # The team accepts for Ana: she is told.
        help_questions.accept(
            session,
            workspace=ws,
            question_id=q_ana.id,
            answer_id=by_bob.id,
            team=True,
            base_url=BASE,
        )
        assert _notices(session)[-1] == (ana.id, "help_accepted")


def test_refusals_name_the_field_and_value(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = _centre(session)
        ana = person_by_email(session, workspace=ws, email="ana@example.com")
        cases = [
            (
                lambda: help_questions.ask(session, workspace=ws, person=ana, title="Help"),
                "title",
                "too_short",
            ),
            (
                lambda: help_questions.ask(
                    session, workspace=ws, person=ana, title="A real question here", language="de"
                ),
                "language",
                "choice_of",
            ),
            (
                lambda: help_articles.save_article(
                    session, workspace=ws, draft=ArticleDraft("", "body")
                ),
                "title",
                "required",
            ),
            (
                lambda: help_articles.save_article(
                    session, workspace=ws, draft=ArticleDraft("Title ok", "x" * 50_001)
                ),
                "body",
                "too_long",
            ),
            (
                lambda: help_articles.save_article(
                    session, workspace=ws, draft=ArticleDraft("Title ok", "", "en", 999)
                ),
                "category",
                "choice",
            ),
            (
                lambda: help_articles.add_category(
                    session, workspace=ws, key="Bad Key", name_en="x", name_fr="x"
                ),
                "key",
                "status_key",
            ),
        ]
        for call, field, code in cases:
            with pytest.raises(ValidationError) as refused:
                call()
            problem = refused.value.problems[0]
            assert (problem.field, problem.code) == (field, code), problem
        assert refused.value.problems[0].value == "Bad Key"
        with pytest.raises(ConflictError):
            help_articles.add_category(
                session, workspace=ws, key="billing", name_en="B", name_fr="F"
            )
        other = make_workspace(session, "other", "Other")
        theirs = help_questions.ask(
            session, workspace=other, person=ana, title="A question elsewhere"
        ).question
        assert theirs is not None
        with pytest.raises(NotFoundError):
            help_questions.answer(
                session, workspace=ws, question_id=theirs.id, body="No", person=ana
            )
        ana.blocked = True
        with pytest.raises(PermissionDeniedError):
            help_questions.ask(session, workspace=ws, person=ana, title="Blocked people cannot ask")


def test_the_asker_gets_the_answer_by_email_in_their_language(
    cx: Cxgap, smtp_server: SmtpServer
) -> None:
    with cx.transaction() as session:
        ws = _centre(session)
        team = _team(session, ws)
        bob = person_by_email(session, workspace=ws, email="bob@example.com", language="fr")
        asked = help_questions.ask(
            session, workspace=ws, person=bob, language="fr", title="Puis-je payer par virement ?"
        ).question
        assert asked is not None
        help_questions.answer(
            session,
            workspace=ws,
            question_id=asked.id,
            user_id=team.id,
            body="Oui, depuis votre espace client.",
            base_url=BASE,
        )
    smtp_server.configure(cx)
    settings = cx.settings
    outcome = idea_notifications.deliver_pending(
        cx.sessions, send=mailer_for(settings).send, secret=settings.resolved_secret_key()
    )
    assert outcome.sent == 1
    (message,) = smtp_server.wait_for(1)
    assert message["Subject"] == (
        "Acme : une nouvelle réponse à votre question « Puis-je payer par virement ? »"
    )
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "L'équipe Acme a répondu" in text and "Oui, depuis votre espace client." in text
    assert f"{BASE}/community/acme/help/questions/{asked.id}?lang=fr" in text
    assert message["List-Unsubscribe"].startswith(f"<{BASE}/community/unsubscribe/")
