"""Pseudonyms joinable with the pillar-survey import, and no contact details by accident."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from cxgap.ingest import drop_contacts, get_preset, looks_like_contact, pseudonymise
from cxgap.ingest.privacy import is_contact_column


def test_a_known_pseudonym() -> None:
    # hmac.new(b"k", b"C-1042", hashlib.sha256).hexdigest()[:24], computed independently
    expected = "p_" + hmac.new(b"k", b"C-1042", hashlib.sha256).hexdigest()[:24]
    assert pseudonymise("C-1042", "k") == expected == "p_5c78acc287736ed738178646"
    assert pseudonymise("C-1042", b"k") == expected


def test_different_keys_give_different_pseudonyms() -> None:
    assert pseudonymise("C-1042", "one") != pseudonymise("C-1042", "two")


@pytest.mark.parametrize(
    "value",
    [
        "marie.dupont@exemple.fr",
        "Contact: j.smith+cx@example.co.uk",
        "06 12 34 56 78",
        "+33 6 12 34 56 78",
        "0612345678",
        "(555) 123-4567",
        "0044 20 7946 0958",
        "203.0.113.7",
    ],
)
def test_contact_details_are_recognised(value: str) -> None:
    assert looks_like_contact(value)


@pytest.mark.parametrize(
    "value",
    [
        "100045678",
        "ORD-100231",
        "2024-03-15 10:23",
        "15.03.2024",
        "Lyon Part-Dieu",
        "4.5",
        "C-1042",
    ],
)
def test_ids_dates_and_words_are_not_contacts(value: str) -> None:
    assert not looks_like_contact(value)


@pytest.mark.parametrize(
    ("name", "contact"),
    [
        ("Email Address", True),
        ("Adresse e-mail", True),
        ("Courriel", True),
        ("Téléphone", True),
        ("Mobile phone", True),
        ("IP Address", True),
        ("Tel", True),
        ("Shop", False),
        ("Details", False),
        ("Hotel", False),
    ],
)
def test_contact_columns_are_recognised_by_name(name: str, contact: bool) -> None:
    assert is_contact_column(name) is contact


def test_contacts_are_dropped_unless_kept_explicitly() -> None:
    attributes = {"Shop": "Lyon", "Phone": "0478000000", "Note": "ann@example.org"}
    assert drop_contacts(attributes) == ({"Shop": "Lyon"}, ["Phone", "Note"])
    assert drop_contacts(attributes, keep={"Phone"}) == (
        {"Shop": "Lyon", "Phone": "0478000000"},
        ["Note"],
    )


def test_a_mapping_remembers_pseudonyms_within_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pseudonyms a file's mapping remembers are pseudonymise's own, before and past
    the bound, and no more than the bound are kept."""
    from cxgap.ingest import resolve

    monkeypatch.setattr(resolve, "PSEUDONYMS_KEPT", 2)
    mapping = resolve.ResolvedMapping(spec=get_preset("generic"), fields={}, pseudonym_key="k")
    values = ["C-1", "C-2", "C-1", "C-3", "C-4", "C-3", "C-2", pseudonymise("C-9", "k")]
    assert [mapping.pseudonym(v) for v in values] == [pseudonymise(v, "k") for v in values]
    assert mapping.pseudonyms == {"C-1": pseudonymise("C-1", "k"), "C-2": pseudonymise("C-2", "k")}
    other = resolve.ResolvedMapping(spec=get_preset("generic"), fields={}, pseudonym_key="k2")
    assert other.pseudonym("C-1") == pseudonymise("C-1", "k2") != mapping.pseudonym("C-1")
    assert not resolve.ResolvedMapping(spec=get_preset("generic"), fields={}).pseudonyms
