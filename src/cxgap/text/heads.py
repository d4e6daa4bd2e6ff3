"""Light linear heads on sentence embeddings: train, predict, save, load.

A head is logistic regression on the vectors of a bundled embedder: one softmax over the
labels (single-label), or one independent yes/no per label (multi-label, where a text may
get several labels or none). scikit-learn fits it; predicting needs only numpy, and a saved
head is two plain files (``head.json`` and ``weights.npz``) rather than a pickle, so loading
a folder someone sent you runs no code and survives library upgrades.

In multi-label mode the decision threshold is chosen by 3-fold cross-validation on the
training vectors (micro-F1), since the right value depends on how many labels a text
usually carries.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from cxgap.errors import ConfigError, ValidationError
from cxgap.text.dependencies import require
from cxgap.text.protocols import Matrix

FORMAT = "cxgap-linear-head"
FORMAT_VERSION = 1
DEFAULT_C = 2.0
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
_MIN_ROWS_TO_TUNE = 30

Kind = Literal["binary", "multiclass", "multilabel"]
Floats = NDArray[np.float64]


@dataclass(frozen=True)
class LinearHead:
    """A trained head. ``weights`` has one row per label (one row in total when binary)."""

    labels: tuple[str, ...]
    kind: Kind
    weights: Floats
    intercepts: Floats
    threshold: float = 0.5
    embedder: str = ""

    @property
    def multi_label(self) -> bool:
        return self.kind == "multilabel"

    @property
    def dimension(self) -> int:
        return int(self.weights.shape[1])

    def predict_proba(self, vectors: Matrix) -> Floats:
        scores = self._scores(vectors)
        if self.kind == "binary":
            positive = _sigmoid(scores[:, 0])
            return np.column_stack([1.0 - positive, positive])
        if self.kind == "multiclass":
            return _softmax(scores)
        return _sigmoid(scores)

    def predict(self, vectors: Matrix) -> list[tuple[str, ...]]:
        proba = self.predict_proba(vectors)
        if not self.multi_label:
            return [(self.labels[i],) for i in proba.argmax(axis=1)]
        chosen = proba >= self.threshold
        return [tuple(np.asarray(self.labels)[row].tolist()) for row in chosen]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "kind": self.kind,
            "labels": list(self.labels),
            "threshold": self.threshold,
            "embedder": self.embedder,
            "dimension": self.dimension,
        }
        (directory / "head.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False))
        np.savez(directory / "weights.npz", weights=self.weights, intercepts=self.intercepts)

    @classmethod
    def load(cls, directory: Path) -> LinearHead:
        meta = _read_meta(directory)
        try:
            with np.load(directory / "weights.npz", allow_pickle=False) as arrays:
                weights, intercepts = arrays["weights"], arrays["intercepts"]
        except (OSError, KeyError, ValueError) as error:
            raise ConfigError(f"{directory}: unreadable weights.npz ({error})") from error
        rows = 1 if meta["kind"] == "binary" else len(meta["labels"])
        if weights.shape != (rows, meta["dimension"]) or intercepts.shape != (rows,):
            raise ConfigError(
                f"{directory}: weights of shape {weights.shape} do not match "
                f"{len(meta['labels'])} labels of dimension {meta['dimension']}"
            )
        return cls(
            labels=tuple(meta["labels"]),
            kind=meta["kind"],
            weights=weights.astype(np.float64),
            intercepts=intercepts.astype(np.float64),
            threshold=float(meta["threshold"]),
            embedder=str(meta["embedder"]),
        )

    def _scores(self, vectors: Matrix) -> Floats:
        array = np.asarray(vectors, dtype=np.float64)
        if array.ndim != 2 or array.shape[1] != self.dimension:
            raise ConfigError(
                f"This head expects vectors of dimension {self.dimension} "
                f"(from {self.embedder or 'its embedder'}), got an array of shape {array.shape}"
            )
        return array @ self.weights.T + self.intercepts


def train_head(
    vectors: Matrix,
    labels: Sequence[str] | Sequence[Sequence[str]],
    *,
    multi_label: bool = False,
    c: float = DEFAULT_C,
    embedder: str = "",
) -> LinearHead:
    """Fit a head on ``vectors`` (one row per text) and their labels.

    Single-label: ``labels`` holds one string per row, at least two distinct values. Multi-label:
    one sequence of strings per row, possibly empty ("none of the labels"); each label must be
    both present and absent somewhere, or there is nothing to learn about it.
    """
    array = np.asarray(vectors, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] != len(labels):
        raise ValidationError.single(
            "labels", f"{len(labels)} labels for {array.shape[0]} vectors", value=array.shape
        )
    if multi_label:
        return _train_multi_label(array, [tuple(row) for row in labels], c, embedder)
    return _train_single_label(array, [str(label) for label in labels], c, embedder)


def _train_single_label(x: Floats, labels: list[str], c: float, embedder: str) -> LinearHead:
    classes = tuple(sorted(set(labels)))
    if len(classes) < 2:
        raise ValidationError.single(
            "labels", "training needs at least two different labels", value=classes
        )
    model = _logistic_regression(c).fit(x, labels)
    kind: Kind = "binary" if len(classes) == 2 else "multiclass"
    return LinearHead(
        labels=tuple(str(label) for label in model.classes_),
        kind=kind,
        weights=np.asarray(model.coef_, dtype=np.float64),
        intercepts=np.asarray(model.intercept_, dtype=np.float64),
        embedder=embedder,
    )


def _train_multi_label(
    x: Floats, rows: list[tuple[str, ...]], c: float, embedder: str
) -> LinearHead:
    classes = tuple(sorted({label for row in rows for label in row}))
    targets = np.array([[label in row for label in classes] for row in rows], dtype=bool)
    if not classes:
        raise ValidationError.single("labels", "no row has any label", value=len(rows))
    constant = [label for label, column in zip(classes, targets.T, strict=True) if column.all()]
    if constant:
        raise ValidationError.single(
            "labels", "a label on every row cannot be learned", value=", ".join(constant)
        )
    weights, intercepts = _fit_one_per_label(x, targets, c)
    return LinearHead(
        labels=classes,
        kind="multilabel",
        weights=weights,
        intercepts=intercepts,
        threshold=_tuned_threshold(x, targets, c),
        embedder=embedder,
    )


def _fit_one_per_label(x: Floats, targets: NDArray[np.bool_], c: float) -> tuple[Floats, Floats]:
    weights = np.zeros((targets.shape[1], x.shape[1]))
    intercepts = np.zeros(targets.shape[1])
    for j, column in enumerate(targets.T):
        if column.any():
            model = _logistic_regression(c).fit(x, column)
            weights[j], intercepts[j] = model.coef_[0], model.intercept_[0]
        else:  # absent from this fold: never predicted
            intercepts[j] = -30.0
    return weights, intercepts


def _tuned_threshold(x: Floats, targets: NDArray[np.bool_], c: float) -> float:
    if len(x) < _MIN_ROWS_TO_TUNE:
        return 0.5
    folds = np.arange(len(x)) % 3
    proba = np.zeros(targets.shape)
    for fold in range(3):
        held = folds == fold
        weights, intercepts = _fit_one_per_label(x[~held], targets[~held], c)
        proba[held] = _sigmoid(x[held] @ weights.T + intercepts)
    return max(THRESHOLDS, key=lambda t: micro_f1(targets, proba >= t))


def micro_f1(truth: NDArray[np.bool_], predicted: NDArray[np.bool_]) -> float:
    """Micro-averaged F1 over every (row, label) decision.

    >>> micro_f1(np.array([[True, False]]), np.array([[True, True]]))
    0.6666666666666666
    """
    true_positives = float(np.sum(truth & predicted))
    denominator = float(np.sum(truth) + np.sum(predicted))
    return 2 * true_positives / denominator if denominator else 1.0


def _logistic_regression(c: float) -> Any:
    linear_model: Any = require("sklearn.linear_model", purpose="Training a classifier")
    return linear_model.LogisticRegression(C=c, max_iter=2000)


def _read_meta(directory: Path) -> dict[str, Any]:
    path = directory / "head.json"
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigError(f"{path}: not a cxgap classifier ({error})") from error
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ConfigError(f"{path}: not a cxgap classifier (format {FORMAT!r} expected)")
    if meta.get("version") != FORMAT_VERSION or meta.get("kind") not in _KINDS:
        raise ConfigError(
            f"{path}: unsupported classifier version {meta.get('version')!r} "
            f"or kind {meta.get('kind')!r}"
        )
    return meta


_KINDS = ("binary", "multiclass", "multilabel")


def _sigmoid(z: Floats) -> Floats:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)))


def _softmax(z: Floats) -> Floats:
    shifted = np.exp(z - z.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))


SCORE_FORMAT = "cxgap-linear-score"


@dataclass(frozen=True)
class LinearScore:
    """A linear regression clipped to [0, 1] (the intensity model), saved like a head."""

    weights: Floats
    intercept: float
    name: str = ""

    def predict(self, vectors: Matrix) -> Floats:
        raw = np.asarray(vectors, dtype=np.float64) @ self.weights + self.intercept
        return np.asarray(np.clip(raw, 0.0, 1.0))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        meta = {"format": SCORE_FORMAT, "version": FORMAT_VERSION, "name": self.name}
        (directory / "head.json").write_text(json.dumps(meta, indent=2))
        np.savez(directory / "weights.npz", weights=self.weights, intercept=self.intercept)

    @classmethod
    def load(cls, directory: Path) -> LinearScore:
        path = directory / "head.json"
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
            with np.load(directory / "weights.npz", allow_pickle=False) as arrays:
                weights, intercept = arrays["weights"], float(arrays["intercept"])
        except (OSError, KeyError, ValueError) as error:
            raise ConfigError(f"{directory}: not a cxgap score model ({error})") from error
        if not isinstance(meta, dict) or meta.get("format") != SCORE_FORMAT:
            raise ConfigError(f"{path}: not a cxgap score model")
        return cls(np.asarray(weights, dtype=np.float64), intercept, str(meta.get("name", "")))


def train_score(vectors: Matrix, targets: Sequence[float], *, alpha: float = 1.0) -> LinearScore:
    """Fit a ridge regression of ``targets`` (in [0, 1]) on ``vectors``."""
    linear_model: Any = require("sklearn.linear_model", purpose="Training a score model")
    model = linear_model.Ridge(alpha=alpha).fit(np.asarray(vectors, dtype=np.float64), targets)
    return LinearScore(np.asarray(model.coef_, dtype=np.float64), float(model.intercept_))
