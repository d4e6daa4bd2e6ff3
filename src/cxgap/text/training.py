"""``make models``: train the bundled models.

    python -m cxgap.text.training [--output DIR] [--skip-sentiment]

The training sentences (``cxgap/text/corpus/train_*.tsv``) are expanded with seeded
variants, embedded with the default embedder, and two heads are fitted: intensity (ridge
regression on the sentence vector + lexical cues) and topics (multi-label, sentence vector).
Their weights are rounded to 6 decimals so that the saved files do not change with the last
bits of floating-point summation order.

The sentiment encoder (:mod:`cxgap.text.finetune`) is fine-tuned on the corpus plus the
licensed real data of :mod:`cxgap.text.sentiment_data`; that step needs PyTorch and the shared
data folder, and is skipped, keeping the shipped encoder, when either is missing (or with
``--skip-sentiment``). It takes about 40 minutes on two cores. The held-out files are never
read here.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from cxgap.text.corpus import Example, expand, load_examples
from cxgap.text.embeddings import DEFAULT_EMBEDDER, load_embedder
from cxgap.text.finetune import LABELS, FineTuneSettings, fine_tune
from cxgap.text.heads import LinearHead, LinearScore, train_head, train_score
from cxgap.text.lexicon import LEXICAL_WEIGHT, with_cues
from cxgap.text.models import MANIFEST, MODELS_DIR
from cxgap.text.protocols import Embedder, Language
from cxgap.text.taxonomy import topic_keys

MODELS_VERSION = "cx-2"
"""Bumped whenever the corpus, the lexicons or the features change: analyses name it."""
SEED = 0
TOPIC_C = 2.0
INTENSITY_ALPHA = 1.0
_DECIMALS = 6


def build_models(
    out_dir: Path = MODELS_DIR,
    *,
    embedder: Embedder | None = None,
    seed: int = SEED,
    sentiment: bool = True,
) -> dict[str, Any]:
    """Train the bundled models and write them with their manifest into ``out_dir``."""
    embedder = embedder if embedder is not None else load_embedder(DEFAULT_EMBEDDER)
    examples = expand(load_examples("train"), seed=seed)
    texts = [example.text for example in examples]
    languages: list[Language] = [example.language for example in examples]
    vectors = embedder.embed(texts)
    features = with_cues(vectors, texts, languages)
    trained_on = (
        build_sentiment_encoder(out_dir / "sentiment_encoder", seed=seed) if sentiment else None
    )
    intensity = train_score(features, _intensities(examples), alpha=INTENSITY_ALPHA)
    topics = train_head(
        vectors,
        [example.topics for example in examples],
        multi_label=True,
        c=TOPIC_C,
        embedder=embedder.name,
    )
    LinearScore(
        np.round(intensity.weights, _DECIMALS), round(intensity.intercept, _DECIMALS), "intensity"
    ).save(out_dir / "intensity")
    _rounded(topics).save(out_dir / "topics")
    manifest = {
        "version": MODELS_VERSION,
        "embedder": embedder.name,
        "lexical_weight": LEXICAL_WEIGHT,
        "seed": seed,
        "training_texts": len(examples),
        "sentiment_encoder": trained_on or _previous(out_dir).get("sentiment_encoder"),
        "topics": [key for key in topic_keys() if key in topics.labels],
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


SOUP_RUNS = 2
"""Fine-tuning runs (seeds ``seed``, ``seed + 1``, …) whose weights are averaged: runs from
the same pretrained encoder land in one basin, and their mean (a "model soup") scored better
than either run on the French multi-shop reviews and the bank reviews, between them on the
brand tweets (docs/text-models.md), at no inference cost."""


def build_sentiment_encoder(directory: Path, *, seed: int = SEED) -> dict[str, Any] | None:
    """Fine-tune the sentiment encoder into ``directory``; ``None`` (the shipped one kept)
    without PyTorch or the shared data."""
    from cxgap.text.sentiment_data import corpus_set, real_sets, shared_data_dir

    data_dir = shared_data_dir()
    if data_dir is None or importlib.util.find_spec("torch") is None:
        print("sentiment encoder kept: fine-tuning needs PyTorch and CXGAP_SHARED_DATA")
        return None
    corpus, real = corpus_set(seed), real_sets(data_dir)
    runs = []
    for run in range(SOUP_RUNS):
        encoder, weights, bias = fine_tune(
            [*corpus, *real], settings=FineTuneSettings(seed=seed + run)
        )
        runs.append({**encoder, "classify_w": weights, "classify_b": bias})
    arrays = {key: soup([r[key] for r in runs]) for key in runs[0]}
    texts = [item.text for item in corpus[::4]]
    scale = confidence_scale(
        arrays, target=float(np.mean([confidence(r, texts) for r in runs])), texts=texts
    )
    arrays["classify_w"] = (arrays["classify_w"].astype(np.float32) * scale).astype(np.float16)
    arrays["classify_b"] = (arrays["classify_b"].astype(np.float32) * scale).astype(np.float16)
    directory.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(directory / "weights.npz", **arrays)  # type: ignore[arg-type]
    about = {
        "name": "use-sentiment",
        "labels": list(LABELS),
        "corpus": len(corpus),
        "real": len(real),
        "runs_averaged": SOUP_RUNS,
        "confidence_scale": round(scale, 4),
    }
    (directory / "manifest.json").write_text(json.dumps(about, indent=2) + "\n", encoding="utf-8")
    return about


def confidence(weights: dict[str, np.ndarray], texts: list[str], scale: float = 1.0) -> float:
    """Mean probability of the predicted class over ``texts`` (logits times ``scale``)."""
    import copy

    from cxgap.text.embeddings import use_model
    from cxgap.text.sentiment_encoder import install_weights

    backend = copy.copy(use_model(1)._model)
    install_weights(backend, {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()})
    vectors = backend.encode(texts).astype(np.float64)
    logits = scale * (vectors @ weights["classify_w"].astype(np.float64) + weights["classify_b"])
    logits -= logits.max(axis=1, keepdims=True)
    probabilities = np.exp(logits)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    return float(probabilities.max(axis=1).mean())


def confidence_scale(weights: dict[str, np.ndarray], *, target: float, texts: list[str]) -> float:
    """The logit scale that gives the averaged model the runs' own confidence: averaging
    weights softens the probabilities (no verbatim reached |score| 0.8 on the corpus), which
    the criticality grades read; scaling the logits changes no label and no sign."""
    low, high = 1.0, 4.0
    for _ in range(20):
        middle = (low + high) / 2
        low, high = (middle, high) if confidence(weights, texts, middle) < target else (low, middle)
    return (low + high) / 2


def soup(arrays: list[np.ndarray]) -> np.ndarray:
    """The mean of the runs' weights, stored in float16.

    >>> soup([np.array([1.0, 2.0]), np.array([3.0, 2.0])])
    array([2., 2.], dtype=float16)
    """
    mean: np.ndarray = np.mean([a.astype(np.float32) for a in arrays], axis=0)
    return mean.astype(np.float16)


def _previous(out_dir: Path) -> dict[str, Any]:
    try:
        loaded: dict[str, Any] = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded


def _intensities(examples: list[Example]) -> list[float]:
    return [example.intensity for example in examples]


def _rounded(head: LinearHead) -> LinearHead:
    return replace(
        head,
        weights=np.round(head.weights, _DECIMALS),
        intercepts=np.round(head.intercepts, _DECIMALS),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=MODELS_DIR)
    parser.add_argument("--skip-sentiment", action="store_true", help="keep the sentiment encoder")
    args = parser.parse_args(argv)
    manifest = build_models(args.output, sentiment=not args.skip_sentiment)
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
