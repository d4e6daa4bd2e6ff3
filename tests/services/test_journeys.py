"""Storing, editing, exporting and importing journeys, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
from dataclasses import replace

import pytest

from cxgap.errors import ConflictError, ValidationError
from cxgap.journeys.document import journey_to_document
from cxgap.journeys.model import Version
from cxgap.services import journeys
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.journeys.samples import sample_journey


@pytest.fixture
def stored(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        ws = make_workspace(session)
        journeys.create_journey(session, workspace=ws, journey=sample_journey(6))
    return cx


def test_a_stored_journey_loads_back_equal(stored: Cxgap) -> None:
    with stored.reading() as session:
        ws = get_workspace(session, "acme")
        journey, revision = journeys.get_journey(session, workspace=ws, key="sample")
        listed = [row.key for row in journeys.list_journeys(session, workspace=ws)]
        personas = journeys.list_personas(session, workspace=ws)
    assert journey == sample_journey(6)
    assert revision == 1 and listed == ["sample"]
    assert [p.key for p in personas] == ["ana"]


def test_round_trip_through_another_workspace_is_lossless(stored: Cxgap) -> None:
    with stored.transaction() as session:
        first = journeys.export_journey(
            session, workspace=get_workspace(session, "acme"), key="sample", locale="fr"
        )
        other = make_workspace(session, key="other", name="Other")
        journeys.import_journey(session, workspace=other, document=copy.deepcopy(first))
    with stored.reading() as session:
        again = journeys.export_journey(
            session, workspace=get_workspace(session, "other"), key="sample", locale="fr"
        )
    assert again == first


def test_a_bad_import_changes_nothing(stored: Cxgap) -> None:
    with stored.reading() as session:
        before = journeys.count_journey_rows(session)
        document = journey_to_document(sample_journey(6))
    document["key"] = "fresh"
    document["persona"]["key"] = "someone-new"
    document["stages"][5]["touchpoints"][0]["digital"] = "no"
    with pytest.raises(ValidationError) as info, stored.transaction() as session:
        journeys.import_journey(
            session, workspace=get_workspace(session, "acme"), document=document
        )
    assert info.value.problems[0].field == "$.stages[5].touchpoints[0].digital"
    with stored.reading() as session:
        assert journeys.count_journey_rows(session) == before
        assert before["journey_touchpoints"] == 6


def test_importing_an_existing_key_is_a_conflict(stored: Cxgap) -> None:
    with pytest.raises(ConflictError, match="sample"), stored.transaction() as session:
        journeys.import_journey(
            session,
            workspace=get_workspace(session, "acme"),
            document=journey_to_document(sample_journey(6)),
        )


def test_an_edit_on_a_stale_copy_is_refused(stored: Cxgap) -> None:
    with stored.reading() as session:
        mine, revision = journeys.get_journey(
            session, workspace=get_workspace(session, "acme"), key="sample"
        )
    # A colleague saves first, from the same revision.
    with stored.transaction() as session:
        ws = get_workspace(session, "acme")
        theirs = sample_journey(6, name="Colleague's title")
        new = journeys.update_journey(
            session, workspace=ws, journey=theirs, expected_revision=revision
        )
    assert new == revision + 1
    with pytest.raises(ConflictError) as info, stored.transaction() as session:
        journeys.update_journey(
            session,
            workspace=get_workspace(session, "acme"),
            journey=sample_journey(6, name="My title"),
            expected_revision=revision,
        )
    assert "revision 1" in str(info.value) and "revision 2" in str(info.value)
    with stored.reading() as session:
        kept, _ = journeys.get_journey(
            session, workspace=get_workspace(session, "acme"), key="sample"
        )
    assert kept.name.en == "Colleague's title" and mine.name.en == "Sample journey"


def test_reorder_stages_and_touchpoints(stored: Cxgap) -> None:
    order = [f"stage-{i}" for i in (5, 0, 1, 2, 3, 4)]
    with stored.transaction() as session:
        ws = get_workspace(session, "acme")
        journeys.create_journey(
            session, workspace=ws, journey=replace(sample_journey(14), key="big")
        )
        revision = journeys.reorder_stages(
            session, workspace=ws, key="sample", order=order, expected_revision=1
        )
        journeys.reorder_touchpoints(
            session, workspace=ws, key="big", stage="stage-0",
            order=["tp-0-1", "tp-0-0"], expected_revision=1,
        )  # fmt: skip
    assert revision == 2
    with stored.reading() as session:
        ws = get_workspace(session, "acme")
        sample, revision = journeys.get_journey(session, workspace=ws, key="sample")
        big, big_revision = journeys.get_journey(session, workspace=ws, key="big")
    assert [s.key for s in sample.stages] == order and revision == 2
    assert [t.key for t in big.stages[0].touchpoints] == ["tp-0-1", "tp-0-0"]
    assert big_revision == 2


def test_reorder_must_name_every_key_once(stored: Cxgap) -> None:
    with pytest.raises(ValidationError, match="order"), stored.transaction() as session:
        journeys.reorder_stages(
            session, workspace=get_workspace(session, "acme"), key="sample",
            order=["stage-0", "stage-0"], expected_revision=1,
        )  # fmt: skip


def test_the_demo_has_personas_with_current_and_target_journeys(cx: Cxgap) -> None:
    with cx.transaction() as session:
        create_demo_workspace(session, n_customers=20)
    with cx.reading() as session:
        ws = get_workspace(session, "demo")
        personas = journeys.list_personas(session, workspace=ws)
        rows = journeys.list_journeys(session, workspace=ws)
        loaded = [journeys.get_journey(session, workspace=ws, key=r.key)[0] for r in rows]
    assert 3 <= len(personas) <= 4
    segments = {"busy_family", "design_lover", "pro_buyer", "bargain_hunter"}
    assert {p.segment for p in personas} <= segments
    for persona in personas:
        mine = [j for j in loaded if j.persona == persona]
        assert sorted(j.version for j in mine) == [Version.CURRENT, Version.TARGET]
        for journey in mine:
            assert 5 <= len(journey.stages) <= 7
            assert {s.phase.value for s in journey.stages} == {"before", "during", "after"}
        target = next(j for j in mine if j.version is Version.TARGET)
        assert target.based_on == next(j.key for j in mine if j.version is Version.CURRENT)
        assert {tp.change.value for tp in target.touchpoints if tp.change} >= {
            "irritant_removed", "essential_secured", "wow",
        }  # fmt: skip
