"""Emerging-topic clustering: pure groups, telling keywords, stable, checked against sklearn."""

from __future__ import annotations

import numpy as np
import pytest

from cxgap.text.clusters import cluster_texts, silhouette, words_of
from tests.text.fakes import HashedTrigramEmbedder

PARKING = [
    "No parking spaces near the shop",
    "Parking was full again",
    "Impossible de trouver une place de parking",
    "The parking is too small",
    "Parking payant et trop cher",
    "Finding parking took twenty minutes",
]
APP = [
    "The app crashes at checkout",
    "L'application plante au paiement",
    "App crashes every time I log in",
    "The mobile app keeps crashing",
    "Application qui plante sans arrêt",
    "Crashes in the app when paying",
]
HOURS = [
    "Opening hours are too short",
    "Closed on Sunday, opening hours unclear",
    "Horaires d'ouverture trop courts",
    "The opening hours on the website are wrong",
    "Horaires d'ouverture pas respectés",
    "Shop opening hours changed without notice",
]


def _themes() -> tuple[list[str], list[int]]:
    texts = [t for group in (PARKING, APP, HOURS) for t in group]
    themes = [n for n, group in enumerate((PARKING, APP, HOURS)) for _ in group]
    return texts, themes


def test_themes_come_out_as_clusters_with_telling_keywords() -> None:
    texts, themes = _themes()
    vectors = HashedTrigramEmbedder(dimension=512).embed(texts)
    clusters = cluster_texts(texts, vectors, min_size=3)
    assert len(clusters) == 3
    for cluster in clusters:
        found = {themes[i] for i in cluster.members}
        assert len(found) == 1, [texts[i] for i in cluster.members]
    keywords = {frozenset(c.keywords) for c in clusters}
    assert any("parking" in k for k in keywords)
    assert any({"app", "plante", "crashes"} & k for k in keywords)
    assert any({"opening", "hours", "horaires"} & k for k in keywords)
    for cluster in clusters:
        assert len(cluster.representatives(3)) == 3
        assert 0 < cluster.cohesion <= 1


def test_clustering_is_deterministic_and_representatives_are_nearest_the_centroid() -> None:
    texts, _ = _themes()
    vectors = HashedTrigramEmbedder(dimension=512).embed(texts)
    first = cluster_texts(texts, vectors)
    assert cluster_texts(texts, vectors) == first
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    for cluster in first:
        centroid = unit[list(cluster.members)].mean(axis=0)
        similarity = unit[list(cluster.members)] @ centroid
        assert list(similarity) == sorted(similarity, reverse=True)


def test_too_few_texts_or_mismatched_input() -> None:
    vectors = HashedTrigramEmbedder().embed(PARKING[:5])
    assert cluster_texts(PARKING[:5], vectors, min_size=3) == []
    with pytest.raises(ValueError, match="5 texts but 4 vectors"):
        cluster_texts(PARKING[:5], vectors[:4])


def test_silhouette_matches_scikit_learn() -> None:
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(7)
    points = np.vstack(
        [rng.normal(0, 1, (10, 3)), rng.normal(4, 1, (12, 3)), rng.normal(-4, 1, (1, 3))]
    )
    labels = np.array([0] * 10 + [1] * 12 + [2])
    distances = np.linalg.norm(points[:, None] - points[None], axis=2)
    # reference: sklearn.metrics.silhouette_score(distances, labels, metric="precomputed")
    expected = sklearn_metrics.silhouette_score(distances, labels, metric="precomputed")
    assert silhouette(distances, labels) == pytest.approx(expected, abs=1e-12)


def test_words_leave_out_stop_words_in_both_languages() -> None:
    assert words_of("Le colis est arrivé très en retard, and the box was crushed") == [
        "colis",
        "arrivé",
        "retard",
        "box",
        "crushed",
    ]
