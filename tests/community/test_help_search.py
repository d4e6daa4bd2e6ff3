"""The help centre's search, against hand-worked values: folded words, plurals made
singular, a title word weighing twice a body word, and the suggestions before posting."""

from __future__ import annotations

import math

from cxgap.community.help_search import TITLE_WEIGHT, Document, search, suggest

DOCS = [
    Document(1, "article", "Remboursements", "Le délai de remboursement est de 14 jours."),
    Document(2, "article", "Résilier mon abonnement", "Depuis votre espace client."),
    Document(3, "question", "Livraison en retard", "Puis-je avoir un remboursement ?"),
    Document(4, "article", "Changer d'adresse", "Avant l'expédition de la commande."),
]


def test_accents_and_case_do_not_matter() -> None:
    assert [h.id for h in search("resilier", DOCS)] == [2]
    assert [h.id for h in search("RÉSILIER", DOCS)] == [2]
    assert [h.id for h in search("remboursement", DOCS)] == [1, 3]
    assert [h.id for h in search("Remboursements", DOCS)] == [1, 3]


def test_a_title_word_weighs_twice_a_body_word() -> None:
    # "remboursement" is in 2 of the 4 documents: idf = ln(1 + 5 / 3).
    idf = math.log(1 + 5 / 3)
    first, second = search("remboursement", DOCS)
    assert first.score == round(idf * (TITLE_WEIGHT + 1), 4)  # in title and body
    assert second.score == round(idf, 4)  # in the body only
    assert (first.kind, second.kind) == ("article", "question")
    # A word nobody has still counts in the share: "carte" (idf ln(1 + 5 / 1)).
    (hit,) = search("résilier carte", DOCS)
    assert hit.share == round(math.log(1 + 5 / 2) / (math.log(1 + 5 / 2) + math.log(6)), 4)


def test_ties_put_articles_first_then_the_lowest_id() -> None:
    docs = [Document(9, "question", "Facture"), Document(8, "article", "Facture")]
    docs += [Document(7, "article", "Facture")]
    assert [(h.kind, h.id) for h in search("factures", docs)] == [
        ("article", 7), ("article", 8), ("question", 9),
    ]  # fmt: skip


def test_nothing_to_search_finds_nothing() -> None:
    assert search("", DOCS) == []
    assert search("le la les", DOCS) == []  # stop words only
    assert search("xylophone", DOCS) == []


def test_a_question_like_an_article_suggests_it() -> None:
    articles = [d for d in DOCS if d.kind == "article"]
    assert [h.id for h in suggest("Comment résilier mon abonnement ?", articles)] == [2]
    assert [h.id for h in suggest("Je veux un remboursement", articles)] == [1]
    # One shared word among many others is not enough (under a third of the weight).
    assert suggest("adresse de livraison, colis perdu, transporteur injoignable", articles) == []
