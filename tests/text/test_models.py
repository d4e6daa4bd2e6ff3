"""The bundled models: present, consistent with the taxonomy and the lexical cues."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxgap.errors import ConfigError
from cxgap.text.lexicon import FEATURES
from cxgap.text.models import bundled_models, read_models
from cxgap.text.taxonomy import topic_keys
from cxgap.text.training import MODELS_VERSION


def test_the_shipped_models_match_the_taxonomy_and_the_features() -> None:
    models = bundled_models()
    assert models.version == MODELS_VERSION and models.embedder == "use-multilingual-v3"
    assert set(models.topics.labels) == set(topic_keys())
    assert models.sentiment.manifest["labels"] == ["negative", "neutral", "positive"]
    assert 512 + len(FEATURES) == len(models.intensity.weights)


def test_a_folder_without_models_says_how_to_make_them(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="make models"):
        read_models(tmp_path)
