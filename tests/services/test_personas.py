"""Editing personas: checked fields, no lost edits, no deletion under a journey."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cxgap.errors import ConflictError, ValidationError
from cxgap.journeys.model import Persona
from cxgap.services import journeys, personas
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.journeys.samples import sample_journey

ANA = Persona(
    key="ana",
    name="Ana Duval",
    quote="Fast, please.",
    needs=("Quick answers",),
    preferred_channels=("app", "sms"),
    generation="Gen X",
    segment="pro",
)


@pytest.fixture
def stored(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        personas.add_persona(session, workspace=make_workspace(session), persona=ANA)
    return cx


def test_a_persona_from_the_form_fields() -> None:
    fields = {
        "key": " bob ",
        "name": "Bob Leroy",
        "needs": "Low prices\r\n\r\n  Free delivery ",
        "preferred_channels": ["sms", "app"],
        "generation": "",
        "segment": "home",
    }
    persona = personas.persona_from_fields(fields)
    assert persona.key == "bob" and persona.needs == ("Low prices", "Free delivery")
    assert persona.preferred_channels == ("app", "sms")  # in the order of CHANNELS
    assert persona.generation is None and persona.segment == "home"


def test_initials_come_from_the_first_and_last_words() -> None:
    assert personas.initials("Claire Martin") == "CM"
    assert personas.initials("Nadia") == "N"
    assert personas.initials("Élodie de la Tour") == "ÉT"


def test_every_bad_field_is_named_at_once(stored: Cxgap) -> None:
    bad = Persona(
        key="Ana 2",
        name=" ",
        quote="x" * 2001,
        preferred_channels=("pigeon",),
        segment="nobody",
    )
    with stored.transaction() as session, pytest.raises(ValidationError) as caught:
        personas.add_persona(session, workspace=get_workspace(session, "acme"), persona=bad)
    fields = [p.field for p in caught.value.problems]
    assert fields == ["key", "name", "quote", "preferred_channels", "segment"]


@pytest.mark.parametrize(("key", "code"), [("ana", "unique"), ("new", "reserved")])
def test_taken_and_reserved_keys_are_refused(stored: Cxgap, key: str, code: str) -> None:
    with stored.transaction() as session, pytest.raises(ValidationError) as caught:
        personas.add_persona(
            session, workspace=get_workspace(session, "acme"), persona=replace(ANA, key=key)
        )
    assert [(p.field, p.code) for p in caught.value.problems] == [("key", code)]


def test_an_update_from_the_stored_version_is_saved(stored: Cxgap) -> None:
    changed = replace(ANA, quote="Faster, please.", preferred_channels=("chat",))
    with stored.transaction() as session:
        ws = get_workspace(session, "acme")
        fingerprint = personas.persona_fingerprint(
            journeys.get_persona(session, workspace=ws, key="ana")
        )
        personas.update_persona(
            session, workspace=ws, persona=changed, expected_fingerprint=fingerprint
        )
    with stored.reading() as session:
        ws = get_workspace(session, "acme")
        assert journeys.get_persona(session, workspace=ws, key="ana") == changed


def test_a_stale_update_is_refused_and_changes_nothing(stored: Cxgap) -> None:
    stale = personas.persona_fingerprint(ANA)
    with stored.transaction() as session:  # a colleague saves first
        ws = get_workspace(session, "acme")
        personas.update_persona(
            session, workspace=ws, persona=replace(ANA, quote="Theirs"), expected_fingerprint=stale
        )
    with stored.transaction() as session, pytest.raises(ConflictError, match="someone else"):
        personas.update_persona(
            session,
            workspace=get_workspace(session, "acme"),
            persona=replace(ANA, quote="Mine"),
            expected_fingerprint=stale,
        )
    with stored.reading() as session:
        ws = get_workspace(session, "acme")
        assert journeys.get_persona(session, workspace=ws, key="ana").quote == "Theirs"


def test_a_persona_used_by_a_journey_is_not_deleted(stored: Cxgap) -> None:
    with stored.transaction() as session:
        ws = get_workspace(session, "acme")
        journeys.create_journey(
            session, workspace=ws, journey=replace(sample_journey(3), persona=ANA)
        )
    with stored.transaction() as session, pytest.raises(ConflictError, match="sample"):
        personas.delete_persona(
            session,
            workspace=get_workspace(session, "acme"),
            key="ana",
            expected_fingerprint=personas.persona_fingerprint(ANA),
        )
    with stored.reading() as session:
        ws = get_workspace(session, "acme")
        assert [p.key for p in journeys.list_personas(session, workspace=ws)] == ["ana"]
        assert list(personas.journeys_by_persona(session, workspace=ws)) == ["ana"]


def test_an_unused_persona_is_deleted(stored: Cxgap) -> None:
    with stored.transaction() as session:
        personas.delete_persona(
            session,
            workspace=get_workspace(session, "acme"),
            key="ana",
            expected_fingerprint=personas.persona_fingerprint(ANA),
        )
    with stored.reading() as session:
        assert journeys.list_personas(session, workspace=get_workspace(session, "acme")) == []
