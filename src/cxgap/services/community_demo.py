"""The demo's community (issue 15): an idea board whose ideas answer the demo's irritants
(delivery, waiting, returns, the app…), in several statuses with the team's messages, voted
by the demo's customers; a help centre with articles in both languages and answered
questions; and the power users and badges they earn.

The customers' addresses are made from their survey reference on the reserved ``.example``
domain, and the news the demo's status changes made is marked "demo: not mailed": a demo
never e-mails anybody, even on a server with SMTP configured.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cxgap.db.table_base import utcnow
from cxgap.db.tables import CommunityNotification, CommunityPerson, Feedback, Idea, Workspace
from cxgap.services import (
    community_reputation,
    help_articles,
    help_questions,
    idea_statuses,
    idea_tags,
)
from cxgap.services import ideas as idea_service
from cxgap.services.community_people import person_by_email

NAMES = (
    "Camille",
    "Léa",
    "Hugo",
    "Sarah",
    "Tom",
    "Inès",
    "Nora",
    "Lucas",
    "Emma",
    "Jules",
    "Chloé",
    "Adam",
    "Zoé",
    "Louis",
    "Manon",
    "Yanis",
    "Jade",
    "Noah",
    "Alice",
    "Enzo",
)
# (title en, title fr, description en, description fr, status, votes, the team's message en/fr)
IDEAS = (
    (
        "Deliver on Saturdays",
        "Livrer le samedi",
        "Most of us work during the week: a Saturday delivery slot would avoid missed parcels.",
        "En semaine nous travaillons : un créneau le samedi éviterait les colis manqués.",
        "started",
        34,
        "Pilot in two regions from next month.",
        "Test dans deux régions dès le mois prochain.",
    ),
    (
        "Track my parcel in real time",
        "Suivre mon colis en temps réel",
        "Show where the van is on the day of delivery.",
        "Montrer où est le camion le jour de la livraison.",
        "completed",
        41,
        "Live tracking is in the app since this week.",
        "Le suivi en direct est dans l'application depuis cette semaine.",
    ),
    (
        "Free returns in store",
        "Retours gratuits en magasin",
        "Let us bring back online orders to any store without paying the return.",
        "Pouvoir rapporter une commande en ligne dans n'importe quel magasin sans payer le retour.",
        "planned",
        27,
        "Planned for the spring.",
        "Prévu pour le printemps.",
    ),
    (
        "Call me back instead of waiting on the line",
        "Être rappelé plutôt qu'attendre en ligne",
        "When the wait is long, offer a call back.",
        "Quand l'attente est longue, proposer d'être rappelé.",
        "under_review",
        19,
        "We are studying it with our call centre.",
        "Nous l'étudions avec notre centre d'appels.",
    ),
    (
        "An app that does not crash at checkout",
        "Une application qui ne plante pas au paiement",
        "Paying in the app or on the website fails too often: the basket will not go through.",
        "Payer dans l'application ou sur le site échoue trop souvent : le panier ne passe pas.",
        "open",
        8,
        "",
        "",
    ),
    (
        "Refund to the original card within 48 hours",
        "Rembourser sur la carte sous 48 heures",
        "Refunds take too long.",
        "Les remboursements sont trop longs.",
        "completed",
        22,
        "Refunds now leave within 48 hours.",
        "Les remboursements partent désormais sous 48 heures.",
    ),
    (
        "Loyalty points on every purchase",
        "Des points fidélité à chaque achat",
        "Reward regular customers with discounts that really apply at the till.",
        "Récompenser les clients fidèles avec des remises vraiment appliquées en caisse.",
        "declined",
        6,
        "Not for now: we prefer lower prices for everyone.",
        "Pas pour l'instant : nous préférons des prix plus bas pour tous.",
    ),
    (
        "Deliver on Saturday mornings",
        "Livraison le samedi matin",
        "Saturday please!",
        "Le samedi svp !",
        "open",
        3,
        "",
        "",
    ),
)
ARTICLES = (
    (
        "delivery",
        "How do I track my parcel?",
        "Comment suivre mon colis ?",
        "Open the app, then Orders: the map shows where your parcel is on the day of delivery.",
        "Ouvrez l'application, puis Commandes : la carte montre où est votre colis le jour "
        "de la livraison.",
    ),
    (
        "returns",
        "Returning an item and getting refunded",
        "Retourner un article et être remboursé",
        "Bring it back to a store or print the return label. Refunds leave within 48 hours.",
        "Rapportez-le en magasin ou imprimez l'étiquette de retour. Le remboursement part "
        "sous 48 heures.",
    ),
    (
        "account",
        "Changing my delivery address",
        "Changer mon adresse de livraison",
        "Account, then Addresses: the new address applies to orders not yet shipped.",
        "Compte, puis Adresses : la nouvelle adresse vaut pour les commandes pas encore expédiées.",
    ),
)
CATEGORIES = (
    ("delivery", "Delivery", "Livraison"),
    ("returns", "Returns and refunds", "Retours et remboursements"),
    ("account", "My account", "Mon compte"),
)
QUESTIONS = (
    (
        "Can I change the delivery slot after ordering?",
        "Puis-je changer le créneau après la commande ?",
        "Yes, in the app until the day before.",
        "Oui, dans l'application jusqu'à la veille.",
    ),
    (
        "Is the return free for sale items?",
        "Le retour est-il gratuit pour les soldes ?",
        "Yes, in store it is always free.",
        "Oui, en magasin c'est toujours gratuit.",
    ),
    (
        "Where do I find my invoice?",
        "Où trouver ma facture ?",
        "Orders, then the order: Download the invoice.",
        "Commandes, puis la commande : Télécharger la facture.",
    ),
)


def _people(
    session: Session, workspace: Workspace, locale: str, count: int
) -> list[CommunityPerson]:
    refs = session.scalars(
        select(Feedback.customer_ref)
        .where(Feedback.workspace_id == workspace.id, Feedback.customer_ref.is_not(None))
        .distinct()
        .order_by(Feedback.customer_ref)
        .limit(count)
    ).all()
    people = []
    for index, ref in enumerate(refs):
        person = person_by_email(
            session,
            workspace=workspace,
            email=f"{str(ref).lower()}@customers.example",
            language=locale if index % 3 else ("fr" if locale == "en" else "en"),
            name=NAMES[index % len(NAMES)] if index < 24 else "",
        )
        people.append(person)
    return people


def add_demo_community(session: Session, *, workspace: Workspace, locale: str = "en") -> int:
    """The demo's board, help centre and badges; how many community people it made."""
    french = locale == "fr"
    rng = random.Random(2026)
    people = _people(session, workspace, locale, 60)
    if len(people) < 12:
        return 0
    start = utcnow() - timedelta(days=420)
    for index, person in enumerate(people):
        person.created_at = start + timedelta(days=rng.randint(0, 400) if index > 3 else index)
    for index, (en, fr, den, dfr, status, votes, men, mfr) in enumerate(IDEAS):
        author = people[index % 6]
        idea = idea_service.submit_idea(
            session,
            workspace=workspace,
            person=author,
            title=fr if french else en,
            description=dfr if french else den,
            language=locale,
        )
        idea.created_at = utcnow() - timedelta(days=90 - index * 9)
        for voter in rng.sample(people, min(votes, len(people))):
            idea_service.vote(session, workspace=workspace, idea_id=idea.id, person=voter)
        if status == "completed":  # built after being started
            idea_statuses.change_status(
                session, workspace=workspace, idea_id=idea.id, status="started"
            )
        if status != "open":
            idea_statuses.change_status(
                session,
                workspace=workspace,
                idea_id=idea.id,
                status=status,
                message=mfr if french else men,
            )
        if index == 0:
            idea_service.comment(
                session,
                workspace=workspace,
                idea_id=idea.id,
                body="Oui, indispensable !" if french else "Yes, please!",
                person=people[7],
            )
    board_ids = list(
        session.scalars(select(Idea.id).where(Idea.workspace_id == workspace.id).order_by(Idea.id))
    )
    idea_statuses.merge_idea(
        session, workspace=workspace, idea_id=board_ids[-1], into_id=board_ids[0]
    )
    idea_tags.add_demo_tags(session, workspace=workspace, idea_ids=board_ids)
    _help_centre(session, workspace, people, french)
    session.execute(  # the demo's news is never mailed
        update(CommunityNotification)
        .where(CommunityNotification.workspace_id == workspace.id)
        .values(claimed_at=utcnow(), failure="demo: not mailed")
    )
    community_reputation.award_badges(session, workspace)
    return len(people)


