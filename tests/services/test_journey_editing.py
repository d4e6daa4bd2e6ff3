"""What the browser editor does with journeys, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cxgap.errors import ConflictError, NotFoundError, RevisionConflict, ValidationError
from cxgap.journeys.document import journey_to_document
from cxgap.journeys.model import Change, Version
from cxgap.services import journey_editing, journeys
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.journeys.samples import sample_journey


@pytest.fixture
def stored(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        ws = make_workspace(session)
        journeys.create_journey(session, workspace=ws, journey=sample_journey(6))
    return cx


def test_a_new_journey_starts_empty_with_its_persona(stored: Cxgap) -> None:
    with stored.transaction() as session:
        journey_editing.start_journey(
            session,
            workspace=get_workspace(session, "acme"),
            key="returns",
            name_en="Returns a sofa",
            name_fr="",
            persona_key="ana",
        )
    with stored.reading() as session:
        journey, revision = journeys.get_journey(
            session, workspace=get_workspace(session, "acme"), key="returns"
        )
    assert journey.stages == () and revision == 1
    assert journey.persona is not None
    # The French name nobody wrote is missing, not a copy: French pages show the English one.
    assert journey.name.fr == "" and journey.name.get("fr") == "Returns a sofa"


def test_a_new_journey_names_every_bad_field(stored: Cxgap) -> None:
    with stored.transaction() as session, pytest.raises(ValidationError) as caught:
        journey_editing.start_journey(
            session,
            workspace=get_workspace(session, "acme"),
            key="sample",
            name_en="",
            name_fr="",
            persona_key="ghost",
        )
    assert [(p.field, p.code) for p in caught.value.problems] == [
        ("key", "unique"),
        ("name_en", "required"),
        ("persona", None),
    ]


def test_saving_the_whole_document_bumps_the_revision(stored: Cxgap) -> None:
    document = journey_to_document(sample_journey(6))
    document["stages"].reverse()
    moved = document["stages"][0]["touchpoints"].pop()
    document["stages"][1]["touchpoints"].insert(0, moved)
    with stored.transaction() as session:
        revision = journey_editing.save_journey_document(
            session,
            workspace=get_workspace(session, "acme"),
            key="sample",
            document=document,
            expected_revision=1,
        )
    with stored.reading() as session:
        again = journeys.export_journey(
            session, workspace=get_workspace(session, "acme"), key="sample"
        )
    assert revision == 2
    assert [s["key"] for s in again["stages"]] == [s["key"] for s in document["stages"]]
    assert again["stages"][1]["touchpoints"][0]["key"] == moved["key"]


def test_a_save_from_an_old_revision_is_a_conflict_naming_the_stored_one(stored: Cxgap) -> None:
    document = journey_to_document(sample_journey(6))
    with stored.transaction() as session:
        ws = get_workspace(session, "acme")
        journey_editing.save_journey_document(
            session, workspace=ws, key="sample", document=document, expected_revision=1
        )
    document["name"] = "Mine"
    with stored.transaction() as session, pytest.raises(RevisionConflict) as caught:
        journey_editing.save_journey_document(
            session,
            workspace=get_workspace(session, "acme"),
            key="sample",
            document=document,
            expected_revision=1,
        )
    assert caught.value.revision == 2 and caught.value.saved_at.tzinfo is not None
    with stored.reading() as session:
        journey, revision = journeys.get_journey(
            session, workspace=get_workspace(session, "acme"), key="sample"
        )
    assert revision == 2 and journey.name.en == "Sample journey"


def test_a_bad_document_names_its_json_path_and_changes_nothing(stored: Cxgap) -> None:
    document = journey_to_document(sample_journey(6))
    document["stages"][2]["touchpoints"][0]["emotion"] = 7
    with stored.transaction() as session, pytest.raises(ValidationError) as caught:
        journey_editing.save_journey_document(
            session,
            workspace=get_workspace(session, "acme"),
            key="sample",
            document=document,
            expected_revision=1,
        )
    assert caught.value.problems[0].field == "$.stages[2].touchpoints[0].emotion"
    with stored.reading() as session:
        _, revision = journeys.get_journey(
            session, workspace=get_workspace(session, "acme"), key="sample"
        )
    assert revision == 1


def test_the_document_cannot_rename_the_journey_or_invent_a_persona(stored: Cxgap) -> None:
    document = journey_to_document(sample_journey(6))
    for path, change in [
        ("$.key", {"key": "other"}),
        ("$.persona.key", {"persona": {"key": "zed", "name": "Zed"}}),
    ]:
        with stored.transaction() as session, pytest.raises(ValidationError) as caught:
            journey_editing.save_journey_document(
                session,
                workspace=get_workspace(session, "acme"),
                key="sample",
                document={**document, **change},
                expected_revision=1,
            )
        assert caught.value.problems[0].field == path


def test_the_persona_is_referred_to_by_key(stored: Cxgap) -> None:
    """A stale copy of the persona inside the document does not overwrite or conflict."""
    document = journey_to_document(sample_journey(6))
    document["persona"] = {"key": "ana", "name": "An older name"}
    with stored.transaction() as session:
        ws = get_workspace(session, "acme")
        journey_editing.save_journey_document(
            session, workspace=ws, key="sample", document=document, expected_revision=1
        )
        assert journeys.get_persona(session, workspace=ws, key="ana").name == "Ana"


def test_a_target_version_copies_the_current_one(stored: Cxgap) -> None:
    with stored.transaction() as session:
        ws = get_workspace(session, "acme")
        journey_editing.create_target_version(
            session, workspace=ws, key="sample", target_key="sample-target"
        )
        target, _ = journeys.get_journey(session, workspace=ws, key="sample-target")
    current = sample_journey(6)
    assert target.version is Version.TARGET and target.based_on == "sample"
    assert target.stages == current.stages and target.persona == current.persona


def test_a_target_is_not_derived_from_a_target_nor_onto_a_taken_key(stored: Cxgap) -> None:
    target = replace(sample_journey(3), key="t", version=Version.TARGET, based_on="sample")
    target = replace(
        target,
        stages=tuple(
            replace(s, touchpoints=tuple(replace(tp, change=Change.WOW) for tp in s.touchpoints))
            for s in target.stages
        ),
    )
    with stored.transaction() as session:
        journeys.create_journey(session, workspace=get_workspace(session, "acme"), journey=target)
    with stored.transaction() as session, pytest.raises(ConflictError, match="already a target"):
        journey_editing.create_target_version(
            session, workspace=get_workspace(session, "acme"), key="t", target_key="t2"
        )
    with stored.transaction() as session, pytest.raises(ValidationError) as caught:
        journey_editing.create_target_version(
            session, workspace=get_workspace(session, "acme"), key="sample", target_key="t"
        )
    assert caught.value.problems[0].code == "unique"


def test_suggested_target_keys() -> None:
    assert journey_editing.suggested_target_key("claire-current") == "claire-target"
    assert len(journey_editing.suggested_target_key("x" * 63)) == 63


def test_deleting_checks_the_revision(stored: Cxgap) -> None:
    with stored.transaction() as session, pytest.raises(RevisionConflict):
        journeys.delete_journey(
            session, workspace=get_workspace(session, "acme"), key="sample", expected_revision=9
        )
    with stored.transaction() as session:
        journeys.delete_journey(
            session, workspace=get_workspace(session, "acme"), key="sample", expected_revision=1
        )
    with stored.reading() as session, pytest.raises(NotFoundError):
        journeys.get_journey(session, workspace=get_workspace(session, "acme"), key="sample")
    with stored.reading() as session:
        assert journeys.count_journey_rows(session)["journey_touchpoints"] == 0


def test_a_name_written_in_one_language_stays_missing_in_the_other(stored: Cxgap) -> None:
    """The editor sends "" for the language nobody wrote: stored empty, shown from the other
    language with ``missing`` in exports, never a silent copy."""
    document = journey_to_document(sample_journey(6), locale="fr")
    stage = document["stages"][0]
    stage.update(name="Découvrir", name_en="", name_fr="Découvrir")
    stage["touchpoints"][0].update(name="Reçoit", name_en="", name_fr="Reçoit")
    with stored.transaction() as session:
        journey_editing.save_journey_document(
            session,
            workspace=get_workspace(session, "acme"),
            key="sample",
            document=document,
            expected_revision=1,
        )
    with stored.reading() as session:
        journey, _ = journeys.get_journey(
            session, workspace=get_workspace(session, "acme"), key="sample"
        )
        english = journeys.export_journey(
            session, workspace=get_workspace(session, "acme"), key="sample", locale="en"
        )
    assert (journey.stages[0].name.en, journey.stages[0].name.fr) == ("", "Découvrir")
    assert journey.names_missing("en") == 2 and journey.names_missing("fr") == 0
    first = english["stages"][0]
    assert first["name"] == "Découvrir" and first["missing"] == ["en"]
    assert first["touchpoints"][0]["missing"] == ["en"] and "missing" not in english["stages"][1]


def test_a_journey_started_in_french_needs_only_its_french_name(stored: Cxgap) -> None:
    with stored.transaction() as session:
        with pytest.raises(ValidationError) as caught:
            journey_editing.start_journey(
                session, workspace=get_workspace(session, "acme"), key="rend",
                name_en="Returns", name_fr="", persona_key=None, locale="fr",
            )  # fmt: skip
        assert [(p.field, p.code) for p in caught.value.problems] == [("name_fr", "required")]
        journey_editing.start_journey(
            session, workspace=get_workspace(session, "acme"), key="rend",
            name_en="", name_fr="Rend un canapé", persona_key=None, locale="fr",
        )  # fmt: skip
    with stored.reading() as session:
        journey, _ = journeys.get_journey(
            session, workspace=get_workspace(session, "acme"), key="rend"
        )
    assert (journey.name.en, journey.name.fr) == ("", "Rend un canapé")
    assert journey.names_missing("en") == 1 and journey.name.get("en") == "Rend un canapé"
