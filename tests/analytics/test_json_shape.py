"""The run-time shape check that decides whether a cached results payload can be served."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from cxgap.analytics.json_shape import matches_shape
from cxgap.analytics.results_json import GroupTestJson, ResultsJson, SuppressedGroupJson

STRUCTURE = Path(__file__).parents[1] / "data" / "results" / "demo_structure.json"
EXAMPLE = {"int": 3, "float": 0.5, "str": "a", "bool": True, "null": None}


def example_of(structure: object) -> object:
    """A JSON value with the checked-in structure of the demo's results."""
    if isinstance(structure, dict):
        return {key: example_of(item) for key, item in structure.items()}
    if isinstance(structure, list):
        return [example_of(item) for item in structure]
    return EXAMPLE[str(structure)]


@pytest.fixture
def results() -> dict[str, object]:
    value = example_of(json.loads(STRUCTURE.read_text(encoding="utf-8")))
    assert isinstance(value, dict)
    return value


def test_the_documented_structure_is_a_results_object(results: dict[str, object]) -> None:
    assert matches_shape(results, ResultsJson)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda r: r.pop("nps_period"),  # a key added since
        lambda r: r.update(old_key=1),  # a key dropped since
        lambda r: r["pillars"][0].pop("quadrant"),  # nested, in a list
        lambda r: r["nps"].update(n="640"),  # a number stored as text
        lambda r: r["nps"].update(n=True),  # a bool is not a count
        lambda r: r["validity"].update(enough=1),  # nor a count a bool
        lambda r: r["csat"].update(top_box_ci=[0.1, "high"]),  # inside an interval
        lambda r: r["by_generation"].update(silent={"suppressed": 1}),  # Literal[True]
        lambda r: r.update(pillars={}),  # an object where a list was
    ],
)
def test_an_older_or_damaged_payload_is_refused(results: dict[str, object], spoil: object) -> None:
    damaged = copy.deepcopy(results)
    spoil(damaged)  # type: ignore[operator]
    assert not matches_shape(damaged, ResultsJson)


def test_a_float_field_takes_a_whole_number_and_df_is_optional() -> None:
    assert matches_shape({"test": "kruskal", "statistic": 3, "p": 0.5}, GroupTestJson)
    assert matches_shape({"test": "chi2", "statistic": 3.5, "df": 2, "p": 0.5}, GroupTestJson)
    assert not matches_shape({"test": "chi2", "statistic": 3.5, "df": 2.5, "p": 0.5}, GroupTestJson)
    assert matches_shape({"suppressed": True}, SuppressedGroupJson)


def test_a_type_with_no_json_shape_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="no JSON shape"):
        matches_shape(1, complex)
