"""Keys derived from names: folded, hyphenated, valid, and unique within their workspace."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxgap.journeys.model import Persona
from cxgap.services import campaigns, journey_editing, personas
from cxgap.services.core import Cxgap
from cxgap.services.slugs import slugify, unique_slug
from cxgap.services.workspaces import KEY_PATTERN, create_workspace
from tests.factories import make_workspace


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Été 2027", "ete-2027"),
        ("Clients fidèles — Île-de-France", "clients-fideles-ile-de-france"),
        ("Cœur de cible", "coeur-de-cible"),
        ("L'avis d'Hugo", "l-avis-d-hugo"),
        ("  Straße & Co.  ", "strasse-co"),
        ("NPS_Q1", "nps-q1"),
        ("2027 wave", "survey-2027-wave"),
        ("", "survey"),
        ("客户调查", "survey"),
    ],
)
def test_slugify_folds_accents_and_joins_words(name: str, key: str) -> None:
    assert slugify(name, fallback="survey") == key


def test_a_long_name_is_cut_at_a_word() -> None:
    name = "The customer journey of a first-time buyer who furnishes a whole flat in one go"
    key = slugify(name)
    assert len(key) <= 63 and name.lower().replace(" ", "-").startswith(key)
    assert not key.endswith("-")


@given(st.text(max_size=120))
def test_every_slug_is_a_valid_key(name: str) -> None:
    assert KEY_PATTERN.match(slugify(name))


def test_unique_slug_adds_the_first_free_number_within_63_characters() -> None:
    assert unique_slug("spring", set()) == "spring"
    assert unique_slug("spring", {"spring", "spring-2", "spring-4"}) == "spring-3"
    long = "a" * 63
    assert unique_slug(long, {long}) == "a" * 61 + "-2"


def test_empty_keys_are_derived_and_unique_in_the_workspace(cx: Cxgap) -> None:
    with cx.transaction() as session:
        acme = make_workspace(session)
        other = make_workspace(session, key="other", name="Other")
        first = campaigns.create_survey(session, workspace=acme, key="", name="Été 2027")
        second = campaigns.create_survey(session, workspace=acme, key=" ", name="Ete 2027")
        elsewhere = campaigns.create_survey(session, workspace=other, key="", name="Été 2027")
        typed = campaigns.create_survey(session, workspace=acme, key="mine", name="Été 2027")
        assert (first.key, second.key, elsewhere.key, typed.key) == (
            "ete-2027",
            "ete-2027-2",
            "ete-2027",
            "mine",
        )
        campaign = campaigns.create_internal_campaign(
            session, workspace=acme, key="", name="Tour de table de l'équipe"
        )
        assert campaign.key == "tour-de-table-de-l-equipe"


def test_workspace_persona_and_journey_keys_come_from_their_names(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = create_workspace(session, key="", name="Maison Lumière")
        assert workspace.key == "maison-lumiere"
        assert create_workspace(session, key="", name="Maison lumière").key == "maison-lumiere-2"
        make_workspace(session, key="acme")
        row = personas.add_persona(
            session, workspace=workspace, persona=Persona(key="", name="Chloé Dubois")
        )
        assert row.key == "chloe-dubois"
        # "New" would be the persona form's own address: the key steps aside.
        assert (
            personas.add_persona(
                session, workspace=workspace, persona=Persona(key="", name="New")
            ).key
            == "new-2"
        )
        journey = journey_editing.start_journey(
            session, workspace=workspace, key="", name_en="Chloé moves in",
            name_fr="Chloé s'installe", persona_key="chloe-dubois",
        )  # fmt: skip
        assert journey.key == "chloe-moves-in"
