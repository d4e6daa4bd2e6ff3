"""Contact details inside verbatims are masked, French and English formats, and the numbers
that are not contact details (dates, prices, postcodes, order numbers) are left alone."""

from __future__ import annotations

import pytest

from cxgap.text.contacts import iban_valid, luhn_valid, mask_contacts, nir_valid, shown_masks

MASKED = [
    ("Écrivez-moi : marie.dupont@exemple.fr merci", "Écrivez-moi : [email] merci"),
    ("mail jean-pierre.o'neil+cx@mail.example.co.uk.", "mail [email]."),
    ("Rappelez-moi au 06 12 34 56 78", "Rappelez-moi au [phone]"),
    ("au 06.12.34.56.78 ou 0612345678", "au [phone] ou [phone]"),
    ("tél +33 6 12 34 56 78, sinon +33 (0)1 42 68 53 00", "tél [phone], sinon [phone]"),
    ("0033612345678 le soir", "[phone] le soir"),
    ("call (555) 123-4567 or 555-123-4567", "call [phone] or [phone]"),
    ("US +1 415 555 2671", "US [phone]"),
    ("UK 07700 900123 or 020 7946 0958", "UK [phone] or [phone]"),
    ("+44 (0)20 7946 0958 office", "[phone] office"),
    ("Berlin +49 30 901820, Tokyo +81-3-1234-5678", "Berlin [phone], Tokyo [phone]"),
    ("ma carte 4111 1111 1111 1111 a été débitée", "ma carte [card] a été débitée"),
    ("card 5555-5555-5555-4444 charged twice", "card [card] charged twice"),
    ("Amex 378282246310005", "Amex [card]"),
    ("IBAN FR76 3000 6000 0112 3456 7890 189 svp", "IBAN [iban] svp"),
    ("iban fr7630006000011234567890189", "iban [iban]"),
    ("GB82 WEST 1234 5698 7654 32", "[iban]"),
    ("sécu 1 85 05 78 006 084 91", "sécu [nir]"),
    ("NIR 185057800608491.", "NIR [nir]."),
]

KEPT = [
    "commande 123456789 livrée",
    "order 1234567890123 never came",  # 13 digits, Luhn fails
    "commande 9780201379624",  # 13 digits passing Luhn, but no card starts with 9
    "le 03/05/2024 à 10:15",
    "2024-05-03T10:15:00+02:00",
    "prix 1 234 567,89 € au lieu de 1 299,00 €",
    "75001 Paris, 69003 Lyon",
    "3 000 000 clients, 12.5 % de remise",
    "ticket 2024-123-4567",
    "@admin please look",
    "note 10/10, version 1.2.3.4",
    "SIRET 732 829 320 00074",
    "ISBN 978-2-07-036822-8",
    "IBAN FR76 3000 6000 0112 3456 7890 188 (wrong key)",
    "sécu 1 85 05 78 006 084 90 (wrong key)",
    "de 9h à 18h, 2 fois par semaine",
]


@pytest.mark.parametrize(("text", "masked"), MASKED)
def test_contact_details_are_masked(text: str, masked: str) -> None:
    assert mask_contacts(text) == masked


@pytest.mark.parametrize("text", KEPT)
def test_numbers_that_are_not_contact_details_are_kept(text: str) -> None:
    assert mask_contacts(text) == text


def test_masking_twice_changes_nothing_more() -> None:
    once = mask_contacts("a@b.fr 06 12 34 56 78 4111111111111111")
    assert once == "[email] [phone] [card]" and mask_contacts(once) == once


def test_checks_reject_a_wrong_check_digit() -> None:
    assert luhn_valid("4111 1111 1111 1111") and not luhn_valid("4111 1111 1111 1112")
    assert iban_valid("DE89 3704 0044 0532 0130 00") and not iban_valid(
        "DE89 3704 0044 0532 0130 01"
    )
    assert nir_valid("2 69 02 99 341 732 85") and not nir_valid("2 69 02 99 341 732 84")


def test_tokens_are_shown_in_the_readers_language() -> None:
    labels = {"phone": "téléphone", "email": "e-mail"}
    assert shown_masks("[phone] ou [email], [card]", labels) == "[téléphone] ou [e-mail], [card]"
