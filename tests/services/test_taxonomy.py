"""The editable taxonomy: seeded once, validated edits, retired topics leave the models."""

from __future__ import annotations

import pytest

from cxgap.errors import ConflictError, NotFoundError, ValidationError
from cxgap.services import taxonomy
from cxgap.services.core import Cxgap
from cxgap.services.taxonomy import TopicInput
from tests.factories import make_workspace
from tests.listening import TOPICS


@pytest.fixture(autouse=True)
def small_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(taxonomy, "default_taxonomy", lambda: TOPICS)


def test_a_workspace_is_seeded_once_from_the_default(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        first = taxonomy.list_topics(session, workspace)
        again = taxonomy.list_topics(session, workspace)
    assert [t.key for t in first] == ["delivery", "staff", "price"]
    assert [t.id for t in again] == [t.id for t in first]
    assert {t.origin for t in first} == {"default"}


def test_create_edit_retire_and_specs(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        taxonomy.create_topic(
            session,
            workspace=workspace,
            data=TopicInput(
                key="waiting",
                name_en=" Waiting time ",
                name_fr="Attente",
                examples=("I waited an hour", "I waited an hour", " "),
                keywords=("Queue", "attente"),
                pillar_keys=("service",),
                touchpoint_keys=("call-centre",),
            ),
        )
        taxonomy.update_topic(
            session,
            workspace=workspace,
            key="price",
            data=TopicInput(
                key="ignored", name_en="Pricing", name_fr="Tarifs", keywords=("tarif",)
            ),
        )
        taxonomy.set_topic_active(session, workspace=workspace, key="staff", active=False)
        specs = taxonomy.topic_specs(session, workspace)
        waiting = taxonomy.get_topic(session, workspace, "waiting")
    assert [s.key for s in specs] == ["delivery", "price", "waiting"]
    assert specs[1].name_en == "Pricing" and specs[1].keywords == ("tarif",)
    assert waiting.name_en == "Waiting time" and waiting.origin == "analyst"
    assert waiting.examples == ["I waited an hour"]
    assert waiting.keywords == ["queue", "attente"]


def test_the_fingerprint_follows_what_the_models_see(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        before = taxonomy.taxonomy_fingerprint(taxonomy.topic_specs(session, workspace))
        taxonomy.set_topic_active(session, workspace=workspace, key="staff", active=False)
        after = taxonomy.taxonomy_fingerprint(taxonomy.topic_specs(session, workspace))
        taxonomy.set_topic_active(session, workspace=workspace, key="staff", active=True)
        back = taxonomy.taxonomy_fingerprint(taxonomy.topic_specs(session, workspace))
    assert before != after and back == before


def test_bad_topics_are_refused_with_every_problem_named(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        with pytest.raises(ValidationError) as caught:
            taxonomy.create_topic(
                session,
                workspace=workspace,
                data=TopicInput(
                    key="Bad Key",
                    name_en="",
                    name_fr="x" * 201,
                    pillar_keys=("no_such_pillar",),
                    touchpoint_keys=("Not a key",),
                ),
            )
        fields = {(p.field, p.value) for p in caught.value.problems}
        assert fields == {
            ("key", "Bad Key"),
            ("name_en", None),
            ("name_fr", 201),
            ("pillar_keys", "no_such_pillar"),
            ("touchpoint_keys", "Not a key"),
        }
        with pytest.raises(ConflictError, match="'delivery' already exists"):
            taxonomy.create_topic(
                session,
                workspace=workspace,
                data=TopicInput(key="delivery", name_en="D", name_fr="L"),
            )
        with pytest.raises(NotFoundError):
            taxonomy.set_topic_active(session, workspace=workspace, key="nope", active=False)
        assert len(taxonomy.list_topics(session, workspace)) == 3


def test_lists_are_split_from_form_text() -> None:
    assert taxonomy.split_list("a, b\nc,, a") == ("a", "b", "c")
    assert taxonomy.split_lines("one, with comma\n\ntwo") == ("one, with comma", "two")
