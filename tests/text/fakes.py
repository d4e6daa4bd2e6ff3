"""A tiny deterministic embedder for tests: hashed character trigrams, no model."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from cxgap.text.protocols import Matrix


class HashedTrigramEmbedder:
    """Each character trigram of the lower-cased text adds 1 to a hashed coordinate; rows
    are L2-normalised. Texts sharing words get close vectors, as with a real model."""

    name = "hashed-trigrams"

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> Matrix:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for i in range(len(padded) - 2):
                digest = hashlib.blake2b(padded[i : i + 3].encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)
