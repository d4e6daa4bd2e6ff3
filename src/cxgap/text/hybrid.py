"""The multi-label head of ``cxgap text train``: sentence embeddings and TF-IDF n-grams together.

Sentence vectors (the bundled embedder) know that "the waiter" and "our server" are close;
TF-IDF word and character n-grams remember the exact words of a domain ("sushi", "prix",
"carte des vins") and survive typos. The hybrid head is one logistic regression per label on
``[TF-IDF words 1-2 | TF-IDF characters 2-5 | embedding × EMBEDDING_WEIGHT]``; the decision
thresholds come from a 3-fold cross-validation on the training rows (one global threshold, then
one per label where that label has enough examples and its own threshold does better).
Measured in docs/accuracy.md (SemEval-2016 ABSA restaurants, French and English).

Saved like :class:`~cxgap.text.heads.LinearHead`, without pickle: ``head.json`` (format,
labels, thresholds), ``vocabulary.json`` (the n-grams) and ``weights.npz``. Predicting needs
scikit-learn's TF-IDF tokenizer (a default dependency) and numpy.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from cxgap.errors import ConfigError, ValidationError
from cxgap.text.dependencies import require
from cxgap.text.heads import FORMAT_VERSION, THRESHOLDS, Floats, micro_f1
from cxgap.text.protocols import Matrix

FORMAT = "cxgap-hybrid-head"
DEFAULT_C = 4.0
EMBEDDING_WEIGHT = 1.0  # TF-IDF rows have unit norm per block; so do the sentence vectors
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
MIN_ROWS_TO_TUNE = 30
MIN_POSITIVES_FOR_OWN_THRESHOLD = 15
TUNING_SEED = 0
Targets = NDArray[np.bool_]


@dataclass(frozen=True)
class NgramFeatures:
    """Fitted TF-IDF of word 1-2-grams and character 2-5-grams (within word boundaries)."""

    words: tuple[str, ...]
    word_idf: Floats
    chars: tuple[str, ...]
    char_idf: Floats

    @property
    def size(self) -> int:
        return len(self.words) + len(self.chars)

    @classmethod
    def fit_transform(cls, texts: Sequence[str]) -> tuple[NgramFeatures, Any]:
        """The features fitted on ``texts``, and ``texts`` transformed (tokenized once)."""
        sparse: Any = require("scipy.sparse", purpose="Text features")
        word, char = _vectorizers()
        matrix = sparse.hstack([word.fit_transform(texts), char.fit_transform(texts)]).tocsr()
        features = cls(
            tuple(word.get_feature_names_out().tolist()),
            np.asarray(word.idf_, dtype=np.float64),
            tuple(char.get_feature_names_out().tolist()),
            np.asarray(char.idf_, dtype=np.float64),
        )
        return features, matrix

    def transform(self, texts: Sequence[str]) -> Any:
        """A sparse matrix, one row per text, one column per n-gram."""
        sparse: Any = require("scipy.sparse", purpose="Text features")
        word, char = _vectorizers(self.words, self.chars)
        word.idf_, char.idf_ = self.word_idf, self.char_idf
        return sparse.hstack([word.transform(texts), char.transform(texts)]).tocsr()


def _vectorizers(
    words: Sequence[str] | None = None, chars: Sequence[str] | None = None
) -> tuple[Any, Any]:
    text: Any = require("sklearn.feature_extraction.text", purpose="Text features")
    vocabulary = {name: i for i, name in enumerate(words)} if words is not None else None
    char_vocabulary = {name: i for i, name in enumerate(chars)} if chars is not None else None
    word = text.TfidfVectorizer(
        sublinear_tf=True, ngram_range=WORD_NGRAMS, vocabulary=vocabulary, dtype=np.float64
    )
    char = text.TfidfVectorizer(
        sublinear_tf=True,
        analyzer="char_wb",
        ngram_range=CHAR_NGRAMS,
        min_df=1 if char_vocabulary is not None else 2,
        vocabulary=char_vocabulary,
        dtype=np.float64,
    )
    return word, char


@dataclass(frozen=True)
class HybridHead:
    """A trained multi-label head: per-label weights over n-grams then embedding dimensions."""

    labels: tuple[str, ...]
    features: NgramFeatures
    weights: Floats  # (labels, n-grams + embedding dimension)
    intercepts: Floats
    thresholds: Floats  # one per label
    embedder: str = ""
    embedding_weight: float = EMBEDDING_WEIGHT

    @property
    def multi_label(self) -> bool:
        return True

    @property
    def dimension(self) -> int:
        return int(self.weights.shape[1]) - self.features.size

    def predict_proba(self, texts: Sequence[str], vectors: Matrix) -> Floats:
        x = _design(self.features.transform(texts), vectors, self.embedding_weight)
        if x.shape[1] != self.weights.shape[1]:
            raise ConfigError(
                f"This head expects vectors of dimension {self.dimension} "
                f"(from {self.embedder or 'its embedder'}), got {np.shape(vectors)}"
            )
        return _sigmoid(np.asarray(x @ self.weights.T) + self.intercepts)

    def predict(self, texts: Sequence[str], vectors: Matrix) -> list[tuple[str, ...]]:
        chosen = self.predict_proba(texts, vectors) >= self.thresholds
        names = np.asarray(self.labels)
        return [tuple(names[row].tolist()) for row in chosen]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "kind": "multilabel",
            "labels": list(self.labels),
            "thresholds": [float(t) for t in self.thresholds],
            "embedder": self.embedder,
            "dimension": self.dimension,
            "embedding_weight": self.embedding_weight,
        }
        (directory / "head.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False))
        vocabulary = {"words": list(self.features.words), "chars": list(self.features.chars)}
        (directory / "vocabulary.json").write_text(json.dumps(vocabulary, ensure_ascii=False))
        np.savez(
            directory / "weights.npz",
            weights=self.weights,
            intercepts=self.intercepts,
            word_idf=self.features.word_idf,
            char_idf=self.features.char_idf,
        )

    @classmethod
    def load(cls, directory: Path) -> HybridHead:
        meta, vocabulary, arrays = _read(directory)
        features = NgramFeatures(
            tuple(vocabulary["words"]),
            arrays["word_idf"],
            tuple(vocabulary["chars"]),
            arrays["char_idf"],
        )
        labels = tuple(str(label) for label in meta["labels"])
        columns = features.size + int(meta["dimension"])
        if arrays["weights"].shape != (len(labels), columns) or len(meta["thresholds"]) != len(
            labels
        ):
            raise ConfigError(
                f"{directory}: weights of shape {arrays['weights'].shape} do not match "
                f"{len(labels)} labels and {columns} features"
            )
        return cls(
            labels=labels,
            features=features,
            weights=arrays["weights"],
            intercepts=arrays["intercepts"],
            thresholds=np.asarray(meta["thresholds"], dtype=np.float64),
            embedder=str(meta["embedder"]),
            embedding_weight=float(meta["embedding_weight"]),
        )


def is_hybrid(directory: Path) -> bool:
    """Whether ``directory`` holds a hybrid head (else perhaps a :class:`LinearHead`)."""
    try:
        meta = json.loads((directory / "head.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and meta.get("format") == FORMAT


def _read(directory: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, Floats]]:
    try:
        meta = json.loads((directory / "head.json").read_text(encoding="utf-8"))
        vocabulary = json.loads((directory / "vocabulary.json").read_text(encoding="utf-8"))
        with np.load(directory / "weights.npz", allow_pickle=False) as stored:
            arrays = {name: np.asarray(stored[name], dtype=np.float64) for name in _ARRAYS}
    except (OSError, KeyError, ValueError) as error:
        raise ConfigError(
            f"{directory}: not a readable cxgap hybrid classifier ({error})"
        ) from error
    if meta.get("format") != FORMAT or meta.get("version") != FORMAT_VERSION:
        raise ConfigError(
            f"{directory}: unsupported classifier format {meta.get('format')!r} "
            f"version {meta.get('version')!r}"
        )
    return meta, vocabulary, arrays


_ARRAYS = ("weights", "intercepts", "word_idf", "char_idf")


def train_hybrid(
    texts: Sequence[str],
    vectors: Matrix,
    rows: Sequence[Sequence[str]],
    *,
    c: float = DEFAULT_C,
    embedder: str = "",
) -> HybridHead:
    """Fit a hybrid multi-label head on ``texts``, their sentence ``vectors`` and label rows
    (each possibly empty: "none of the labels")."""
    array = np.asarray(vectors, dtype=np.float64)
    if array.ndim != 2 or not len(texts) == array.shape[0] == len(rows):
        raise ValidationError.single(
            "labels", f"{len(rows)} label rows for {len(texts)} texts and {array.shape[0]} vectors"
        )
    labels, targets = _targets(rows)
    features, ngrams = NgramFeatures.fit_transform(texts)
    x = _design(ngrams, array, EMBEDDING_WEIGHT)
    weights, intercepts = _fit_per_label(x, targets, c)
    return HybridHead(
        labels=labels,
        features=features,
        weights=weights,
        intercepts=intercepts,
        thresholds=_tuned_thresholds(x, targets, c),
        embedder=embedder,
        embedding_weight=EMBEDDING_WEIGHT,
    )


def _targets(rows: Sequence[Sequence[str]]) -> tuple[tuple[str, ...], Targets]:
    labels = tuple(sorted({str(label) for row in rows for label in row}))
    if not labels:
        raise ValidationError.single("labels", "no row has any label", value=len(rows))
    targets = np.array([[label in row for label in labels] for row in rows], dtype=bool)
    constant = [label for label, column in zip(labels, targets.T, strict=True) if column.all()]
    if constant:
        raise ValidationError.single(
            "labels", "a label on every row cannot be learned", value=", ".join(constant)
        )
    return labels, targets


def _design(ngrams: Any, vectors: Matrix | Floats, embedding_weight: float) -> Any:
    sparse: Any = require("scipy.sparse", purpose="Text features")
    dense = sparse.csr_matrix(np.asarray(vectors, dtype=np.float64) * embedding_weight)
    return sparse.hstack([ngrams, dense]).tocsr()


def _fit_per_label(x: Any, targets: Targets, c: float) -> tuple[Floats, Floats]:
    linear_model: Any = require("sklearn.linear_model", purpose="Training a classifier")
    weights = np.zeros((targets.shape[1], x.shape[1]))
    intercepts = np.full(targets.shape[1], -30.0)  # a label absent from these rows: never
    for j, column in enumerate(targets.T):
        if column.any() and not column.all():
            # The dual solver: far fewer rows than columns (n-grams), 20 times faster here.
            model = linear_model.LogisticRegression(
                C=c, solver="liblinear", dual=True, max_iter=1000
            )
            model.fit(x, column)
            weights[j], intercepts[j] = model.coef_[0], model.intercept_[0]
        elif column.all():
            intercepts[j] = 30.0
    return weights, intercepts


def _tuned_thresholds(x: Any, targets: Targets, c: float) -> Floats:
    """Out-of-fold probabilities (3 folds, seeded) decide: the best global threshold, then,
    for each label with enough examples, its own threshold when that raises micro-F1."""
    if x.shape[0] < MIN_ROWS_TO_TUNE:
        return np.full(targets.shape[1], 0.5)
    folds = np.random.default_rng(TUNING_SEED).permutation(x.shape[0]) % 3
    proba = np.zeros(targets.shape)
    for fold in range(3):
        held = folds == fold
        weights, intercepts = _fit_per_label(x[~held], targets[~held], c)
        proba[held] = _sigmoid(np.asarray(x[held] @ weights.T) + intercepts)
    best = max(THRESHOLDS, key=lambda t: micro_f1(targets, proba >= t))
    thresholds = np.full(targets.shape[1], best)
    for j in np.flatnonzero(targets.sum(axis=0) >= MIN_POSITIVES_FOR_OWN_THRESHOLD):
        thresholds[j] = _own_threshold(proba, targets, thresholds, int(j))
    return thresholds


def _own_threshold(proba: Floats, targets: Targets, thresholds: Floats, j: int) -> float:
    def score(value: float) -> float:
        trial = thresholds.copy()
        trial[j] = value
        return micro_f1(targets, proba >= trial)

    current = float(thresholds[j])
    best = max(THRESHOLDS, key=score)
    return float(best) if score(best) > score(current) + 1e-9 else current


def _sigmoid(z: Floats) -> Floats:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)))
