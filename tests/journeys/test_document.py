"""The journey JSON document: written, read back, refused with the path of the first problem."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from cxgap.errors import ValidationError
from cxgap.journeys.document import journey_to_document, parse_journey_document
from tests.journeys.samples import sample_journey


def good() -> dict[str, Any]:
    return journey_to_document(sample_journey(6), locale="fr")


def refused_at(document: Any) -> str:
    with pytest.raises(ValidationError) as info:
        parse_journey_document(document)
    return info.value.problems[0].field


def test_contract_keys_are_present() -> None:
    doc = good()
    assert {"persona", "stages"} <= set(doc)
    stage = doc["stages"][0]
    assert {"key", "name", "phase", "touchpoints"} <= set(stage)
    tp = stage["touchpoints"][0]
    assert {
        "key", "name", "channel", "digital", "moment_of_truth", "declared_criticality", "measured"
    } <= set(tp)  # fmt: skip
    # The contract's five keys, then csat and the disagreement flag.
    assert tp["measured"] == {
        "feedback_count": 0, "sentiment_mean": None, "nps": None,
        "measured_criticality": None, "top_irritants": [], "csat": None, "disagrees": False,
    }  # fmt: skip


def test_names_follow_the_locale_and_keep_both_languages() -> None:
    doc = good()
    assert doc["stages"][0]["name"] == doc["stages"][0]["name_fr"] == "Étape 0"
    assert doc["stages"][0]["name_en"] == "Stage 0 of the journey"


def test_a_document_reads_back_to_the_same_journey() -> None:
    journey = sample_journey(9)
    assert parse_journey_document(journey_to_document(journey)) == journey


def test_name_alone_fills_both_languages() -> None:
    doc = good()
    del doc["stages"][1]["name_en"], doc["stages"][1]["name_fr"]
    stage = parse_journey_document(doc).stages[1]
    assert stage.name.en == stage.name.fr == "Étape 1"


def test_missing_stages() -> None:
    doc = good()
    del doc["stages"]
    assert refused_at(doc) == "$.stages"


def test_wrong_phase() -> None:
    doc = good()
    doc["stages"][2]["phase"] = "during-ish"
    assert refused_at(doc) == "$.stages[2].phase"


def test_unknown_channel() -> None:
    doc = good()
    doc["stages"][2]["touchpoints"][0]["channel"] = "pigeon"
    assert refused_at(doc) == "$.stages[2].touchpoints[0].channel"


def test_non_boolean_digital() -> None:
    doc = good()
    doc["stages"][3]["touchpoints"][0]["digital"] = "yes"
    assert refused_at(doc) == "$.stages[3].touchpoints[0].digital"


def test_duplicate_stage_key() -> None:
    doc = good()
    doc["stages"][4]["key"] = doc["stages"][1]["key"]
    assert refused_at(doc) == "$.stages[4].key"


def test_duplicate_touchpoint_key_across_stages() -> None:
    doc = good()
    doc["stages"][5]["touchpoints"][0]["key"] = doc["stages"][0]["touchpoints"][0]["key"]
    assert refused_at(doc) == "$.stages[5].touchpoints[0].key"


def test_the_first_problem_is_reported() -> None:
    doc = good()
    doc["stages"][1]["phase"] = "nope"
    doc["stages"][3]["touchpoints"][0]["channel"] = "nope"
    assert refused_at(doc) == "$.stages[1].phase"


TP = ("stages", 0, "touchpoints", 0)


@pytest.mark.parametrize(
    ("where", "value", "path"),
    [
        (("stages",), "x", "$.stages"),
        (("stages", 0), 3, "$.stages[0]"),
        ((*TP, "emotion"), 5, "$.stages[0].touchpoints[0].emotion"),
        ((*TP, "declared_criticality"), "huge", "$.stages[0].touchpoints[0].declared_criticality"),
        ((*TP, "key"), "Bad Key", "$.stages[0].touchpoints[0].key"),
        ((*TP, "moment_of_truth"), 1, "$.stages[0].touchpoints[0].moment_of_truth"),
        (("persona", "preferred_channels"), ["owl"], "$.persona.preferred_channels[0]"),
        (("version",), "future", "$.version"),
        (("stages", 0, "name"), "", "$.stages[0].name"),
    ],
)
def test_other_refusals_name_their_path(where: tuple[Any, ...], value: Any, path: str) -> None:
    doc = copy.deepcopy(good())
    target: Any = doc
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = value
    assert refused_at(doc) == path


def test_missing_journey_key() -> None:
    doc = good()
    del doc["key"]
    assert refused_at(doc) == "$.key"


def test_not_an_object() -> None:
    assert refused_at([1, 2]) == "$"
