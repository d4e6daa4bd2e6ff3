"""Screenshots of the help centre (docs/community.md): its home, an article, a question with
its answers, the team's page and the article editor, in English and French, desktop (1280 px)
and phone (390 px), into docs/screenshots/help-*.png.

Runs cxgap on a throw-away SQLite database with a small help centre.
"""

from __future__ import annotations

from pathlib import Path

from scripts.screenshots_sessions import FIREFOX, PASSWORD, served, shoot, sign_in
from sqlalchemy import select

from cxgap.db.tables import User
from cxgap.services import accounts, help_articles, help_questions
from cxgap.services.community_people import anonymous_person, person_by_email
from cxgap.services.help_articles import ArticleDraft
from cxgap.services.workspaces import create_workspace

ARTICLES = [
    ("billing", "fr", "Remboursements : délais et suivi",
     "Un remboursement est versé sous 14 jours après la réception de votre retour.\n\n"
     "Vous pouvez le suivre :\n- dans votre espace client, rubrique Commandes ;\n"
     "- dans l'e-mail de confirmation du retour.\n\n"
     "Passé ce délai, écrivez-nous depuis la page Contact."),
    ("billing", "en", "Refunds: how long they take",
     "A refund is paid within 14 days of receiving your return.\n\n"
     "You can follow it:\n- in your account, under Orders;\n- in the return's confirmation "
     "e-mail.\n\nAfter that, write to us from the Contact page."),
    ("billing", "fr", "Résilier mon abonnement", "Depuis votre espace client, rubrique "
     "Abonnement, bouton « Résilier ». La résiliation prend effet à la fin du mois payé."),
    ("billing", "en", "Cancel my subscription", "From your account, under Subscription, "
     "button “Cancel”. It takes effect at the end of the month paid for."),
    ("delivery", "fr", "Suivre ma livraison", "Le lien de suivi est dans l'e-mail d'expédition."),
    ("delivery", "en", "Track my delivery", "The tracking link is in the shipping e-mail."),
    ("delivery", "fr", "Livraison le samedi", "Disponible dans les grandes villes."),
]  # fmt: skip


def setup(cx: object, _folder: Path) -> None:
    with cx.transaction() as session:  # type: ignore[attr-defined]
        ws = create_workspace(session, key="acme", name="Maison Lumen")
        accounts.create_user(session, email="ana@example.com", password=PASSWORD)
        accounts.set_membership(session, workspace=ws, email="ana@example.com", role="analyst")
        team = session.scalar(select(User.id).where(User.email == "ana@example.com"))
        cats = {
            key: help_articles.add_category(session, workspace=ws, key=key, name_en=en, name_fr=fr)
            for key, en, fr in (("billing", "Billing and refunds", "Facturation et remboursements"),
                                ("delivery", "Delivery", "Livraison"))
        }  # fmt: skip
        ids = []
        for cat, lang, title, body in ARTICLES:
            draft = ArticleDraft(title, body, lang, cats[cat].id, published=True)
            ids.append(help_articles.save_article(session, workspace=ws, draft=draft).id)
        help_articles.save_article(
            session, workspace=ws, draft=ArticleDraft("Retours en magasin", "À écrire.", "fr")
        )
        for i in range(12):
            person = anonymous_person(session, workspace=ws, key=f"{i:064d}")
            for article_id, yes in zip(ids, (i < 10, i < 9, i < 5, i < 11), strict=False):
                help_articles.vote(
                    session, workspace=ws, article_id=article_id, person=person, helpful=yes
                )
        for email, name, lang, title, body, answer in (
            ("lea@example.com", "Léa", "fr", "Puis-je payer en trois fois ?",
             "Pour une commande de 400 €.", "Oui, dès 150 € d'achat, au moment du paiement."),
            ("tom@example.com", "Tom", "en", "Can I change the delivery address after ordering?",
             "I moved last week.", ""),
        ):  # fmt: skip
            person = person_by_email(session, workspace=ws, email=email, name=name, language=lang)
            asked = help_questions.ask(
                session, workspace=ws, person=person, title=title, body=body, language=lang,
                confirmed=True,
            )  # fmt: skip
            assert asked.question is not None
            if answer:
                marc = person_by_email(session, workspace=ws, email="marc@example.com", name="Marc")
                help_questions.answer(
                    session, workspace=ws, question_id=asked.question.id, person=marc,
                    body="Je l'ai fait le mois dernier : l'option apparaît au paiement.",
                )  # fmt: skip
                mine = help_questions.answer(
                    session, workspace=ws, question_id=asked.question.id, user_id=team,
                    body=answer + "\n\nL'option « Payer en 3 fois » s'affiche à la dernière étape.",
                )  # fmt: skip
                help_questions.accept(
                    session, workspace=ws, question_id=asked.question.id, answer_id=mine.id,
                    person=person,
                )  # fmt: skip


def main() -> None:
    with served(setup) as (base, browser):
        customer = browser.new_context(user_agent=FIREFOX).new_page()
        shoot(customer, "help-home", f"{base}/community/acme/help")
        shoot(customer, "help-article", f"{base}/community/acme/help/articles/1")
        shoot(customer, "help-question", f"{base}/community/acme/help/questions/1")
        ana = sign_in(browser, base, "ana@example.com", FIREFOX)
        shoot(ana, "help-team", f"{base}/w/acme/help")
        shoot(ana, "help-editor", f"{base}/w/acme/help/articles/1")


if __name__ == "__main__":
    main()
