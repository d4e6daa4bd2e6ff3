"""Blaming the customer and internal jargon: each pattern fires on real-looking drafts, and
stays quiet on drafts that look close but are fine."""

from __future__ import annotations

import pytest

from tests.tone.helpers import codes, context

BLAME_FIRES = [
    ("en", "You should have checked the size guide before ordering.", "You should have"),
    ("en", "You should've contacted us within 14 days.", "You should've"),
    ("en", "As stated in our terms, returns are not accepted after 30 days.", "As stated"),
    ("en", "As previously mentioned, the parcel was sent on time.", "As previously mentioned"),
    ("en", "As I already told you, the refund is on its way.", "As I already told you"),
    ("en", "Per my last email, the store closes at 7pm.", "Per my last email"),
    ("en", "Unfortunately you failed to enter the right address.", "you failed to"),
    ("en", "It's your responsibility to check the parcel on delivery.", "It's your responsibility"),
    ("en", "You didn't read the instructions, which explain the setup.", "You didn't read"),
    ("fr", "Vous auriez dû vérifier la taille avant de commander.", "Vous auriez dû"),
    ("fr", "Tu aurais dû nous prévenir plus tôt.", "Tu aurais dû"),
    ("fr", "Comme indiqué dans nos CGV, les retours sont gratuits.", "Comme indiqué"),
    ("fr", "Comme déjà précisé, le colis est parti mardi.", "Comme déjà précisé"),
    (
        "fr",
        "Comme je vous l'ai déjà dit, le remboursement est en cours.",
        "Comme je vous l'ai déjà dit",
    ),
    ("fr", "Vous avez oublié de joindre la facture.", "Vous avez oublié"),
    ("fr", "Vous n'avez pas respecté la procédure de retour.", "Vous n'avez pas respecté"),
    ("fr", "C'est de votre responsabilité de vérifier le colis.", "C'est de votre responsabilité"),
    ("fr", "Il vous fallait nous contacter sous 14 jours.", "Il vous fallait"),
]
BLAME_QUIET = [
    ("en", "You should have received a confirmation e-mail this morning."),
    ("en", "You should have been contacted by our carrier yesterday; I am sorry you were not."),
    ("en", "We should have told you about the delay, and I apologise."),
    ("en", "You must have been so disappointed to find the box empty."),
    ("en", "As you said, the parcel arrived damaged: I have arranged a replacement."),
    ("en", "Our team will state the new delivery date in the tracking e-mail."),
    ("fr", "Vous auriez dû recevoir un e-mail de confirmation ce matin."),
    ("fr", "Vous auriez dû être livré mardi : je suis désolé de ce retard."),
    ("fr", "Nous aurions dû vous prévenir du retard, toutes nos excuses."),
    ("fr", "Comme vous le soulignez, le colis était abîmé : un nouvel article part aujourd'hui."),
    ("fr", "Le montant indiqué sur votre facture est correct."),
]


@pytest.mark.parametrize(("language", "text", "fault"), BLAME_FIRES)
def test_blaming_the_customer_is_found(language: str, text: str, fault: str) -> None:
    assert codes(text, context(language), "blame") == [fault]  # type: ignore[arg-type]


@pytest.mark.parametrize(("language", "text"), BLAME_QUIET)
def test_close_but_fair_phrasing_is_not_blame(language: str, text: str) -> None:
    assert codes(text, context(language), "blame") == []  # type: ignore[arg-type]


JARGON_FIRES = [
    ("en", "Your case is within SLA, no worries about that.", "SLA"),
    ("en", "I have escalated to L2 support, they will call you.", "escalated to L2"),
    ("en", "Ticket #48213 is now closed.", "Ticket #48213"),
    ("en", "The back office has not validated the refund yet.", "back office"),
    ("en", "Your request INC-20931 has been assigned.", "INC-20931"),
    ("en", "Status pending_customer until you reply.", "pending_customer"),
    ("fr", "Votre demande a été escaladée en N2.", "escaladée en N2"),
    ("fr", "Le backoffice doit encore valider le remboursement.", "backoffice"),
    ("fr", "Votre ticket n° 48213 est clôturé.", "ticket n° 48213"),
    ("fr", "Nous respectons notre SLA de 48 heures.", "SLA"),
    ("fr", "Le WMS indique que le colis est parti.", "WMS"),
]
JARGON_QUIET = [
    ("en", "Your order CMD-48213 left our warehouse this morning.", ()),
    ("en", "Write to anna_smith@example.com or call us at 01 23 45 67 89.", ()),
    ("en", "Our team will look into it and call you back this afternoon.", ()),
    ("en", "Your order was dispatched this morning and ships with our usual carrier.", ()),
    ("fr", "Votre commande n° 48213 est partie ce matin.", ()),
    ("fr", "Notre équipe de niveau expert va étudier votre demande.", ()),
    ("fr", "Votre référence ZD-20931 figure sur la facture.", ("ZD-20931",)),
]


@pytest.mark.parametrize(("language", "text", "fault"), JARGON_FIRES)
def test_internal_jargon_is_found(language: str, text: str, fault: str) -> None:
    assert codes(text, context(language), "jargon") == [fault]  # type: ignore[arg-type]


@pytest.mark.parametrize(("language", "text", "known"), JARGON_QUIET)
def test_plain_words_and_the_customers_own_references_are_not_jargon(
    language: str, text: str, known: tuple[str, ...]
) -> None:
    found = codes(text, context(language), "jargon", known_values=known)  # type: ignore[arg-type]
    assert found == []
