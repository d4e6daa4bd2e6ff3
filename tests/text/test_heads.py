from __future__ import annotations

import json
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pytest

from cxgap.errors import ConfigError, ValidationError
from cxgap.text.heads import LinearHead, micro_f1, train_head
from cxgap.text.protocols import Classifier
from tests.text.fakes import HashedTrigramEmbedder

# Looked up, not imported: scikit-learn (with scipy.stats and pandas) is 2-3 CPU s that every
# test process would pay when it collects this module; the tests that train import it.
if find_spec("sklearn") is None:
    pytest.skip("scikit-learn is not installed (the text extra)", allow_module_level=True)

POSITIVE = [
    "super accueil, vendeur adorable",
    "livraison rapide, très satisfait",
    "great service, lovely staff",
    "fast delivery, very happy",
    "parfait, je recommande",
    "excellent, I recommend",
]
NEGATIVE = [
    "livraison en retard, très déçu",
    "vendeur désagréable, jamais plus",
    "late delivery, very disappointed",
    "rude staff, never again",
    "colis abîmé, remboursement refusé",
    "broken parcel, refund refused",
]
NEUTRAL = [
    "quels sont vos horaires le dimanche ?",
    "pouvez-vous me rappeler demain ?",
    "what are your opening hours on sunday?",
    "can you call me back tomorrow?",
    "où trouver ma facture ?",
    "where can I find my invoice?",
]


@pytest.fixture
def embed() -> HashedTrigramEmbedder:
    return HashedTrigramEmbedder(dimension=256)


def test_a_binary_head_learns_polarity(embed: HashedTrigramEmbedder) -> None:
    texts, labels = POSITIVE + NEGATIVE, ["positive"] * 6 + ["negative"] * 6
    head = train_head(embed.embed(texts), labels, c=10.0, embedder=embed.name)
    assert head.kind == "binary" and head.labels == ("negative", "positive")
    assert head.predict(embed.embed(texts)) == [(label,) for label in labels]
    proba = head.predict_proba(embed.embed(texts))
    assert proba.shape == (12, 2) and np.allclose(proba.sum(axis=1), 1.0)


def test_a_three_class_head_uses_a_softmax(embed: HashedTrigramEmbedder) -> None:
    texts = POSITIVE + NEGATIVE + NEUTRAL
    labels = ["positive"] * 6 + ["negative"] * 6 + ["neutral"] * 6
    head = train_head(embed.embed(texts), labels, c=10.0)
    assert head.kind == "multiclass" and head.labels == ("negative", "neutral", "positive")
    assert head.predict(embed.embed(texts)) == [(label,) for label in labels]
    assert np.allclose(head.predict_proba(embed.embed(texts)).sum(axis=1), 1.0)


def multi_label_rows() -> tuple[list[str], list[tuple[str, ...]]]:
    texts = [
        "livraison en retard",
        "livreur en retard et colis abîmé",
        "prix trop élevé",
        "prix élevé et livraison en retard",
        "late delivery",
        "expensive price",
        "late delivery and expensive price",
        "merci beaucoup",
        "thank you",
    ]
    rows: list[tuple[str, ...]] = [
        ("delivery",),
        ("delivery",),
        ("price",),
        ("delivery", "price"),
        ("delivery",),
        ("price",),
        ("delivery", "price"),
        (),
        (),
    ]
    return texts, rows


def test_a_multi_label_head_gives_several_labels_or_none(embed: HashedTrigramEmbedder) -> None:
    texts, rows = multi_label_rows()
    head = train_head(embed.embed(texts), rows, multi_label=True, c=20.0)
    assert head.multi_label and head.labels == ("delivery", "price")
    predicted = head.predict(embed.embed(texts))
    assert predicted == [tuple(sorted(row)) for row in rows]


def test_the_multi_label_threshold_is_tuned_on_enough_rows(embed: HashedTrigramEmbedder) -> None:
    texts, rows = multi_label_rows()
    head = train_head(embed.embed(texts * 4), rows * 4, multi_label=True, c=20.0)
    assert 0.2 <= head.threshold <= 0.6
    assert train_head(embed.embed(texts), rows, multi_label=True).threshold == 0.5


