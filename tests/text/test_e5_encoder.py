"""The numpy e5 forward pass against a plain token-by-token transcription of ``e5.c``."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.typing import NDArray

from cxgap.text.e5_encoder import E5Encoder, gelu
from cxgap.text.e5_weights import read_e5_weights
from tests.text.e5_fixture import HEADS, HIDDEN, write_tiny_model

Array = NDArray[np.float64]


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> tuple[E5Encoder, dict[str, Array]]:
    path = tmp_path_factory.mktemp("e5") / "tiny.bin"
    tensors = write_tiny_model(path, layers=2, seed=3)
    return E5Encoder(read_e5_weights(path)), {k: v.astype(np.float64) for k, v in tensors.items()}


def _norm(row: Array, w: Array, b: Array) -> Array:
    mean = row.mean()
    var = ((row - mean) ** 2).mean()
    return (row - mean) / math.sqrt(var + 1e-12) * w + b


def reference_pooled(t: dict[str, Array], ids: list[int], layers: int) -> Array:
    """forward_batch of e5.c for one text, loops and float64, exact erf GELU."""
    x = [
        _norm(t["emb.word"][i] + t["emb.pos"][p] + t["emb.type"][0], t["emb.ln.w"], t["emb.ln.b"])
        for p, i in enumerate(ids)
    ]
    size = HIDDEN // HEADS
    for layer in range(layers):
        p = f"l{layer}."
        q = [t[p + "q.w"] @ r + t[p + "q.b"] for r in x]
        k = [t[p + "k.w"] @ r + t[p + "k.b"] for r in x]
        v = [t[p + "v.w"] @ r + t[p + "v.b"] for r in x]
        out = []
        for i in range(len(x)):
            ctx = np.zeros(HIDDEN)
            for h in range(HEADS):
                part = slice(h * size, (h + 1) * size)
                scores = np.array(
                    [q[i][part] @ k[j][part] / math.sqrt(size) for j in range(len(x))]
                )
                prob = np.exp(scores - scores.max())
                prob /= prob.sum()
                ctx[part] = sum(prob[j] * v[j][part] for j in range(len(x)))
            r = _norm(x[i] + t[p + "ao.w"] @ ctx + t[p + "ao.b"], t[p + "aln.w"], t[p + "aln.b"])
            pre = t[p + "fi.w"] @ r + t[p + "fi.b"]
            mid = np.array([0.5 * z * (1 + math.erf(z / math.sqrt(2))) for z in pre])
            out.append(
                _norm(r + t[p + "fo.w"] @ mid + t[p + "fo.b"], t[p + "oln.w"], t[p + "oln.b"])
            )
        x = out
    return np.mean(x, axis=0)


def test_the_tanh_gelu_stays_within_a_thousandth_of_the_exact_one() -> None:
    z = np.linspace(-6, 6, 1001, dtype=np.float32)
    exact = np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in z.astype(np.float64)])
    assert np.max(np.abs(gelu(z.copy()) - exact)) < 1e-3


def test_mean_pooled_states_match_the_reference(model: tuple[E5Encoder, dict[str, Array]]) -> None:
    encoder, tensors = model
    texts = [[0, 5, 7, 8, 2], [0, 6, 2], [0, 4, 3, 12, 9, 10, 11, 2]]
    pooled = encoder.mean_pooled(texts)
    for row, ids in zip(pooled, texts, strict=True):
        np.testing.assert_allclose(row, reference_pooled(tensors, ids, 2), atol=2e-3)
    first = encoder.mean_pooled(texts, layers=1)
    np.testing.assert_allclose(first[1], reference_pooled(tensors, texts[1], 1), atol=2e-3)
    assert not np.allclose(first[1], pooled[1], atol=1e-2)


def test_a_text_reads_the_same_alone_and_padded_in_a_batch(
    model: tuple[E5Encoder, dict[str, Array]],
) -> None:
    encoder, _ = model
    alone = encoder.embed([[0, 6, 2]])
    batched = encoder.embed([[0, 6, 2], [0, 4, 3, 12, 9, 10, 11, 2]])
    np.testing.assert_allclose(alone[0], batched[0], atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
