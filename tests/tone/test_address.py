"""Address form: tu in a vous reply and vous in a tu reply, on real French forms; casual or
stiff English against the register asked for."""

from __future__ import annotations

import pytest

from tests.tone.helpers import codes, context

TU_IN_VOUS = [
    ("Bonjour Léa, merci pour ton message.", ["ton"]),
    ("Je t'envoie le bon de retour, tu le recevras demain.", ["t'", "tu"]),
    ("N'hésite pas à nous recontacter.", ["N'hésite pas"]),
    ("Contacte-nous au besoin, on est là pour toi.", ["Contacte-nous", "toi"]),
    ("Voici tes identifiants ; ta commande part ce soir.", ["tes", "ta"]),
    ("Dis-moi si le colis est bien arrivé.", ["Dis-moi"]),
]
VOUS_CLEAN = [
    "Bonjour Madame Martin, merci pour votre message.",
    "Le ton de notre précédente réponse n'était pas adapté, je vous prie de nous en excuser.",
    "N'hésitez pas à nous recontacter, dites-nous ce qui vous arrange.",
    "Pouvons-nous vous rappeler demain ? Contactez-nous si l'horaire ne convient pas.",
    "Si vous préférez un remboursement, dites-le-moi et je m'en occupe.",
    "Sommes-nous d'accord sur la date de livraison ?",
]
VOUS_IN_TU = [
    ("Salut Hugo, merci pour votre message.", ["votre"]),
    ("N'hésitez pas à nous écrire.", ["N'hésitez pas"]),
    ("Je vous envoie le lien tout de suite.", ["vous"]),
    ("Contactez-nous si besoin.", ["Contactez-nous"]),
]
TU_CLEAN = [
    "Salut Hugo, merci pour ton message !",
    "N'hésite pas à nous écrire, on te répond vite.",
    "Je t'envoie le lien tout de suite, dis-moi si ça marche.",
    "Ta commande est partie ce matin.",
]


@pytest.mark.parametrize(("text", "faults"), TU_IN_VOUS)
def test_tu_forms_are_found_in_a_vous_reply(text: str, faults: list[str]) -> None:
    assert codes(text, context("fr", address="vous"), "address_tu") == faults


@pytest.mark.parametrize("text", VOUS_CLEAN)
def test_a_real_vous_reply_has_no_tu(text: str) -> None:
    assert codes(text, context("fr", address="vous"), "address") == []


@pytest.mark.parametrize(("text", "faults"), VOUS_IN_TU)
def test_vous_forms_are_found_in_a_tu_reply(text: str, faults: list[str]) -> None:
    assert codes(text, context("fr", address="tu"), "address_vous") == faults


@pytest.mark.parametrize("text", TU_CLEAN)
def test_a_real_tu_reply_has_no_vous(text: str) -> None:
    assert codes(text, context("fr", address="tu"), "address") == []


def test_english_casual_words_in_a_formal_reply() -> None:
    text = "Hey John, no worries, we're gonna sort it out."
    found = codes(text, context("en", address="vous"), "address_casual")
    assert found == ["Hey", "no worries", "gonna"]
    assert codes("Hello John, we will sort it out today.", context("en"), "address") == []


def test_english_stiff_formulas_in_a_casual_reply() -> None:
    text = "Dear Sir or Madam, please be advised that your parcel has left."
    found = codes(text, context("en", address="tu"), "address_stiff")
    assert found == ["Dear Sir or Madam", "please be advised"]
    assert codes("Hi Sam, your parcel left today!", context("en", address="tu"), "address") == []
