"""``make models``: train the bundled heads from the project's corpus, reproducibly.

    python -m cxgap.text.training [--output DIR]

The training sentences (``cxgap/text/corpus/train_*.tsv``) are expanded with seeded
variants, embedded with the default embedder, and three heads are fitted: sentiment
(3 classes, sentence vector + lexical cues), intensity (ridge regression on the same
features) and topics (multi-label, sentence vector). Weights are rounded to 6 decimals so
that the saved files do not change with the last bits of floating-point summation order.
The held-out files are never read here.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from cxgap.text.corpus import Example, expand, load_examples
from cxgap.text.embeddings import DEFAULT_EMBEDDER, load_embedder
from cxgap.text.heads import LinearHead, LinearScore, train_head, train_score
from cxgap.text.lexicon import LEXICAL_WEIGHT, with_cues
from cxgap.text.models import MANIFEST, MODELS_DIR
from cxgap.text.protocols import Embedder, Language
from cxgap.text.taxonomy import topic_keys

MODELS_VERSION = "cx-1"
"""Bumped whenever the corpus, the lexicons or the features change: analyses name it."""
SEED = 0
SENTIMENT_C = 0.5
TOPIC_C = 2.0
INTENSITY_ALPHA = 1.0
_DECIMALS = 6


def build_models(
    out_dir: Path = MODELS_DIR, *, embedder: Embedder | None = None, seed: int = SEED
) -> dict[str, Any]:
    """Train the three bundled heads and write them with their manifest into ``out_dir``."""
    embedder = embedder if embedder is not None else load_embedder(DEFAULT_EMBEDDER)
    examples = expand(load_examples("train"), seed=seed)
    texts = [example.text for example in examples]
    languages: list[Language] = [example.language for example in examples]
    vectors = embedder.embed(texts)
    features = with_cues(vectors, texts, languages)
    sentiment = train_head(
        features,
        [example.sentiment for example in examples],
        c=SENTIMENT_C,
        embedder=f"{embedder.name}+cues",
    )
    intensity = train_score(features, _intensities(examples), alpha=INTENSITY_ALPHA)
    topics = train_head(
        vectors,
        [example.topics for example in examples],
        multi_label=True,
        c=TOPIC_C,
        embedder=embedder.name,
    )
    _rounded(sentiment).save(out_dir / "sentiment")
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
        "topics": [key for key in topic_keys() if key in topics.labels],
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


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
    args = parser.parse_args(argv)
    manifest = build_models(args.output)
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