def _help_centre(
    session: Session, workspace: Workspace, people: list[CommunityPerson], french: bool
) -> None:
    ids = {
        key: help_articles.add_category(
            session, workspace=workspace, key=key, name_en=en, name_fr=fr
        ).id
        for key, en, fr in CATEGORIES
    }
    for category, en, fr, ben, bfr in ARTICLES:
        for language, title, body in (("en", en, ben), ("fr", fr, bfr)):
            draft = help_articles.ArticleDraft(
                title=title, body=body, language=language, category_id=ids[category], published=True
            )
            article = help_articles.save_article(session, workspace=workspace, draft=draft)
            for voter in people[:5]:
                help_articles.vote(
                    session,
                    workspace=workspace,
                    article_id=article.id,
                    person=voter,
                    helpful=voter.id % 4 != 0,
                )
    expert = people[1]
    for index, (en, fr, aen, afr) in enumerate(QUESTIONS):
        asked = help_questions.ask(
            session,
            workspace=workspace,
            person=people[10 + index],
            title=fr if french else en,
            language="fr" if french else "en",
            confirmed=True,
        )
        if asked.question is None:
            continue
        given = help_questions.answer(
            session,
            workspace=workspace,
            question_id=asked.question.id,
            body=afr if french else aen,
            person=expert,
        )
        if index < 2:
            help_questions.accept(
                session,
                workspace=workspace,
                question_id=asked.question.id,
                answer_id=given.id,
                person=people[10 + index],
            )
        for voter in people[20:26]:
            help_questions.vote_answer(
                session, workspace=workspace, answer_id=given.id, person=voter
            )
