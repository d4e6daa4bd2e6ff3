"""The bundled models, trained by ``make models`` and shipped here.

``sentiment_encoder/``: the sentence encoder fine-tuned for sentiment (3 classes), read by
:mod:`cxgap.text.sentiment_encoder`; two heads on the default embedder: ``intensity/`` (a
score in [0, 1] on the sentence vector plus the lexical cues of :mod:`cxgap.text.lexicon`)
and ``topics/`` (one yes/no per default topic, on the sentence vector). ``manifest.json``
names the version, the embedder and what they were trained on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cxgap.errors import ConfigError
from cxgap.text.heads import LinearHead, LinearScore
from cxgap.text.sentiment_encoder import SentimentEncoder

MODELS_DIR = Path(__file__).resolve().parent
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BundledModels:
    """The heads the default analyzer runs, and what they were trained for."""

    version: str
    embedder: str
    sentiment: SentimentEncoder
    intensity: LinearScore
    topics: LinearHead


def read_models(directory: Path) -> BundledModels:
    """The models saved in ``directory`` (as ``make models`` writes them)."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        version, embedder = str(manifest["version"]), str(manifest["embedder"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(
            f"{directory}: no usable {MANIFEST} ({error}); run `make models` to train them"
        ) from error
    return BundledModels(
        version=version,
        embedder=embedder,
        sentiment=SentimentEncoder(directory / "sentiment_encoder"),
        intensity=LinearScore.load(directory / "intensity"),
        topics=LinearHead.load(directory / "topics"),
    )


@cache
def bundled_models() -> BundledModels:
    """The models shipped with cxgap, read once."""
    return read_models(MODELS_DIR)
