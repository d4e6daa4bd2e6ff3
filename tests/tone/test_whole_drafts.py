"""Whole drafts as agents write them, on every channel: good ones get no finding at all, bad
ones get exactly the findings a reviewer would note."""

from __future__ import annotations

from datetime import datetime

import pytest

from cxgap.tone.check import check_draft
from cxgap.tone.model import Mood, ReplyContext, ToneProfile
from tests.tone.helpers import ANGRY, CALM, NOW, PARIS

DUE = datetime(2026, 12, 7, 18, 0, tzinfo=PARIS)  # Monday evening
PLEASED = Mood("positive", 0.8)
UNHAPPY = Mood("negative", 0.45)

GOOD = [
    (
        "email",
        "fr",
        "vous",
        ANGRY,
        "Bonjour Madame Lefèvre,\n\nJe suis sincèrement désolée pour ce retard et je comprends "
        "votre exaspération : vous attendiez ce canapé pour samedi. J'ai contacté le "
        "transporteur ce matin ; la livraison est fixée à lundi entre 8 h et 12 h, et je "
        "vous appelle dès que le camion est parti.\n\nPour le désagrément, nous vous "
        "remboursons les frais de livraison.\n\nBien cordialement,\nJulie Martin\n"
        "Service clients",
    ),
    (
        "chat",
        "fr",
        "tu",
        UNHAPPY,
        "Salut Hugo, désolé pour ce souci avec ta carte cadeau ! Je viens de la réactiver, "
        "tu peux l'utiliser dès maintenant. Dis-moi si ça coince encore.",
    ),
    (
        "sms",
        "fr",
        "vous",
        CALM,
        "Bonjour, votre colis CMD-48213 sera livré demain entre 9 h et 13 h. Merci !",
    ),
    (
        "email",
        "en",
        "vous",
        ANGRY,
        "Dear Mr Patel,\n\nI am truly sorry that your refund has taken so long, and I "
        "understand how frustrating it is to keep chasing us. I have approved it today: "
        "you will see the money on your card by Monday.\n\nIf it has not arrived by then, "
        "reply to this e-mail and I will deal with it myself.\n\nKind regards,\nSam Green",
    ),
    (
        "social",
        "en",
        "tu",
        PLEASED,
        "Thanks so much for the lovely words, Priya! We've shared them with the whole team. "
        "See you soon!",
    ),
    (
        "phone",
        "en",
        "vous",
        UNHAPPY,
        "Called Mrs Brown back: apologised for the faulty kettle, replacement sent today, "
        "she will get it tomorrow.",
    ),
    (
        "letter",
        "fr",
        "vous",
        UNHAPPY,
        "Madame, Monsieur,\n\nNous avons bien reçu votre courrier du 28 novembre et nous "
        "regrettons sincèrement les difficultés rencontrées lors de votre visite dans notre "
        "magasin de Lyon. Votre témoignage a été transmis à la directrice du magasin, qui a "
        "rencontré l'équipe concernée cette semaine.\n\nNous tenons à vous assurer que "
        "l'accueil que vous avez reçu ne correspond pas à ce que nous attendons de nos "
        "équipes. En geste commercial, vous trouverez ci-joint un bon d'achat de 20 euros, "
        "valable dans tous nos magasins jusqu'au 30 juin.\n\nNous espérons avoir le plaisir "
        "de vous accueillir à nouveau très prochainement, dans de meilleures conditions, et "
        "restons à votre disposition pour toute question.\n\nNous vous prions d'agréer, "
        "Madame, Monsieur, l'expression de nos salutations distinguées.\n\nClaire Dubois\n"
        "Relation clientèle",
    ),
]


@pytest.mark.parametrize(("channel", "language", "address", "mood", "text"), GOOD)
def test_a_good_draft_has_no_finding(
    channel: str, language: str, address: str, mood: Mood, text: str
) -> None:
    context = ReplyContext(channel, language, ToneProfile(address), mood, due=DUE, now=NOW)  # type: ignore[arg-type]
    findings = check_draft(text, context, known_values=["CMD-48213"])
    assert [(f.code, text[f.start : f.end]) for f in findings] == []


BAD = [
    (
        "email",
        "fr",
        "vous",
        ANGRY,
        "Votre dossier est en cours de traitement par le back-office. Comme indiqué dans "
        "notre précédent mail, tu dois patienter. Réponse sous 10 jours ouvrés.",
        {"too_cold", "jargon", "blame", "address_tu", "promise_after_due", "no_signature"},
    ),
    (
        "chat",
        "en",
        "vous",
        ANGRY,
        "Hey, as I already told you the parcel is with L2 support!! PLEASE BE PATIENT.",
        {"too_cold", "address_casual", "blame", "jargon", "exclamations", "all_caps"},
    ),
    (
        "sms",
        "fr",
        "tu",
        CALM,
        "Bonjour {first_name}, votre commande est prête. Veuillez passer la chercher "
        "avant le 15 décembre.",
        {"placeholder", "address_vous", "promise_after_due"},
    ),
    (
        "social",
        "en",
        "vous",
        PLEASED,
        "Noted. Closing ticket #55120.",
        {"too_cold", "jargon"},
    ),
]


@pytest.mark.parametrize(("channel", "language", "address", "mood", "text", "expected"), BAD)
def test_a_bad_draft_gets_the_findings_a_reviewer_notes(
    channel: str, language: str, address: str, mood: Mood, text: str, expected: set[str]
) -> None:
    context = ReplyContext(channel, language, ToneProfile(address), mood, due=DUE, now=NOW)  # type: ignore[arg-type]
    assert {f.code for f in check_draft(text, context)} == expected
