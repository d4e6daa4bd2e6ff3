"""Persona texts and topic descriptions in both languages: the writer's language required,
the other one missing until written, readers shown the other language meanwhile."""

from __future__ import annotations

import pytest

from cxgap.errors import ValidationError
from cxgap.journeys.document import journey_to_document, parse_journey_document
from cxgap.journeys.model import Journey, Persona, Text
from cxgap.services import journeys, personas, taxonomy
from cxgap.services.core import Cxgap
from cxgap.services.taxonomy import TopicInput
from cxgap.text.taxonomy import DEFAULT_TAXONOMY
from cxgap.text.taxonomy_fr import FRENCH_DESCRIPTIONS
from tests.factories import make_workspace

NADIA = Persona(
    key="nadia",
    name="Nadia Benali",
    quote="Mes chantiers ont des dates.",
    needs_fr=("Des délais fiables",),
    usages_fr=("Commande par téléphone",),
)


def test_the_form_fields_carry_both_languages() -> None:
    persona = personas.persona_from_fields(
        {"name": "Nadia", "needs": "Reliable lead times", "needs_fr": "Des délais fiables\n\n"}
    )
    assert persona.needs == ("Reliable lead times",)
    assert persona.needs_fr == ("Des délais fiables",)
    assert persona.missing() == []


def test_a_french_only_persona_is_read_in_french_with_english_marked_missing(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        personas.add_persona(session, workspace=workspace, persona=NADIA, locale="fr")
        stored = journeys.get_persona(session, workspace=workspace, key="nadia")
    assert stored.needs_fr == ("Des délais fiables",) and stored.needs == ()
    assert stored.lines("needs", "en") == ("Des délais fiables",)
    assert stored.lines_missing("needs", "en") and not stored.lines_missing("needs", "fr")
    assert stored.missing() == ["needs_en", "usages_en"]


def test_the_interface_language_is_required_when_the_other_has_lines(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        with pytest.raises(ValidationError) as refused:
            personas.add_persona(session, workspace=workspace, persona=NADIA, locale="en")
    problems = {(p.field, p.code) for p in refused.value.problems}
    assert problems == {("needs", "required_here"), ("usages", "required_here")}


def test_completing_english_keeps_french(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        personas.add_persona(session, workspace=workspace, persona=NADIA, locale="fr")
        before = journeys.get_persona(session, workspace=workspace, key="nadia")
        done = Persona(
            **{**before.__dict__, "needs": ("Reliable lead times",), "usages": ("Phones",)}
        )
        personas.update_persona(
            session,
            workspace=workspace,
            persona=done,
            expected_fingerprint=personas.persona_fingerprint(before),
            locale="en",
        )
        after = journeys.get_persona(session, workspace=workspace, key="nadia")
    assert after.needs == ("Reliable lead times",) and after.needs_fr == ("Des délais fiables",)
    assert after.missing() == []


def test_the_journey_document_carries_both_languages_and_reads_older_ones() -> None:
    journey = Journey(key="j", name=Text("Journey", "Parcours"), persona=NADIA)
    doc = journey_to_document(journey, locale="en")
    persona = doc["persona"]
    assert persona["needs"] == ["Des délais fiables"]  # English missing: French shown
    assert (persona["needs_en"], persona["needs_fr"]) == ([], ["Des délais fiables"])
    assert persona["missing"] == ["needs_en", "usages_en"]
    assert parse_journey_document(doc).persona == NADIA
    older = {**persona, "needs": ["Speed"]}
    for name in ("needs_en", "needs_fr", "usages_en", "usages_fr", "behaviours_en"):
        older.pop(name)
    older.pop("behaviours_fr")
    read = parse_journey_document({**doc, "persona": older}).persona
    assert read is not None and read.needs == ("Speed",) and read.needs_fr == ()


def test_every_default_topic_is_described_in_both_languages(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        topics = taxonomy.list_topics(session, workspace)
        delivery = next(t for t in topics if t.key == "delivery")
        english, english_missing = taxonomy.topic_description(delivery, "en")
        french, french_missing = taxonomy.topic_description(delivery, "fr")
    assert len(topics) == len(DEFAULT_TAXONOMY)
    assert all(t.description and t.description_fr for t in topics)
    assert english.startswith("Getting the order") and not english_missing
    assert french == FRENCH_DESCRIPTIONS["delivery"] and not french_missing


def test_a_topic_described_in_one_language_is_missing_in_the_other(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        before = taxonomy.detection_fingerprint(session, workspace)
        data = TopicInput(
            key="parking", name_en="Parking", name_fr="Stationnement",
            description_fr="Se garer devant le magasin.", keywords=("parking",),
        )  # fmt: skip
        topic = taxonomy.create_topic(session, workspace=workspace, data=data)
        assert taxonomy.topic_description(topic, "en") == ("Se garer devant le magasin.", True)
        with_french = taxonomy.detection_fingerprint(session, workspace)
        taxonomy.update_topic(
            session, workspace=workspace, key="parking",
            data=TopicInput(key="parking", name_en="Parking", name_fr="Stationnement",
                            description_fr="Autre texte.", keywords=("parking",)),
        )  # fmt: skip
        # The models read English only: a French description alone re-enriches nothing.
        assert taxonomy.detection_fingerprint(session, workspace) == with_french != before
        # A client that knows only the English description (older API callers) keeps French.
        kept = taxonomy.update_topic(
            session, workspace=workspace, key="parking",
            data=TopicInput(key="parking", name_en="Parking", name_fr="Stationnement",
                            description="Parking in front of the shop."),
        )  # fmt: skip
        assert (kept.description, kept.description_fr) == (
            "Parking in front of the shop.", "Autre texte.")  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            taxonomy.update_topic(
                session, workspace=workspace, key="parking",
                data=TopicInput(key="parking", name_en="P", name_fr="S",
                                description_fr="x" * 2001),
            )  # fmt: skip
    assert [p.field for p in refused.value.problems] == ["description_fr"]
