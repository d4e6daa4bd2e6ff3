"""Emerging topics found in a workspace's feedback are named as a person would: never after a
negation, a pronoun, the workspace's brand, nor "emerging-N"."""

from __future__ import annotations

import pytest

from cxgap.services import emerging, taxonomy
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.listening import TOPICS, add_feedback
from tests.services.test_emerging_store import _context, _enrich
from tests.text.fakes import HashedTrigramEmbedder

UNCOVERED = [
    "Personne ne répond au téléphone du magasin",
    "Personne ne décroche le téléphone du magasin",
    "Personne au téléphone du magasin",
    "Nobody answers the phone at the shop",
    "Impossible de trouver une place de parking",
    "Aucune place de parking chez Lumen Maison",
    "Plus de place de parking le samedi",
    "Lumen Maison ne livre pas le samedi",
    "Chez Lumen Maison pas de livraison le samedi",
    "Lumen Maison: no Saturday delivery at all",
]


def test_emerging_topics_are_named_without_negations_or_the_brand(
    cx: Cxgap, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(taxonomy, "default_taxonomy", lambda: TOPICS)
    with cx.transaction() as session:
        add_feedback(session, make_workspace(session, name="Lumen Maison"), UNCOVERED)
    embedder = HashedTrigramEmbedder(dimension=512)
    _enrich(cx, _context(cx, embedder))
    with cx.reading() as session:
        found = emerging.emerging_topics(session, get_workspace(session, "acme"), embedder)
    assert found
    names = [topic.suggested_name for topic in found]
    for topic in found:
        lowered = topic.suggested_name.lower()
        assert not lowered.startswith(("personne", "nobody", "emerging")), names
        assert "lumen" not in lowered and "maison" not in lowered, names
        assert not topic.suggested_key.startswith("emerging"), topic.suggested_key
        assert not {"lumen", "maison", "personne", "nobody"} & set(topic.keywords)
    assert "Place de parking" in names
