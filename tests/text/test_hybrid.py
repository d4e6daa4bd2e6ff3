"""The hybrid multi-label head of ``cxgap text train`` (TF-IDF n-grams + sentence vectors):
it trains, saves without pickle, loads, predicts, and learns what a trivial rule cannot."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from cxgap.errors import ConfigError, ValidationError
from cxgap.text.files import HybridModel, load_label_model, train_file
from cxgap.text.heads import THRESHOLDS, micro_f1
from cxgap.text.hybrid import HybridHead, is_hybrid, train_hybrid
from tests.text.fakes import HashedTrigramEmbedder

DATA = Path(__file__).resolve().parents[1] / "data" / "text" / "restaurant_aspects.csv"


def toy() -> tuple[list[str], list[tuple[str, ...]]]:
    with DATA.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    texts = [row["text"] for row in rows]
    return texts, [tuple(x for x in row["aspects"].split(";") if x) for row in rows]


def split() -> tuple[np.ndarray, np.ndarray]:
    n = len(toy()[0])
    held = np.arange(n) % 4 == 0
    return np.flatnonzero(~held), np.flatnonzero(held)


def truth_of(head: HybridHead, rows: list[tuple[str, ...]]) -> np.ndarray:
    return np.array([[label in row for label in head.labels] for row in rows])


def test_the_toy_file_is_what_the_tests_assume() -> None:
    texts, rows = toy()
    assert len(texts) == 86
    assert sum(len(row) == 2 for row in rows) == 12 and sum(not row for row in rows) == 10


def test_it_saves_loads_and_predicts_the_same(tmp_path: Path) -> None:
    texts, rows = toy()
    embedder = HashedTrigramEmbedder()
    vectors = embedder.embed(texts)
    head = train_hybrid(texts, vectors, rows, embedder=embedder.name)
    assert head.labels == ("AMBIENCE", "FOOD", "PRICE", "SERVICE")
    assert set(head.thresholds.tolist()) <= set(THRESHOLDS)  # tuned: 86 rows, 3 folds
    head.save(tmp_path / "model")
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == [
        "head.json",
        "vocabulary.json",
        "weights.npz",
    ]
    assert is_hybrid(tmp_path / "model")
    again = HybridHead.load(tmp_path / "model")
    new = ["Un serveur charmant", "The wine list is overpriced", "Loud music"]
    np.testing.assert_allclose(
        again.predict_proba(new, embedder.embed(new)), head.predict_proba(new, embedder.embed(new))
    )
    assert again.predict(new, embedder.embed(new)) == head.predict(new, embedder.embed(new))


def test_it_beats_the_trivial_baseline_on_held_out_rows() -> None:
    texts, rows = toy()
    train, test = split()
    embedder = HashedTrigramEmbedder()
    head = train_hybrid(
        [texts[i] for i in train], embedder.embed([texts[i] for i in train]),
        [rows[i] for i in train],
    )  # fmt: skip
    test_texts = [texts[i] for i in test]
    truth = truth_of(head, [rows[i] for i in test])
    found = head.predict_proba(test_texts, embedder.embed(test_texts)) >= head.thresholds
    # Trivial baseline: every row gets the most frequent training label.
    counts = truth_of(head, [rows[i] for i in train]).sum(axis=0)
    trivial = np.zeros_like(truth)
    trivial[:, counts.argmax()] = True
    assert micro_f1(truth, found) > micro_f1(truth, trivial) + 0.3
    assert micro_f1(truth, found) >= 0.5


def test_the_text_train_path_writes_a_hybrid_model_that_classify_loads(tmp_path: Path) -> None:
    texts, rows = toy()
    train, test = split()
    source = tmp_path / "train.csv"
    with source.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["text", "aspects"])
        writer.writerows([texts[i], "|".join(rows[i])] for i in train)
    report = train_file(
        source, tmp_path / "model", text_column="text", label_column="aspects",
        multi_label=True, separator="|",
    )  # fmt: skip
    assert report.labels == ("AMBIENCE", "FOOD", "PRICE", "SERVICE")
    meta = json.loads((tmp_path / "model" / "head.json").read_text(encoding="utf-8"))
    assert (meta["format"], meta["embedder"]) == ("cxgap-hybrid-head", "use-multilingual-v3")
    model = load_label_model(tmp_path / "model")
    assert isinstance(model, HybridModel)
    found = model.labels_for([texts[i] for i in test])
    truth = truth_of(model.head, [rows[i] for i in test])
    predicted = np.array([[label in row for label in model.head.labels] for row in found])
    assert micro_f1(truth, predicted) >= 0.7


def test_single_label_training_still_writes_a_linear_head(tmp_path: Path) -> None:
    texts, rows = toy()
    source = tmp_path / "single.csv"
    with source.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["text", "aspect"])
        writer.writerows([t, r[0]] for t, r in zip(texts, rows, strict=True) if len(r) == 1)
    train_file(source, tmp_path / "m", text_column="text", label_column="aspect")
    assert not is_hybrid(tmp_path / "m")
    assert type(load_label_model(tmp_path / "m")).__name__ == "HeadModel"


def test_what_cannot_be_learned_is_refused() -> None:
    vectors = np.eye(3, 8)
    with pytest.raises(ValidationError, match="every row"):
        train_hybrid(["a b", "c d", "e f"], vectors, [("x",), ("x",), ("x",)])
    with pytest.raises(ValidationError, match="no row has any label"):
        train_hybrid(["a b", "c d", "e f"], vectors, [(), (), ()])
    with pytest.raises(ValidationError, match="2 label rows for 3 texts"):
        train_hybrid(["a b", "c d", "e f"], vectors, [("x",), ()])


def test_a_damaged_model_folder_is_named(tmp_path: Path) -> None:
    texts, rows = toy()
    embedder = HashedTrigramEmbedder(dimension=16)
    train_hybrid(texts, embedder.embed(texts), rows).save(tmp_path / "m")
    (tmp_path / "m" / "vocabulary.json").write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"m: not a readable cxgap hybrid classifier"):
        load_label_model(tmp_path / "m")


def test_vectors_of_another_embedder_are_refused() -> None:
    texts, rows = toy()
    head = train_hybrid(texts, HashedTrigramEmbedder(dimension=16).embed(texts), rows)
    with pytest.raises(ConfigError, match="dimension 16"):
        head.predict(["hello"], HashedTrigramEmbedder(dimension=32).embed(["hello"]))
