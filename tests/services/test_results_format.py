"""The results object keeps the JSON format of docs/results-format.md, and the cache serves
only payloads in that format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from cxgap.db.tables import ResultsCache
from cxgap.services.core import Cxgap
from cxgap.services.results import results_for
from cxgap.services.workspaces import get_workspace
from tests.demo_prepared import prepare_demo
from tests.prepared import Prepared

EXPECTED = Path(__file__).parents[1] / "data" / "results" / "demo_structure.json"


def shape(value: object) -> object:
    """The JSON structure of ``value``: keys in order, leaves replaced by their JSON type, a
    list by the distinct shapes of its items."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        shapes: list[object] = []
        for item in value:
            if shape(item) not in shapes:
                shapes.append(shape(item))
        return shapes
    if value is None:
        return "null"
    return {bool: "bool", int: "int", float: "float", str: "str"}[type(value)]


@pytest.fixture
def demo_cx(cx: Cxgap, prepared: Prepared) -> Cxgap:
    prepare_demo(prepared, cx, n_customers=200)  # shared with the other results tests
    return cx


def test_the_results_json_of_the_demo_has_the_documented_structure(demo_cx: Cxgap) -> None:
    with demo_cx.transaction() as session:
        results = results_for(session, get_workspace(session, "demo"))
    # Through JSON, as the API and the cache see it; the text compares key order too.
    found = json.dumps(shape(json.loads(json.dumps(results))), indent=1)
    assert found == EXPECTED.read_text(encoding="utf-8").strip()


def test_a_cached_payload_in_an_older_format_is_recomputed(demo_cx: Cxgap) -> None:
    with demo_cx.transaction() as session:
        fresh = results_for(session, get_workspace(session, "demo"))
    with demo_cx.transaction() as session:
        row = session.scalars(select(ResultsCache)).one()
        older = {k: v for k, v in fresh.items() if k not in ("nps_period", "segment_names")}
        older["pillars"] = [{"key": p["key"]} for p in fresh["pillars"]]
        row.payload = older
    with demo_cx.transaction() as session:
        served = results_for(session, get_workspace(session, "demo"))
        stored = session.scalars(select(ResultsCache)).one().payload
    assert served["nps_period"] == fresh["nps_period"]
    assert served["pillars"] == fresh["pillars"]
    assert stored["pillars"] == fresh["pillars"], "the recomputed payload replaces the old one"
