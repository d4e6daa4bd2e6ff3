"""Touchpoints linked to topics from the journey editor and from the taxonomy, the overlay
that follows, and the topic suggestions, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cxgap.errors import ValidationError
from cxgap.journeys.document import journey_to_document
from cxgap.journeys.model import Text
from cxgap.services import journey_editing, journeys, taxonomy, topic_links
from cxgap.services.core import Cxgap
from cxgap.services.overlay import journey_with_overlay, refresh_overlay_index
from cxgap.services.taxonomy import TopicInput
from cxgap.services.topic_suggestions import suggestions_document
from cxgap.services.workspaces import get_workspace
from tests.enrichment_factory import add_feedback, add_topic
from tests.factories import make_workspace
from tests.journeys.samples import sample_journey


@pytest.fixture
def linked(cx: Cxgap) -> Cxgap:
    """A three-touchpoint journey (tp-0-0 website, tp-1-0 shop, tp-2-0 sms) and eleven
    enriched verbatims about late delivery that name no touchpoint."""
    with cx.transaction() as session:
        ws = make_workspace(session)
        journeys.create_journey(session, workspace=ws, journey=sample_journey(3))
        add_topic(session, ws, "late_delivery")
        add_topic(session, ws, "price")
        retired = add_topic(session, ws, "old", ["tp-2-0"])
        retired.active = False
        for i in range(11):
            add_feedback(
                session, ws, f"late {i}", channel="SMS", score=-0.8,
                findings=[("late_delivery", -0.8)],
            )  # fmt: skip
    return cx


def _counts(cx: Cxgap) -> dict[str, int]:
    with cx.transaction() as session:
        journey, _ = journey_with_overlay(
            session, workspace=get_workspace(session, "acme"), key="sample"
        )
    return {tp.key: tp.measured.feedback_count for tp in journey.touchpoints}


def _save(
    cx: Cxgap, topics: dict[str, list[str]] | None, key: str = "sample", **change: object
) -> int:
    with cx.transaction() as session:
        ws = get_workspace(session, "acme")
        journey, revision = journeys.get_journey(session, workspace=ws, key=key)
        if change:
            journey = replace(journey, **change)
        document = journey_to_document(journey, topics=topics)
        return journey_editing.save_journey_document(
            session, workspace=ws, key=key, document=document, expected_revision=revision
        )


def _without(cx: Cxgap, key: str, gone: set[str]) -> tuple[object, ...]:
    with cx.reading() as session:
        journey, _ = journeys.get_journey(
            session, workspace=get_workspace(session, "acme"), key=key
        )
    return tuple(
        replace(s, touchpoints=tuple(tp for tp in s.touchpoints if tp.key not in gone))
        for s in journey.stages
    )


def test_linking_in_the_editor_fills_the_overlay_and_shows_in_the_taxonomy(linked: Cxgap) -> None:
    assert _counts(linked) == {"tp-0-0": 0, "tp-1-0": 0, "tp-2-0": 0}  # index built, empty
    _save(linked, {"tp-2-0": ["late_delivery"]})
    assert _counts(linked) == {"tp-0-0": 0, "tp-1-0": 0, "tp-2-0": 11}  # rebuilt
    with linked.reading() as session:
        ws = get_workspace(session, "acme")
        topic = taxonomy.get_topic(session, ws, "late_delivery")
        retired = taxonomy.get_topic(session, ws, "old")
    assert topic.touchpoint_keys == ["tp-2-0"]
    assert retired.touchpoint_keys == ["tp-2-0"]  # a retired topic's link is left alone

    _save(linked, {"tp-2-0": []})
    assert _counts(linked)["tp-2-0"] == 0


def test_a_change_of_links_marks_the_overlay_index_stale(linked: Cxgap) -> None:
    with linked.transaction() as session:
        ws = get_workspace(session, "acme")
        refresh_overlay_index(session, workspace=ws)
        assert refresh_overlay_index(session, workspace=ws) is False  # up to date
    _save(linked, {"tp-1-0": ["late_delivery"]})
    with linked.transaction() as session:
        ws = get_workspace(session, "acme")
        assert refresh_overlay_index(session, workspace=ws) is True  # the links changed
        assert refresh_overlay_index(session, workspace=ws) is False
    _save(linked, {"tp-1-0": ["late_delivery"]})  # the same links again: nothing to rebuild
    with linked.transaction() as session:
        assert refresh_overlay_index(session, workspace=get_workspace(session, "acme")) is False


def test_linking_from_the_taxonomy_is_the_same_link(linked: Cxgap) -> None:
    with linked.transaction() as session:
        ws = get_workspace(session, "acme")
        data = TopicInput("late_delivery", "Late", "En retard", touchpoint_keys=("tp-0-0",))
        taxonomy.update_topic(session, workspace=ws, key="late_delivery", data=data)
        journey, _ = journeys.get_journey(session, workspace=ws, key="sample")
        links = topic_links.journey_topics(session, workspace=ws, journey=journey)
    assert links == {"tp-0-0": ["late_delivery"], "tp-1-0": [], "tp-2-0": []}
    assert _counts(linked)["tp-0-0"] == 11


def test_an_unknown_topic_is_refused_with_its_path_and_nothing_changes(linked: Cxgap) -> None:
    with pytest.raises(ValidationError) as caught:
        _save(linked, {"tp-1-0": ["price", "ghost"]}, name=Text("Renamed", "Renommé"))
    (problem,) = caught.value.problems
    assert (problem.field, problem.value) == ("$.stages[1].touchpoints[0].topics[1]", "ghost")
    with linked.reading() as session:
        ws = get_workspace(session, "acme")
        journey, revision = journeys.get_journey(session, workspace=ws, key="sample")
        price = taxonomy.get_topic(session, ws, "price")
    assert (revision, journey.name.en, price.touchpoint_keys) == (1, "Sample journey", [])


def test_a_touchpoint_that_leaves_the_journeys_takes_its_links(linked: Cxgap) -> None:
    _save(linked, {"tp-1-0": ["price"], "tp-2-0": ["late_delivery"]})
    with linked.transaction() as session:
        journey_editing.create_target_version(
            session, workspace=get_workspace(session, "acme"), key="sample",
            target_key="sample-target",
        )  # fmt: skip
    # the target drops tp-1-0 (the current journey still has it): links kept
    _save(linked, None, key="sample-target", stages=_without(linked, "sample-target", {"tp-1-0"}))
    with linked.reading() as session:
        assert taxonomy.get_topic(session, get_workspace(session, "acme"), "price").touchpoint_keys
    # the current journey drops both: tp-1-0 is in no journey any more, tp-2-0 in the target
    _save(linked, None, stages=_without(linked, "sample", {"tp-1-0", "tp-2-0"}))
    with linked.reading() as session:
        ws = get_workspace(session, "acme")
        keys = {t.key: t.touchpoint_keys for t in taxonomy.list_topics(session, ws)}
    assert keys["price"] == [] and keys["late_delivery"] == ["tp-2-0"]


def test_links_never_change_what_the_models_detect(linked: Cxgap) -> None:
    with linked.reading() as session:
        before = taxonomy.taxonomy_fingerprint(
            taxonomy.topic_specs(session, get_workspace(session, "acme"))
        )
    _save(linked, {"tp-2-0": ["late_delivery", "price"]})
    with linked.reading() as session:
        after = taxonomy.taxonomy_fingerprint(
            taxonomy.topic_specs(session, get_workspace(session, "acme"))
        )
    assert after == before


def test_the_taxonomy_picker_names_touchpoints_by_journey_stage_and_name(linked: Cxgap) -> None:
    with linked.transaction() as session:
        ws = get_workspace(session, "acme")
        journey_editing.create_target_version(
            session, workspace=ws, key="sample", target_key="sample-target"
        )
        add_topic(session, ws, "stray", ["named-by-feedback"])
        choices = topic_links.touchpoint_choices(session, ws, "fr")
    first = choices[0]
    assert (first.key, first.journey) == ("tp-0-0", "Sample journey (fr)")
    assert first.label.startswith("Étape 0 › Point de contact 0.0")
    assert first.also == ("Sample journey (fr)",)  # the target version shares the key
    assert [c.key for c in choices] == ["tp-0-0", "tp-1-0", "tp-2-0", "named-by-feedback"]
    assert choices[-1].known is False


def test_suggestions_come_with_their_evidence_in_words(linked: Cxgap) -> None:
    with linked.transaction() as session:
        ws = get_workspace(session, "acme")
        journey, _ = journeys.get_journey(session, workspace=ws, key="sample")
        alone = suggestions_document(session, workspace=ws, journey=journey, linked={}, locale="en")
    assert alone["tp-2-0"] == []  # all 11 verbatims are on SMS: no more there than anywhere
    with linked.transaction() as session:
        ws = get_workspace(session, "acme")
        for i in range(19):  # 30 enriched verbatims: 11 on SMS (all late), 19 by e-mail
            add_feedback(
                session, ws, f"price {i}", channel="e-mail", score=-0.5,
                findings=[("price", -0.5)] if i < 9 else [(None, 0.1)],
            )  # fmt: skip
        journey, _ = journeys.get_journey(session, workspace=ws, key="sample")
        found = suggestions_document(session, workspace=ws, journey=journey, linked={}, locale="en")
        fr = suggestions_document(session, workspace=ws, journey=journey, linked={}, locale="fr")
    # SMS: 11 of 11 mention late delivery, against 11 of 30 in the workspace: 30/11 = 2.7×
    (late,) = found["tp-2-0"]
    assert (late["topic"], late["scope"], late["count"], late["items"]) == (
        "late_delivery", "channel", 11, 11,
    )  # fmt: skip
    assert late["lift"] == pytest.approx(30 / 11, abs=1e-6)
    assert (
        late["evidence"]
        == "11 verbatims on the SMS channel mention Late delivery, 2.7× the average"
    )
    assert fr["tp-2-0"][0]["evidence"] == (
        "11 verbatims du canal SMS parlent de Late delivery (fr), 2,7 × la moyenne"
    )
    # no touchpoint of the journey is on the e-mail channel; website and shop get nothing
    assert found["tp-0-0"] == [] and found["tp-1-0"] == []
