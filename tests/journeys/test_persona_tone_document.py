"""A persona's reply tone in the journey document: written, read back, defaulted when a
document predates it, refused with its JSON path when unknown."""

from __future__ import annotations

import dataclasses

import pytest

from cxgap.errors import ValidationError
from cxgap.journeys.document import journey_to_document, parse_journey_document
from cxgap.journeys.model import PERSONA_ADDRESSES, PERSONA_REPLY_LENGTHS
from cxgap.tone.model import ADDRESSES, LENGTH_PREFERENCES
from tests.journeys.samples import sample_journey


def test_the_persona_choices_are_the_tone_librarys() -> None:
    assert PERSONA_ADDRESSES == ADDRESSES and PERSONA_REPLY_LENGTHS == LENGTH_PREFERENCES


def test_the_tone_is_written_and_read_back() -> None:
    journey = sample_journey(2)
    assert journey.persona is not None
    toned = dataclasses.replace(
        journey, persona=dataclasses.replace(journey.persona, address="tu", reply_length="short")
    )
    document = journey_to_document(toned)
    assert (document["persona"]["address"], document["persona"]["reply_length"]) == ("tu", "short")
    read = parse_journey_document(document).persona
    assert read is not None and (read.address, read.reply_length) == ("tu", "short")


def test_a_document_without_a_tone_gets_the_defaults() -> None:
    document = journey_to_document(sample_journey(2))
    del document["persona"]["address"], document["persona"]["reply_length"]
    read = parse_journey_document(document).persona
    assert read is not None and (read.address, read.reply_length) == ("vous", "standard")


@pytest.mark.parametrize(("field", "value"), [("address", "toi"), ("reply_length", "long")])
def test_an_unknown_tone_is_refused_with_its_path(field: str, value: str) -> None:
    document = journey_to_document(sample_journey(2))
    document["persona"][field] = value
    with pytest.raises(ValidationError) as refused:
        parse_journey_document(document)
    problem = refused.value.problems[0]
    assert (problem.field, problem.code) == (f"$.persona.{field}", "choice")
    assert value in str(problem.value)
