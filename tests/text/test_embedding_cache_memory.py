"""The embedding cache's memory is bounded by its size, whatever the order texts come in."""

from __future__ import annotations

import numpy as np

from cxgap.text.embeddings import CachedEmbedder, load_embedder
from tests.text.fakes import HashedTrigramEmbedder

DIMENSION = 64


def _bytes_kept_alive(cache: CachedEmbedder) -> int:
    """The memory the cached vectors hold: a row of a larger matrix keeps all of it."""
    owners = {}
    for vector in cache._vectors.values():
        owner = vector if vector.base is None else vector.base
        owners[id(owner)] = owner
    return sum(np.asarray(owner).nbytes for owner in owners.values())


def test_a_text_seen_again_does_not_keep_its_whole_batch_in_memory() -> None:
    # A frequent verbatim ("RAS") met in every batch stays cached while the rest of its
    # batch is evicted; when the cache kept rows of the batch's matrix, each such text kept
    # a whole batch (here 100 vectors) alive: 20 entries held 2,000 vectors' worth.
    cache = CachedEmbedder(HashedTrigramEmbedder(dimension=DIMENSION), max_size=20)
    for batch in range(20):
        texts = [f"batch {batch} verbatim {n}" for n in range(100)]
        cache.embed(texts)
        cache.embed([texts[0]])  # seen again: moved to the recent end
    assert len(cache) == 20
    assert _bytes_kept_alive(cache) <= cache.max_size * DIMENSION * 4


def test_one_embedder_and_one_cache_per_model_in_a_process() -> None:
    assert load_embedder() is load_embedder()
    private = load_embedder(cache_size=10)
    assert private is not load_embedder() and isinstance(private, CachedEmbedder)
    assert private.max_size == 10