@pytest.mark.parametrize("multi_label", [False, True])
def test_a_saved_head_loads_and_predicts_the_same(
    tmp_path: Path, embed: HashedTrigramEmbedder, multi_label: bool
) -> None:
    if multi_label:
        texts, rows = multi_label_rows()
        head = train_head(embed.embed(texts), rows, multi_label=True, embedder=embed.name)
    else:
        texts = POSITIVE + NEGATIVE + NEUTRAL
        labels = ["positive"] * 6 + ["negative"] * 6 + ["neutral"] * 6
        head = train_head(embed.embed(texts), labels, embedder=embed.name)
    head.save(tmp_path / "model")
    loaded = LinearHead.load(tmp_path / "model")
    assert loaded.labels == head.labels and loaded.embedder == "hashed-trigrams"
    assert loaded.threshold == head.threshold and loaded.kind == head.kind
    vectors = embed.embed(["livraison en retard", "thank you", "prix élevé"])
    assert np.allclose(loaded.predict_proba(vectors), head.predict_proba(vectors))
    assert loaded.predict(vectors) == head.predict(vectors)
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == ["head.json", "weights.npz"]


def test_the_head_is_a_classifier(embed: HashedTrigramEmbedder) -> None:
    head = train_head(embed.embed(POSITIVE + NEGATIVE), ["p"] * 6 + ["n"] * 6)
    assert isinstance(head, Classifier)


def test_one_label_only_is_refused(embed: HashedTrigramEmbedder) -> None:
    with pytest.raises(ValidationError, match="at least two different labels"):
        train_head(embed.embed(POSITIVE), ["positive"] * 6)


def test_a_label_on_every_row_is_refused_by_name(embed: HashedTrigramEmbedder) -> None:
    rows = [("delivery",), ("delivery", "price"), ("delivery",)]
    with pytest.raises(ValidationError, match="delivery"):
        train_head(embed.embed(POSITIVE[:3]), rows, multi_label=True)


def test_labels_and_vectors_must_match_in_number(embed: HashedTrigramEmbedder) -> None:
    with pytest.raises(ValidationError, match="2 labels for 3 vectors"):
        train_head(embed.embed(POSITIVE[:3]), ["a", "b"])


def test_vectors_of_another_embedder_are_refused(embed: HashedTrigramEmbedder) -> None:
    head = train_head(embed.embed(POSITIVE + NEGATIVE), ["p"] * 6 + ["n"] * 6, embedder="x")
    with pytest.raises(ConfigError, match=r"dimension 256 .*shape \(1, 64\)"):
        head.predict(HashedTrigramEmbedder(dimension=64).embed(["hello"]))


def test_a_folder_that_is_not_a_head_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a cxgap classifier"):
        LinearHead.load(tmp_path)
    (tmp_path / "head.json").write_text(json.dumps({"format": "pickle"}))
    with pytest.raises(ConfigError, match="not a cxgap classifier"):
        LinearHead.load(tmp_path)


def test_weights_that_do_not_match_the_labels_are_refused(
    tmp_path: Path, embed: HashedTrigramEmbedder
) -> None:
    head = train_head(embed.embed(POSITIVE + NEGATIVE), ["p"] * 6 + ["n"] * 6)
    head.save(tmp_path)
    meta = json.loads((tmp_path / "head.json").read_text())
    (tmp_path / "head.json").write_text(json.dumps(meta | {"dimension": 10}))
    with pytest.raises(ConfigError, match="do not match"):
        LinearHead.load(tmp_path)


def test_micro_f1_matches_a_hand_count() -> None:
    truth = np.array([[1, 0, 1], [0, 1, 0]], dtype=bool)
    predicted = np.array([[1, 1, 0], [0, 1, 0]], dtype=bool)
    # tp = 2, fp = 1, fn = 1: F1 = 2*2 / (2*2 + 1 + 1)
    assert micro_f1(truth, predicted) == pytest.approx(4 / 6)
