"""A local Hugging Face model as ``--model``: a tiny randomly initialised one, made here."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxgap.errors import ConfigError
from cxgap.text.files import load_label_model

WORDS = [
    "livraison",
    "rapide",
    "colis",
    "perdu",
    "service",
    "client",
    "great",
    "late",
    "delivery",
    "staff",
]


def tiny_model(directory: Path, *, multi_label: bool = False) -> Path:
    torch = pytest.importorskip("torch", reason="torch is not installed (optional path)")
    transformers = pytest.importorskip("transformers", reason="transformers is not installed")
    torch.manual_seed(0)
    vocab = directory / "vocab.txt"
    directory.mkdir(parents=True, exist_ok=True)
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n")
    tokenizer = transformers.BertTokenizer(str(vocab))
    config = transformers.BertConfig(
        vocab_size=len(WORDS) + 5,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
        num_labels=3,
        id2label={0: "negative", 1: "neutral", 2: "positive"},
        label2id={"negative": 0, "neutral": 1, "positive": 2},
        problem_type="multi_label_classification" if multi_label else None,
    )
    model = transformers.BertForSequenceClassification(config)
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def test_a_local_transformers_model_labels_texts_in_batches(tmp_path: Path) -> None:
    model = load_label_model(tiny_model(tmp_path / "bert"))
    texts = ["livraison rapide", "colis perdu", "great staff"] * 15  # several batches
    labels = model.labels_for(texts)
    assert len(labels) == len(texts)
    assert all(
        len(found) == 1 and found[0] in {"negative", "neutral", "positive"} for found in labels
    )
    assert labels[0] == labels[3]  # deterministic in eval mode


def test_a_multi_label_transformers_model_gives_zero_or_more_labels(tmp_path: Path) -> None:
    model = load_label_model(tiny_model(tmp_path / "bert", multi_label=True))
    labels = model.labels_for(["service client", "late delivery"])
    assert all(set(found) <= {"negative", "neutral", "positive"} for found in labels)


def test_a_folder_that_is_no_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="neither a classifier"):
        load_label_model(tmp_path)
